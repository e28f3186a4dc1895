//! Country reference data: ISO 3166-1 codes and names and UN M49 regions.
//!
//! ISO 3166-1 codes and names come from the `keshvar` crate. The M49 regions (region,
//! sub-region and intermediate region, with their codes and English names) come from
//! `data/reference/m49.csv`, a subset of the Countries & Territories Taxonomy that the
//! `hdx-python-country` package distributes (its README says where from and how it was
//! made), compiled in. Nothing here is typed by hand.

use keshvar::{Alpha3, CountryIterator};
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// The M49 regions of every country, by ISO 3166-1 alpha-3 code.
const M49_CSV: &str = include_str!("../../data/reference/m49.csv");

/// One M49 region, sub-region or intermediate region: its stable key (the slug of its IRI,
/// from its English name), its English name and its three-digit M49 code.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Region {
    pub key: String,
    pub name: String,
    pub code: String,
}

impl Region {
    /// The region of an M49 code and name as the file gives them: none when both are empty.
    fn read(code: &str, name: &str) -> Result<Option<Self>, String> {
        match (code.trim(), name.trim()) {
            ("", "") => Ok(None),
            (code, name) if !name.is_empty() => {
                let number: u16 = code
                    .parse()
                    .ok()
                    .filter(|n| *n < 1000)
                    .ok_or_else(|| format!("{code:?} is not an M49 code"))?;
                Ok(Some(Self {
                    key: slug(name),
                    name: name.to_owned(),
                    code: format!("{number:03}"),
                }))
            }
            (code, _) => Err(format!("the M49 code {code:?} has no name")),
        }
    }
}

/// A country's M49 regions, from the widest: region, sub-region, intermediate region.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Regions {
    pub region: Option<Region>,
    pub sub_region: Option<Region>,
    pub intermediate_region: Option<Region>,
}

impl Regions {
    /// The chain of regions from the narrowest up: intermediate region (where there is
    /// one), sub-region, region.
    pub fn chain(&self) -> Vec<&Region> {
        [&self.intermediate_region, &self.sub_region, &self.region]
            .into_iter()
            .flatten()
            .collect()
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
    })
}

/// Every alpha-3 code the reference data knows, to suggest a code for a typo.
pub fn alpha3_codes() -> Vec<String> {
    CountryIterator::new()
        .map(|c| c.alpha3().to_string())
        .collect()
}

/// The M49 regions of the country with this alpha-3 code, if the M49 file gives any.
pub fn regions(alpha3: &str) -> Option<&'static Regions> {
    m49_regions().get(alpha3)
}

/// The M49 regions of every alpha-3 code in `data/reference/m49.csv`, read once. The file
/// is compiled in and a unit test reads it whole, so it cannot fail here; if it did, no
/// country would have regions rather than the program stopping.
fn m49_regions() -> &'static BTreeMap<String, Regions> {
    static REGIONS: LazyLock<BTreeMap<String, Regions>> =
        LazyLock::new(|| parse_m49(M49_CSV).unwrap_or_default());
    &REGIONS
}

/// Reads the M49 file: the regions of each row with an alpha-3 code, or every problem
/// found, each with its line.
fn parse_m49(text: &str) -> Result<BTreeMap<String, Regions>, Vec<String>> {
    const HEADER: [&str; 8] = [
        "alpha3",
        "m49",
        "region_code",
        "region_name",
        "sub_region_code",
        "sub_region_name",
        "intermediate_region_code",
        "intermediate_region_name",
    ];
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let mut problems = Vec::new();
    match reader.headers() {
        Ok(header) if header.iter().eq(HEADER) => {}
        Ok(header) => problems.push(format!(
            "line 1: the columns are {:?}, not {HEADER:?}",
            header.iter().collect::<Vec<_>>()
        )),
        Err(e) => problems.push(format!("line 1: {e}")),
    }
    let mut regions = BTreeMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                problems.push(e.to_string());
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let field = |i: usize| record.get(i).unwrap_or("");
        let alpha3 = field(0).trim();
        if alpha3.is_empty() {
            continue;
        }
        let read = |i: usize| Region::read(field(i), field(i + 1));
        match (read(2), read(4), read(6)) {
            (Ok(region), Ok(sub_region), Ok(intermediate_region)) => {
                let row = Regions {
                    region,
                    sub_region,
                    intermediate_region,
                };
                if regions.insert(alpha3.to_owned(), row).is_some() {
                    problems.push(format!("line {line}: {alpha3} is given twice"));
                }
            }
            (a, b, c) => problems.extend(
                [a.err(), b.err(), c.err()]
                    .into_iter()
                    .flatten()
                    .map(|e| format!("line {line}: {e}")),
            ),
        }
    }
    if problems.is_empty() {
        Ok(regions)
    } else {
        Err(problems)
    }
}

