//! ORDER BY of a SELECT, done by tipkg rather than by the evaluator.
//!
//! The evaluator compares two literals with SPARQL's `<` where it is defined and by their
//! lexical form otherwise, which is not a total order when numbers, dates, gYears and
//! gYearMonths sort together (`"2020"^^xsd:gYear` sorts before `3`, `3` before `100`, and
//! `100` before `"2020"`), and Rust's sort panics on such a comparison. So the query runs
//! without its top `ORDER BY`, each order expression (but a variable of the pattern, read
//! as it is) bound to a variable of its own, and the solutions are sorted here by a total
//! order that agrees with SPARQL wherever SPARQL orders two terms: unbound, then blank
//! nodes, IRIs and literals; numbers by value, strings by code point, booleans, and each
//! date, time and duration type by its instant or length. The projection, `DISTINCT` and
//! `LIMIT`/`OFFSET` follow, as in SPARQL.

use crate::query::Answer;
use oxigraph::model::{Literal, Term, Variable, vocab::xsd};
use oxigraph::sparql::results::QuerySolution;
use oxsdatatypes::{
    Date, DateTime, DayTimeDuration, Decimal, Double, GDay, GMonth, GMonthDay, GYear, GYearMonth,
    Integer, Time, YearMonthDuration,
};
use spargebra::Query;
use spargebra::algebra::{Expression, GraphPattern, OrderExpression};
use std::cmp::Ordering;
use std::collections::HashSet;
use std::str::FromStr;

/// What is left to do after the unordered query ran.
#[derive(Debug)]
pub struct Modifiers {
    /// The variables holding the order expressions' values, and whether descending.
    keys: Vec<(Variable, bool)>,
    projection: Vec<Variable>,
    distinct: bool,
    start: usize,
    length: Option<usize>,
}

/// A SELECT whose solutions are ordered, as the same query without its ordering (and
/// without `DISTINCT` and slicing, which come after it), and what is then left to do.
/// `None` for every other query.
pub fn split(query: &Query) -> Option<(Query, Modifiers)> {
    let Query::Select {
        dataset,
        pattern,
        base_iri,
    } = query
    else {
        return None;
    };
    let mut pattern = pattern;
    let (mut start, mut length) = (0, None);
    if let GraphPattern::Slice {
        inner,
        start: s,
        length: l,
    } = pattern
    {
        (start, length) = (*s, *l);
        pattern = inner;
    }
    let mut distinct = false;
    match pattern {
        GraphPattern::Distinct { inner } => {
            distinct = true;
            pattern = inner;
        }
        // REDUCED allows, and does not require, removing duplicates.
        GraphPattern::Reduced { inner } => pattern = inner,
        _ => {}
    }
    let GraphPattern::Project { inner, variables } = pattern else {
        return None;
    };
    // SELECT expressions may sit between the projection and the ordering; they are put
    // back above the order keys.
    let mut extends = Vec::new();
    let mut below = &**inner;
    while let GraphPattern::Extend {
        inner,
        variable,
        expression,
    } = below
    {
        extends.push((variable, expression));
        below = inner;
    }
    let GraphPattern::OrderBy { inner, expression } = below else {
        return None;
    };
    let mut used = HashSet::new();
    inner.on_in_scope_variable(|v| {
        used.insert(v.as_str().to_owned());
    });
    for v in variables {
        used.insert(v.as_str().to_owned());
    }
    let mut unordered = (**inner).clone();
    let mut keys = Vec::new();
    let mut projected = variables.clone();
    for (i, order) in expression.iter().enumerate() {
        let (expression, descending) = match order {
            OrderExpression::Asc(e) => (e, false),
            OrderExpression::Desc(e) => (e, true),
        };
        // A variable of the pattern is its own key: binding a copy of it cost the
        // evaluator a step over every solution. A SELECT expression's variable, bound
        // above the ordering here, keeps the general way.
        if let Expression::Variable(variable) = expression
            && !extends.iter().any(|(v, _)| *v == variable)
        {
            if !projected.contains(variable) {
                projected.push(variable.clone());
            }
            keys.push((variable.clone(), descending));
            continue;
        }
        let mut name = format!("order_key_{i}");
        while used.contains(&name) {
            name.push('_');
        }
        let variable = Variable::new_unchecked(name);
        unordered = GraphPattern::Extend {
            inner: Box::new(unordered),
            variable: variable.clone(),
            expression: expression.clone(),
        };
        keys.push((variable.clone(), descending));
        projected.push(variable);
    }
    for (variable, expression) in extends.into_iter().rev() {
        unordered = GraphPattern::Extend {
            inner: Box::new(unordered),
            variable: variable.clone(),
            expression: expression.clone(),
        };
    }
    let query = Query::Select {
        dataset: dataset.clone(),
        pattern: GraphPattern::Project {
            inner: Box::new(unordered),
            variables: projected,
        },
        base_iri: base_iri.clone(),
    };
    let modifiers = Modifiers {
        keys,
        projection: variables.clone(),
        distinct,
        start,
        length,
    };
    Some((query, modifiers))
}

