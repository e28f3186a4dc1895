//! Canonical literals, so that a graph read back from a store can be compared with the one
//! sent: Virtuoso rewrites literals on load (`"042"^^xsd:integer` → `"42"`, `en-GB` →
//! `en-gb`, `1.50` → `1.5`), which changes their bytes but not their value.

use oxigraph::model::vocab::xsd;
use oxigraph::model::{Literal, Term, Triple};
use oxsdatatypes::{Boolean, Decimal, Double, Float, Integer};
use std::collections::BTreeSet;
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
    if let Some(language) = literal.language() {
        return Literal::new_language_tagged_literal_unchecked(
            literal.value(),
            language.to_ascii_lowercase(),
        );
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
    match canonical {
        Some(value) => Literal::new_typed_literal(value, datatype.into_owned()),
        None => literal.clone(),
    }
}

/// The canonical forms of a set of triples.
pub fn canonical_set<'a>(triples: impl IntoIterator<Item = &'a Triple>) -> BTreeSet<String> {
    triples
        .into_iter()
        .map(|t| canonical_triple(t).to_string())
        .collect()
}

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
    }
}
