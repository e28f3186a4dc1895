//! Validation: whether a graph meets the project's data rules, and what to fix where.
//!
//! Two kinds of rules report through one [`Report`]: the SHACL shapes of
//! `ontology/shapes.ttl` (or a user's shapes file), evaluated by [`shacl`] on the union of
//! the sources' named graphs, and the checks of [`crate::check`] that SHACL cannot express
//! (a quote missing from its source, a country code unknown to ISO 3166-1…), whose
//! diagnostics become findings with the same severities. Each finding of a shape names the
//! entity, its label, and the data files and lines of the records it was built from.
//!
//! The data graph leaves out the ontology's named graph: the ontology describes terms, not
//! data, and its `rdfs:subClassOf` axioms would make its own individuals (the statement
//! ranks) targets of the data shapes. A source's facts and its `prov:wasDerivedFrom` sit
//! in the same named graph; in the union each entity must still have at least one.

mod graph;
mod provenance;
mod report;
pub mod shacl;

pub use graph::{DataGraph, Lookup};
pub use report::{Finding, Report, SHAPES_NS};
pub use shacl::{Severity, Shapes, ValidationResult};

use crate::base::diagnostic::Diagnostics;
use crate::base::error::{Error, Result};
use crate::base::{iri, vocab};
use crate::mapping::origin::{Origin, Origins};
use crate::model::load::DataRoot;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Graph, GraphName, NamedNode, NamedOrBlankNode, Quad, Term, TripleRef};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The bundled shapes, compiled into the binary.
pub const SHAPES_TTL: &str = include_str!("../../ontology/shapes.ttl");
/// How reports name the bundled shapes.
pub const SHAPES_NAME: &str = "ontology/shapes.ttl";

/// A shapes graph and the shapes read from it.
#[derive(Debug)]
pub struct ShapesGraph {
    /// How reports name it: its path, or `ontology/shapes.ttl` for the bundled one.
    pub name: String,
    pub graph: Graph,
    pub shapes: Shapes,
}

impl ShapesGraph {
    /// The bundled shapes.
    pub fn bundled() -> Result<Self> {
        Self::from_turtle(SHAPES_TTL, SHAPES_NAME)
    }

    /// A shapes file in Turtle (or any syntax its extension names).
    pub fn from_file(path: &Path) -> Result<Self> {
        let text = std::fs::read(path).map_err(|e| Error::Io {
            path: path.to_owned(),
            source: e,
        })?;
        let format = format_of(path).unwrap_or(RdfFormat::Turtle);
        let graph = parse_graph(&text, format, path)?;
        let name = path.display().to_string();
        let shapes = Shapes::parse(&graph, &name)?;
        Ok(Self {
            name,
            graph,
            shapes,
        })
    }

    fn from_turtle(text: &str, name: &str) -> Result<Self> {
        let graph = parse_graph(text.as_bytes(), RdfFormat::Turtle, Path::new(name))
            .map_err(|e| Error::ShapesGraph(Box::new(e)))?;
        let shapes = Shapes::parse(&graph, name)?;
        Ok(Self {
            name: name.to_owned(),
            graph,
            shapes,
        })
    }
}

/// The graph the shapes are checked on: the triples of every named graph (and of the
/// default graph) merged, but those of the ontology and of the description of the dataset,
/// which no source states (the description is computed from the rest).
pub fn data_graph<'a>(quads: impl IntoIterator<Item = &'a Quad>) -> Graph {
    let mut graph = Graph::new();
    for triple in data_triples(quads) {
        graph.insert(triple);
    }
    graph
}

/// The same graph as [`data_graph`], compact and read-only: what validation reads.
pub fn compact_data_graph<'a>(quads: impl IntoIterator<Item = &'a Quad>) -> DataGraph {
    DataGraph::from_triples(data_triples(quads))
}

