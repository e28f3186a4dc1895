//! Writing query answers: solutions and booleans as a readable table or as SPARQL 1.1
//! results (CSV, TSV, JSON, XML), graphs in the export syntaxes.

use crate::base::error::{Error, Result};
use crate::base::named::{Named, display_and_parse};
use crate::base::vocab::compact;
use crate::export;
use crate::query::Answer;
use comfy_table::{ContentArrangement, Table, presets};
use oxigraph::model::{Term, vocab::xsd};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use std::io::Write;

/// Every format a query's answer can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// Aligned columns, IRIs shortened with the known prefixes, long values wrapped.
    Table,
    /// SPARQL 1.1 Query Results CSV.
    Csv,
    /// SPARQL 1.1 Query Results TSV.
    Tsv,
    /// SPARQL 1.1 Query Results JSON.
    Json,
    /// SPARQL 1.1 Query Results XML.
    Xml,
    /// Turtle (CONSTRUCT, DESCRIBE).
    Turtle,
    /// N-Triples (CONSTRUCT, DESCRIBE).
    Ntriples,
    /// N-Quads (CONSTRUCT, DESCRIBE).
    Nquads,
    /// TriG (CONSTRUCT, DESCRIBE).
    Trig,
}

impl Named for OutputFormat {
    const KIND: &'static str = "output format";
    const ALL: &'static [Self] = &[
        Self::Table,
        Self::Csv,
        Self::Tsv,
        Self::Json,
        Self::Xml,
        Self::Turtle,
        Self::Ntriples,
        Self::Nquads,
        Self::Trig,
    ];

    fn name(self) -> &'static str {
        match self {
            Self::Table => "table",
            Self::Csv => "csv",
            Self::Tsv => "tsv",
            Self::Json => "json",
            Self::Xml => "xml",
            Self::Turtle => "turtle",
            Self::Ntriples => "ntriples",
            Self::Nquads => "nquads",
            Self::Trig => "trig",
        }
    }
}

display_and_parse!(OutputFormat);

impl OutputFormat {
    fn rdf(self) -> Option<export::Format> {
        match self {
            Self::Turtle => Some(export::Format::Turtle),
            Self::Ntriples => Some(export::Format::Ntriples),
            Self::Nquads => Some(export::Format::Nquads),
            Self::Trig => Some(export::Format::Trig),
            _ => None,
        }
    }

    fn results(self) -> Option<QueryResultsFormat> {
        match self {
            Self::Csv => Some(QueryResultsFormat::Csv),
            Self::Tsv => Some(QueryResultsFormat::Tsv),
            Self::Json => Some(QueryResultsFormat::Json),
            Self::Xml => Some(QueryResultsFormat::Xml),
            _ => None,
        }
    }

    /// The format a query form gets when none is asked for: a table on a terminal and SPARQL
    /// TSV otherwise for SELECT and ASK; Turtle for CONSTRUCT and DESCRIBE.
    pub fn default_for(form: &str, terminal: bool) -> Self {
        match (form, terminal) {
            ("CONSTRUCT" | "DESCRIBE", _) => Self::Turtle,
            (_, true) => Self::Table,
            (_, false) => Self::Tsv,
        }
    }

    /// Checks that this format can hold the answer of a query of this form.
    pub fn check(self, form: &'static str) -> Result<()> {
        let graph_form = matches!(form, "CONSTRUCT" | "DESCRIBE");
        if graph_form == self.rdf().is_some() {
            return Ok(());
        }
        Err(Error::WrongFormat {
            format: self.name(),
            form,
        })
    }
}

