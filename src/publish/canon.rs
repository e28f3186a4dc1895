//! Canonical literals, so that a graph read back from a store can be compared with the one
//! sent: Virtuoso rewrites literals on load (`"042"^^xsd:integer` → `"42"`, `en-GB` →
//! `en-gb`, `1.50` → `1.5`), which changes their bytes but not their value.

use crate::base::error::Result;
use oxigraph::model::vocab::xsd;
use oxigraph::model::{Literal, Term, Triple};
use oxsdatatypes::{Boolean, Decimal, Double, Float, Integer};
use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

/// The triple with its object literal in canonical form.
pub fn canonical_triple(triple: &Triple) -> Triple {
    match &triple.object {
        Term::Literal(literal) => Triple::new(
            triple.subject.clone(),
            triple.predicate.clone(),
            canonical_literal(literal),
        ),
        _ => triple.clone(),
    }
}

/// The literal's canonical lexical form for the numeric and boolean types, its language
/// tag in lower case; other literals as they are.
pub fn canonical_literal(literal: &Literal) -> Literal {
    rewritten(literal).unwrap_or_else(|| literal.clone())
}

/// The literal in canonical form ([`canonical_literal`]) when that is not how it is
/// written.
fn rewritten(literal: &Literal) -> Option<Literal> {
    if let Some(language) = literal.language() {
        return (language.bytes().any(|b| b.is_ascii_uppercase())).then(|| {
            Literal::new_language_tagged_literal_unchecked(
                literal.value(),
                language.to_ascii_lowercase(),
            )
        });
    }
    let datatype = literal.datatype();
    let value = literal.value().trim();
    let canonical = if datatype == xsd::INTEGER {
        Integer::from_str(value).ok().map(|v| v.to_string())
    } else if datatype == xsd::DECIMAL {
        Decimal::from_str(value).ok().map(|v| v.to_string())
    } else if datatype == xsd::DOUBLE {
        Double::from_str(value)
            .ok()
            .map(|v| format!("{:e}", f64::from(v)))
    } else if datatype == xsd::FLOAT {
        Float::from_str(value)
            .ok()
            .map(|v| format!("{:e}", f32::from(v)))
    } else if datatype == xsd::BOOLEAN {
        Boolean::from_str(value).ok().map(|v| v.to_string())
    } else {
        None
    };
    canonical
        .filter(|canonical| canonical != literal.value())
        .map(|canonical| Literal::new_typed_literal(canonical, datatype.into_owned()))
}

/// The canonical forms of a set of triples.
pub fn canonical_set<'a>(triples: impl IntoIterator<Item = &'a Triple>) -> BTreeSet<String> {
    triples
        .into_iter()
        .map(|t| canonical_triple(t).to_string())
        .collect()
}

/// What a store that rewrites literals keeps of each graph of a request body: counted
/// for a graph read from the store as it was written, `None` for held triples.
pub type KeptOfEach = Vec<Option<Kept>>;

/// Counts, one triple at a time, what a store that rewrites literals in canonical form
/// keeps of a graph: two triples that differ only in how a literal is written are one
/// there. Only the triples whose literal is not in canonical form are kept, by their
/// canonical triple (few, in data that writes each value one way), so that a graph read
/// while it is sent is not held.
#[derive(Debug, Default)]
pub struct Tally {
    sent: u64,
    /// Each canonical triple of a sent triple whose literal was rewritten, with the
    /// literals (as written) that become it.
    rewritten: BTreeMap<String, (Triple, Vec<String>)>,
}

/// What a store keeps of a graph that was sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Kept {
    /// The triples sent.
    pub sent: u64,
    /// The distinct triples once literals are canonical.
    pub canonical: u64,
    /// Some groups of sent triples that are one triple once canonical, for messages:
    /// `"1.5" and "1.50"`.
    pub collisions: Vec<String>,
}