impl Modifiers {
    /// Sorts the solutions of the unordered query, then projects, removes duplicates and
    /// slices them.
    pub fn apply(&self, rows: Vec<QuerySolution>) -> Answer {
        let mut keyed: Vec<(Vec<SortKey>, QuerySolution)> = rows
            .into_iter()
            .map(|row| {
                let keys = self
                    .keys
                    .iter()
                    .map(|(variable, _)| SortKey::of(row.get(variable)))
                    .collect();
                (keys, row)
            })
            .collect();
        // Stable, so that solutions that tie keep the evaluator's order.
        keyed.sort_by(|(a, _), (b, _)| {
            for ((a, b), (_, descending)) in a.iter().zip(b).zip(&self.keys) {
                let order = if *descending { b.cmp(a) } else { a.cmp(b) };
                if order != Ordering::Equal {
                    return order;
                }
            }
            Ordering::Equal
        });
        let variables: std::sync::Arc<[Variable]> = self.projection.clone().into();
        let mut seen = HashSet::new();
        let rows = keyed
            .into_iter()
            .map(|(_, row)| {
                let values: Vec<Option<Term>> = self
                    .projection
                    .iter()
                    .map(|v| row.get(v).cloned())
                    .collect();
                values
            })
            .filter(|values| !self.distinct || seen.insert(values.clone()))
            .skip(self.start)
            .take(self.length.unwrap_or(usize::MAX))
            .map(|values| QuerySolution::from((variables.clone(), values)))
            .collect();
        Answer::Solutions {
            variables: self.projection.clone(),
            rows,
        }
    }
}

/// A term's place in the order. The derived order of the variants is the order of the
/// kinds: unbound, blank nodes, IRIs, literals.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum SortKey {
    Unbound,
    Blank(String),
    Iri(String),
    Literal(LiteralKey),
    /// RDF 1.2 triple terms, last.
    #[allow(dead_code)]
    Other(String),
}

/// A literal's place among literals: kinds SPARQL cannot compare are kept apart, each in
/// a fixed place; within a kind, SPARQL's order; ties broken by the lexical form, so that
/// the order is total.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum LiteralKey {
    Numeric(Numeric),
    String(String),
    Boolean(bool, String),
    Temporal(Temporal, String),
    Tagged { language: String, value: String },
    Typed { datatype: String, value: String },
}

/// `PartialOrd`, `PartialEq` and `Eq` from a type's `Ord`.
macro_rules! total_order {
    ($type:ty) => {
        impl PartialOrd for $type {
            fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
                Some(self.cmp(other))
            }
        }

        impl PartialEq for $type {
            fn eq(&self, other: &Self) -> bool {
                self.cmp(other) == Ordering::Equal
            }
        }

        impl Eq for $type {}
    };
}

/// A number: by its value as a double, then (for `xsd:decimal`, `xsd:integer` and the
/// integer types, which doubles cannot all hold) by its exact value; `NaN` last.
#[derive(Debug)]
pub struct Numeric {
    approximate: f64,
    exact: Option<Decimal>,
    lexical: String,
    datatype: String,
}

