//! The bundled graph: golden mapping, declared terms, labels and sources on every entity,
//! verbatim quotes, the article's facts, and round trips through Oxigraph and rdflib.

use crate::support::*;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, Quad, Term, Triple};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use std::collections::{BTreeSet, HashSet};
use tipkg::model::load::DataRoot;
use tipkg::store::KnowledgeGraph;

fn bundled() -> KnowledgeGraph {
    tipkg::mapping::build_quads(&DataRoot::Bundled)
        .and_then(KnowledgeGraph::from_quads)
        .expect("the bundled data builds")
}

fn select(graph: &KnowledgeGraph, query: &str) -> Vec<Vec<String>> {
    let mut prepared = SparqlEvaluator::new()
        .parse_query(query)
        .expect("query parses");
    prepared.dataset_mut().set_default_graph_as_union();
    let QueryResults::Solutions(solutions) = prepared.on_store(graph.store()).execute().unwrap()
    else {
        panic!("not a SELECT")
    };
    let variables = solutions.variables().to_vec();
    let mut rows: Vec<Vec<String>> = solutions
        .map(|s| {
            let s = s.unwrap();
            variables
                .iter()
                .map(|v| match s.get(v) {
                    Some(Term::Literal(l)) => l.value().to_owned(),
                    Some(Term::NamedNode(n)) => n.as_str().to_owned(),
                    Some(other) => other.to_string(),
                    None => String::new(),
                })
                .collect()
        })
        .collect();
    rows.sort();
    rows
}

#[test]
fn mapping_matches_the_golden_file() {
    let graph = bundled();
    let mut lines: Vec<String> = graph
        .sorted_quads()
        .unwrap()
        .iter()
        .map(|q| format!("{q} .\n"))
        .collect();
    lines.sort();
    expect_file("tests/golden/graph.nq", &lines.concat());
}

#[test]
fn the_same_build_gives_the_same_bytes() {
    assert_eq!(
        ok(&["export", "--format", "nquads"]),
        ok(&["export", "--format", "nquads"])
    );
}

#[test]
fn no_blank_nodes_and_no_default_graph() {
    let graph = bundled();
    assert!(graph.is_default_graph_empty().unwrap());
    for quad in graph.sorted_quads().unwrap() {
        assert!(!quad.subject.is_blank_node(), "{quad}");
        assert!(!quad.object.is_blank_node(), "{quad}");
    }
}

#[test]
fn every_project_term_is_declared_in_the_ontology() {
    let graph = bundled();
    let used = select(
        &graph,
        "SELECT DISTINCT ?t WHERE {
           GRAPH ?g { { ?s ?t ?o } UNION { ?s a ?t } UNION { ?s ?p ?t } }
           FILTER(?g != <https://w3id.org/tipkg/graph/ontology>)
           FILTER(isIRI(?t) && STRSTARTS(STR(?t), 'https://w3id.org/tipkg/ontology#'))
         }",
    );
    assert!(!used.is_empty());
    let declared = select(
        &graph,
        "SELECT DISTINCT ?t WHERE { GRAPH <https://w3id.org/tipkg/graph/ontology> {
           ?t a ?kind ; <http://www.w3.org/2000/01/rdf-schema#label> ?l ;
              <http://www.w3.org/2000/01/rdf-schema#comment> ?c } }",
    );
    for term in used {
        assert!(
            declared.contains(&term),
            "{} is used but not declared with a label and comment",
            term[0]
        );
    }
}

#[test]
fn ontology_refines_standard_terms_and_has_a_header() {
    let graph = bundled();
    let header = select(
        &graph,
        "PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX owl: <http://www.w3.org/2002/07/owl#>
         SELECT ?title ?version ?licence ?creator WHERE {
           ?o a owl:Ontology ; dcterms:title ?title ; owl:versionIRI ?version ;
              dcterms:license ?licence ; dcterms:creator ?creator ; dcterms:description ?d }",
    );
    assert_eq!(header.len(), 1, "{header:?}");
    let refining = select(
        &graph,
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
         SELECT (COUNT(*) AS ?n) WHERE { ?t rdfs:subClassOf|rdfs:subPropertyOf ?super
           FILTER(!STRSTARTS(STR(?super), 'https://w3id.org/tipkg/')) }",
    );
    assert!(refining[0][0].parse::<u32>().unwrap() >= 10, "{refining:?}");
}

