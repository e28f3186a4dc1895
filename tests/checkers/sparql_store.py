"""Independent check of a SPARQL 1.1 Protocol endpoint: rdflib's SPARQLStore sends each
query in every way it knows (GET, POST of the query, POST of a form; asking for SPARQL XML
or JSON results; graphs, whose expected answer is a .ttl file, as RDF/XML) and each answer is compared with an expected answer
written by tipkg: SPARQL XML results for SELECT and ASK (rows compared as a multiset of
rdflib terms), Turtle for CONSTRUCT and DESCRIBE (graphs compared with
rdflib.compare.isomorphic).

usage: sparql_store.py ENDPOINT QUERY_FILE EXPECTED_FILE [QUERY_FILE EXPECTED_FILE]...
Exits 0 when every answer is the expected one, 1 otherwise.
"""

import sys

from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rdflib.query import Result


def rows(result):
    return sorted(
        tuple("" if value is None else value.n3() for value in row) for row in result
    )


def check(endpoint, method, return_format, query_path, expected_path):
    with open(query_path, encoding="utf-8") as f:
        query = f.read()
    store = SPARQLStore(endpoint, returnFormat=return_format, method=method)
    answer = Graph(store).query(query)
    if answer.type in ("CONSTRUCT", "DESCRIBE"):
        expected = Graph().parse(expected_path, format="turtle")
        if not isomorphic(answer.graph, expected):
            return f"graphs differ: {len(answer.graph)} vs {len(expected)} triples"
        return None
    with open(expected_path, "rb") as f:
        expected = Result.parse(f, format="xml")
    if answer.type == "ASK":
        if answer.askAnswer != expected.askAnswer:
            return f"ASK: {answer.askAnswer} vs {expected.askAnswer}"
        return None
    got, want = rows(answer), rows(expected)
    if [str(v) for v in answer.vars] != [str(v) for v in expected.vars] or got != want:
        return (
            f"variables {answer.vars} vs {expected.vars}; "
            f"only in the answer: {[r for r in got if r not in want][:5]}; "
            f"only expected: {[r for r in want if r not in got][:5]}"
        )
    return None


def main():
    endpoint, cases = sys.argv[1], sys.argv[2:]
    failed = False
    for query_path, expected_path in zip(cases[::2], cases[1::2]):
        for method in ("GET", "POST", "POST_FORM"):
            # A graph comes as RDF/XML; asking for JSON results only, rdflib gets a 406.
            formats = ("xml",) if expected_path.endswith(".ttl") else ("xml", "json")
            for return_format in formats:
                problem = check(endpoint, method, return_format, query_path, expected_path)
                if problem:
                    print(f"{query_path} {method} {return_format}: {problem}")
                    failed = True
    if not failed:
        print(f"{len(cases) // 2} queries, the same answers every way")
    sys.exit(1 if failed else 0)


main()
