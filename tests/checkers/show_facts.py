"""Independent check of `tipkg show --format json`: rdflib reads the whole graph (N-Quads)
and lists every quad whose subject or object is the entity; the JSON's facts must be
exactly those, each with its direction, property, other end (IRI, or literal value with
its datatype and language) and graph; literal values must be JSON numbers for numeric
datatypes and the lexical form otherwise. Exit 0 when they match, 1 when not.

Usage: show_facts.py GRAPH.nq SHOW.json"""
import json
import sys
from decimal import Decimal

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import XSD

NUMERIC = {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.int, XSD.long}


def literal_key(literal):
    datatype = str(literal.datatype) if literal.datatype else (
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
        if literal.language
        else "http://www.w3.org/2001/XMLSchema#string"
    )
    if literal.datatype in NUMERIC:
        value = Decimal(str(literal))
    else:
        value = str(literal)
    return ("literal", value, datatype, literal.language)


def json_key(value):
    if value["type"] == "iri":
        return ("iri", value["iri"])
    if value["type"] == "literal":
        v = value["value"]
        if isinstance(v, bool):
            raise SystemExit(f"unexpected boolean {v}")
        if isinstance(v, (int, float)):
            v = Decimal(str(v))
        return ("literal", v, value["datatype"], value["language"])
    raise SystemExit(f"unexpected value {value}")


graph_path, show_path = sys.argv[1:3]
dataset = Dataset()
dataset.parse(graph_path, format="nquads")
description = json.load(open(show_path, encoding="utf-8"))
entity = URIRef(description["iri"])

expected = set()
for s, p, o, g in dataset.quads((None, None, None, None)):
    graph = str(getattr(g, "identifier", g))
    if s == entity:
        other = literal_key(o) if isinstance(o, Literal) else ("iri", str(o))
        expected.add(("outgoing", str(p), other, graph))
    if o == entity:
        expected.add(("incoming", str(p), ("iri", str(s)), graph))

actual = set()
for fact in description["facts"]:
    actual.add((fact["direction"], fact["property"], json_key(fact["value"]), fact["graph"]))

if len(actual) != len(description["facts"]):
    print(f"{len(description['facts'])} facts, {len(actual)} distinct")
    sys.exit(1)
missing, extra = sorted(expected - actual, key=str), sorted(actual - expected, key=str)
for fact in missing[:10]:
    print("  only in the graph:", fact)
for fact in extra[:10]:
    print("  only in the description:", fact)
if missing or extra:
    sys.exit(1)
print(f"same facts: {len(actual)}")