/// Every entity of a source's graph; the ontology and the description of the dataset (which
/// is computed from the graph, not stated by a source) are not sources' graphs.
#[test]
fn every_entity_has_a_label_and_a_source() {
    let graph = bundled();
    let unlabelled = select(
        &graph,
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
         SELECT DISTINCT ?s WHERE { GRAPH ?g { ?s a ?c }
           FILTER(?g NOT IN (<https://w3id.org/tipkg/graph/ontology>, <https://w3id.org/tipkg/graph/dataset>))
           FILTER NOT EXISTS { ?s skos:prefLabel ?l } }",
    );
    assert!(
        unlabelled.is_empty(),
        "entities without skos:prefLabel: {unlabelled:?}"
    );
    let unsourced = select(
        &graph,
        "PREFIX prov: <http://www.w3.org/ns/prov#>
         SELECT DISTINCT ?s ?g WHERE { GRAPH ?g { ?s ?p ?o }
           FILTER(?g NOT IN (<https://w3id.org/tipkg/graph/ontology>, <https://w3id.org/tipkg/graph/dataset>))
           FILTER(!STRSTARTS(STR(?s), 'https://w3id.org/tipkg/id/source/'))
           FILTER NOT EXISTS { GRAPH ?g { ?s prov:wasDerivedFrom ?src } }
           FILTER NOT EXISTS { GRAPH ?g { ?s0 ?p0 ?s } } }",
    );
    assert!(
        unsourced.is_empty(),
        "subjects without a source in their graph: {unsourced:?}"
    );
}

#[test]
fn each_graph_holds_only_its_own_source() {
    let graph = bundled();
    let rows = select(
        &graph,
        "PREFIX prov: <http://www.w3.org/ns/prov#>
         SELECT DISTINCT ?g ?src WHERE { GRAPH ?g { ?s prov:wasDerivedFrom ?src } }",
    );
    for row in rows {
        let graph_slug = row[0].rsplit('/').next().unwrap();
        let source_slug = row[1].rsplit('/').next().unwrap();
        assert_eq!(graph_slug, source_slug, "{row:?}");
    }
}

#[test]
fn every_quote_occurs_verbatim_in_its_source_text() {
    let graph = bundled();
    let rows = select(
        &graph,
        "PREFIX schema: <http://schema.org/> PREFIX tipkg: <https://w3id.org/tipkg/ontology#>
         PREFIX prov: <http://www.w3.org/ns/prov#>
         SELECT ?quote ?text WHERE { GRAPH ?g { ?s tipkg:evidenceQuote ?quote ; prov:wasDerivedFrom ?src .
           ?src schema:text ?text } }",
    );
    assert!(
        rows.len() >= 20,
        "expected the article's quotes, found {}",
        rows.len()
    );
    for row in rows {
        assert!(
            row[1].contains(&row[0]),
            "quote not in its source: {}",
            row[0]
        );
    }
}

#[test]
fn the_article_facts_are_in_its_graph() {
    let graph = bundled();
    let article = "<https://w3id.org/tipkg/graph/icat-2023-06-access-to-justice-for-children>";
    let prefixes = "PREFIX schema: <http://schema.org/> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX tipkg: <https://w3id.org/tipkg/ontology#> PREFIX org: <http://www.w3.org/ns/org#>
        PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
        PREFIX sdmx-attribute: <http://purl.org/linked-data/sdmx/2009/attribute#> ";
    let q = |body: &str| select(&graph, &format!("{prefixes} {body}"));
    // Who organised the discussion, with whom, when and how.
    assert_eq!(
        q(&format!("SELECT ?org ?with ?date ?mode WHERE {{ GRAPH {article} {{ ?e schema:organizer/skos:altLabel ?org ;
            tipkg:collaborator/skos:altLabel ?with ; schema:startDate ?date ; schema:eventAttendanceMode ?mode }} }}")),
        vec![vec!["ICAT".to_owned(), "UNICEF".to_owned(), "2023-06-19".to_owned(), "http://schema.org/OnlineEventAttendanceMode".to_owned()]]
    );
    // The 35% statistic, its unit, population and primary source with its publisher.
    assert_eq!(
        q(&format!(
            "SELECT ?v ?unit ?pop ?group ?report ?publisher WHERE {{ GRAPH {article} {{
            ?o sdmx-measure:obsValue ?v ; sdmx-attribute:unitMeasure ?unit ; tipkg:population ?p ;
               tipkg:populationGroup ?gr ; prov:hadPrimarySource ?r }}
            ?p skos:prefLabel ?pop . ?gr skos:prefLabel ?group . ?r schema:name ?report ;
               schema:publisher/skos:altLabel ?publisher }}"
        )),
        vec![vec![
            "35".to_owned(),
            "http://qudt.org/vocab/unit/PERCENT".to_owned(),
            "identified victims of trafficking".to_owned(),
            "children".to_owned(),
            "Global Report on Trafficking in Persons 2022".to_owned(),
            "UNODC".to_owned()
        ]]
    );
    // The 13 Disrupting Harm countries.
    let countries = q(&format!(
        "SELECT ?name WHERE {{ GRAPH {article} {{ ?p schema:name \"Disrupting Harm\"@en ;
        schema:areaServed ?c }} ?c skos:prefLabel ?name }}"
    ));
    assert_eq!(countries.len(), 13, "{countries:?}");
    assert!(countries.contains(&vec!["Viet Nam".to_owned()]));
    // LUPTA: presented by IOM Romania, a unit of IOM, six kinds of assistance.
    let lupta = q(&format!("SELECT ?org ?parent (COUNT(DISTINCT ?a) AS ?kinds) WHERE {{ GRAPH {article} {{
        ?part tipkg:presented ?p ; tipkg:participant ?o . ?p skos:altLabel \"LUPTA\"@en ; tipkg:assistanceType ?a }}
        ?o schema:name ?org ; org:unitOf/skos:altLabel ?parent }} GROUP BY ?org ?parent"));
    assert_eq!(
        lupta,
        vec![vec![
            "IOM Romania".to_owned(),
            "IOM".to_owned(),
            "6".to_owned()
        ]]
    );
    // Panelists and presenters.
    let speakers = q(&format!("SELECT DISTINCT ?org WHERE {{ GRAPH {article} {{ ?e schema:performer ?o }}
        ?o skos:altLabel|schema:name ?org FILTER(?org IN (\"ISTAC\"@en, \"ECPAT\"@en, \"IOM Romania\"@en)) }}"));
    assert_eq!(speakers.len(), 3, "{speakers:?}");
    // Groups at risk.
    let at_risk = q(&format!(
        "SELECT ?group WHERE {{ GRAPH {article} {{ ?g tipkg:atRiskOf ?t }} ?g skos:prefLabel ?group }}"
    ));
    assert_eq!(
        at_risk,
        vec![
            vec!["displaced children".to_owned()],
            vec!["migrant children".to_owned()]
        ]
    );
    // The recording, and the agenda the discussion was based on with its publisher.
    let based = q(&format!("SELECT ?agenda ?publisher ?rec WHERE {{ GRAPH {article} {{ ?e tipkg:basedOn ?a ; schema:recordedIn ?rec }}
        ?a schema:name ?agenda ; schema:publisher/skos:altLabel ?publisher }}"));
    assert_eq!(based.len(), 1);
    assert_eq!(based[0][0], "Reimagine Justice for Children Agenda");
    assert_eq!(based[0][1], "UNICEF");
}

#[test]
fn disagreeing_sources_both_stay_with_a_preferred_rank() {
    let graph = bundled();
    let rows = select(
        &graph,
        "PREFIX schema: <http://schema.org/> PREFIX tipkg: <https://w3id.org/tipkg/ontology#>
         SELECT ?g ?value ?rank WHERE { GRAPH ?g { ?grant schema:amount ?a . ?a schema:value ?value }
           ?a tipkg:rank ?rank }",
    );
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(
        rows.iter()
            .any(|r| r[1] == "6600000" && r[2].ends_with("PreferredRank")),
        "{rows:?}"
    );
    assert!(
        rows.iter()
            .any(|r| r[1] == "7000000" && r[2].ends_with("NormalRank")),
        "{rows:?}"
    );
}

#[test]
fn statistics_carry_period_and_coverage_in_the_graph_of_the_source_that_states_them() {
    let graph = bundled();
    let rows = select(
        &graph,
        "PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
         PREFIX tipkg: <https://w3id.org/tipkg/ontology#>
         SELECT ?g ?o ?p ?value WHERE { GRAPH ?g { ?o ?p ?value }
           VALUES ?p { sdmx-dimension:refPeriod tipkg:countriesCovered } }",
    );
    let graph_ = |slug: &str| format!("https://w3id.org/tipkg/graph/{slug}");
    let observation = |slug: &str| format!("https://w3id.org/tipkg/id/observation/{slug}");
    assert_eq!(
        rows,
        [
            vec![
                graph_("reuters-2024-12-11-human-trafficking-rises"),
                observation("glotip-2022-child-share"),
                "http://purl.org/linked-data/sdmx/2009/dimension#refPeriod".to_owned(),
                "2020".to_owned(),
            ],
            vec![
                graph_("unodc-glotip-2024-launch"),
                observation("glotip-2024-child-share"),
                "https://w3id.org/tipkg/ontology#countriesCovered".to_owned(),
                "156".to_owned(),
            ],
        ]
    );
}

#[test]
fn only_verified_wikidata_items_are_linked() {
    let graph = bundled();
    let rows = select(
        &graph,
        "PREFIX schema: <http://schema.org/> SELECT ?s ?q WHERE { ?s schema:sameAs ?q
           FILTER(STRSTARTS(STR(?q), 'http://www.wikidata.org/entity/')) }",
    );
    let verified: BTreeSet<&str> = [
        "Q740308", "Q8475", "Q81299", "Q424", "Q115", "Q252", "Q114", "Q833", "Q1029", "Q1030",
        "Q928", "Q258", "Q924", "Q869", "Q1036", "Q881", "Q218",
    ]
    .into();
    assert_eq!(rows.len(), verified.len());
    for row in rows {
        assert!(
            verified.contains(row[1].rsplit('/').next().unwrap()),
            "{row:?}"
        );
    }
}

