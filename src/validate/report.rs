//! Validation reports: findings of shapes and of data checks, and their three renderings:
//! `text` for people (grouped by entity, with labels and the records' files and lines),
//! `turtle` (a standard `sh:ValidationReport`) and `json` for scripts.

use super::ShapesGraph;
use super::graph::Lookup;
use super::shacl::{Path, SH, Severity, ValidationResult, best_text};
use crate::base::diagnostic::Diagnostics;
use crate::base::vocab;
use crate::mapping::origin::Origin;
use oxigraph::model::vocab::{rdfs, xsd};
use oxigraph::model::{Literal, NamedNode, NamedOrBlankNode, NamedOrBlankNodeRef, Term, TermRef};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::Write;

/// The namespace of the shapes, and of the component that stands for the data checks.
pub const SHAPES_NS: &str = "https://w3id.org/tipkg/shapes#";

/// One problem: from a shape (with a focus node) or from a data check (with a file).
#[derive(Debug, Clone)]
pub struct Finding {
    pub severity: Severity,
    /// The entity the problem is about; `None` for a data check, which points at a file.
    pub focus: Option<Term>,
    /// The entity's label in the graph.
    pub label: Option<String>,
    /// What kind of entity it is: the label of the shape that selected it.
    pub kind: Option<String>,
    pub path: Option<Path>,
    pub value: Option<Term>,
    pub value_label: Option<String>,
    pub message: String,
    pub help: Option<String>,
    /// The SHACL constraint component, or `tipkgsh:DataCheck` for the data checks.
    pub component: NamedNode,
    pub shape: Option<NamedOrBlankNode>,
    /// The shape with the target that selected the focus node (the node shape that holds
    /// a property shape).
    pub root_shape: Option<NamedOrBlankNode>,
    /// The records the entity was built from (or the file and line of a data check).
    pub origins: Vec<Origin>,
}

/// A validation report.
#[derive(Debug, Clone)]
pub struct Report {
    /// The name of the shapes graph the data was checked against.
    pub shapes: String,
    /// The number of triples of the data graph; `None` when the data checks failed, so that
    /// the graph could not be built and the shapes were not checked.
    pub triples: Option<usize>,
    pub findings: Vec<Finding>,
}

/// Turns the checks' diagnostics, each an error, into findings of a violation.
pub fn from_diagnostics(diagnostics: &Diagnostics) -> Vec<Finding> {
    diagnostics
        .iter()
        .map(|d| Finding {
            severity: Severity::Violation,
            focus: None,
            label: None,
            kind: None,
            path: None,
            value: None,
            value_label: None,
            message: d.message.clone(),
            help: d.help.clone(),
            component: NamedNode::new_unchecked(format!("{SHAPES_NS}DataCheck")),
            shape: None,
            root_shape: None,
            origins: vec![Origin {
                file: d.file.clone(),
                position: d.position,
                source: None,
            }],
        })
        .collect()
}

/// Turns SHACL results into findings, with labels from the data graph and messages from
/// the shapes graph.
pub fn from_results(
    results: &[ValidationResult],
    shapes: &ShapesGraph,
    data: &dyn Lookup,
    origins: impl Fn(&ValidationResult) -> Vec<Origin>,
) -> Vec<Finding> {
    results
        .iter()
        .map(|r| {
            let shape = shapes.shapes.shape(r.shape);
            let root = shapes.shapes.shape(r.root);
            let message = shape
                .messages
                .first()
                .map(|m| m.value().to_owned())
                .unwrap_or_else(|| default_message(r));
            let origins = origins(r);
            Finding {
                severity: r.severity,
                focus: Some(r.focus.clone()),
                label: label_of(data, &r.focus),
                kind: root.label.clone(),
                path: r.path.clone(),
                value: r.value.clone(),
                value_label: r.value.as_ref().and_then(|v| label_of(data, v)),
                message,
                help: None,
                component: r.component.clone(),
                shape: Some(shape.id.clone()),
                root_shape: Some(root.id.clone()),
                origins,
            }
        })
        .collect()
}

fn default_message(r: &ValidationResult) -> String {
    let component = r.component.as_str().trim_start_matches(SH);
    format!("does not satisfy sh:{component}")
}