impl Ord for Numeric {
    fn cmp(&self, other: &Self) -> Ordering {
        let nan_last = |x: f64| if x.is_nan() { f64::NAN } else { x };
        nan_last(self.approximate)
            .total_cmp(&nan_last(other.approximate))
            .then_with(|| self.exact.cmp(&other.exact))
            .then_with(|| self.lexical.cmp(&other.lexical))
            .then_with(|| self.datatype.cmp(&other.datatype))
    }
}

total_order!(Numeric);

/// A date, time or duration. A value without a time zone is placed as if in UTC: where
/// SPARQL orders it against a value with one (the two are more than 14 hours apart), this
/// agrees; where SPARQL cannot tell, any place is right.
#[derive(Debug, Clone, Copy)]
pub enum Temporal {
    DateTime(DateTime),
    Date(Date),
    Time(Time),
    GYearMonth(GYearMonth),
    GYear(GYear),
    GMonthDay(GMonthDay),
    GMonth(GMonth),
    GDay(GDay),
    DayTimeDuration(DayTimeDuration),
    YearMonthDuration(YearMonthDuration),
}

impl Temporal {
    fn rank(&self) -> u8 {
        match self {
            Self::DateTime(_) => 0,
            Self::Date(_) => 1,
            Self::Time(_) => 2,
            Self::GYearMonth(_) => 3,
            Self::GYear(_) => 4,
            Self::GMonthDay(_) => 5,
            Self::GMonth(_) => 6,
            Self::GDay(_) => 7,
            Self::DayTimeDuration(_) => 8,
            Self::YearMonthDuration(_) => 9,
        }
    }

    fn of(literal: &Literal) -> Option<Self> {
        let value = literal.value();
        /// Parses a value of a type with time zones, placed in UTC when it has none.
        fn zoned<T: FromStr + Copy>(value: &str, zone: impl Fn(T) -> bool) -> Option<T> {
            let parsed = T::from_str(value).ok()?;
            if zone(parsed) {
                Some(parsed)
            } else {
                T::from_str(&format!("{value}Z")).ok()
            }
        }
        let datatype = literal.datatype();
        Some(
            if datatype == xsd::DATE_TIME || datatype == xsd::DATE_TIME_STAMP {
                Self::DateTime(zoned(value, |v: DateTime| v.timezone_offset().is_some())?)
            } else if datatype == xsd::DATE {
                Self::Date(zoned(value, |v: Date| v.timezone_offset().is_some())?)
            } else if datatype == xsd::TIME {
                Self::Time(zoned(value, |v: Time| v.timezone_offset().is_some())?)
            } else if datatype == xsd::G_YEAR_MONTH {
                Self::GYearMonth(zoned(value, |v: GYearMonth| v.timezone_offset().is_some())?)
            } else if datatype == xsd::G_YEAR {
                Self::GYear(zoned(value, |v: GYear| v.timezone_offset().is_some())?)
            } else if datatype == xsd::G_MONTH_DAY {
                Self::GMonthDay(zoned(value, |v: GMonthDay| v.timezone_offset().is_some())?)
            } else if datatype == xsd::G_MONTH {
                Self::GMonth(zoned(value, |v: GMonth| v.timezone_offset().is_some())?)
            } else if datatype == xsd::G_DAY {
                Self::GDay(zoned(value, |v: GDay| v.timezone_offset().is_some())?)
            } else if datatype == xsd::DAY_TIME_DURATION {
                Self::DayTimeDuration(DayTimeDuration::from_str(value).ok()?)
            } else if datatype == xsd::YEAR_MONTH_DURATION {
                Self::YearMonthDuration(YearMonthDuration::from_str(value).ok()?)
            } else {
                return None;
            },
        )
    }
}

