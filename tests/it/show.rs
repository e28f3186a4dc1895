//! `tipkg show` and the plain exports: what a user types resolves to one entity (or a clear
//! error), the description holds exactly the entity's facts in and out (checked against the
//! N-Quads export, and by rdflib), the JSON has the shape web developers rely on, the text
//! fits 80 columns, the RDF forms read back to the entity's quads, an on-disk store gives the
//! same answer; `export --format json` and `--format csv`.

use crate::support::*;
use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfParser};
use oxigraph::model::Triple;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use tipkg::export::Format;

const UNICEF: &str = "https://w3id.org/tipkg/id/org/unicef";
const GRANT: &str = "https://w3id.org/tipkg/id/grant/end-violence-fund-disrupting-harm";

fn json(args: &[&str]) -> Value {
    serde_json::from_str(&ok(args)).expect("show --format json prints JSON")
}

fn show_json(entity: &str) -> Value {
    json(&["show", entity, "--format", "json"])
}

/// The bundled graph's quads as N-Quads lines.
fn all_quads() -> Vec<String> {
    ok(&["export", "-q", "--format", "nquads"])
        .lines()
        .map(|l| l.trim_end_matches(" .").to_owned())
        .collect()
}

/// The quads with `iri` as subject or object, from the N-Quads export.
fn quads_of(iri: &str) -> BTreeSet<String> {
    let term = format!("<{iri}>");
    all_quads()
        .into_iter()
        .filter(|q| q.starts_with(&format!("{term} ")) || q.contains(&format!("> {term} <")))
        .collect()
}

fn failure(args: &[&str]) -> String {
    let output = run(args);
    assert_eq!(
        output.status.code(),
        Some(2),
        "tipkg {args:?}: {}{}",
        stdout(&output),
        stderr(&output)
    );
    assert!(stdout(&output).is_empty(), "{}", stdout(&output));
    stderr(&output)
}

#[test]
fn kind_slug_iri_prefixed_name_name_acronym_and_slug_show_the_same_entity() {
    let expected = show_json("org/unicef");
    assert_eq!(expected["iri"], UNICEF);
    for entity in [
        UNICEF,
        "organisation:unicef",
        "UNICEF",
        "unicef",
        "United Nations Children's Fund",
        "  united   nations children’s FUND ",
    ] {
        assert_eq!(show_json(entity), expected, "{entity}");
    }
    let project = show_json("disrupting HARM");
    assert_eq!(
        project["iri"],
        "https://w3id.org/tipkg/id/project/disrupting-harm"
    );
    assert_eq!(project["kind"], "project");
    assert_eq!(project["slug"], "disrupting-harm");
    let topic = show_json("topic/child-trafficking");
    assert_eq!(
        topic["iri"],
        "https://w3id.org/tipkg/concept/topic/child-trafficking"
    );
    assert_eq!(show_json("trafficking in children")["iri"], topic["iri"]);
    assert_eq!(
        show_json("concept/topic")["iri"],
        "https://w3id.org/tipkg/concept/topic"
    );
}