/// The label of a node in the data graph: `skos:prefLabel`, `schema:name` or `rdfs:label`.
pub(super) fn label_of(data: &dyn Lookup, term: &Term) -> Option<String> {
    let subject: NamedOrBlankNodeRef<'_> = match term {
        Term::NamedNode(n) => n.as_ref().into(),
        Term::BlankNode(b) => b.as_ref().into(),
        Term::Literal(_) | Term::Triple(_) => return None,
    };
    let skos = NamedNode::new_unchecked(format!("{}prefLabel", vocab::SKOS));
    let name = NamedNode::new_unchecked(format!("{}name", vocab::SCHEMA));
    for predicate in [skos.as_ref(), name.as_ref(), rdfs::LABEL] {
        let label = best_text(
            data.objects_for_subject_predicate(subject, predicate)
                .filter_map(|t| match t {
                    TermRef::Literal(l) => Some(l),
                    _ => None,
                }),
        );
        if label.is_some() {
            return label;
        }
    }
    None
}

/// An IRI with the prefix of a known namespace, or in angle brackets.
fn compact(iri: &str) -> String {
    for (prefix, ns) in [("sh", SH), ("tipkgsh", SHAPES_NS)] {
        if let Some(local) = iri.strip_prefix(ns) {
            return format!("{prefix}:{local}");
        }
    }
    vocab::compact(iri)
}

fn show_term(term: &Term) -> String {
    match term {
        Term::NamedNode(n) => compact(n.as_str()),
        Term::BlankNode(b) => b.to_string(),
        Term::Literal(l) => {
            let datatype = l.datatype();
            if l.language().is_some() || datatype == xsd::STRING {
                l.to_string()
            } else {
                format!("\"{}\"^^{}", l.value(), compact(datatype.as_str()))
            }
        }
        Term::Triple(t) => format!("<<( {t} )>>"),
    }
}

fn show_path(path: &Path) -> String {
    match path {
        Path::Predicate(p) => compact(p.as_str()),
        Path::Inverse(p) => format!("^{}", compact(p.as_str())),
        Path::Other { sparql, .. } => sparql.clone(),
    }
}

fn show_origin(origin: &Origin) -> String {
    match origin.position {
        Some(p) => format!("{}:{}:{}", origin.file, p.line, p.column),
        None => origin.file.clone(),
    }
}

