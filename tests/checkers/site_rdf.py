"""Independent check of a static site's documents: every doc/**/*.ttl, with its .jsonld
and .nt siblings, parses with rdflib, and the three hold the same graph (JSON-LD's named
graphs merged, as Turtle and N-Triples merge them).

usage: site_rdf.py DIR
Prints the number of things checked; exits 1 with the differences on stderr.
"""

import sys
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.compare import isomorphic


def merged(path, fmt):
    dataset = Dataset()
    dataset.parse(path, format=fmt)
    graph = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


problems = []
things = 0
for turtle in sorted(Path(sys.argv[1], "doc").rglob("*.ttl")):
    stem = turtle.with_suffix("")
    reference = merged(str(stem) + ".nt", "nt")
    if len(reference) == 0:
        problems.append(f"{stem}.nt: no triples")
    for suffix, fmt in ((".ttl", "turtle"), (".jsonld", "json-ld")):
        graph = merged(str(stem) + suffix, fmt)
        if not isomorphic(graph, reference):
            problems.append(
                f"{stem}{suffix}: {len(graph)} triples, not the {len(reference)} of the .nt"
            )
    things += 1
print(f"{things} things")
for problem in problems:
    print(problem, file=sys.stderr)
sys.exit(1 if problems else 0)
