"""Independent check: rdflib parses an export and a reference N-Quads file and says whether
they hold the same graph. With --merge the named graphs of each are merged into one graph
(for triple formats); otherwise every named graph must match its namesake. Graphs are
compared with rdflib.compare.isomorphic. Exit 0 when they are the same, 1 when not.

Usage: rdflib_isomorphic.py EXPORT RDFLIB_FORMAT REFERENCE.nq [--merge]"""
import sys

from rdflib import Dataset, Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID


def graphs(path, fmt, merge):
    dataset = Dataset()
    dataset.parse(path, format=fmt)
    result = {}
    for s, p, o, g in dataset.quads((None, None, None, None)):
        g = getattr(g, "identifier", g)
        name = "" if merge or g is None or g == DATASET_DEFAULT_GRAPH_ID else str(g)
        result.setdefault(name, Graph()).add((s, p, o))
    return result


export_path, fmt, reference_path = sys.argv[1:4]
merge = "--merge" in sys.argv[4:]
exported = graphs(export_path, fmt, merge)
reference = graphs(reference_path, "nquads", merge)
failed = False
for name in sorted(set(exported) | set(reference)):
    a, b = exported.get(name, Graph()), reference.get(name, Graph())
    if isomorphic(a, b):
        continue
    failed = True
    _, only_a, only_b = graph_diff(to_isomorphic(a), to_isomorphic(b))
    print(f"graph {name or '(default)'}: {len(a)} vs {len(b)} triples")
    for t in sorted(only_a)[:10]:
        print("  only in the export:", t)
    for t in sorted(only_b)[:10]:
        print("  only in the reference:", t)
if failed:
    sys.exit(1)
total = sum(len(g) for g in exported.values())
print(f"isomorphic: {len(exported)} graph(s), {total} triples")
