//! Code lists shipped with the project (`sql/seeds/*.csv`, copied from the
//! contract's `codes/`). They are compiled into the binary so that a run never
//! reads the specification folder, and the same files are loaded as seed
//! tables by the SQL models.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

/// Raw text of each seed file, by table name.
pub const SEEDS: &[(&str, &str)] = &[
    ("age_groups", include_str!("../sql/seeds/age_groups.csv")),
    (
        "assistance_types",
        include_str!("../sql/seeds/assistance_types.csv"),
    ),
    ("countries", include_str!("../sql/seeds/countries.csv")),
    (
        "rss_dimensions",
        include_str!("../sql/seeds/rss_dimensions.csv"),
    ),
    ("rss_items", include_str!("../sql/seeds/rss_items.csv")),
    (
        "vulnerabilities",
        include_str!("../sql/seeds/vulnerabilities.csv"),
    ),
];

/// One assistance type of `assistance_types.csv`.
#[derive(Debug, Clone)]
pub struct AssistanceType {
    pub code: String,
    pub dimension: String,
    pub level: String,
    pub sdg_target: String,
}

/// One age group of `age_groups.csv` (indicators.md, `age_group`): the
/// only place the groups are defined. The SQL derives a case's group from
/// the bounds, the data test and the reports read the list.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AgeGroup {
    pub age_group: String,
    /// Completed years, both bounds included; none for the group of cases
    /// without a valid age (`unknown`).
    pub min_age: Option<u32>,
    pub max_age: Option<u32>,
}

/// One survey item of `rss_items.csv`.
#[derive(Debug, Clone)]
pub struct RssItem {
    pub item: String,
    pub dimension: String,
    pub weight: f64,
}

/// The parsed code lists.
#[derive(Debug)]
pub struct Codes {
    /// alpha-2 and alpha-3, upper case, to alpha-3.
    pub countries: HashMap<String, String>,
    /// Country alpha-3 to English short name.
    pub country_names: BTreeMap<String, String>,
    pub assistance_types: Vec<AssistanceType>,
    /// Upper-case vulnerability codes.
    pub vulnerabilities: Vec<String>,
    pub rss_items: Vec<RssItem>,
    /// Dimension and its weight in the overall score.
    pub rss_dimensions: Vec<(String, f64)>,
    /// The age groups in order, `unknown` last.
    pub age_groups: Vec<AgeGroup>,
}

fn rows(text: &str) -> Vec<csv::StringRecord> {
    // Flexible: the free-text last column of rss_items.csv holds unquoted commas.
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| r.expect("shipped seed files are valid CSV"))
        .collect()
}

/// The code lists compiled into the binary.
pub static CODES: LazyLock<Codes> = LazyLock::new(|| {
    let seed = |name: &str| {
        SEEDS
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| *t)
            .expect("seed exists")
    };
    let mut countries = HashMap::new();
    let mut country_names = BTreeMap::new();
    for r in rows(seed("countries")) {
        countries.insert(r[0].to_uppercase(), r[0].to_uppercase());
        countries.insert(r[1].to_uppercase(), r[0].to_uppercase());
        country_names.insert(r[0].to_uppercase(), r[2].to_string());
    }
    let assistance_types = rows(seed("assistance_types"))
        .iter()
        .map(|r| AssistanceType {
            code: r[0].to_string(),
            dimension: r[2].to_string(),
            level: r[3].to_string(),
            sdg_target: r[4].to_string(),
        })
        .collect();
    let vulnerabilities = rows(seed("vulnerabilities"))
        .iter()
        .map(|r| r[0].to_uppercase())
        .collect();
    let rss_items = rows(seed("rss_items"))
        .iter()
        .map(|r| RssItem {
            item: r[0].to_string(),
            dimension: r[1].to_string(),
            weight: r[2].parse().expect("shipped weights are numbers"),
        })
        .collect();
    let rss_dimensions = rows(seed("rss_dimensions"))
        .iter()
        .map(|r| {
            (
                r[0].to_string(),
                r[1].parse().expect("shipped weights are numbers"),
            )
        })
        .collect();
    let bound = |v: &str| (!v.is_empty()).then(|| v.parse().expect("shipped bounds are numbers"));
    let age_groups = rows(seed("age_groups"))
        .iter()
        .map(|r| AgeGroup {
            age_group: r[0].to_string(),
            min_age: bound(&r[1]),
            max_age: bound(&r[2]),
        })
        .collect();
    Codes {
        age_groups,
        rss_dimensions,
        countries,
        country_names,
        assistance_types,
        vulnerabilities,
        rss_items,
    }
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_parse() {
        assert_eq!(CODES.countries.get("FR").map(String::as_str), Some("FRA"));
        assert_eq!(CODES.countries.get("GIN").map(String::as_str), Some("GIN"));
        assert_eq!(CODES.assistance_types.len(), 14);
        assert_eq!(CODES.vulnerabilities.len(), 6);
        assert_eq!(CODES.rss_items.len(), 15);
        let groups: Vec<&str> = CODES
            .age_groups
            .iter()
            .map(|g| g.age_group.as_str())
            .collect();
        assert_eq!(
            groups,
            ["0-17", "18-24", "25-34", "35-49", "50+", "unknown"]
        );
    }
}