/// The triples of the data graph (see [`data_graph`]), as often as the quads state them.
fn data_triples<'a>(
    quads: impl IntoIterator<Item = &'a Quad>,
) -> impl Iterator<Item = TripleRef<'a>> {
    let ontology = GraphName::from(iri::ontology_graph());
    let description = GraphName::from(iri::dataset_graph());
    quads
        .into_iter()
        .filter(move |q| q.graph_name != ontology && q.graph_name != description)
        .map(|q| TripleRef::new(&q.subject, &q.predicate, &q.object))
}

/// The outcome of validating a data directory.
#[derive(Debug)]
pub struct DataValidation {
    pub report: Report,
    /// The quads of the graph, ontology included, when the checks let it be built.
    pub quads: Option<Vec<Quad>>,
    /// The problems the checks found (none when there are quads), for callers that print
    /// them as `tipkg build` does.
    pub diagnostics: Diagnostics,
}

/// Reads, checks and maps a data directory, then validates the graph against the shapes.
/// When the checks find errors the graph cannot be built: the report then holds the
/// checks' findings alone.
pub fn validate_data(root: &DataRoot, shapes: &ShapesGraph) -> Result<DataValidation> {
    match map_data(root)? {
        Err(diagnostics) => {
            let report = Report::new(&shapes.name, None, report::from_diagnostics(&diagnostics));
            Ok(DataValidation {
                report,
                quads: None,
                diagnostics,
            })
        }
        Ok(mapped) => {
            let report = validate_quads(&mapped.quads, shapes, &mapped.origins)?;
            Ok(DataValidation {
                report,
                quads: Some(mapped.quads),
                diagnostics: Diagnostics::default(),
            })
        }
    }
}

/// A data directory's graph, ready to be validated ([`validate_quads`]).
#[derive(Debug)]
pub struct MappedData {
    /// The quads of the graph, ontology included.
    pub quads: Vec<Quad>,
    /// Where its entities come from, for the report.
    pub origins: Origins,
}

/// Reads, checks and maps a data directory: its graph, or the problems the checks found,
/// which keep it from being built.
pub fn map_data(root: &DataRoot) -> Result<std::result::Result<MappedData, Diagnostics>> {
    let (parsed, diagnostics) = crate::check::read_checked(root)?;
    if !diagnostics.is_empty() {
        return Ok(Err(diagnostics));
    }
    let quads = crate::mapping::graph_quads(&parsed)?;
    let origins = Origins::of(&parsed);
    // The records are not read again: their memory is the validation's.
    drop(parsed);
    Ok(Ok(MappedData { quads, origins }))
}

/// Validates quads that passed the checks against the shapes; `origins` say where entities
/// come from.
pub fn validate_quads(quads: &[Quad], shapes: &ShapesGraph, origins: &Origins) -> Result<Report> {
    let graph = Arc::new(compact_data_graph(quads));
    let (results, provenance) = shacl_and_provenance(quads, &graph, shapes, |entity, source| {
        let all = origins.get(entity.as_str());
        let own: Vec<Origin> = all
            .iter()
            .filter(|o| o.source.as_deref() == Some(source))
            .cloned()
            .collect();
        if own.is_empty() { all.to_vec() } else { own }
    })?;
    let mut findings = report::from_results(&results, shapes, &graph, |r| {
        let Term::NamedNode(focus) = &r.focus else {
            return Vec::new();
        };
        let all = origins.get(focus.as_str());
        // A value stated by some sources only: point at their records.
        let sources = stating_sources(quads, r);
        let stating: Vec<Origin> = all
            .iter()
            .filter(|o| o.source.as_ref().is_some_and(|s| sources.contains(s)))
            .cloned()
            .collect();
        if stating.is_empty() {
            all.to_vec()
        } else {
            stating
        }
    });
    findings.extend(provenance);
    Ok(Report::new(&shapes.name, Some(graph.len()), findings))
}

