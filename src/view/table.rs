//! The graph as tables, one per kind of thing (`org`, `event`, `topic`, `participation`…),
//! for spreadsheets and data frames: a row per thing (an entity or a part of one), a
//! column per property it has, written as CSV (RFC 4180, CRLF line ends).
//!
//! Columns: `iri`, `slug` and `label` (the label a description shows), then one per
//! property the kind's things have, named by the property's local name (`type`,
//! `prefLabel`, `startDate`; the full IRI where two properties of a table share a local
//! name), in the order of a description. A cell holds the values of every source's graph,
//! without repeats: IRIs in full, literals as written (numbers as digits, dates in ISO
//! 8601), several values one per line within the cell.

use super::{Describer, Result, kind_and_slug, local_name, property_rank};
use crate::store::KnowledgeGraph;
use oxigraph::model::{NamedOrBlankNodeRef, Term};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

/// The columns every table starts with.
const FIXED: [&str; 3] = ["iri", "slug", "label"];

/// One kind's table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub kind: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// The tables of every kind, sorted by kind; rows sorted by IRI.
pub fn tables(graph: &KnowledgeGraph) -> Result<Vec<Table>> {
    let mut describer = Describer::new(graph);
    let store = graph.store();
    // kind → IRI → (label, property → values)
    type Cells = BTreeMap<String, BTreeSet<String>>;
    let mut kinds: BTreeMap<String, BTreeMap<String, (String, String, Cells)>> = BTreeMap::new();
    for subject in describer.subjects()? {
        let Some((kind, slug)) = kind_and_slug(subject.as_str()) else {
            continue;
        };
        let mut cells = Cells::new();
        for quad in store.quads_for_pattern(
            Some(NamedOrBlankNodeRef::from(subject.as_ref())),
            None,
            None,
            None,
        ) {
            let quad = quad?;
            let value = match &quad.object {
                Term::NamedNode(node) => node.as_str().to_owned(),
                Term::BlankNode(node) => format!("_:{}", node.as_str()),
                Term::Literal(literal) => literal.value().to_owned(),
                #[allow(unreachable_patterns)]
                other => other.to_string(),
            };
            cells
                .entry(quad.predicate.as_str().to_owned())
                .or_default()
                .insert(value);
        }
        let label = describer
            .label(subject.as_ref().into())?
            .unwrap_or_default();
        kinds
            .entry(kind.to_owned())
            .or_default()
            .insert(subject.as_str().to_owned(), (slug.to_owned(), label, cells));
    }
    let mut tables = Vec::new();
    for (kind, things) in kinds {
        let mut properties: Vec<String> = things
            .values()
            .flat_map(|(_, _, cells)| cells.keys().cloned())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        properties.sort_by_cached_key(|p| property_rank(p));
        let names = column_names(&properties);
        let mut columns: Vec<String> = FIXED.iter().map(|c| (*c).to_owned()).collect();
        columns.extend(names);
        let rows = things
            .into_iter()
            .map(|(iri, (slug, label, cells))| {
                let mut row = vec![iri, slug, label];
                row.extend(properties.iter().map(|p| {
                    cells
                        .get(p)
                        .map(|values| values.iter().cloned().collect::<Vec<_>>().join("\n"))
                        .unwrap_or_default()
                }));
                row
            })
            .collect();
        tables.push(Table {
            kind,
            columns,
            rows,
        });
    }
    Ok(tables)
}

/// A column per property: its local name (`type` for `rdf:type`), or the full IRI where
/// the local name is taken by another property of the table or by a fixed column.
fn column_names(properties: &[String]) -> Vec<String> {
    let short = |p: &str| -> String {
        if p == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type" {
            "type".to_owned()
        } else {
            local_name(p).to_owned()
        }
    };
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for p in properties {
        *counts.entry(short(p)).or_default() += 1;
    }
    properties
        .iter()
        .map(|p| {
            let name = short(p);
            if counts[&name] > 1 || FIXED.contains(&name.as_str()) {
                p.clone()
            } else {
                name
            }
        })
        .collect()
}

/// Writes a table as CSV (RFC 4180): a header row, then the rows, lines ending in CRLF,
/// a field quoted when it holds a comma, a quote or a line break.
pub fn write_csv(table: &Table, out: &mut dyn Write) -> io::Result<()> {
    write_record(&table.columns, out)?;
    for row in &table.rows {
        write_record(row, out)?;
    }
    Ok(())
}

fn write_record(fields: &[String], out: &mut dyn Write) -> io::Result<()> {
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        if field.contains([',', '"', '\r', '\n']) {
            write!(out, "\"{}\"", field.replace('"', "\"\""))?;
        } else {
            out.write_all(field.as_bytes())?;
        }
    }
    out.write_all(b"\r\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_needed() {
        let table = Table {
            kind: "x".into(),
            columns: vec!["a".into(), "b".into()],
            rows: vec![vec!["plain".into(), "say \"hi\",\nthen go".into()]],
        };
        let mut out = Vec::new();
        write_csv(&table, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a,b\r\nplain,\"say \"\"hi\"\",\nthen go\"\r\n"
        );
    }

    #[test]
    fn shared_local_names_are_written_in_full() {
        let properties = [
            "http://schema.org/name".to_owned(),
            "http://xmlns.com/foaf/0.1/name".to_owned(),
            "http://www.w3.org/2000/01/rdf-schema#label".to_owned(),
            "http://www.w3.org/1999/02/22-rdf-syntax-ns#type".to_owned(),
            "http://schema.org/startDate".to_owned(),
        ];
        assert_eq!(
            column_names(&properties),
            [
                "http://schema.org/name",
                "http://xmlns.com/foaf/0.1/name",
                "http://www.w3.org/2000/01/rdf-schema#label",
                "type",
                "startDate"
            ]
        );
    }
}