/// The slug of a region's English name: "South-eastern Asia" gives "south-eastern-asia".
fn slug(name: &str) -> String {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join("-")
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
        let chain = regions("ROU").unwrap().chain();
        let names: Vec<_> = chain
            .iter()
            .map(|r| (r.name.as_str(), r.code.as_str()))
            .collect();
        assert_eq!(names, [("Eastern Europe", "151"), ("Europe", "150")]);
    }

    #[test]
    fn kenya_is_in_eastern_africa_under_sub_saharan_africa() {
        let chain: Vec<_> = regions("KEN")
            .unwrap()
            .chain()
            .iter()
            .map(|r| (r.key.as_str(), r.name.as_str(), r.code.as_str()))
            .collect();
        assert_eq!(
            chain,
            [
                ("eastern-africa", "Eastern Africa", "014"),
                ("sub-saharan-africa", "Sub-Saharan Africa", "202"),
                ("africa", "Africa", "002"),
            ]
        );
    }

    #[test]
    fn the_m49_file_is_read_whole() {
        let regions = parse_m49(M49_CSV).unwrap();
        let rows = M49_CSV
            .lines()
            .skip(1)
            .filter(|l| !l.starts_with(','))
            .count();
        assert_eq!(regions.len(), rows);
        assert!(rows > 240, "{rows} rows");
        // Every alpha-3 code of the file is an ISO 3166-1 code keshvar knows, and the file's
        // M49 code of the country is its ISO 3166-1 numeric code.
        let mut reader = csv::Reader::from_reader(M49_CSV.as_bytes());
        let mut disagree = Vec::new();
        for record in reader.records() {
            let record = record.unwrap();
            let (alpha3, m49) = (&record[0], &record[1]);
            if alpha3.is_empty() {
                continue;
            }
            let numeric = country(alpha3).map(|c| c.numeric);
            if numeric.as_deref().and_then(|n| n.parse::<u16>().ok()) != m49.parse().ok() {
                disagree.push((alpha3.to_owned(), m49.to_owned(), numeric));
            }
        }
        assert_eq!(disagree, []);
    }

    #[test]
    fn problems_in_the_m49_file_are_all_reported_with_their_lines() {
        let text = "alpha3,m49,region_code,region_name,sub_region_code,sub_region_name,\
                    intermediate_region_code,intermediate_region_name\n\
                    KEN,404,2,Africa,x,Sub-Saharan Africa,14,\n\
                    KEN,404,2,Africa,202,Sub-Saharan Africa,,\n\
                    KEN,404,2,Africa,202,Sub-Saharan Africa,,\n";
        let problems = parse_m49(text).unwrap_err();
        assert_eq!(
            problems,
            [
                "line 2: \"x\" is not an M49 code",
                "line 2: the M49 code \"14\" has no name",
                "line 4: KEN is given twice",
            ]
        );
    }

    #[test]
    fn slugs_follow_the_names() {
        assert_eq!(slug("South-eastern Asia"), "south-eastern-asia");
        assert_eq!(
            slug("Latin America and the Caribbean"),
            "latin-america-and-the-caribbean"
        );
        assert_eq!(slug("Sub-Saharan Africa"), "sub-saharan-africa");
    }

    #[test]
    fn lower_case_and_unknown_codes_are_refused() {
        assert!(country("rou").is_none());
        assert!(country("XXX").is_none());
    }
}
