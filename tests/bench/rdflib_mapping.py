"""The Python peer of `tipkg export --data DIR --format nquads`: the same curated TOML
records mapped with rdflib onto the same IRIs and vocabularies, one named graph per source,
serialised as N-Quads. It covers the record kinds the benchmark generator writes
(organisations, events with participants, projects, works, observations, concepts,
sources); it does no checking, so it is a generous peer.

usage: rdflib_mapping.py DATA_DIR OUT.nq
"""

import sys
import tomllib
from pathlib import Path

from rdflib import Dataset, Literal, Namespace, URIRef
from rdflib.namespace import PROV, RDF, SKOS, XSD, DCTERMS

BASE = "https://w3id.org/tipkg/"
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")
CONCEPT = Namespace(BASE + "concept/")
TIPKG = Namespace(BASE + "ontology#")
SCHEMA = Namespace("http://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
QB = Namespace("http://purl.org/linked-data/cube#")
SDMX_M = Namespace("http://purl.org/linked-data/sdmx/2009/measure#")
SDMX_A = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
UNIT = Namespace("http://qudt.org/vocab/unit/")

ORG_KIND = {"formal": ORG.FormalOrganization, "unit": ORG.OrganizationalUnit,
            "collaboration": ORG.OrganizationalCollaboration, "council": TIPKG.Council}


def main(data_dir: Path, out: Path) -> None:
    ds = Dataset()
    concept_scheme = {}
    records = {"organisation": [], "event": [], "project": [], "work": [],
               "observation": [], "concept": [], "scheme": [], "grant": [], "country": []}
    for path in sorted(data_dir.rglob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        if path.parent.name == "sources":
            src = data["source"]
            g = ds.graph(GRAPH[src["id"]])
            s = ID["source/" + src["id"]]
            g.add((s, RDF.type, SCHEMA.NewsArticle))
            g.add((s, RDF.type, PROV.Entity))
            g.add((s, DCTERMS.title, Literal(src["title"], lang="en")))
            g.add((s, SKOS.prefLabel, Literal(src["title"], lang="en")))
            if "publisher" in src:
                g.add((s, SCHEMA.publisher, ID["org/" + src["publisher"]]))
            if "url" in src:
                g.add((s, SCHEMA.url, URIRef(src["url"])))
            g.add((s, SCHEMA.inLanguage, Literal(src["language"])))
            continue
        for kind in records:
            records[kind].extend(data.get(kind, []))
    for c in records["concept"]:
        if "scheme" in c:
            concept_scheme[c["id"]] = c["scheme"]

    def concept(slug):
        return CONCEPT[concept_scheme.get(slug, "topic") + "/" + slug]

    def graph_of(r):
        return ds.graph(GRAPH[r["source"]])

    def provenance(g, s, r):
        g.add((s, PROV.wasDerivedFrom, ID["source/" + r["source"]]))

    def about(g, s, r):
        for t in r.get("about", []):
            g.add((s, DCTERMS.subject, concept(t)))

    def label(g, s, prop, text):
        g.add((s, prop, Literal(text, lang="en")))
        g.add((s, SKOS.prefLabel, Literal(text, lang="en")))

    for r in records["organisation"]:
        g, s = graph_of(r), ID["org/" + r["id"]]
        provenance(g, s, r)
        if "kind" in r:
            g.add((s, RDF.type, SCHEMA.Organization))
            g.add((s, RDF.type, ORG_KIND[r["kind"]]))
        if "name" in r:
            label(g, s, SCHEMA.name, r["name"])
        if "unit_of" in r:
            g.add((s, ORG.unitOf, ID["org/" + r["unit_of"]]))
            g.add((ID["org/" + r["unit_of"]], ORG.hasUnit, s))
        if "website" in r:
            g.add((s, SCHEMA.url, URIRef(r["website"])))
        about(g, s, r)
    for r in records["event"]:
        g, s = graph_of(r), ID["event/" + r["id"]]
        provenance(g, s, r)
        g.add((s, RDF.type, SCHEMA.Event))
        if "name" in r:
            label(g, s, SCHEMA.name, r["name"])
        if "start" in r:
            g.add((s, SCHEMA.startDate, Literal(r["start"], datatype=XSD.date)))
        if "attendance" in r:
            g.add((s, SCHEMA.eventAttendanceMode, SCHEMA.OnlineEventAttendanceMode))
        if "organiser" in r:
            g.add((s, SCHEMA.organizer, ID["org/" + r["organiser"]]))
        for c in r.get("collaborators", []):
            g.add((s, SCHEMA.contributor, ID["org/" + c]))
        about(g, s, r)
        for i, p in enumerate(r.get("participant", [])):
            ps = ID["participation/" + r["id"] + "/" + p["organisation"]]
            g.add((s, TIPKG.participation, ps))
            g.add((s, TIPKG.participant, ID["org/" + p["organisation"]]))
            g.add((ps, RDF.type, TIPKG.Participation))
            g.add((ps, TIPKG.agent, ID["org/" + p["organisation"]]))
            g.add((ps, TIPKG.role, CONCEPT["role/" + p["role"]]))
            for w in p.get("presented", []):
                g.add((ps, TIPKG.presented, ID["project/" + w]))
    for r in records["project"]:
        g, s = graph_of(r), ID["project/" + r["id"]]
        provenance(g, s, r)
        g.add((s, RDF.type, SCHEMA.Project))
        if "name" in r:
            label(g, s, SCHEMA.name, r["name"])
        if "implementer" in r:
            g.add((s, TIPKG.implementedBy, ID["org/" + r["implementer"]]))
        for f in r.get("funders", []):
            g.add((s, SCHEMA.funder, ID["org/" + f]))
        for c in r.get("countries", []):
            g.add((s, SCHEMA.areaServed, ID["country/" + c]))
        for a in r.get("assistance", []):
            g.add((s, TIPKG.assistanceType, CONCEPT["assistance/" + a]))
        if "start" in r:
            g.add((s, SCHEMA.startDate, Literal(r["start"], datatype=XSD.date)))
        about(g, s, r)
    for r in records["work"]:
        g, s = graph_of(r), ID["work/" + r["id"]]
        provenance(g, s, r)
        g.add((s, RDF.type, SCHEMA.Report))
        g.add((s, RDF.type, SCHEMA.CreativeWork))
        if "title" in r:
            label(g, s, DCTERMS.title, r["title"])
        if "publisher" in r:
            g.add((s, SCHEMA.publisher, ID["org/" + r["publisher"]]))
        if "published" in r:
            g.add((s, SCHEMA.datePublished, Literal(r["published"], datatype=XSD.date)))
        about(g, s, r)
    for r in records["observation"]:
        g, s = graph_of(r), ID["observation/" + r["id"]]
        provenance(g, s, r)
        g.add((s, RDF.type, QB.Observation))
        g.add((s, QB.dataSet, ID["statistics/victim-shares"]))
        g.add((s, SKOS.prefLabel, Literal(r["label"], lang="en")))
        g.add((s, SDMX_M.obsValue, Literal(str(r["value"]), datatype=XSD.decimal)))
        g.add((s, SDMX_A.unitMeasure, UNIT.PERCENT))
        g.add((s, TIPKG.population, CONCEPT["population/" + r["population"]]))
        g.add((s, TIPKG.populationGroup, CONCEPT["population/" + r["group"]]))
        if "primary_source" in r:
            g.add((s, PROV.hadPrimarySource, ID["work/" + r["primary_source"]]))
    for r in records["concept"]:
        g, s = graph_of(r), concept(r["id"])
        provenance(g, s, r)
        g.add((s, RDF.type, SKOS.Concept))
        if "scheme" in r:
            g.add((s, SKOS.inScheme, CONCEPT[r["scheme"]]))
        if "label" in r:
            g.add((s, SKOS.prefLabel, Literal(r["label"], lang="en")))
        for b in r.get("broader", []):
            g.add((s, SKOS.broader, concept(b)))
            g.add((concept(b), SKOS.narrower, s))
    with open(out, "wb") as f:
        ds.serialize(destination=f, format="nquads")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
