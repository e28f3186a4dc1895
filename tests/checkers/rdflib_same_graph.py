"""Independent check: rdflib parses two RDF files (format from the extension) and says
whether the union of their graphs is isomorphic. Exit 0 when it is, 1 when not."""
import sys

from rdflib import ConjunctiveGraph, Graph
from rdflib.compare import isomorphic, to_isomorphic, graph_diff
from rdflib.util import guess_format


def union(path):
    fmt = guess_format(path) or ("nquads" if path.endswith(".nq") else None)
    dataset = ConjunctiveGraph()
    dataset.parse(path, format=fmt)
    graph = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


a, b = union(sys.argv[1]), union(sys.argv[2])
if isomorphic(a, b):
    print(f"isomorphic: {len(a)} triples")
    sys.exit(0)
_, only_a, only_b = graph_diff(to_isomorphic(a), to_isomorphic(b))
print(f"not isomorphic: {len(a)} vs {len(b)} triples")
for t in sorted(only_a)[:20]:
    print("only in first:", t)
for t in sorted(only_b)[:20]:
    print("only in second:", t)
sys.exit(1)
