//! The indicator catalogue: one TOML file per model folder
//! (`indicators/catalogue.toml`) describing each indicator. Reports and the
//! donor pack read titles and definitions from it; `indicator_values.sql`
//! unions one `ind_<id>` model per entry. Adding an indicator is SQL plus an
//! entry here, no Rust.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The columns of `indicator_values`, in order.
pub const INDICATOR_COLUMNS: [&str; 12] = [
    "indicator_id",
    "project_code",
    "period_type",
    "period",
    "period_start",
    "period_end",
    "breakdown",
    "breakdown_value",
    "value",
    "numerator",
    "denominator",
    "as_of",
];

/// The type of a period of `indicator_values` (indicators.md, Periods).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodType {
    Month,
    Quarter,
    Year,
    /// Everything up to the as-of date.
    ToDate,
}

impl PeriodType {
    /// The word `indicator_values.period_type` holds.
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodType::Month => "month",
            PeriodType::Quarter => "quarter",
            PeriodType::Year => "year",
            PeriodType::ToDate => "to_date",
        }
    }
}

/// The identity of one `indicator_values` cell: what reports look a
/// value up by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CellId<'a> {
    pub indicator: &'a str,
    pub project: &'a str,
    pub period: &'a str,
    pub breakdown: &'a str,
    pub value: &'a str,
}

impl<'a> CellId<'a> {
    /// The `total` cell of an indicator, project and period.
    pub fn total(indicator: &'a str, project: &'a str, period: &'a str) -> CellId<'a> {
        CellId {
            indicator,
            project,
            period,
            breakdown: "total",
            value: "total",
        }
    }

    /// The same cell for another breakdown value.
    pub fn by(self, breakdown: &'a str, value: &'a str) -> CellId<'a> {
        CellId {
            breakdown,
            value,
            ..self
        }
    }
}

/// The rank in byte order of each of `strings` (distinct): sorting rows by
/// the ranks of their text columns sorts them by the text, at the cost of
/// sorting the few thousand distinct strings once instead of comparing
/// text for each pair of ≈ 340 k cells (at 1 M cases DataFusion's sort of
/// them took ≈ 0.25 s, twice a night: for the report and for the CSV).
pub fn byte_order_ranks<S: AsRef<str>>(strings: &[S]) -> Vec<u32> {
    let mut by_text: Vec<usize> = (0..strings.len()).collect();
    by_text.sort_unstable_by(|&a, &b| strings[a].as_ref().cmp(strings[b].as_ref()));
    let mut ranks = vec![0; strings.len()];
    for (rank, i) in by_text.into_iter().enumerate() {
        // Fewer distinct strings than rows, and rows are counted in u32.
        ranks[i] = u32::try_from(rank).unwrap_or(u32::MAX);
    }
    ranks
}

/// Puts `rows` in the order `order` gives (`order[i]` is the index of the
/// row that goes to position `i`; a permutation), in place: the rows are
/// not copied into a second vector.
pub fn permute<T>(rows: &mut [T], mut order: Vec<usize>) {
    for i in 0..rows.len() {
        // Each cycle of the permutation is walked once; a placed position
        // points at itself.
        let mut j = i;
        loop {
            let k = order[j];
            order[j] = j;
            if k == i || k == j {
                break;
            }
            rows.swap(j, k);
            j = k;
        }
    }
}

/// One indicator.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub id: String,
    pub title: String,
    /// The definition in plain words.
    pub definition: String,
    /// `count`, `sum`, `rate` or `mean`.
    pub unit: String,
    #[serde(default)]
    pub sdg_goals: Vec<u32>,
    pub breakdowns: Vec<String>,
    pub higher_is_better: bool,
    /// `output`, `outcome` or `impact`: the IATI result type of the
    /// indicator (default `output`).
    #[serde(default = "default_result")]
    pub result: String,
    /// The title and definition in other languages, by BCP 47 language
    /// (`[indicator.translations.fr]`).
    #[serde(default)]
    pub translations: std::collections::BTreeMap<String, Translation>,
}

/// An indicator's words in one language.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Translation {
    pub title: String,
    pub definition: String,
}

impl Indicator {
    /// The translation for a language tag: the tag's own (`ar-EG`), else
    /// its language's (`ar`).
    fn translation(&self, tag: &str) -> Option<&Translation> {
        let language = tag.split(['-', '_']).next().unwrap_or(tag);
        self.translations
            .get(tag)
            .or_else(|| self.translations.get(language))
    }

    /// The title in the language `tag`, else in English.
    pub fn title_in(&self, tag: &str) -> &str {
        self.translation(tag).map_or(&self.title, |t| &t.title)
    }

    /// The definition in the language `tag`, else in English.
    pub fn definition_in(&self, tag: &str) -> &str {
        self.translation(tag)
            .map_or(&self.definition, |t| &t.definition)
    }
}

fn default_result() -> String {
    "output".into()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogueFile {
    #[serde(default)]
    indicator: Vec<Indicator>,
}

/// Reads every `indicators/catalogue.toml` under the model folders, in order.
pub fn load(roots: &[PathBuf]) -> anyhow::Result<Vec<Indicator>> {
    let mut out: Vec<Indicator> = Vec::new();
    for root in roots {
        let path = root.join("indicators").join("catalogue.toml");
        if !path.is_file() {
            continue;
        }
        for ind in parse(&path)? {
            if out.iter().any(|i| i.id == ind.id) {
                anyhow::bail!(
                    "{}: indicator `{}` is defined twice",
                    path.display(),
                    ind.id
                );
            }
            if !["output", "outcome", "impact"].contains(&ind.result.as_str()) {
                anyhow::bail!(
                    "{}: indicator `{}`: result must be output, outcome or impact",
                    path.display(),
                    ind.id
                );
            }
            if !["count", "sum", "rate", "mean"].contains(&ind.unit.as_str()) {
                anyhow::bail!(
                    "{}: indicator `{}`: unit must be count, sum, rate or mean",
                    path.display(),
                    ind.id
                );
            }
            out.push(ind);
        }
    }
    Ok(out)
}

fn parse(path: &Path) -> anyhow::Result<Vec<Indicator>> {
    let text = std::fs::read_to_string(path)?;
    let file: CatalogueFile = toml::from_str(&text).map_err(|e| {
        let line = e.span().map_or(1, |s| {
            text[..s.start.min(text.len())].matches('\n').count() + 1
        });
        anyhow::anyhow!("{}:{line}: {}", path.display(), e.message())
    })?;
    Ok(file.indicator)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_follow_byte_order_not_the_order_seen() {
        // Upper case sorts before lower case in byte order, "ALL" before
        // "BE01", and "2026-Q1" after "2026-12".
        let strings = [
            "total", "ALL", "BE01", "2026-Q1", "2026-12", "Zeta", "alpha",
        ];
        let ranks = byte_order_ranks(&strings);
        assert_eq!(ranks, vec![6, 2, 3, 1, 0, 4, 5]);
    }

    #[test]
    fn permute_puts_each_row_where_the_order_says() {
        let mut rows = vec!['a', 'b', 'c', 'd', 'e', 'f'];
        // Two cycles (0 → 2 → 4, 1 → 5) and a fixed point (3).
        permute(&mut rows, vec![2, 5, 4, 3, 0, 1]);
        assert_eq!(rows, vec!['c', 'f', 'e', 'd', 'a', 'b']);
        let mut same = vec![1, 2, 3];
        permute(&mut same, vec![0, 1, 2]);
        assert_eq!(same, vec![1, 2, 3]);
    }
}