#[test]
fn a_near_miss_gets_a_suggestion_and_a_word_the_names_that_hold_it() {
    let error = failure(&["show", "UNICFE"]);
    assert!(
        error.contains(r#"no entity "UNICFE" in the graph; did you mean "UNICEF" (org/unicef)?"#),
        "{error}"
    );
    let error = failure(&["show", "org/unicfe"]);
    assert!(error.contains("did you mean org/unicef?"), "{error}");
    let error = failure(&["show", "https://w3id.org/tipkg/id/project/disrupting-harn"]);
    assert!(
        error.contains("did you mean project/disrupting-harm?"),
        "{error}"
    );
    let error = failure(&["show", "Reimagine"]);
    assert!(
        error.contains("things whose names contain it:")
            && error.contains("work/reimagine-justice-for-children")
            && error.contains("source/unicef-2021-11-15-reimagine-justice"),
        "{error}"
    );
    let error = failure(&["show", "qwxz"]);
    assert!(error.contains("give KIND/SLUG (org/unicef)"), "{error}");
    for line in error.lines() {
        assert!(line.chars().count() <= 200, "{line}");
    }
}

#[test]
fn a_name_two_things_bear_lists_them_and_exits_2() {
    let data = data_copy();
    let works = data.path().join("works.toml");
    let mut text = std::fs::read_to_string(&works).unwrap();
    text.push_str(
        "\n[[work]]\nid = \"disrupting-harm-reports\"\nsource = \"end-violence-disrupting-harm-usd-7m\"\nkind = \"series\"\ntitle = \"Disrupting Harm\"\npublisher = \"ecpat\"\n",
    );
    std::fs::write(&works, text).unwrap();
    let dir = data.path().to_str().unwrap();
    let error = failure(&["show", "--data", dir, "disrupting harm"]);
    assert!(
        error.contains(r#""disrupting harm" names 2 things; show one by its KIND/SLUG or IRI:"#),
        "{error}"
    );
    assert!(
        error.contains("project/disrupting-harm") && error.contains("work/disrupting-harm-reports"),
        "{error}"
    );
    // Written as the data writes it, the name is still two things' name.
    let error = failure(&["show", "--data", dir, "Disrupting Harm"]);
    assert!(error.contains("names 2 things"), "{error}");
    let work = json(&[
        "show",
        "--data",
        dir,
        "work/disrupting-harm-reports",
        "--format",
        "json",
    ]);
    assert_eq!(work["label"], "Disrupting Harm");
}

/// Every string under `iri`, `property`, `datatype`, `graph` or `source` keys is a full IRI.
fn assert_full_iris(value: &Value, path: &str) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                if matches!(
                    key.as_str(),
                    "iri" | "property" | "datatype" | "graph" | "source"
                ) && let Some(text) = v.as_str()
                {
                    assert!(
                        text.starts_with("https://") || text.starts_with("http://"),
                        "{path}.{key} is not a full IRI: {text}"
                    );
                }
                assert_full_iris(v, &format!("{path}.{key}"));
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                assert_full_iris(v, &format!("{path}[{i}]"));
            }
        }
        _ => {}
    }
}

/// The keys of a description, and which must hold arrays.
fn assert_description_shape(d: &Value) {
    for key in ["iri", "kind", "slug", "label"] {
        assert!(d.get(key).is_some(), "{key} missing in {d}");
    }
    for key in [
        "labels",
        "altLabels",
        "types",
        "identifiers",
        "sources",
        "facts",
    ] {
        assert!(d[key].is_array(), "{key} is not an array in {}", d["iri"]);
    }
    for source in d["sources"].as_array().unwrap() {
        assert!(source["evidence"].is_array() && source["types"].is_array());
        for key in [
            "graph",
            "iri",
            "slug",
            "title",
            "publisher",
            "published",
            "url",
            "site",
        ] {
            assert!(source.get(key).is_some(), "{key} missing in {source}");
        }
    }
    for fact in d["facts"].as_array().unwrap() {
        assert!(fact["evidence"].is_array(), "{fact}");
        assert!(
            matches!(fact["direction"].as_str(), Some("outgoing" | "incoming")),
            "{fact}"
        );
        for key in ["property", "propertyName", "graph", "source", "rank"] {
            assert!(fact.get(key).is_some(), "{key} missing in {fact}");
        }
        let value = &fact["value"];
        match value["type"].as_str() {
            Some("iri") => {
                for key in ["iri", "label", "kind", "slug", "part"] {
                    assert!(value.get(key).is_some(), "{key} missing in {value}");
                }
                if value["part"].is_object() {
                    assert_description_shape(&value["part"]);
                }
            }
            Some("literal") => {
                for key in ["value", "datatype", "language"] {
                    assert!(value.get(key).is_some(), "{key} missing in {value}");
                }
                let datatype = value["datatype"].as_str().unwrap();
                let numeric = ["integer", "decimal", "double"]
                    .iter()
                    .any(|t| datatype == format!("http://www.w3.org/2001/XMLSchema#{t}"));
                assert_eq!(value["value"].is_number(), numeric, "{value}");
                if datatype.ends_with("#date") || datatype.ends_with("#gYear") {
                    let text = value["value"].as_str().unwrap();
                    assert!(
                        text.len() >= 4 && text[..4].bytes().all(|b| b.is_ascii_digit()),
                        "{text}"
                    );
                }
            }
            other => panic!("unexpected value type {other:?} in {fact}"),
        }
    }
}