impl Report {
    pub fn new(shapes: &str, triples: Option<usize>, mut findings: Vec<Finding>) -> Self {
        findings.sort_by_cached_key(sort_key);
        Self {
            shapes: shapes.to_owned(),
            triples,
            findings,
        }
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    /// Whether no finding is at least as serious as `fail_on`.
    pub fn conforms(&self, fail_on: Severity) -> bool {
        self.findings.iter().all(|f| f.severity < fail_on)
    }

    /// The closing line of a text report.
    pub fn summary(&self, fail_on: Severity) -> String {
        let plural = |n: usize, word: &str| {
            if n == 1 {
                format!("{n} {word}")
            } else {
                format!("{n} {word}s")
            }
        };
        let checked = match self.triples {
            Some(n) => format!("{n} triples checked against {}", self.shapes),
            None => "the graph could not be built, so the shapes were not checked".to_owned(),
        };
        format!(
            "{}: {}, {}, {} ({checked}; failing on {})",
            if self.conforms(fail_on) {
                "conforms"
            } else {
                "does not conform"
            },
            plural(self.count(Severity::Violation), "violation"),
            plural(self.count(Severity::Warning), "warning"),
            plural(self.count(Severity::Info), "info"),
            fail_on.word(),
        )
    }

    /// Data checks first, one paragraph each; then one paragraph per entity, with where
    /// its records are and every finding about it.
    pub fn write_text(&self, out: &mut dyn Write, fail_on: Severity) -> std::io::Result<()> {
        let mut entities: Vec<(String, Vec<&Finding>)> = Vec::new();
        for finding in &self.findings {
            let Some(focus) = &finding.focus else {
                let origin = finding.origins.first().map(show_origin).unwrap_or_default();
                writeln!(
                    out,
                    "{origin}: {}: {}",
                    finding.severity.word(),
                    finding.message
                )?;
                if let Some(help) = &finding.help {
                    writeln!(out, "  help: {help}")?;
                }
                writeln!(out)?;
                continue;
            };
            let key = focus.to_string();
            match entities.last_mut() {
                Some((k, list)) if *k == key => list.push(finding),
                _ => entities.push((key, vec![finding])),
            }
        }
        for (_, findings) in entities {
            let first = findings[0];
            let focus = first.focus.as_ref().map(show_term).unwrap_or_default();
            let kind = first.kind.as_deref().unwrap_or("entity");
            match &first.label {
                Some(label) => writeln!(out, "{kind} \"{label}\" ({focus})")?,
                None => writeln!(out, "{kind} {focus}")?,
            }
            for origin in &first.origins {
                match &origin.source {
                    Some(source) => {
                        writeln!(out, "  record: {} (source {source})", show_origin(origin))?
                    }
                    None => writeln!(out, "  at: {}", show_origin(origin))?,
                }
            }
            for f in findings {
                let path = f
                    .path
                    .as_ref()
                    .map(|p| format!("{}: ", show_path(p)))
                    .unwrap_or_default();
                writeln!(out, "  {}: {path}{}", f.severity.word(), f.message)?;
                if let Some(value) = &f.value
                    && Some(value) != f.focus.as_ref()
                {
                    match &f.value_label {
                        Some(label) => {
                            writeln!(out, "    value: {} \"{label}\"", show_term(value))?
                        }
                        None => writeln!(out, "    value: {}", show_term(value))?,
                    }
                }
                let shape = [&f.shape, &f.root_shape]
                    .into_iter()
                    .flatten()
                    .find_map(|s| match s {
                        NamedOrBlankNode::NamedNode(n) => {
                            Some(format!("{}, ", compact(n.as_str())))
                        }
                        NamedOrBlankNode::BlankNode(_) => None,
                    })
                    .unwrap_or_default();
                writeln!(out, "    ({shape}{})", compact(f.component.as_str()))?;
            }
            writeln!(out)?;
        }
        writeln!(out, "{}", self.summary(fail_on))
    }

    /// A standard `sh:ValidationReport` in Turtle. `sh:conforms` is true only when there is
    /// no result at all, as the SHACL recommendation defines it, whatever `--fail-on` says.
    /// Written by hand so that the same report always gives the same bytes.
    pub fn write_turtle(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let mut used: BTreeMap<&str, &str> = BTreeMap::from([("sh", SH)]);
        let mut name = |term: &Term| -> String {
            if let Term::NamedNode(n) = term {
                for (prefix, ns) in vocab::PREFIXES
                    .iter()
                    .copied()
                    .chain([("sh", SH), ("tipkgsh", SHAPES_NS)])
                {
                    if let Some(local) = n.as_str().strip_prefix(ns)
                        && is_local_name(local)
                    {
                        used.insert(prefix, ns);
                        return format!("{prefix}:{local}");
                    }
                }
            }
            term.to_string()
        };
        let mut body = String::new();
        body.push_str(&format!(
            "[] a sh:ValidationReport ;\n    sh:conforms {}",
            self.findings.is_empty()
        ));
        for f in &self.findings {
            let mut lines: Vec<String> = vec!["a sh:ValidationResult".into()];
            let focus = f.focus.clone().or_else(|| file_iri(f.origins.first()?));
            if let Some(focus) = focus {
                lines.push(format!("sh:focusNode {}", name(&focus)));
            }
            match &f.path {
                Some(Path::Predicate(p)) => {
                    lines.push(format!("sh:resultPath {}", name(&p.clone().into())))
                }
                Some(Path::Inverse(p)) => lines.push(format!(
                    "sh:resultPath [ sh:inversePath {} ]",
                    name(&p.clone().into())
                )),
                Some(Path::Other { turtle, .. }) => lines.push(format!("sh:resultPath {turtle}")),
                None => {}
            }
            if let Some(value) = &f.value {
                lines.push(format!("sh:value {}", name(value)));
            }
            lines.push(format!(
                "sh:resultSeverity {}",
                name(&f.severity.iri().into())
            ));
            lines.push(format!(
                "sh:sourceConstraintComponent {}",
                name(&f.component.clone().into())
            ));
            match &f.shape {
                Some(NamedOrBlankNode::NamedNode(n)) => {
                    lines.push(format!("sh:sourceShape {}", name(&n.clone().into())))
                }
                // A shape without an IRI cannot be named outside its own graph.
                Some(NamedOrBlankNode::BlankNode(_)) => lines.push("sh:sourceShape []".into()),
                None => {}
            }
            lines.push(format!(
                "sh:resultMessage {}",
                Literal::new_language_tagged_literal_unchecked(&f.message, "en")
            ));
            body.push_str(&format!(
                " ;\n    sh:result [\n        {}\n    ]",
                lines.join(" ;\n        ")
            ));
        }
        body.push_str(" .\n");
        for (prefix, ns) in &used {
            writeln!(out, "@prefix {prefix}: <{ns}> .")?;
        }
        writeln!(out)?;
        out.write_all(body.as_bytes())
    }

    pub fn write_json(&self, out: &mut dyn Write, fail_on: Severity) -> std::io::Result<()> {
        let results: Vec<Value> = self
            .findings
            .iter()
            .map(|f| {
                json!({
                    "severity": f.severity.word(),
                    "focus": f.focus.as_ref().map(term_json),
                    "label": f.label,
                    "kind": f.kind,
                    "path": f.path.as_ref().map(|p| match p {
                        Path::Predicate(p) => p.as_str().to_owned(),
                        Path::Inverse(p) => format!("^{}", p.as_str()),
                        Path::Other { sparql, .. } => sparql.clone(),
                    }),
                    "value": f.value.as_ref().map(term_json),
                    "message": f.message,
                    "help": f.help,
                    "component": f.component.as_str(),
                    "shape": f.shape.as_ref().and_then(|s| match s {
                        NamedOrBlankNode::NamedNode(n) => Some(n.as_str().to_owned()),
                        NamedOrBlankNode::BlankNode(_) => None,
                    }),
                    "node_shape": f.root_shape.as_ref().and_then(|s| match s {
                        NamedOrBlankNode::NamedNode(n) => Some(n.as_str().to_owned()),
                        NamedOrBlankNode::BlankNode(_) => None,
                    }),
                    "origins": f.origins.iter().map(|o| json!({
                        "file": o.file,
                        "line": o.position.map(|p| p.line),
                        "column": o.position.map(|p| p.column),
                        "source": o.source,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        let counts: BTreeMap<&str, usize> =
            [Severity::Violation, Severity::Warning, Severity::Info]
                .into_iter()
                .map(|s| (s.word(), self.count(s)))
                .collect();
        let document = json!({
            "conforms": self.conforms(fail_on),
            "fail_on": fail_on.word(),
            "shapes": self.shapes,
            "triples": self.triples,
            "counts": counts,
            "results": results,
        });
        serde_json::to_writer_pretty(&mut *out, &document)?;
        writeln!(out)
    }
}

/// Whether a local name can follow a prefix in Turtle without escapes.
fn is_local_name(local: &str) -> bool {
    !local.is_empty()
        && local
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        && !local.ends_with('.')
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// A data check is about a data file: a `file:` IRI names it in a SHACL report.
fn file_iri(origin: &Origin) -> Option<Term> {
    let path = std::path::absolute(&origin.file).ok()?;
    let iri = format!("file://{}", path.display()).replace(' ', "%20");
    NamedNode::new(iri).ok().map(Term::from)
}

/// A term in N-Triples syntax, as other tools print it.
fn term_json(term: &Term) -> String {
    term.to_string()
}

/// Data checks first in file order; then entities in the order of their first record,
/// and within an entity the most serious findings first.
fn sort_key(
    f: &Finding,
) -> (
    bool,
    String,
    usize,
    usize,
    String,
    std::cmp::Reverse<Severity>,
    String,
    String,
    String,
) {
    let origin = f.origins.first();
    (
        f.focus.is_some(),
        origin
            .map(|o| o.file.clone())
            .unwrap_or_else(|| "\u{10FFFF}".into()),
        origin.and_then(|o| o.position).map_or(0, |p| p.line),
        origin.and_then(|o| o.position).map_or(0, |p| p.column),
        f.focus
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
        std::cmp::Reverse(f.severity),
        f.path.as_ref().map(show_path).unwrap_or_default(),
        f.component.as_str().to_owned(),
        f.value
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
    )
}
