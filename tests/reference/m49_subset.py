"""Writes data/reference/m49.csv: the columns of hdx-python-country's taxonomy that tipkg
reads (ISO 3166-1 alpha-3, M49 code, and the M49 region, sub-region and intermediate
region of every row, codes and English names), every row in the file's order.

    python3 tests/reference/m49_subset.py \
        "hdx/location/Countries & Territories Taxonomy MVP - C&T Taxonomy.csv" \
        data/reference/m49.csv
"""

import csv
import sys

COLUMNS = [
    ("ISO 3166-1 Alpha 3-Codes", "alpha3"),
    ("m49 numerical code", "m49"),
    ("Region Code", "region_code"),
    ("Region Name", "region_name"),
    ("Sub-region Code", "sub_region_code"),
    ("Sub-region Name", "sub_region_name"),
    ("Intermediate Region Code", "intermediate_region_code"),
    ("Intermediate Region Name", "intermediate_region_name"),
]


def main(source, target):
    with open(source, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    with open(target, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow([name for _, name in COLUMNS])
        for row in rows:
            out.writerow([row[column] for column, _ in COLUMNS])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
