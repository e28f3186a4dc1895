"""Independent check: pySHACL validates RDF files against a shapes file, on the same data
graph tipkg validates (the union of every graph of the files, without the ontology and dataset graphs),
and prints its results as JSON, one object per result, sorted:
{"conforms": bool, "results": [{"focus", "path", "severity", "component", "value"}]}.
Exit 0 when the data conforms, 1 when it does not, 2 when a file does not parse.

Usage: pyshacl_report.py SHAPES DATA [DATA...]"""
import json
import sys

from pyshacl import validate
from rdflib import Dataset, Graph, Namespace, URIRef
from rdflib.util import guess_format

SH = Namespace("http://www.w3.org/ns/shacl#")
# Graphs no source states: the ontology, and the description of the dataset computed
# from the rest.
LEFT_OUT = {
    URIRef("https://w3id.org/tipkg/graph/ontology"),
    URIRef("https://w3id.org/tipkg/graph/dataset"),
}


def data_graph(paths):
    graph = Graph()
    for path in paths:
        fmt = guess_format(path) or ("nquads" if path.endswith(".nq") else None)
        dataset = Dataset(default_union=False)
        dataset.parse(path, format=fmt)
        for s, p, o, g in dataset.quads((None, None, None, None)):
            if g not in LEFT_OUT:
                graph.add((s, p, o))
    return graph


def term(node):
    if node is None:
        return None
    return node.n3()


def main():
    shapes_path, data_paths = sys.argv[1], sys.argv[2:]
    try:
        shapes = Graph().parse(shapes_path, format="turtle")
        data = data_graph(data_paths)
    except Exception as error:  # a parse error must not look like "does not conform"
        print(f"error: {error}", file=sys.stderr)
        return 2
    _, report, _ = validate(
        data,
        shacl_graph=shapes,
        inference="none",
        advanced=False,
        allow_warnings=False,
    )
    results = []
    for result in report.subjects(SH.resultSeverity, None):
        results.append(
            {
                "focus": term(report.value(result, SH.focusNode)),
                "path": term(report.value(result, SH.resultPath)),
                "severity": report.value(result, SH.resultSeverity).split("#")[-1],
                "component": report.value(result, SH.sourceConstraintComponent).split("#")[-1],
                "value": term(report.value(result, SH.value)),
            }
        )
    results.sort(key=lambda r: json.dumps(r, sort_keys=True))
    print(json.dumps({"conforms": not results, "results": results}, indent=1, sort_keys=True))
    return 0 if not results else 1


if __name__ == "__main__":
    sys.exit(main())