impl Ord for Temporal {
    fn cmp(&self, other: &Self) -> Ordering {
        // Every value here has a time zone, so comparisons between values of one type are
        // determinate; `Equal` is never reached for values of different instants.
        let within = match (self, other) {
            (Self::DateTime(a), Self::DateTime(b)) => a.partial_cmp(b),
            (Self::Date(a), Self::Date(b)) => a.partial_cmp(b),
            (Self::Time(a), Self::Time(b)) => a.partial_cmp(b),
            (Self::GYearMonth(a), Self::GYearMonth(b)) => a.partial_cmp(b),
            (Self::GYear(a), Self::GYear(b)) => a.partial_cmp(b),
            (Self::GMonthDay(a), Self::GMonthDay(b)) => a.partial_cmp(b),
            (Self::GMonth(a), Self::GMonth(b)) => a.partial_cmp(b),
            (Self::GDay(a), Self::GDay(b)) => a.partial_cmp(b),
            (Self::DayTimeDuration(a), Self::DayTimeDuration(b)) => a.partial_cmp(b),
            (Self::YearMonthDuration(a), Self::YearMonthDuration(b)) => a.partial_cmp(b),
            _ => return self.rank().cmp(&other.rank()),
        };
        within.unwrap_or(Ordering::Equal)
    }
}

total_order!(Temporal);

const INTEGER_TYPES: [oxigraph::model::NamedNodeRef<'static>; 13] = [
    xsd::INTEGER,
    xsd::LONG,
    xsd::INT,
    xsd::SHORT,
    xsd::BYTE,
    xsd::NON_NEGATIVE_INTEGER,
    xsd::NON_POSITIVE_INTEGER,
    xsd::POSITIVE_INTEGER,
    xsd::NEGATIVE_INTEGER,
    xsd::UNSIGNED_LONG,
    xsd::UNSIGNED_INT,
    xsd::UNSIGNED_SHORT,
    xsd::UNSIGNED_BYTE,
];

impl SortKey {
    pub fn of(term: Option<&Term>) -> Self {
        match term {
            None => Self::Unbound,
            Some(Term::BlankNode(node)) => Self::Blank(node.as_str().to_owned()),
            Some(Term::NamedNode(node)) => Self::Iri(node.as_str().to_owned()),
            Some(Term::Literal(literal)) => Self::Literal(LiteralKey::of(literal)),
            #[allow(unreachable_patterns)]
            Some(other) => Self::Other(other.to_string()),
        }
    }
}

