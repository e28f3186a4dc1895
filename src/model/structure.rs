//! Reading the records of a TOML file one by one, with every structural problem of each
//! (an unknown field, a value of the wrong type, a missing field), not only the first.
//!
//! serde stops at the first problem of a value. So a record is deserialized, and while that
//! fails, the problem is noted and the record repaired for the next attempt: the offending
//! entry (a field, an element of a list, a nested table) is taken out, and a field found
//! missing is filled with a stand-in value at a position past the end of the file, so that
//! the problems that serde would only report next are found too. The stand-in's own
//! problems (a stand-in of the wrong type) are never reported: the next stand-in is tried.
//! A field taken out for its wrong type and then found missing is reported once.

use serde::de::DeserializeOwned;
use std::borrow::Cow;
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeArray, DeValue, ValueDeserializer};

/// A structural problem of a file: serde's message, and where in the file it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    pub span: Option<Range<usize>>,
}

impl From<toml::de::Error> for Problem {
    fn from(error: toml::de::Error) -> Self {
        Self {
            message: error.message().to_owned(),
            span: error.span(),
        }
    }
}

/// The stand-ins tried, in order, for a missing field: one of them suits any field that a
/// record type may require, but an enumeration, for which its first variant is used.
const STAND_INS: [&str; 6] = ["\"\"", "0", "0.0", "false", "[]", "{}"];

/// At most this many attempts per record: each removes an entry or tries a stand-in, so a
/// record with many problems still ends.
const ATTEMPTS: usize = 1000;

/// Deserializes one record, or gives every structural problem found in it. `end` is the
/// length of the file: stand-ins are placed past it.
pub fn deserialize<T: DeserializeOwned>(
    value: Spanned<DeValue<'_>>,
    end: usize,
) -> Result<T, Vec<Problem>> {
    let mut repair = Repair {
        value,
        problems: Vec::new(),
        removed: Vec::new(),
        stand_ins: Vec::new(),
        next_position: end + 1,
    };
    let mut last = None;
    for _ in 0..ATTEMPTS {
        match T::deserialize(ValueDeserializer::from(repair.value.clone())) {
            Ok(record) if repair.problems.is_empty() => return Ok(record),
            Ok(_) => break,
            Err(error) => {
                let problem = Problem::from(error);
                if !repair.step(&problem) {
                    last = Some(problem);
                    break;
                }
                last = Some(problem);
            }
        }
    }
    if repair.problems.is_empty() {
        repair.problems.extend(last);
    }
    Err(repair.problems)
}

struct Repair<'i> {
    value: Spanned<DeValue<'i>>,
    problems: Vec<Problem>,
    /// Fields taken out, as (start of their table, name): found missing later, they are
    /// not reported again.
    removed: Vec<(usize, String)>,
    /// Stand-ins placed: (their position, the index of the stand-in tried, the span of
    /// their table).
    stand_ins: Vec<(usize, usize, Range<usize>)>,
    /// Where the next stand-in goes, past the end of the file.
    next_position: usize,
}

impl<'i> Repair<'i> {
    /// Notes a problem and repairs the record for the next attempt; `false` when nothing
    /// more can be repaired.
    fn step(&mut self, problem: &Problem) -> bool {
        let Some(span) = problem.span.clone() else {
            self.problems.push(problem.clone());
            return false;
        };
        if let Some(index) = self.stand_ins.iter().position(|(at, ..)| *at == span.start) {
            return self.next_stand_in(index, &problem.message);
        }
        if let Some(field) = missing_field(&problem.message) {
            if !self.removed.contains(&(span.start, field.to_owned())) {
                self.problems.push(problem.clone());
            }
            return self.place_stand_in(&span, field);
        }
        self.problems.push(problem.clone());
        remove_at(&mut self.value, &span, &mut self.removed)
    }

    /// Fills the missing `field` of the table at `table` with the first stand-in.
    fn place_stand_in(&mut self, table: &Range<usize>, field: &str) -> bool {
        let at = self.next_position;
        self.next_position += 1;
        let Some(DeValue::Table(entries)) = table_at(&mut self.value, table) else {
            return false;
        };
        let key = Spanned::new(at..at, Cow::Owned(field.to_owned()));
        entries.insert(key, stand_in(STAND_INS[0], at));
        self.stand_ins.push((at, 0, table.clone()));
        true
    }

