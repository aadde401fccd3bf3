//! The code lists: countries, assistance types, vulnerabilities, survey
//! items and dimensions, age groups.
//!
//! They belong to the project: `sql/seeds/*.csv` (or `[transform] seeds`),
//! which `homeward init` fills with the lists shipped in this binary (copied
//! from the contract's `codes/`). Both the pull (which codes a row may use)
//! and the SQL (the `seed_*` tables) read the same loaded [`Codes`]. A file
//! the project does not have falls back to the shipped one, so a project made
//! before the lists were editable keeps working.
//!
//! A list is checked when it is loaded: a missing column, a duplicate code, an
//! unknown dimension or level, or a bad number is an error that names the
//! file and the line.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{LazyLock, Mutex, OnceLock};

use sha2::{Digest, Sha256};

use crate::pull::contract::{Entity, EntitySpec};

/// The code lists, by table name, as shipped in the binary.
pub const SHIPPED: &[(&str, &str)] = &[
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

/// The assistance dimensions and levels the contract knows
/// (`codes/README.md`); the indicators are written for these.
pub const ASSISTANCE_DIMENSIONS: &[&str] = &[
    "reception",
    "economic",
    "social",
    "psychosocial",
    "structural",
];
pub const ASSISTANCE_LEVELS: &[&str] = &["individual", "community", "structural"];
/// The survey's dimensions: each has its own score indicator.
pub const RSS_DIMENSIONS: &[&str] = &["economic", "social", "psychosocial"];

/// One assistance type of `assistance_types.csv`.
#[derive(Debug, Clone)]
pub struct AssistanceType {
    pub code: String,
    /// The code list's (English) label; reports in another language take
    /// the `assistance-<code>` message.
    pub label: String,
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

/// One code list as read: its table name, its text, and where it came from.
#[derive(Debug, Clone)]
pub struct Seed {
    pub name: &'static str,
    pub text: String,
    /// The project's file, or none for the list shipped in the binary.
    pub path: Option<PathBuf>,
}

/// The parsed, checked code lists of a project.
#[derive(Debug)]
pub struct Codes {
    /// Every list, in [`SHIPPED`]'s order: the SQL's seed tables.
    pub seeds: Vec<Seed>,
    /// SHA-256 over every list's name and text: a changed list changes it.
    pub fingerprint: String,
    /// alpha-2 and alpha-3, upper case, to alpha-3.
    pub countries: HashMap<String, String>,
    /// Country alpha-3 to English short name.
    pub country_names: BTreeMap<String, String>,
    pub assistance_types: Vec<AssistanceType>,
    /// The assistance type codes as an enumeration of the contract.
    pub assistance_spellings: &'static [(&'static str, &'static [&'static str])],
    /// Upper-case vulnerability codes.
    pub vulnerabilities: Vec<String>,
    /// Upper-case vulnerability code to its English label.
    pub vulnerability_labels: BTreeMap<String, String>,
    pub rss_items: Vec<RssItem>,
    /// Dimension and its weight in the overall score.
    pub rss_dimensions: Vec<(String, f64)>,
    /// The age groups in order, `unknown` last.
    pub age_groups: Vec<AgeGroup>,
    /// The contract's entities with these lists (the survey's items are
    /// columns), made on first use.
    specs: OnceLock<Vec<EntitySpec>>,
}

/// A code list that breaks the contract: `path:line: message`.
#[derive(Debug, thiserror::Error)]
#[error("{path}:{line}: {message}")]
pub struct CodeListError {
    pub path: String,
    pub line: u64,
    pub message: String,
}

/// One list's rows by column name, with the line each came from.
struct Table {
    path: String,
    rows: Vec<(u64, HashMap<String, String>)>,
}