impl LiteralKey {
    fn of(literal: &Literal) -> Self {
        let value = literal.value();
        if let Some(language) = literal.language() {
            return Self::Tagged {
                language: language.to_owned(),
                value: value.to_owned(),
            };
        }
        let datatype = literal.datatype();
        let numeric = |approximate: f64, exact: Option<Decimal>| {
            Self::Numeric(Numeric {
                approximate,
                exact,
                lexical: value.to_owned(),
                datatype: datatype.as_str().to_owned(),
            })
        };
        if datatype == xsd::STRING {
            return Self::String(value.to_owned());
        }
        if INTEGER_TYPES.contains(&datatype)
            && let Ok(n) = Integer::from_str(value)
        {
            let exact = Decimal::from(n);
            return numeric(f64::from(Double::from(exact)), Some(exact));
        }
        if datatype == xsd::DECIMAL
            && let Ok(exact) = Decimal::from_str(value)
        {
            return numeric(f64::from(Double::from(exact)), Some(exact));
        }
        if (datatype == xsd::DOUBLE || datatype == xsd::FLOAT)
            && let Ok(n) = Double::from_str(value)
        {
            return numeric(f64::from(n), None);
        }
        if datatype == xsd::BOOLEAN {
            match value {
                "true" | "1" => return Self::Boolean(true, value.to_owned()),
                "false" | "0" => return Self::Boolean(false, value.to_owned()),
                _ => {}
            }
        }
        if let Some(temporal) = Temporal::of(literal) {
            return Self::Temporal(temporal, value.to_owned());
        }
        Self::Typed {
            datatype: datatype.as_str().to_owned(),
            value: value.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(value: &str, datatype: oxigraph::model::NamedNodeRef<'_>) -> Term {
        Literal::new_typed_literal(value, datatype).into()
    }

    fn sorted(mut terms: Vec<Term>) -> Vec<String> {
        terms.sort_by_cached_key(|t| SortKey::of(Some(t)));
        terms.iter().map(|t| t.to_string()).collect()
    }

    #[test]
    fn numbers_dates_and_years_sort_in_a_total_order() {
        // With the evaluator's comparison, "2020"^^gYear < 3 < 100 < "2020"^^gYear.
        let terms = vec![
            typed("2020", xsd::G_YEAR),
            typed("100", xsd::INTEGER),
            typed("3", xsd::INTEGER),
            typed("2.5", xsd::DECIMAL),
            typed("2019-05", xsd::G_YEAR_MONTH),
            typed("2019-05-01", xsd::DATE),
            typed("2018-01-01+05:00", xsd::DATE),
            typed("1e1", xsd::DOUBLE),
            typed("NaN", xsd::DOUBLE),
            typed("1999", xsd::G_YEAR),
            Literal::new_simple_literal("b").into(),
            Literal::new_simple_literal("a").into(),
        ];
        let order = sorted(terms);
        let position = |needle: &str| order.iter().position(|t| t.starts_with(needle)).unwrap();
        assert!(position("\"2.5\"") < position("\"3\""), "{order:?}");
        assert!(position("\"3\"") < position("\"1e1\""), "{order:?}");
        assert!(position("\"1e1\"") < position("\"100\""), "{order:?}");
        assert!(position("\"100\"") < position("\"NaN\""), "{order:?}");
        assert!(position("\"a\"") < position("\"b\""), "{order:?}");
        assert!(position("\"1999\"") < position("\"2020\""), "{order:?}");
        assert!(position("\"2018-01-01+05:00\"") < position("\"2019-05-01\""));
    }

    #[test]
    fn a_variable_key_is_read_as_it_is_and_an_expression_key_is_bound() {
        use oxigraph::io::RdfFormat;
        use oxigraph::sparql::{QueryResults, SparqlEvaluator};
        use spargebra::SparqlParser;

        let store = oxigraph::store::Store::new().unwrap();
        store
            .load_from_slice(
                RdfFormat::Turtle,
                r#"@prefix : <http://example.org/> .
                :a :name "a" ; :rank 2 .
                :b :name "b" ; :rank 10 .
                :c :name "c" ; :rank "2020"^^<http://www.w3.org/2001/XMLSchema#gYear> .
                :d :name "b" ; :rank 10 ."#,
            )
            .unwrap();
        let parse = |text: &str| {
            SparqlParser::new()
                .parse_query(&format!("PREFIX : <http://example.org/> {text}"))
                .unwrap()
        };
        // Ordered by a variable that is not projected, and by one that is.
        let query = parse(
            "SELECT DISTINCT ?name WHERE { ?s :name ?name ; :rank ?rank } ORDER BY DESC(?rank) ?name",
        );
        let (unordered, modifiers) = split(&query).unwrap();
        let text = unordered.to_string();
        assert!(
            !text.contains("BIND") && !text.contains("order_key"),
            "{text}"
        );
        let QueryResults::Solutions(solutions) = SparqlEvaluator::new()
            .for_query(unordered)
            .on_store(&store)
            .execute()
            .unwrap()
        else {
            panic!("solutions")
        };
        let rows = solutions.collect::<Result<Vec<_>, _>>().unwrap();
        let Answer::Solutions { variables, rows } = modifiers.apply(rows) else {
            panic!("solutions")
        };
        assert_eq!(variables, [Variable::new_unchecked("name")]);
        let names: Vec<String> = rows
            .iter()
            .map(|row| row.get("name").unwrap().to_string())
            .collect();
        // Descending: the gYear after the numbers, then 10 (one "b" left), then 2.
        assert_eq!(names, [r#""c""#, r#""b""#, r#""a""#]);
        assert!(rows.iter().all(|row| row.get("rank").is_none()));

        let (unordered, _) = split(&parse(
            "SELECT ?name WHERE { ?s :name ?name } ORDER BY STRLEN(?name)",
        ))
        .unwrap();
        assert!(unordered.to_string().contains("order_key_0"), "{unordered}");
    }

    #[test]
    fn decimals_beyond_a_double_keep_their_order() {
        let order = sorted(vec![
            typed("0.100000000000000002", xsd::DECIMAL),
            typed("0.100000000000000001", xsd::DECIMAL),
        ]);
        assert!(order[0].contains("01\""), "{order:?}");
    }
}
