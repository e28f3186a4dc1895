//! Closed sets of values that each have a name (the RDF formats, the kinds of triplestore,
//! how a push travels): one list of names for parsing, for messages and for any interface
//! that offers the choice, such as the command line's value parsers.

/// A type whose values are a fixed list, each with a name of lowercase letters.
pub trait Named: Copy + Eq + Send + Sync + 'static {
    /// What the values are, in messages: "format", "kind of store".
    const KIND: &'static str;
    /// Every value, in the order a choice lists them.
    const ALL: &'static [Self];

    /// The value's name.
    fn name(self) -> &'static str;
}

/// The value named `name`.
pub fn parse<T: Named>(name: &str) -> Result<T, UnknownName> {
    T::ALL
        .iter()
        .copied()
        .find(|value| value.name() == name)
        .ok_or_else(|| UnknownName {
            kind: T::KIND,
            name: name.to_owned(),
            expected: names::<T>(),
        })
}

/// The names of every value, in order.
pub fn names<T: Named>() -> Vec<&'static str> {
    T::ALL.iter().map(|value| value.name()).collect()
}

/// A name that none of a type's values has.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} \"{name}\": expected {}", one_of(expected))]
pub struct UnknownName {
    pub kind: &'static str,
    pub name: String,
    pub expected: Vec<&'static str>,
}

fn one_of(names: &[&str]) -> String {
    match names {
        [one] => (*one).to_owned(),
        _ => format!("one of {}", names.join(", ")),
    }
}

/// `Display` (the name) and `FromStr` (by name) for a [`Named`] type.
macro_rules! display_and_parse {
    ($type:ty) => {
        impl ::std::fmt::Display for $type {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str($crate::base::named::Named::name(*self))
            }
        }

        impl ::std::str::FromStr for $type {
            type Err = $crate::base::named::UnknownName;

            fn from_str(name: &str) -> ::std::result::Result<Self, Self::Err> {
                $crate::base::named::parse(name)
            }
        }
    };
}

pub(crate) use display_and_parse;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::format::Format;

    #[test]
    fn names_parse_back_and_unknown_ones_list_the_choice() {
        for format in <Format as Named>::ALL {
            assert_eq!(format.to_string().parse::<Format>(), Ok(*format));
        }
        assert_eq!(names::<Format>().len(), Format::ALL.len());
        let error = "ttl".parse::<Format>().unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown format \"ttl\": expected one of turtle, ntriples, nquads, trig, rdfxml, jsonld, canonical"
        );
    }
}