/// Writes an answer. `width` is the width a table may take; `None` lets the table find
/// the terminal's width.
pub fn write(
    answer: &Answer,
    format: OutputFormat,
    width: Option<u16>,
    out: &mut dyn Write,
) -> Result<()> {
    let io = |e: std::io::Error| Error::Io {
        path: "<output>".into(),
        source: e,
    };
    match answer {
        Answer::Graph(triples) => {
            let format = format
                .rdf()
                .ok_or_else(|| Error::Usage("a graph needs an RDF format".to_owned()))?;
            export::write_graph(triples, format, out)
        }
        Answer::Boolean(value) => match format.results() {
            Some(results) if matches!(format, OutputFormat::Json | OutputFormat::Xml) => {
                QueryResultsSerializer::from_format(results)
                    .serialize_boolean_to_writer(&mut *out, *value)
                    .map_err(io)?;
                Ok(())
            }
            _ => writeln!(out, "{value}").map_err(io),
        },
        Answer::Solutions { variables, rows } => {
            if let Some(results) = format.results() {
                let mut serializer = QueryResultsSerializer::from_format(results)
                    .serialize_solutions_to_writer(&mut *out, variables.clone())
                    .map_err(io)?;
                for row in rows {
                    serializer.serialize(row).map_err(io)?;
                }
                serializer.finish().map_err(io)?;
                return Ok(());
            }
            let mut table = Table::new();
            table
                .load_style(presets::UTF8_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Dynamic)
                .set_header(variables.iter().map(|v| v.as_str()));
            if let Some(width) = width {
                table.set_width(width);
            }
            for row in rows {
                table.add_row(row.values().iter().map(|value| match value {
                    Some(term) => cell(term),
                    None => String::new(),
                }));
            }
            writeln!(out, "{table}").map_err(io)
        }
    }
}

/// `text` without terminal control characters (ESC, BEL, CR, the other C0 and C1 controls
/// and DEL), which could move the cursor, retitle the terminal or hide what is printed;
/// tabs stay, and line breaks when `newlines`, else they become spaces.
pub fn printable(text: &str, newlines: bool) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\t' => Some(c),
            '\n' if newlines => Some(c),
            '\n' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

/// How a term reads in a table: IRIs shortened, numbers and dates bare, other literals in
/// quotes with their language tag or shortened datatype; terminal control characters
/// removed.
pub fn cell(term: &Term) -> String {
    printable(&cell_text(term), true)
}

fn cell_text(term: &Term) -> String {
    match term {
        Term::NamedNode(node) => compact(node.as_str()),
        Term::BlankNode(node) => node.to_string(),
        Term::Literal(literal) => {
            if let Some(language) = literal.language() {
                return format!("\"{}\"@{language}", literal.value());
            }
            let datatype = literal.datatype();
            let bare = [
                xsd::INTEGER,
                xsd::DECIMAL,
                xsd::DOUBLE,
                xsd::BOOLEAN,
                xsd::DATE,
                xsd::DATE_TIME,
                xsd::G_YEAR,
                xsd::G_YEAR_MONTH,
            ];
            if bare.contains(&datatype) {
                literal.value().to_owned()
            } else if datatype == xsd::STRING {
                format!("\"{}\"", literal.value())
            } else {
                format!("\"{}\"^^{}", literal.value(), compact(datatype.as_str()))
            }
        }
        #[allow(unreachable_patterns)]
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{Literal, NamedNode};

    #[test]
    fn cells_are_short_and_show_language_tags() {
        assert_eq!(
            cell(&NamedNode::new_unchecked("http://schema.org/Event").into()),
            "schema:Event"
        );
        assert_eq!(
            cell(&Literal::new_language_tagged_literal_unchecked("ICAT", "en").into()),
            "\"ICAT\"@en"
        );
        assert_eq!(
            cell(&Literal::new_typed_literal("35", xsd::DECIMAL).into()),
            "35"
        );
    }

    #[test]
    fn cells_hold_no_terminal_controls() {
        let hostile = "a\u{1b}]0;owned\u{7}b\r\u{9b}2Jc\td\ne\u{7f}";
        assert_eq!(
            cell(&Literal::new_simple_literal(hostile).into()),
            "\"a]0;ownedb2Jc\td\ne\""
        );
        assert_eq!(printable("x\ny\u{1b}", false), "x y");
    }
}
