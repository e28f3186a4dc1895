"""SPARQLWrapper, a client of its own, asks two SPARQL endpoints the same queries and
says whether they answer the same.

    sparqlwrapper_same.py ENDPOINT_A ENDPOINT_B

The queries are a SELECT over every named graph, an ASK and a CONSTRUCT, with SPARQL JSON
results and Turtle (read by rdflib through SPARQLWrapper). Prints one line per query;
exits 1 with the differences on stderr.
"""

import sys

from rdflib.compare import to_isomorphic
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

QUERIES = [
    ("select", JSON, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"),
    ("select", JSON, "PREFIX schema: <http://schema.org/> SELECT ?e ?name WHERE { ?e a schema:Event ; schema:name ?name }"),
    ("ask", JSON, "ASK { <https://w3id.org/tipkg/id/org/unicef> ?p ?o }"),
    ("construct", TURTLE, "CONSTRUCT { ?s ?p ?o } WHERE { ?s a <http://schema.org/Event> ; ?p ?o }"),
]


def answer(endpoint, kind, form, query):
    # Parameters in the endpoint's address (Oxigraph's `union-default-graph`) are given to
    # SPARQLWrapper as parameters, which it adds to each request.
    address, _, parameters = endpoint.partition("?")
    client = SPARQLWrapper(address)
    for name, _, value in (p.partition("=") for p in parameters.split("&") if p):
        client.addParameter(name, value)
    client.setQuery(query)
    client.setReturnFormat(form)
    result = client.query().convert()
    if kind == "select":
        variables = result["head"]["vars"]
        return sorted(
            tuple((v, row[v]["type"], row[v]["value"], row[v].get("datatype", "")) for v in variables if v in row)
            for row in result["results"]["bindings"]
        )
    if kind == "ask":
        return result["boolean"]
    from rdflib import Graph

    graph = Graph()
    graph.parse(data=result, format="turtle")
    return to_isomorphic(graph)


def main():
    first, second = sys.argv[1], sys.argv[2]
    problems = []
    for kind, form, query in QUERIES:
        a, b = answer(first, kind, form, query), answer(second, kind, form, query)
        size = len(a) if kind != "ask" else a
        print(f"{kind}: {size} from each" if a == b else f"{kind}: different")
        if kind == "select" and not a:
            problems.append(f"{query}: no rows")
        if a != b:
            problems.append(f"{query}:\n  {first}: {a}\n  {second}: {b}")
    for problem in problems:
        print(problem, file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