/// The SHACL engine's results on `graph` and the provenance rule's findings. The rule needs
/// none of the engine's results, so it runs on a thread of its own beside the engine, whose
/// last shapes leave a core idle; `origins` says where the rule's entities come from.
fn shacl_and_provenance(
    quads: &[Quad],
    graph: &Arc<DataGraph>,
    shapes: &ShapesGraph,
    origins: impl Fn(&NamedNode, &str) -> Vec<Origin> + Send,
) -> Result<(Vec<ValidationResult>, Vec<Finding>)> {
    let (results, provenance) = std::thread::scope(|scope| {
        let provenance =
            scope.spawn(|| provenance::findings(quads, &**graph, &shapes.shapes, origins));
        (shapes.shapes.validate(graph), provenance.join())
    });
    let provenance = provenance.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    Ok((results?, provenance))
}

/// The sources whose named graphs state the triple of a result (focus, path, value).
fn stating_sources(quads: &[Quad], r: &ValidationResult) -> Vec<String> {
    let (Term::NamedNode(focus), Some(shacl::Path::Predicate(predicate)), Some(value)) =
        (&r.focus, &r.path, &r.value)
    else {
        return Vec::new();
    };
    quads
        .iter()
        .filter(|q| {
            matches!(&q.subject, NamedOrBlankNode::NamedNode(s) if s == focus)
                && q.predicate == *predicate
                && q.object == *value
        })
        .filter_map(|q| match &q.graph_name {
            GraphName::NamedNode(g) => g.as_str().strip_prefix(vocab::GRAPH).map(str::to_owned),
            _ => None,
        })
        .collect()
}

/// One RDF document to validate: the name reports give it, its bytes and its syntax.
pub struct Document {
    pub name: PathBuf,
    pub bytes: Vec<u8>,
    pub format: RdfFormat,
}

impl Document {
    /// Reads a file, its syntax chosen by its extension.
    pub fn read(path: &Path) -> Result<Self> {
        let bytes = std::fs::read(path).map_err(|e| Error::Io {
            path: path.to_owned(),
            source: e,
        })?;
        let format = format_of(path).ok_or_else(|| Error::Rdf {
            path: path.to_owned(),
            message:
                "unknown RDF syntax: use a file name ending in .ttl, .nt, .nq, .trig, .rdf, .jsonld"
                    .into(),
        })?;
        Ok(Self {
            name: path.to_owned(),
            bytes,
            format,
        })
    }
}

/// Validates RDF files (any syntax Oxigraph reads, chosen by extension); see
/// [`validate_documents`].
pub fn validate_files(paths: &[PathBuf], shapes: &ShapesGraph) -> Result<Report> {
    let documents = paths
        .iter()
        .map(|path| Document::read(path))
        .collect::<Result<Vec<_>>>()?;
    validate_documents(&documents, shapes)
}

/// Validates RDF documents: the union of their graphs, without the ontology graph, as for
/// a data directory. Entities point to the line of the document where their first triple
/// is, for line-based syntaxes.
pub fn validate_documents(documents: &[Document], shapes: &ShapesGraph) -> Result<Report> {
    let mut quads = Vec::new();
    let mut line_files: Vec<(String, String)> = Vec::new();
    for Document {
        name: path,
        bytes: text,
        format,
    } in documents
    {
        for quad in RdfParser::from_format(*format).for_slice(text) {
            let quad = quad.map_err(|source| Error::RdfSyntax {
                path: path.clone(),
                source,
            })?;
            refuse_triple_term(&quad.object, path)?;
            quads.push(quad);
        }
        if matches!(format, RdfFormat::NTriples | RdfFormat::NQuads) {
            let text = String::from_utf8_lossy(text).into_owned();
            line_files.push((path.display().to_string(), text));
        }
    }
    let graph = Arc::new(compact_data_graph(&quads));
    let (results, provenance) = shacl_and_provenance(&quads, &graph, shapes, |entity, _| {
        line_of(&line_files, &Term::from(entity.clone()), None)
            .into_iter()
            .collect()
    })?;
    let mut findings = report::from_results(&results, shapes, &graph, |r| {
        let triple = match (&r.path, &r.value) {
            (Some(shacl::Path::Predicate(p)), Some(v)) => Some((p, v)),
            _ => None,
        };
        line_of(&line_files, &r.focus, triple).into_iter().collect()
    });
    findings.extend(provenance);
    Ok(Report::new(&shapes.name, Some(graph.len()), findings))
}

