"""Independent check of tipkg's SPARQL results: reads a results document with rdflib (and,
for CSV, Python's csv module) and compares its rows with the expected SPARQL TSV.

usage: sparql_results.py FORMAT ACTUAL EXPECTED_TSV   (FORMAT: json, xml, csv, tsv)
       sparql_results.py ask-FORMAT ACTUAL true|false (FORMAT: json, xml)
Exits 0 when the rows (as a multiset) or the boolean are the same, 1 otherwise.
"""

import csv
import sys

from rdflib.query import Result


def rows(result, strings):
    variables = [str(v) for v in result.vars]
    out = []
    for row in result:
        cells = []
        for value in row:
            if value is None:
                cells.append("")
            elif strings:
                cells.append(str(value))
            else:
                cells.append(value.n3())
        out.append(tuple(cells))
    return variables, sorted(out)


def main():
    fmt, actual_path, expected_path = sys.argv[1:4]
    if fmt.startswith("ask-"):
        with open(actual_path, "rb") as f:
            result = Result.parse(f, format=fmt[4:])
        if result.type != "ASK" or str(result.askAnswer).lower() != expected_path:
            print(f"expected ASK {expected_path}, got {result.type} {result.askAnswer}")
            sys.exit(1)
        print(f"{fmt}: {expected_path} as expected")
        return
    with open(expected_path, "rb") as f:
        expected = Result.parse(f, format="tsv")
    # CSV keeps only the strings of terms, so compare strings there.
    strings = fmt == "csv"
    with open(actual_path, "rb") as f:
        actual = Result.parse(f, format=fmt)
    expected_vars, expected_rows = rows(expected, strings)
    actual_vars, actual_rows = rows(actual, strings)
    problems = []
    if expected_vars != actual_vars:
        problems.append(f"variables: expected {expected_vars}, got {actual_vars}")
    if expected_rows != actual_rows:
        for row in expected_rows:
            if row not in actual_rows:
                problems.append(f"missing: {row}")
        for row in actual_rows:
            if row not in expected_rows:
                problems.append(f"extra: {row}")
    if fmt == "csv":
        # A plain CSV reader must see a header and one record per row, nothing more.
        with open(actual_path, newline="", encoding="utf-8") as f:
            records = list(csv.reader(f))
        if records[0] != expected_vars or len(records) - 1 != len(expected_rows):
            problems.append(f"csv module read {records[0]} and {len(records) - 1} records")
    if problems:
        print("\n".join(problems))
        sys.exit(1)
    print(f"{fmt}: {len(actual_rows)} rows as expected")


if __name__ == "__main__":
    main()