    /// Replaces the stand-in at `stand_ins[index]`, which did not suit its field, with the
    /// next one: the first variant an enumeration's message lists, or the next of
    /// [`STAND_INS`]. When none suits, a nested table is taken out, so that the rest of
    /// the record is still read.
    fn next_stand_in(&mut self, index: usize, message: &str) -> bool {
        let (at, tried, ref table) = self.stand_ins[index];
        let table = table.clone();
        let replacement = match first_variant(message) {
            Some(variant) if tried < STAND_INS.len() => {
                self.stand_ins[index].1 = STAND_INS.len();
                DeValue::String(Cow::Owned(variant.to_owned()))
            }
            _ if tried + 1 < STAND_INS.len() => {
                self.stand_ins[index].1 = tried + 1;
                stand_in(STAND_INS[tried + 1], at).into_inner()
            }
            _ => return remove_table(&mut self.value, &table),
        };
        match value_of_key_at(&mut self.value, at) {
            Some(value) => {
                *value = Spanned::new(at..at, replacement);
                true
            }
            None => false,
        }
    }
}

/// A stand-in value, placed at `at`.
fn stand_in(text: &'static str, at: usize) -> Spanned<DeValue<'static>> {
    let value = DeValue::parse(text).expect("stand-ins are valid TOML values");
    Spanned::new(at..at, value.into_inner())
}

/// The field a "missing field `x`" message names.
fn missing_field(message: &str) -> Option<&str> {
    message.strip_prefix("missing field `")?.split('`').next()
}

/// The first variant an "unknown variant …, expected one of `a`, `b`" message lists.
fn first_variant(message: &str) -> Option<&str> {
    let expected = message
        .strip_prefix("unknown variant")?
        .split_once("expected ")?
        .1;
    expected.split('`').nth(1)
}

/// Whether `span` starts inside `outer`.
fn inside(outer: &Range<usize>, span: &Range<usize>) -> bool {
    outer.start <= span.start && span.start < outer.end.max(outer.start + 1)
}

/// Whether a value holds entries or elements. The span of a table of an array of tables
/// is its header only, not its entries: entries are searched wherever they are.
fn is_container(value: &DeValue<'_>) -> bool {
    matches!(value, DeValue::Table(_) | DeValue::Array(_))
}

/// Takes out the innermost entry or element of `value` that holds `span`, noting a field
/// taken out; `false` when none does.
fn remove_at(
    value: &mut Spanned<DeValue<'_>>,
    span: &Range<usize>,
    removed: &mut Vec<(usize, String)>,
) -> bool {
    let start = value.span().start;
    match value.get_mut() {
        DeValue::Table(entries) => {
            for (_, entry) in entries.iter_mut() {
                if is_container(entry.get_ref()) && remove_at(entry, span, removed) {
                    return true;
                }
            }
            let Some(key) = entries
                .iter()
                .find(|(k, v)| inside(&k.span(), span) || inside(&v.span(), span))
                .map(|(k, _)| k.clone())
            else {
                return false;
            };
            entries.remove(key.get_ref().as_ref());
            removed.push((start, key.get_ref().to_string()));
            true
        }
        DeValue::Array(items) => {
            for item in items.as_mut() {
                if is_container(item.get_ref()) && remove_at(item, span, removed) {
                    return true;
                }
            }
            match items.iter().position(|v| inside(&v.span(), span)) {
                Some(index) => {
                    remove_element(items, index);
                    true
                }
                None => false,
            }
        }
        _ => false,
    }
}

fn remove_element(items: &mut DeArray<'_>, index: usize) {
    let mut kept = DeArray::new();
    for (i, item) in items.iter().enumerate() {
        if i != index {
            kept.push(item.clone());
        }
    }
    *items = kept;
}

/// Takes out the table nested in `value` whose span is `span` (an element of a list of
/// tables, say, that no stand-in could repair); `false` for `value` itself or none.
fn remove_table(value: &mut Spanned<DeValue<'_>>, span: &Range<usize>) -> bool {
    match value.get_mut() {
        DeValue::Table(entries) => {
            let key = entries
                .iter()
                .find(|(_, v)| v.span() == *span && matches!(v.get_ref(), DeValue::Table(_)))
                .map(|(k, _)| k.clone());
            if let Some(key) = key {
                entries.remove(key.get_ref().as_ref());
                return true;
            }
            entries
                .iter_mut()
                .any(|(_, entry)| remove_table(entry, span))
        }
        DeValue::Array(items) => {
            let index = items
                .iter()
                .position(|v| v.span() == *span && matches!(v.get_ref(), DeValue::Table(_)));
            if let Some(index) = index {
                remove_element(items, index);
                return true;
            }
            items
                .as_mut()
                .iter_mut()
                .any(|item| remove_table(item, span))
        }
        _ => false,
    }
}

/// The table (the record or one nested in it) whose span is `span`.
fn table_at<'v, 'i>(
    value: &'v mut Spanned<DeValue<'i>>,
    span: &Range<usize>,
) -> Option<&'v mut DeValue<'i>> {
    if value.span() == *span && matches!(value.get_ref(), DeValue::Table(_)) {
        return Some(value.get_mut());
    }
    match value.get_mut() {
        DeValue::Table(entries) => entries.iter_mut().find_map(|(_, v)| table_at(v, span)),
        DeValue::Array(items) => items.as_mut().iter_mut().find_map(|v| table_at(v, span)),
        _ => None,
    }
}

/// The value of the entry whose key is at `at` (a stand-in's), wherever it is nested.
fn value_of_key_at<'v, 'i>(
    value: &'v mut Spanned<DeValue<'i>>,
    at: usize,
) -> Option<&'v mut Spanned<DeValue<'i>>> {
    match value.get_mut() {
        DeValue::Table(entries) => {
            let mut found = None;
            for (key, entry) in entries.iter_mut() {
                if key.span().start == at {
                    return Some(entry);
                }
                if found.is_none() {
                    found = value_of_key_at(entry, at);
                }
            }
            found
        }
        DeValue::Array(items) => items.iter_mut().find_map(|v| value_of_key_at(v, at)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::diagnostic::Position;
    use crate::model::{Event, Observation};
    use toml::de::DeTable;

    /// The first record of the array `table` in `text`, read: its problems as
    /// `line:column message`, in the order of the file (as diagnostics are sorted).
    fn read<T: DeserializeOwned>(text: &str, table: &str) -> Result<T, Vec<String>> {
        let root = DeTable::parse(text).unwrap().into_inner();
        let (_, value) = root
            .into_iter()
            .find(|(k, _)| k.get_ref() == table)
            .unwrap();
        let DeValue::Array(items) = value.into_inner() else {
            panic!("{table} is not an array")
        };
        deserialize::<T>(items[0].clone(), text.len()).map_err(|problems| {
            let mut found: Vec<(Position, String)> = problems
                .into_iter()
                .map(|p| (Position::of_offset(text, p.span.unwrap().start), p.message))
                .collect();
            found.sort();
            found
                .into_iter()
                .map(|(at, message)| format!("{}:{} {message}", at.line, at.column))
                .collect()
        })
    }

    const OBSERVATION: &str = "[[observation]]\nid = \"o\"\nsource = \"s\"\nlabel = \"L\"\n\
                               value = 35\nunit = \"percent\"\npopulation = \"p\"\ngroup = \"g\"\n";

    #[test]
    fn a_sound_record_is_read() {
        let record: Observation = read(OBSERVATION, "observation").unwrap();
        assert_eq!(record.value, 35.0);
    }

    #[test]
    fn every_problem_of_a_record_is_found() {
        // An unknown field, a value of the wrong type, and missing fields of several types
        // (a string, a number, an enumeration): serde alone would stop at the first.
        let text = "[[observation]]\nid = \"o\"\nsourc = \"s\"\nlabel = 3\ngroup = \"g\"\n";
        let problems = read::<Observation>(text, "observation").unwrap_err();
        assert_eq!(
            problems,
            [
                "1:1 missing field `population`",
                "1:1 missing field `source`",
                "1:1 missing field `unit`",
                "1:1 missing field `value`",
                "3:1 unknown field `sourc`, expected one of `id`, `source`, `label`, `value`, `unit`, `population`, `group`, `period`, `countries_covered`, `primary_source`, `quotes`",
                "4:9 invalid type: integer `3`, expected a string",
            ]
        );
    }

    #[test]
    fn a_field_of_the_wrong_type_is_not_also_missing() {
        let text = OBSERVATION.replace("unit = \"percent\"", "unit = \"per cent\"");
        let problems = read::<Observation>(&text, "observation").unwrap_err();
        assert_eq!(
            problems,
            ["6:8 unknown variant `per cent`, expected `percent`"]
        );
    }

    #[test]
    fn problems_in_nested_tables_are_found_in_each() {
        let text = "[[event]]\nid = \"e\"\nsource = \"s\"\nkind = \"talk\"\n\n\
                    [[event.participant]]\norganisation = \"o\"\nrle = \"r\"\n\n\
                    [[event.participant]]\norganisation = \"o\"\nrole = \"r\"\nabout = [\"a\", 3]\n";
        let problems = read::<Event>(text, "event").unwrap_err();
        assert_eq!(
            problems,
            [
                "4:8 unknown variant `talk`, expected one of `discussion`, `launch`, `congress`",
                "6:1 missing field `role`",
                "8:1 unknown field `rle`, expected one of `organisation`, `role`, `presented`, `about`, `quote`",
                "13:15 invalid type: integer `3`, expected a string",
            ]
        );
    }
}