/// In N-Triples and N-Quads files, where one statement is one line: the line of a triple
/// about the focus node with this predicate and value, else the first line about it.
fn line_of(
    files: &[(String, String)],
    focus: &Term,
    triple: Option<(&NamedNode, &Term)>,
) -> Option<Origin> {
    let Term::NamedNode(focus) = focus else {
        return None;
    };
    let triple = triple.map(|(p, v)| format!("{focus} {p} {v} "));
    let subject = format!("{focus} ");
    for prefix in triple.iter().chain([&subject]) {
        for (file, text) in files {
            if let Some(number) = text.lines().position(|l| l.starts_with(prefix.as_str())) {
                return Some(Origin {
                    file: file.clone(),
                    position: Some(crate::base::diagnostic::Position {
                        line: number + 1,
                        column: 1,
                    }),
                    source: None,
                });
            }
        }
    }
    None
}

/// The RDF syntax a file name's extension names.
pub fn format_of(path: &Path) -> Option<RdfFormat> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    RdfFormat::from_extension(&extension)
}

/// The parsers read RDF 1.2 (the `rdf-12` feature of Oxigraph is on for the SHACL engine),
/// but tipkg's graphs, shapes and reports are RDF 1.1: a triple term is refused where a file
/// is read, with the file and the term, rather than validated half-way.
fn refuse_triple_term(object: &Term, path: &Path) -> Result<()> {
    match object {
        Term::Triple(triple) => Err(Error::Rdf {
            path: path.to_owned(),
            message: format!(
                "RDF 1.2 triple term <<( {triple} )>> is not supported: tipkg validates RDF 1.1 graphs"
            ),
        }),
        _ => Ok(()),
    }
}

fn parse_graph(text: &[u8], format: RdfFormat, path: &Path) -> Result<Graph> {
    let mut graph = Graph::new();
    for quad in RdfParser::from_format(format).for_slice(text) {
        let quad = quad.map_err(|source| Error::RdfSyntax {
            path: path.to_owned(),
            source,
        })?;
        refuse_triple_term(&quad.object, path)?;
        graph.insert(TripleRef::new(&quad.subject, &quad.predicate, &quad.object));
    }
    Ok(graph)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_data_has_no_violations_or_warnings() {
        let shapes = ShapesGraph::bundled().unwrap();
        let outcome = validate_data(&DataRoot::Bundled, &shapes).unwrap();
        let serious: Vec<_> = outcome
            .report
            .findings
            .iter()
            .filter(|f| f.severity >= Severity::Warning)
            .collect();
        assert!(serious.is_empty(), "{serious:#?}");
        assert!(outcome.quads.is_some());
    }

    #[test]
    fn every_typed_entity_of_the_bundled_data_is_a_target_of_a_shape() {
        let shapes = ShapesGraph::bundled().unwrap();
        let outcome = validate_data(&DataRoot::Bundled, &shapes).unwrap();
        let graph = data_graph(outcome.quads.as_ref().unwrap());
        let rdf_type = oxigraph::model::vocab::rdf::TYPE;
        let mut classes = std::collections::BTreeSet::new();
        for triple in graph.triples_for_predicate(rdf_type) {
            let entity = Term::from(triple.subject.into_owned());
            classes.insert(triple.object.to_string());
            assert!(
                shapes.shapes.kind_of(&graph, &entity).is_some(),
                "no shape targets {entity} ({})",
                triple.object
            );
        }
        assert!(classes.len() >= 25, "{classes:?}");
    }
}