impl Tally {
    pub fn add(&mut self, triple: &Triple) {
        self.sent += 1;
        if let Term::Literal(literal) = &triple.object
            && let Some(canonical) = rewritten(literal)
        {
            let triple = Triple::new(triple.subject.clone(), triple.predicate.clone(), canonical);
            self.rewritten
                .entry(triple.to_string())
                .or_insert_with(|| (triple, Vec::new()))
                .1
                .push(literal.to_string());
        }
    }

    /// The count, once every triple was added; `holds` tells whether the graph sent also
    /// holds a triple (a canonical one) as it is.
    pub fn finish(self, holds: impl Fn(&Triple) -> Result<bool>) -> Result<Kept> {
        let mut kept = Kept {
            sent: self.sent,
            canonical: self.sent,
            collisions: Vec::new(),
        };
        for (triple, mut forms) in self.rewritten.into_values() {
            if let Term::Literal(literal) = &triple.object
                && holds(&triple)?
            {
                forms.insert(0, literal.to_string());
            }
            if forms.len() > 1 {
                kept.canonical -= forms.len() as u64 - 1;
                if kept.collisions.len() < COLLISION_EXAMPLES {
                    kept.collisions.push(forms.join(" and "));
                }
            }
        }
        Ok(kept)
    }
}

/// The groups of colliding triples a [`Kept`] gives as examples.
const COLLISION_EXAMPLES: usize = 3;

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::NamedNode;

    fn literal(value: &str, datatype: oxigraph::model::NamedNodeRef<'_>) -> Literal {
        Literal::new_typed_literal(value, datatype)
    }

    #[test]
    fn virtuoso_rewrites_compare_equal() {
        for (sent, stored) in [
            (literal("042", xsd::INTEGER), literal("42", xsd::INTEGER)),
            (literal("1.50", xsd::DECIMAL), literal("1.5", xsd::DECIMAL)),
            (literal("1.0E2", xsd::DOUBLE), literal("100.0", xsd::DOUBLE)),
            (
                Literal::new_language_tagged_literal("x", "en-GB").unwrap(),
                Literal::new_language_tagged_literal("x", "en-gb").unwrap(),
            ),
        ] {
            assert_eq!(canonical_literal(&sent), canonical_literal(&stored));
        }
        let s = NamedNode::new_unchecked("http://ex/s");
        let t = Triple::new(s.clone(), s.clone(), literal("7", xsd::DECIMAL));
        assert_eq!(canonical_triple(&t), t);
        for written in [
            literal("42", xsd::INTEGER),
            literal("x", xsd::STRING),
            Literal::new_language_tagged_literal("x", "en-gb").unwrap(),
        ] {
            assert_eq!(rewritten(&written), None, "{written}");
        }
        assert_eq!(
            rewritten(&literal(" 42", xsd::INTEGER)),
            Some(literal("42", xsd::INTEGER))
        );
    }

    #[test]
    fn a_tally_counts_what_a_canonicalising_store_keeps() {
        let s = NamedNode::new_unchecked("http://ex/s");
        let triples: Vec<Triple> = ["1.5", "1.50", "1.500", "2", "3.0", "4"]
            .into_iter()
            .map(|v| Triple::new(s.clone(), s.clone(), literal(v, xsd::DECIMAL)))
            .collect();
        let mut tally = Tally::default();
        triples.iter().for_each(|t| tally.add(t));
        let kept = tally.finish(|t| Ok(triples.contains(t))).unwrap();
        // 1.5, 1.50 and 1.500 are one; 3.0 alone is rewritten to 3 but meets nothing.
        assert_eq!((kept.sent, kept.canonical), (6, 4));
        assert_eq!(kept.collisions.len(), 1, "{kept:?}");
        assert!(kept.collisions[0].starts_with(r#""1.5"^^"#), "{kept:?}");
        assert_eq!(kept.collisions[0].matches(" and ").count(), 2, "{kept:?}");
        let set = canonical_set(&triples);
        assert_eq!(set.len() as u64, kept.canonical);
    }
}