fn parse(text: &str, format: RdfFormat) -> HashSet<Triple> {
    RdfParser::from_format(format)
        .for_slice(text.as_bytes())
        .map(|q| Triple::from(q.expect("export parses")))
        .collect()
}

#[test]
fn turtle_and_nquads_hold_the_same_graph() {
    let turtle = parse(&ok(&["export", "--format", "turtle"]), RdfFormat::Turtle);
    let nquads = parse(&ok(&["export", "--format", "nquads"]), RdfFormat::NQuads);
    let ntriples = parse(
        &ok(&["export", "--format", "ntriples"]),
        RdfFormat::NTriples,
    );
    let trig = parse(&ok(&["export", "--format", "trig"]), RdfFormat::TriG);
    assert!(turtle.len() > 1000);
    assert_eq!(turtle, nquads);
    assert_eq!(turtle, ntriples);
    assert_eq!(turtle, trig);
    let quads: HashSet<Quad> = RdfParser::from_format(RdfFormat::TriG)
        .for_slice(ok(&["export", "--format", "trig"]).as_bytes())
        .map(Result::unwrap)
        .collect();
    assert!(
        quads
            .iter()
            .all(|q| q.graph_name != GraphName::DefaultGraph)
    );
}

#[test]
fn rdflib_reads_the_same_graph_from_turtle_and_nquads() {
    let dir = temp_dir();
    let turtle = dir.path().join("graph.ttl");
    let nquads = dir.path().join("graph.nq");
    ok(&[
        "export",
        "--format",
        "turtle",
        "-o",
        turtle.to_str().unwrap(),
    ]);
    ok(&[
        "export",
        "--format",
        "nquads",
        "-o",
        nquads.to_str().unwrap(),
    ]);
    let args: [&std::path::Path; 4] = [&turtle, "turtle".as_ref(), &nquads, "--merge".as_ref()];
    let Some(output) = python_checker("rdflib_isomorphic.py", &args) else {
        return;
    };
    assert!(
        output.status.success(),
        "rdflib: {}{}",
        stdout(&output),
        stderr(&output)
    );
    assert!(
        stdout(&output).contains("isomorphic"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn the_graphs_regions_agree_with_the_m49_file() {
    let graph = bundled();
    let rows = select(
        &graph,
        "PREFIX schema: <http://schema.org/>
         PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
         PREFIX tipkg: <https://w3id.org/tipkg/ontology#>
         SELECT ?country ?level ?name ?code ?parent WHERE {
           ?c a schema:Country ; tipkg:isoAlpha3 ?country .
           OPTIONAL {
             VALUES (?p ?level) {
               (tipkg:m49Region 'region') (tipkg:m49SubRegion 'sub-region')
               (tipkg:m49IntermediateRegion 'intermediate region')
             }
             ?c ?p ?r . ?r skos:prefLabel ?name ; tipkg:m49Code ?code .
             OPTIONAL { ?r schema:containedInPlace/tipkg:m49Code ?parent }
           }
         }",
    );
    let countries: BTreeSet<String> = rows.iter().map(|r| r[0].clone()).collect();
    assert!(countries.len() > 10, "{countries:?}");
    // What the file says of the same countries: each level's name and three-digit code, and
    // the code of the level above it.
    let text = std::fs::read_to_string(root().join("data/reference/m49.csv")).unwrap();
    let mut file = csv::Reader::from_reader(text.as_bytes());
    let mut expected: Vec<Vec<String>> = Vec::new();
    for record in file.records() {
        let record = record.unwrap();
        if !countries.contains(&record[0]) {
            continue;
        }
        let code = |i: usize| format!("{:03}", record[i].parse::<u16>().unwrap());
        let mut parent = String::new();
        for (level, i) in [("region", 2), ("sub-region", 4), ("intermediate region", 6)] {
            if record[i].is_empty() {
                continue;
            }
            expected.push(vec![
                record[0].to_owned(),
                level.to_owned(),
                record[i + 1].to_owned(),
                code(i),
                parent,
            ]);
            parent = code(i);
        }
    }
    expected.sort();
    let found: Vec<_> = rows.into_iter().filter(|r| !r[1].is_empty()).collect();
    assert_eq!(found, expected);
    let in_file: BTreeSet<String> = expected.iter().map(|r| r[0].clone()).collect();
    assert_eq!(
        in_file, countries,
        "every country of the graph has its regions"
    );

    // Kenya → Eastern Africa (014) → Sub-Saharan Africa (202) → Africa (002).
    let chain = select(
        &graph,
        "PREFIX schema: <http://schema.org/>
         PREFIX tipkg: <https://w3id.org/tipkg/ontology#>
         SELECT ?a ?b ?c WHERE {
           <https://w3id.org/tipkg/id/country/KEN> tipkg:m49IntermediateRegion ?i .
           ?i tipkg:m49Code ?a ; schema:containedInPlace ?s .
           ?s tipkg:m49Code ?b ; schema:containedInPlace ?r .
           ?r tipkg:m49Code ?c .
           FILTER(?i = <https://w3id.org/tipkg/id/region/eastern-africa>
             && ?s = <https://w3id.org/tipkg/id/region/sub-saharan-africa>
             && ?r = <https://w3id.org/tipkg/id/region/africa>)
           FILTER NOT EXISTS { ?r schema:containedInPlace ?any }
         }",
    );
    assert_eq!(chain, [["014", "202", "002"]]);
}