#[test]
fn the_json_has_a_fixed_shape_for_web_developers() {
    for entity in [
        "org/unicef",
        "grant/end-violence-fund-disrupting-harm",
        "observation/glotip-2022-child-share",
        "event/2023-06-19-access-to-justice-for-children",
        "country/ROU",
        "source/icat-2023-06-access-to-justice-for-children",
    ] {
        let d = show_json(entity);
        assert_description_shape(&d);
        assert_full_iris(&d, entity);
        // No prefixed names anywhere: nothing like `schema:name` outside literal text.
        let text = serde_json::to_string(&d).unwrap();
        for prefixed in [
            "\"schema:",
            "\"skos:",
            "\"tipkg:",
            "\"organisation:",
            "\"xsd:",
        ] {
            assert!(!text.contains(prefixed), "{entity}: {prefixed}");
        }
    }
    // Arrays stay arrays with one item; numbers are numbers; dates are ISO strings.
    let unicef = show_json("org/unicef");
    assert_eq!(unicef["altLabels"], serde_json::json!(["UNICEF"]));
    let observation = show_json("observation/glotip-2022-child-share");
    let value = observation["facts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["propertyName"] == "obsValue")
        .unwrap();
    assert_eq!(value["value"]["value"], serde_json::json!(35));
    let event = show_json("event/2023-06-19-access-to-justice-for-children");
    let start = event["facts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["propertyName"] == "startDate")
        .unwrap();
    assert_eq!(start["value"]["value"], "2023-06-19");
    assert_eq!(
        start["value"]["datatype"],
        "http://www.w3.org/2001/XMLSchema#date"
    );
}

#[test]
fn the_description_says_who_states_what_with_quotes_identifiers_and_ranks() {
    let unicef = show_json("org/unicef");
    let icat = unicef["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["slug"] == "icat-2023-06-access-to-justice-for-children")
        .expect("the ICAT article is a source of UNICEF's facts");
    assert_eq!(
        icat["title"],
        "ICAT holds discussion on strengthening access to justice for children"
    );
    assert_eq!(
        icat["publisher"]["iri"],
        "https://w3id.org/tipkg/id/org/icat"
    );
    assert_eq!(
        icat["url"],
        "https://icat.un.org/events/06-2023/icat-holds-discussion-strengthening-access-justice-children"
    );
    assert_eq!(
        icat["evidence"],
        serde_json::json!(["the United Nations Children’s Fund (UNICEF)"])
    );
    // The collaboration is stated by the event, with the event's quotes as evidence.
    let collaborator = unicef["facts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["propertyName"] == "collaborator")
        .unwrap();
    assert_eq!(collaborator["direction"], "incoming");
    assert_eq!(
        collaborator["value"]["iri"],
        "https://w3id.org/tipkg/id/event/2023-06-19-access-to-justice-for-children"
    );
    assert_eq!(collaborator["source"], icat["iri"]);
    assert!(
        collaborator["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .any(|q| q
                .as_str()
                .unwrap()
                .contains("in collaboration with the United Nations Children’s Fund")),
        "{collaborator}"
    );
    let identifiers: Vec<(String, String, String)> = unicef["identifiers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["scheme"].as_str().unwrap().to_owned(),
                i["value"].as_str().unwrap().to_owned(),
                i["url"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        identifiers,
        [
            (
                "iati".to_owned(),
                "XM-DAC-41122".to_owned(),
                "https://d-portal.org/ctrack.html?publisher=XM-DAC-41122".to_owned()
            ),
            (
                "wikidata".to_owned(),
                "Q740308".to_owned(),
                "https://www.wikidata.org/wiki/Q740308".to_owned()
            )
        ]
    );
    let interpol = show_json("org/interpol");
    assert!(
        interpol["identifiers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["scheme"] == "ror" && i["value"] == "02cyaqf66"),
        "{}",
        interpol["identifiers"]
    );

    // The two amounts of the grant, each with its source, rank and reason.
    let grant = show_json("grant/end-violence-fund-disrupting-harm");
    let amounts: Vec<&Value> = grant["facts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["propertyName"] == "amount")
        .collect();
    assert_eq!(amounts.len(), 2);
    for amount in amounts {
        let part = &amount["value"]["part"];
        let value = part["facts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["propertyName"] == "value")
            .unwrap();
        let rank = &amount["rank"];
        assert_eq!(
            rank["source"],
            "https://w3id.org/tipkg/id/source/tipkg-editorial"
        );
        match amount["source"].as_str().unwrap() {
            s if s.ends_with("usd-6-6m") => {
                assert_eq!(value["value"]["value"], serde_json::json!(6600000));
                assert_eq!(rank["label"], "preferred");
                assert!(rank["reason"].as_str().unwrap().contains("more precisely"));
            }
            s if s.ends_with("usd-7m") => {
                assert_eq!(value["value"]["value"], serde_json::json!(7000000));
                assert_eq!(rank["label"], "normal");
                assert_eq!(rank["iri"], "https://w3id.org/tipkg/ontology#NormalRank");
            }
            other => panic!("an amount from {other}"),
        }
    }
}

#[test]
fn a_fact_shows_the_quotes_that_state_it() {
    let d = show_json("event/2023-06-19-access-to-justice-for-children");
    let quotes_of = |property: &str| -> Vec<String> {
        d["facts"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["property"] == property && f["direction"] == "outgoing")
            .flat_map(|f| f["quotes"].as_array().cloned().unwrap_or_default())
            .map(|q| q.as_str().unwrap().to_owned())
            .collect()
    };
    let start = quotes_of("http://schema.org/startDate");
    assert_eq!(start.len(), 1, "{start:?}");
    assert!(
        start[0].starts_with("On 19 June, the Inter-Agency"),
        "{start:?}"
    );
    assert_eq!(quotes_of("http://schema.org/organizer"), start);
    let recorded = quotes_of("http://schema.org/recordedIn");
    assert_eq!(
        recorded,
        ["The recording of the session is available online here."]
    );
    // A fact that no quote states has none, and its JSON has no `quotes` key.
    let name = d["facts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["property"] == "http://schema.org/name")
        .unwrap();
    assert!(name.get("quotes").is_none(), "{name}");
}

#[test]
fn the_facts_are_exactly_the_quads_in_and_out() {
    for iri in [UNICEF, GRANT, "https://w3id.org/tipkg/id/source/wikidata"] {
        let d = show_json(iri);
        let facts: BTreeSet<String> = d["facts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let other = match f["value"]["type"].as_str().unwrap() {
                    "iri" => format!("<{}>", f["value"]["iri"].as_str().unwrap()),
                    _ => "literal".to_owned(),
                };
                let (s, o) = match f["direction"].as_str().unwrap() {
                    "outgoing" => (format!("<{iri}>"), other),
                    _ => (other, format!("<{iri}>")),
                };
                format!(
                    "{s} <{}> {o} <{}>",
                    f["property"].as_str().unwrap(),
                    f["graph"].as_str().unwrap()
                )
            })
            .collect();
        let expected: BTreeSet<String> = quads_of(iri)
            .into_iter()
            .map(|q| {
                // Literals compared by position only: the rdflib check compares values.
                let quad = RdfParser::from_format(RdfFormat::NQuads)
                    .for_slice(format!("{q} .\n").as_bytes())
                    .next()
                    .unwrap()
                    .unwrap();
                let object = if quad.object.is_literal() {
                    "literal".to_owned()
                } else {
                    quad.object.to_string()
                };
                format!(
                    "{} {} {object} {}",
                    quad.subject, quad.predicate, quad.graph_name
                )
            })
            .collect();
        assert_eq!(
            facts.len(),
            expected.len(),
            "{iri}: literal facts with the same position"
        );
        assert_eq!(facts, expected, "{iri}");
        assert_eq!(d["facts"].as_array().unwrap().len(), quads_of(iri).len());
    }
}

#[test]
fn rdflib_finds_the_same_facts_in_the_whole_graph() {
    let dir = temp_dir();
    let graph = dir.path().join("graph.nq");
    ok(&["export", "-q", "-o", graph.to_str().unwrap()]);
    for entity in [
        "org/unicef",
        "grant/end-violence-fund-disrupting-harm",
        "observation/glotip-2022-child-share",
        "event/2023-06-19-access-to-justice-for-children",
        "country/KEN",
    ] {
        let json = dir.path().join("show.json");
        ok(&["show", entity, "-o", json.to_str().unwrap()]);
        let Some(output) = python_checker("show_facts.py", &[&graph, &json]) else {
            return;
        };
        assert!(
            output.status.success() && stdout(&output).starts_with("same facts"),
            "rdflib, {entity}: {}{}",
            stdout(&output),
            stderr(&output)
        );
    }
}

#[test]
fn every_rdf_format_reads_back_to_exactly_the_entitys_quads() {
    let dir = temp_dir();
    for iri in [UNICEF, GRANT] {
        let quads = quads_of(iri);
        let triples: BTreeSet<String> = quads
            .iter()
            .map(|q| {
                let quad = RdfParser::from_format(RdfFormat::NQuads)
                    .for_slice(format!("{q} .\n").as_bytes())
                    .next()
                    .unwrap()
                    .unwrap();
                Triple::from(quad).to_string()
            })
            .collect();
        let reference = dir.path().join("reference.nq");
        std::fs::write(
            &reference,
            quads.iter().map(|q| format!("{q} .\n")).collect::<String>(),
        )
        .unwrap();
        for format in Format::ALL {
            let text = ok(&["show", iri, "--format", format.name(), "-q"]);
            let syntax = match format {
                Format::Turtle => RdfFormat::Turtle,
                Format::Ntriples => RdfFormat::NTriples,
                Format::Rdfxml => RdfFormat::RdfXml,
                Format::Nquads | Format::Canonical => RdfFormat::NQuads,
                Format::Trig => RdfFormat::TriG,
                Format::Jsonld => RdfFormat::JsonLd {
                    profile: JsonLdProfileSet::empty(),
                },
            };
            let parsed: BTreeSet<String> = RdfParser::from_format(syntax)
                .for_slice(text.as_bytes())
                .map(|q| {
                    let q = q.unwrap_or_else(|e| panic!("{}: {e}\n{text}", format.name()));
                    if format.is_quad_format() {
                        q.to_string()
                    } else {
                        Triple::from(q).to_string()
                    }
                })
                .collect();
            let expected = if format.is_quad_format() {
                &quads
            } else {
                &triples
            };
            assert_eq!(&parsed, expected, "{iri} as {}", format.name());

            // rdflib, independently, for the formats people use most.
            let rdflib = match format {
                Format::Turtle => "turtle",
                Format::Trig => "trig",
                Format::Jsonld => "json-ld",
                _ => continue,
            };
            let file = dir.path().join(format!("show.{}", format.extension()));
            std::fs::write(&file, &text).unwrap();
            let mut args: Vec<&Path> = vec![&file, Path::new(rdflib), &reference];
            if !format.is_quad_format() {
                args.push(Path::new("--merge"));
            }
            let Some(output) = python_checker("rdflib_isomorphic.py", &args) else {
                continue;
            };
            assert!(
                output.status.success(),
                "rdflib, {iri} as {}: {}{}",
                format.name(),
                stdout(&output),
                stderr(&output)
            );
        }
    }
    // A triple format says that it merged the graphs.
    let output = run(&["show", "org/unicef", "--format", "turtle"]);
    assert!(
        stderr(&output).contains("named graphs merged into one graph for Turtle"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn the_text_fits_80_columns_and_groups_the_facts_by_source() {
    let entities: Vec<String> = serde_json::from_str::<Value>(&ok(&["export", "--format", "json"]))
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["iri"].as_str().unwrap().to_owned())
        .chain([format!(
            "{GRANT}/amount/end-violence-disrupting-harm-usd-6-6m"
        )])
        .collect();
    assert!(entities.len() > 100);
    for iri in &entities {
        let text = ok(&["show", iri]);
        for line in text.lines() {
            // Only a word longer than a line (an IRI) may overflow it, alone on its line.
            assert!(
                line.chars().count() <= 80 || !line.trim().contains(' '),
                "{iri}: a line of {} columns:\n{line}",
                line.chars().count()
            );
            assert_eq!(line, line.trim_end(), "{iri}: trailing spaces");
        }
    }
    let text = ok(&["show", "org/unicef"]);
    assert!(
        text.starts_with("United Nations Children’s Fund\n═"),
        "{text}"
    );
    assert!(text.contains("\n  also known as  UNICEF\n"), "{text}");
    assert!(
        text.contains(
            "\n── ICAT holds discussion on strengthening access to justice for children ──"
        ),
        "{text}"
    );
    assert!(
        text.contains("\n  Evidence\n    “the United Nations Children’s Fund (UNICEF)”\n"),
        "{text}"
    );
    let grant = ok(&["show", GRANT]);
    let words = grant.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("schema:value 6600000 rank: preferred (tipkg editorial curation): States the amount more precisely"),
        "{grant}"
    );
    // A narrower width wraps more; the width applies to text only.
    let narrow = ok(&["show", "org/unicef", "--width", "50"]);
    assert!(
        narrow
            .lines()
            .all(|l| l.chars().count() <= 50 || !l.trim().contains(' '))
    );
    let error = failure(&["show", "org/unicef", "--format", "json", "--width", "50"]);
    assert!(
        error.contains("--width applies to --format text only"),
        "{error}"
    );
}

#[test]
fn the_output_file_and_its_extension_choose_the_format() {
    let dir = temp_dir();
    let json = dir.path().join("unicef.json");
    let trig = dir.path().join("unicef.trig");
    let text = dir.path().join("unicef.txt");
    for path in [&json, &trig, &text] {
        ok(&["show", "UNICEF", "-o", path.to_str().unwrap()]);
    }
    let parsed: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(parsed["iri"], UNICEF);
    assert!(
        std::fs::read_to_string(&trig)
            .unwrap()
            .contains("graph:wikidata {")
    );
    assert_eq!(
        std::fs::read_to_string(&text).unwrap(),
        ok(&["show", "UNICEF"])
    );
    let error = failure(&[
        "show",
        "UNICEF",
        "-o",
        dir.path().join("x.bin").to_str().unwrap(),
    ]);
    assert!(error.contains("cannot tell the format"), "{error}");
}

#[test]
fn an_on_disk_store_gives_the_same_description() {
    let dir = temp_dir();
    let store = dir.path().join("kg");
    let store = store.to_str().unwrap();
    ok(&["build", "-q", "--no-validate", "--store", store]);
    for entity in ["org/unicef", "Disrupting Harm", GRANT] {
        for format in ["json", "text", "trig"] {
            assert_eq!(
                ok(&["show", "--store", store, entity, "--format", format]),
                ok(&["show", entity, "--format", format]),
                "{entity} as {format}"
            );
        }
    }
    let error = failure(&["show", "--store", store, "UNICFE"]);
    assert!(error.contains("did you mean \"UNICEF\""), "{error}");
}

#[test]
fn export_json_is_every_entity_description_sorted_by_iri() {
    let all: Value = serde_json::from_str(&ok(&["export", "--format", "json"])).unwrap();
    let all = all.as_array().expect("an array of descriptions");
    let iris: Vec<&str> = all.iter().map(|d| d["iri"].as_str().unwrap()).collect();
    let mut sorted = iris.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(iris, sorted, "sorted by IRI, each once");
    assert!(iris.contains(&UNICEF) && iris.contains(&GRANT));
    // Parts are described inside their entities, not at the top.
    assert!(
        !iris
            .iter()
            .any(|i| i.contains("/amount/") || i.contains("/participation/"))
    );
    let unicef = all.iter().find(|d| d["iri"] == UNICEF).unwrap();
    assert_eq!(unicef, &show_json("org/unicef"));
    for d in all {
        assert_description_shape(d);
    }
    let dir = temp_dir();
    let file = dir.path().join("entities.json");
    ok(&["export", "-q", "-o", file.to_str().unwrap()]);
    let from_file: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(from_file.as_array().unwrap(), all);
    let error = failure(&["export", "--format", "json", "--graph", "ror"]);
    assert!(
        error.contains("--graph applies to the RDF formats"),
        "{error}"
    );
}

/// Reads CSV (RFC 4180) into rows of fields.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    rows
}

#[test]
fn export_csv_writes_a_table_per_kind() {
    let dir = temp_dir();
    let tables = dir.path().join("tables");
    let output = run(&["export", "--format", "csv", "-o", tables.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("org.csv (20 rows)"),
        "{}",
        stderr(&output)
    );
    let org = std::fs::read_to_string(tables.join("org.csv")).unwrap();
    assert!(org.ends_with("\r\n"));
    let rows = parse_csv(&org);
    let header = &rows[0];
    assert_eq!(&header[..3], ["iri", "slug", "label"]);
    assert!(rows.iter().all(|r| r.len() == header.len()));
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let unicef = rows.iter().find(|r| r[0] == UNICEF).unwrap();
    assert_eq!(unicef[column("label")], "United Nations Children’s Fund");
    assert_eq!(unicef[column("iatiIdentifier")], "XM-DAC-41122");
    assert_eq!(unicef[column("altLabel")], "UNICEF");
    let types: BTreeSet<&str> = unicef[column("type")].split('\n').collect();
    assert_eq!(
        types,
        BTreeSet::from([
            "http://schema.org/Organization",
            "http://www.w3.org/ns/org#FormalOrganization"
        ])
    );
    for kind in [
        "event",
        "project",
        "work",
        "topic",
        "country",
        "participation",
        "source",
    ] {
        assert!(tables.join(format!("{kind}.csv")).is_file(), "{kind}.csv");
    }
    // One kind on stdout is the same table.
    assert_eq!(ok(&["export", "--format", "csv", "--class", "org"]), org);
    let error = failure(&["export", "--format", "csv", "--class", "orgs"]);
    assert!(error.contains("did you mean org?"), "{error}");
    let error = failure(&["export", "--format", "csv"]);
    assert!(error.contains("give -o DIR, or --class KIND"), "{error}");
    let error = failure(&["export", "--format", "turtle", "--class", "org"]);
    assert!(
        error.contains("--class applies to --format csv only"),
        "{error}"
    );
}
