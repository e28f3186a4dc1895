//! Country reference data: ISO 3166-1 codes and names and UN M49 regions.
//!
//! The tables come from the `keshvar` crate, which distributes ISO 3166-1 and the UN
//! Statistics Division's M49 regions; nothing here is typed by hand.

use keshvar::{Alpha3, CountryIterator};

/// One M49 region or sub-region: its stable key (the slug of its IRI) and its English name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Region {
    pub key: String,
    pub name: String,
}

impl Region {
    fn from_key(key: String) -> Self {
        let name = region_name(&key);
        Self { key, name }
    }
}

/// What the reference data says of one country.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryInfo {
    pub alpha2: String,
    pub alpha3: String,
    pub numeric: String,
    pub short_name: String,
    pub official_name: String,
    pub region: Option<Region>,
    pub sub_region: Option<Region>,
}

/// The country with this ISO 3166-1 alpha-3 code (upper case only), if there is one.
pub fn country(alpha3: &str) -> Option<CountryInfo> {
    if alpha3.len() != 3 || !alpha3.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let country = Alpha3::try_from(alpha3).ok()?.to_country();
    Some(CountryInfo {
        alpha2: country.alpha2().to_string(),
        alpha3: country.alpha3().to_string(),
        numeric: country.number().to_owned(),
        short_name: country.iso_short_name().to_owned(),
        official_name: country.iso_long_name().to_owned(),
        region: country
            .maybe_region()
            .map(|r| Region::from_key(r.to_string())),
        sub_region: country
            .maybe_subregion()
            .map(|r| Region::from_key(r.to_string())),
    })
}

/// Every alpha-3 code the reference data knows, to suggest a code for a typo.
pub fn alpha3_codes() -> Vec<String> {
    CountryIterator::new()
        .map(|c| c.alpha3().to_string())
        .collect()
}

/// The English name of an M49 region from its kebab-case key ("south-eastern-asia" gives
/// "South-eastern Asia", the form M49 itself uses).
fn region_name(key: &str) -> String {
    const PROPER: [&str; 6] = ["africa", "america", "americas", "asia", "europe", "zealand"];
    let words: Vec<String> = key
        .split('-')
        .enumerate()
        .map(|(i, word)| {
            if i == 0 || PROPER.contains(&word) || word == "new" {
                capitalise(word)
            } else {
                word.to_owned()
            }
        })
        .collect();
    // M49 writes compass compounds with a hyphen: "South-eastern Asia".
    words
        .join(" ")
        .replacen("South eastern", "South-eastern", 1)
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn romania_comes_with_codes_and_regions() {
        let ro = country("ROU").unwrap();
        assert_eq!(ro.alpha2, "RO");
        assert_eq!(ro.numeric, "642");
        assert_eq!(ro.short_name, "Romania");
        assert_eq!(ro.region.unwrap().name, "Europe");
        assert_eq!(ro.sub_region.unwrap().name, "Eastern Europe");
    }

    #[test]
    fn region_names_follow_m49() {
        assert_eq!(region_name("south-eastern-asia"), "South-eastern Asia");
        assert_eq!(
            region_name("australia-and-new-zealand"),
            "Australia and New Zealand"
        );
        assert_eq!(region_name("northern-america"), "Northern America");
    }

    #[test]
    fn lower_case_and_unknown_codes_are_refused() {
        assert!(country("rou").is_none());
        assert!(country("XXX").is_none());
    }
}