impl Table {
    fn parse(seed: &Seed, columns: &[&str]) -> Result<Table, CodeListError> {
        let path = match &seed.path {
            Some(p) => p.display().to_string(),
            None => format!("(shipped) {}.csv", seed.name),
        };
        let err = |line: u64, message: String| CodeListError {
            path: path.clone(),
            line,
            message,
        };
        // A list saved by Excel starts with a byte-order mark.
        let text = seed.text.strip_prefix('\u{feff}').unwrap_or(&seed.text);
        // Flexible: a free-text last column (a survey question) may hold
        // unquoted commas; the extra fields belong to it.
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| err(1, e.to_string()))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        for c in columns {
            if !headers.iter().any(|h| h == c) {
                return Err(err(
                    1,
                    format!(
                        "missing column `{c}` (the header is `{}`)",
                        headers.join(",")
                    ),
                ));
            }
        }
        let mut rows = Vec::new();
        for rec in reader.records() {
            let rec = rec.map_err(|e| {
                err(
                    e.position().map_or(0, |p| p.line()),
                    format!("not valid CSV: {e}"),
                )
            })?;
            let line = rec.position().map_or(0, |p| p.line());
            if rec.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            if rec.len() < headers.len() {
                return Err(err(
                    line,
                    format!("{} fields, the header has {}", rec.len(), headers.len()),
                ));
            }
            let mut row = HashMap::new();
            for (i, h) in headers.iter().enumerate() {
                let value = if i + 1 == headers.len() {
                    rec.iter().skip(i).collect::<Vec<_>>().join(",")
                } else {
                    rec[i].to_string()
                };
                row.insert(h.clone(), value.trim().to_string());
            }
            rows.push((line, row));
        }
        Ok(Table { path, rows })
    }

    fn err(&self, line: u64, message: String) -> CodeListError {
        CodeListError {
            path: self.path.clone(),
            line,
            message,
        }
    }

    /// Each row's value of `column`, required non-empty and unique (case
    /// and `_`/space insensitive, as the pull matches codes).
    fn codes(&self, column: &str) -> Result<Vec<String>, CodeListError> {
        let mut seen: HashMap<String, u64> = HashMap::new();
        let mut out = Vec::new();
        for (line, row) in &self.rows {
            let code = &row[column];
            if code.is_empty() {
                return Err(self.err(*line, format!("`{column}` is empty")));
            }
            let key = code.to_lowercase().replace(' ', "_");
            if let Some(first) = seen.insert(key, *line) {
                return Err(self.err(
                    *line,
                    format!("duplicate {column} `{code}` (first on line {first})"),
                ));
            }
            out.push(code.clone());
        }
        Ok(out)
    }

    fn one_of(
        &self,
        line: u64,
        column: &str,
        value: &str,
        allowed: &[&str],
    ) -> Result<(), CodeListError> {
        if allowed.contains(&value) {
            Ok(())
        } else {
            Err(self.err(
                line,
                format!("unknown {column} `{value}`: one of {}", allowed.join(", ")),
            ))
        }
    }

    fn weight(&self, line: u64, value: &str) -> Result<f64, CodeListError> {
        value
            .parse::<f64>()
            .ok()
            .filter(|w| w.is_finite() && *w >= 0.0)
            .ok_or_else(|| self.err(line, format!("weight must be a number >= 0, not `{value}`")))
    }
}

/// Loaded lists, kept for the life of the process: the pull borrows codes
/// and column names for `'static` (rows hold them), so each distinct set of
/// lists is made once, never per run.
static LOADED: Mutex<Vec<&'static Codes>> = Mutex::new(Vec::new());

/// The lists shipped in the binary, as a project without its own gets them.
pub static SHIPPED_CODES: LazyLock<&'static Codes> = LazyLock::new(|| {
    Codes::load(None).expect("the shipped code lists keep the contract (a unit test checks them)")
});

impl Codes {
    /// The ISO 3166-1 alpha-2 code of a country given by either code (IATI
    /// and DHIS2 take alpha-2; the contract keeps alpha-3).
    pub fn alpha2(&self, code: &str) -> Option<&str> {
        let a3 = self.countries.get(&code.trim().to_ascii_uppercase())?;
        self.countries
            .iter()
            .find(|(k, v)| k.len() == 2 && *v == a3)
            .map(|(k, _)| k.as_str())
    }

    /// The shipped lists (the generator's, and the unit tests').
    pub fn shipped() -> &'static Codes {
        &SHIPPED_CODES
    }

    /// Reads the lists of a project's seed folder, each file it does not
    /// have taken from the shipped lists, and checks them.
    pub fn load(dir: Option<&Path>) -> Result<&'static Codes, CodeListError> {
        let mut seeds = Vec::new();
        for (name, shipped) in SHIPPED {
            let path = dir.map(|d| d.join(format!("{name}.csv")));
            let seed = match path.filter(|p| p.is_file()) {
                Some(p) => {
                    let bytes = std::fs::read(&p).map_err(|e| CodeListError {
                        path: p.display().to_string(),
                        line: 0,
                        message: format!("cannot read: {e}"),
                    })?;
                    let text = String::from_utf8(bytes).map_err(|e| CodeListError {
                        path: p.display().to_string(),
                        line: 0,
                        message: format!(
                            "not UTF-8 (byte {}): save it as CSV UTF-8",
                            e.utf8_error().valid_up_to()
                        ),
                    })?;
                    Seed {
                        name,
                        text,
                        path: Some(p),
                    }
                }
                None => Seed {
                    name,
                    text: shipped.to_string(),
                    path: None,
                },
            };
            seeds.push(seed);
        }
        let mut h = Sha256::new();
        for s in &seeds {
            h.update(s.name);
            h.update([0]);
            h.update(&s.text);
            h.update([0]);
        }
        let fingerprint = hex::encode(h.finalize());
        let mut loaded = LOADED.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(c) = loaded.iter().find(|c| c.fingerprint == fingerprint) {
            return Ok(c);
        }
        let codes: &'static Codes = Box::leak(Box::new(Codes::parse(seeds, fingerprint)?));
        loaded.push(codes);
        Ok(codes)
    }

    fn parse(seeds: Vec<Seed>, fingerprint: String) -> Result<Codes, CodeListError> {
        let seed = |name: &str| {
            seeds
                .iter()
                .find(|s| s.name == name)
                .expect("every shipped list is loaded")
        };

        let t = Table::parse(seed("countries"), &["iso3", "iso2", "name"])?;
        let mut countries = HashMap::new();
        let mut country_names = BTreeMap::new();
        t.codes("iso3")?;
        t.codes("iso2")?;
        for (line, r) in &t.rows {
            let (iso3, iso2) = (r["iso3"].to_uppercase(), r["iso2"].to_uppercase());
            let letters =
                |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_alphabetic());
            if !letters(&iso3, 3) || !letters(&iso2, 2) {
                return Err(t.err(
                    *line,
                    format!("iso3 must be 3 letters and iso2 2 letters, not `{iso3}`, `{iso2}`"),
                ));
            }
            countries.insert(iso3.clone(), iso3.clone());
            countries.insert(iso2, iso3.clone());
            country_names.insert(iso3, r["name"].clone());
        }

        let t = Table::parse(
            seed("assistance_types"),
            &["code", "label", "dimension", "level", "sdg_target"],
        )?;
        t.codes("code")?;
        let mut assistance_types = Vec::new();
        for (line, r) in &t.rows {
            t.one_of(*line, "dimension", &r["dimension"], ASSISTANCE_DIMENSIONS)?;
            t.one_of(*line, "level", &r["level"], ASSISTANCE_LEVELS)?;
            assistance_types.push(AssistanceType {
                code: r["code"].clone(),
                label: r["label"].clone(),
                dimension: r["dimension"].clone(),
                level: r["level"].clone(),
                sdg_target: r["sdg_target"].clone(),
            });
        }
        let assistance_spellings: Vec<(&'static str, &'static [&'static str])> = assistance_types
            .iter()
            .map(|a| (&*a.code.clone().leak(), &[] as &[&str]))
            .collect();

        let t = Table::parse(seed("vulnerabilities"), &["code", "label"])?;
        let mut vulnerabilities = Vec::new();
        let mut vulnerability_labels = BTreeMap::new();
        for ((line, r), code) in t.rows.iter().zip(t.codes("code")?) {
            // `none` marks a case without a vulnerability in the models; the
            // separators would split a code.
            if code.eq_ignore_ascii_case("none") || code.contains([';', ',']) {
                return Err(t.err(
                    *line,
                    format!(
                        "`{code}` cannot be a vulnerability code (`none`, `;` and `,` are reserved)"
                    ),
                ));
            }
            vulnerability_labels.insert(code.to_uppercase(), r["label"].clone());
            vulnerabilities.push(code.to_uppercase());
        }

        let t = Table::parse(seed("rss_dimensions"), &["dimension", "weight"])?;
        t.codes("dimension")?;
        let mut rss_dimensions = Vec::new();
        for (line, r) in &t.rows {
            t.one_of(*line, "dimension", &r["dimension"], RSS_DIMENSIONS)?;
            rss_dimensions.push((r["dimension"].clone(), t.weight(*line, &r["weight"])?));
        }

        let t = Table::parse(seed("rss_items"), &["item", "dimension", "weight"])?;
        t.codes("item")?;
        let dims: Vec<&str> = rss_dimensions.iter().map(|(d, _)| d.as_str()).collect();
        let mut rss_items = Vec::new();
        for (line, r) in &t.rows {
            let item = &r["item"];
            // The item is a column of `rss.csv` and of the raw table.
            if !item.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                return Err(t.err(
                    *line,
                    format!("item `{item}` must be letters, digits and `_` (it is a column name)"),
                ));
            }
            t.one_of(*line, "dimension", &r["dimension"], &dims)?;
            rss_items.push(RssItem {
                item: item.clone(),
                dimension: r["dimension"].clone(),
                weight: t.weight(*line, &r["weight"])?,
            });
        }

        let t = Table::parse(seed("age_groups"), &["age_group", "min_age", "max_age"])?;
        t.codes("age_group")?;
        let mut age_groups: Vec<AgeGroup> = Vec::new();
        for (line, r) in &t.rows {
            let bound = |col: &str| -> Result<Option<u32>, CodeListError> {
                let v = &r[col];
                if v.is_empty() {
                    return Ok(None);
                }
                v.parse().map(Some).map_err(|_| {
                    t.err(
                        *line,
                        format!("{col} must be a whole number of years, not `{v}`"),
                    )
                })
            };
            let group = AgeGroup {
                age_group: r["age_group"].clone(),
                min_age: bound("min_age")?,
                max_age: bound("max_age")?,
            };
            if let Some(last) = age_groups.last()
                && last.min_age.is_none()
            {
                return Err(t.err(
                    *line,
                    format!(
                        "`{}` follows the group without bounds, which must be last",
                        group.age_group
                    ),
                ));
            }
            match (group.min_age, group.max_age) {
                (None, None) => {}
                (Some(lo), Some(hi)) if lo <= hi => {
                    let prev_hi = age_groups.last().and_then(|g| g.max_age);
                    if prev_hi.is_some_and(|p| lo <= p) {
                        return Err(t.err(
                            *line,
                            format!("`{}` overlaps the group before it: list the groups in order, without overlaps", group.age_group),
                        ));
                    }
                }
                _ => {
                    return Err(t.err(
                        *line,
                        format!(
                            "`{}` needs min_age <= max_age, or neither for the group of unknown ages",
                            group.age_group
                        ),
                    ));
                }
            }
            age_groups.push(group);
        }
        if age_groups.last().is_none_or(|g| g.min_age.is_some()) {
            return Err(t.err(
                t.rows.last().map_or(1, |(l, _)| *l),
                "the last group must have no bounds: it holds the cases without a valid age".into(),
            ));
        }

        Ok(Codes {
            seeds,
            fingerprint,
            countries,
            country_names,
            assistance_types,
            assistance_spellings: assistance_spellings.leak(),
            vulnerabilities,
            vulnerability_labels,
            rss_items,
            rss_dimensions,
            age_groups,
            specs: OnceLock::new(),
        })
    }

    /// The contract's columns of `entity` with these lists.
    pub fn spec(&'static self, entity: Entity) -> &'static EntitySpec {
        &self
            .specs
            .get_or_init(|| crate::pull::contract::specs(self))[entity as usize]
    }

    /// Where each list came from, for `plan` and `doctor`.
    pub fn origins(&self) -> Vec<(&'static str, String)> {
        self.seeds
            .iter()
            .map(|s| {
                let from = match &s.path {
                    Some(p) => p.display().to_string(),
                    None => "shipped with Homeward".to_string(),
                };
                (s.name, from)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_lists_parse() {
        let codes = Codes::shipped();
        assert_eq!(codes.countries.get("FR").map(String::as_str), Some("FRA"));
        assert_eq!(codes.countries.get("GIN").map(String::as_str), Some("GIN"));
        assert_eq!(codes.alpha2("GIN"), Some("GN"));
        assert_eq!(codes.alpha2("fr"), Some("FR"));
        assert_eq!(codes.alpha2("XYZ"), None);
        assert_eq!(codes.assistance_types.len(), 14);
        assert_eq!(codes.vulnerabilities.len(), 6);
        assert_eq!(codes.rss_items.len(), 15);
        let groups: Vec<&str> = codes
            .age_groups
            .iter()
            .map(|g| g.age_group.as_str())
            .collect();
        assert_eq!(
            groups,
            ["0-17", "18-24", "25-34", "35-49", "50+", "unknown"]
        );
        // Loading the same lists again gives the same loaded lists.
        assert!(std::ptr::eq(Codes::load(None).unwrap(), codes));
    }

    /// A project folder holding `name.csv` with `text`; the other lists
    /// are the shipped ones.
    fn load_with(name: &str, text: &str) -> Result<&'static Codes, CodeListError> {
        let dir = std::env::temp_dir().join(format!(
            "homeward-codes-{}-{}",
            std::process::id(),
            rand::random::<u32>()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.csv")), text).unwrap();
        let r = Codes::load(Some(&dir));
        std::fs::remove_dir_all(&dir).unwrap();
        r
    }

    #[test]
    fn a_project_list_adds_codes() {
        let shipped = SHIPPED[1].1;
        let text =
            format!("\u{feff}{shipped}seed_capital,Seed capital grant,economic,individual,8.3\n");
        let codes = load_with("assistance_types", &text).unwrap();
        assert_eq!(codes.assistance_types.len(), 15);
        assert_ne!(codes.fingerprint, Codes::shipped().fingerprint);
        assert!(
            codes
                .assistance_spellings
                .iter()
                .any(|(c, _)| *c == "seed_capital")
        );
        assert!(codes.seeds[1].path.is_some() && codes.seeds[0].path.is_none());
    }

    #[test]
    fn a_broken_list_names_its_file_and_line() {
        let cases = [
            (
                "assistance_types",
                "code,label,dimension,level,sdg_target\na,A,economic,individual,8.3\nb,B,economy,individual,8.3\n",
                ":3: unknown dimension `economy`",
            ),
            (
                "assistance_types",
                "code,label,dimension,level,sdg_target\na,A,economic,individual,8.3\nA,B,economic,individual,8.3\n",
                ":3: duplicate code `A` (first on line 2)",
            ),
            (
                "vulnerabilities",
                "code\nVOT\n",
                ":1: missing column `label`",
            ),
            (
                "vulnerabilities",
                "code,label\nVOT,x\nnone,y\n",
                ":3: `none` cannot be",
            ),
            (
                "rss_dimensions",
                "dimension,weight\neconomic,x\n",
                ":2: weight must be",
            ),
            (
                "rss_items",
                "item,dimension,weight,question\neconomic_1,cultural,1,Q\n",
                ":2: unknown dimension `cultural`",
            ),
            (
                "age_groups",
                "age_group,min_age,max_age\n0-17,0,17\n15-24,15,24\nunknown,,\n",
                ":3: `15-24` overlaps",
            ),
            (
                "age_groups",
                "age_group,min_age,max_age\n0-17,0,17\n",
                ":2: the last group",
            ),
            (
                "countries",
                "iso3,iso2,name\nFRA,FR,France\nFRA,FX,France\n",
                ":3: duplicate iso3",
            ),
        ];
        for (name, text, want) in cases {
            let e = load_with(name, text).unwrap_err().to_string();
            assert!(e.contains(&format!("{name}.csv{want}")), "{name}: {e}");
        }
    }
}
