//! Disclosure control: what every output that leaves the organisation
//! publishes instead of the exact `indicator_values` (docs/disclosure.md).
//!
//! One stage with one policy (`[disclosure]` in `homeward.toml`):
//!
//! - [`cellkey`], the default: each count is perturbed by a small amount
//!   that depends only on who is counted (the cell key), so the same
//!   people give the same published value in every table, format, pack and
//!   night, and the difference of two published values says nothing exact
//!   about the cells between them;
//! - [`suppress`], today's small-cell suppression, kept for donors that ask
//!   for it and documented as weaker (it does not hold across releases).
//!
//! Invariants:
//!
//! - a cell's published value is decided once, by [`decide`], and every
//!   output looks it up: nothing published is computed a second time;
//! - `indicator_values` and the programme reports stay exact: they are
//!   internal, and this module never writes them;
//! - the exact value never leaves this module in a published cell, only
//!   the aggregate [`Utility`] figures.

pub mod cellkey;
pub mod ptable;
pub mod suppress;

use std::path::Path;

use serde::{Deserialize, Serialize};

pub use ptable::PTable;

/// How published values are protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// The cell-key method (ONS Census 2021, ABS TableBuilder): perturbed
    /// counts, consistent across releases.
    CellKey,
    /// Small-cell suppression: exact values, small ones hidden. Weaker: a
    /// difference of two releases can show a hidden value.
    Suppress,
}

impl Method {
    /// The name used in the config, run.json and the packs.
    pub fn name(self) -> &'static str {
        match self {
            Method::CellKey => "cell_key",
            Method::Suppress => "suppress",
        }
    }
}

/// An output that leaves the organisation, and may be covered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Output {
    /// The donor indicator packs, in every format (PDF, HTML, CSV, HXL
    /// CSV, XLSX, IATI).
    DonorPacks,
    /// The DHIS2 data value sets.
    Dhis2,
}

/// The `[disclosure]` table of `homeward.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisclosureConfig {
    /// `cell_key` (default) or `suppress`.
    pub method: Option<Method>,
    /// The threshold: no published count lies in 1..k−1 (default 5).
    pub k: Option<u32>,
    /// The perturbation table, a CSV `i,j,p` relative to the config file;
    /// without it the built-in default for `k` (docs/disclosure.md).
    pub ptable: Option<String>,
    /// Largest relative change of a sum or of a mean's numerator, as a
    /// fraction (default 0.05, that is ±5 %).
    pub magnitude_noise: Option<f64>,
    /// The outputs protected (default: every output that leaves the
    /// organisation, `["donor_packs"]`).
    pub covers: Option<Vec<Output>>,
}

/// The resolved policy.
#[derive(Debug, Clone)]
pub struct Policy {
    pub method: Method,
    pub k: u32,
    pub ptable: PTable,
    pub magnitude_noise: f64,
    pub covers: Vec<Output>,
}

/// The default threshold.
pub const DEFAULT_K: u32 = 5;
/// The default magnitude noise (±5 %).
pub const DEFAULT_MAGNITUDE_NOISE: f64 = 0.05;

impl Default for Policy {
    fn default() -> Self {
        Policy {
            method: Method::CellKey,
            k: DEFAULT_K,
            ptable: PTable::default_for(DEFAULT_K),
            magnitude_noise: DEFAULT_MAGNITUDE_NOISE,
            covers: vec![Output::DonorPacks, Output::Dhis2],
        }
    }
}

impl Policy {
    /// The policy of a config, its files read relative to `base_dir`.
    pub fn resolve(c: &DisclosureConfig, base_dir: &Path) -> Result<Policy, String> {
        let k = c.k.unwrap_or(DEFAULT_K);
        if k < 2 {
            return Err(format!("`disclosure.k` must be at least 2, not {k}"));
        }
        let magnitude_noise = c.magnitude_noise.unwrap_or(DEFAULT_MAGNITUDE_NOISE);
        if !(0.0..1.0).contains(&magnitude_noise) {
            return Err(format!(
                "`disclosure.magnitude_noise` must be a fraction from 0 to below 1 (0.05 is ±5 %), not {magnitude_noise}"
            ));
        }
        let ptable = match &c.ptable {
            None => PTable::default_for(k),
            Some(file) => {
                let path = base_dir.join(file);
                let text = std::fs::read_to_string(&path).map_err(|e| {
                    format!("`disclosure.ptable`: cannot read {}: {e}", path.display())
                })?;
                let mut table = PTable::parse(&text, k, &path.display().to_string())?;
                // Packs name the table as the config does, not by a path
                // of the machine that rendered them.
                table.source = file.clone();
                table
            }
        };
        Ok(Policy {
            method: c.method.unwrap_or(Method::CellKey),
            k,
            ptable,
            magnitude_noise,
            covers: c
                .covers
                .clone()
                .unwrap_or_else(|| vec![Output::DonorPacks, Output::Dhis2]),
        })
    }

    /// Whether an output is protected by this policy.
    pub fn covers(&self, output: Output) -> bool {
        self.covers.contains(&output)
    }

    /// The mark of a hidden cell in the human formats: `<5`.
    pub fn marker(&self) -> String {
        format!("<{}", self.k)
    }
}

/// What a catalogue unit means for disclosure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A count of people, records or businesses.
    Count,
    /// A sum of a magnitude (money, members).
    Sum,
    /// A count over a count.
    Rate,
    /// A sum of a magnitude over a count.
    Mean,
}

impl Unit {
    /// The unit of a catalogue entry (`count`, `sum`, `rate`, `mean`).
    pub fn of(unit: &str) -> Unit {
        match unit {
            "sum" => Unit::Sum,
            "rate" => Unit::Rate,
            "mean" => Unit::Mean,
            _ => Unit::Count,
        }
    }
}

/// What the stage knows of one exact cell.
#[derive(Debug, Clone)]
pub struct Cell {
    /// The breakdown it belongs to (an indicator, project, period and
    /// breakdown); `None` for a total. Only suppression uses it.
    pub group: Option<String>,
    pub unit: Unit,
    pub value: f64,
    pub numerator: f64,
    pub denominator: Option<f64>,
    /// Records behind the cell.
    pub support: u64,
    /// Sum of the numerator's contributors' record keys.
    pub numerator_key: Option<i64>,
    /// Sum of the denominator's contributors' record keys.
    pub denominator_key: Option<i64>,
}

impl Cell {
    /// A count cell of `value`, with no keys (for tests and defaults).
    pub fn count(value: f64) -> Cell {
        Cell {
            group: None,
            unit: Unit::Count,
            value,
            numerator: value,
            denominator: None,
            support: value.max(0.0) as u64,
            numerator_key: None,
            denominator_key: None,
        }
    }
}

/// What a published value says of itself: the observation status, after
/// SDMX's OBS_STATUS and CONF_STATUS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    /// The exact value (no disclosure control, or suppression's shown
    /// cells). Written as an empty flag.
    Exact,
    /// Withheld: the value column is empty.
    Hidden,
    /// Published under the cell-key method: may differ from the exact
    /// value by the documented perturbation. Every cell of that method
    /// carries it, changed or not: a flag on only the changed cells would
    /// say which ones are exact.
    Perturbed,
}

impl Flag {
    /// The flag column's text: empty, `hidden` or `perturbed`.
    pub fn as_str(self) -> &'static str {
        match self {
            Flag::Exact => "",
            Flag::Hidden => "hidden",
            Flag::Perturbed => "perturbed",
        }
    }
}

/// One cell as published.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Published {
    /// The number; `None` when hidden.
    pub value: Option<f64>,
    pub flag: Flag,
}

impl Published {
    /// A withheld cell.
    pub fn hidden() -> Published {
        Published {
            value: None,
            flag: Flag::Hidden,
        }
    }

    /// An exact cell.
    pub fn exact(value: f64) -> Published {
        Published {
            value: Some(value),
            flag: Flag::Exact,
        }
    }

    /// Whether it is withheld.
    pub fn is_hidden(&self) -> bool {
        self.flag == Flag::Hidden
    }
}

/// Decides every cell, in input order. `cells` must be sorted by
/// indicator, project, period, breakdown and value: suppression breaks
/// ties between partners in that order. With `covered` false the values
/// are published exact.
pub fn decide(policy: &Policy, cells: &[Cell], covered: bool) -> Vec<Published> {
    match alone(policy, covered) {
        Some(each) => cells.iter().map(each).collect(),
        None => suppress::publish(cells, policy.k),
    }
}

/// How each cell is published on its own, when the policy decides every
/// cell alone (the cell-key method, or no control where it does not
/// cover); `None` under suppression, which decides a breakdown's cells
/// together ([`decide`]).
pub fn alone(policy: &Policy, covered: bool) -> Option<impl Fn(&Cell) -> Published + '_> {
    (!covered || policy.method == Method::CellKey).then_some(move |c: &Cell| {
        if covered {
            cellkey::publish(policy, c)
        } else {
            Published::exact(c.value)
        }
    })
}

/// The published value of a cell that `indicator_values` does not hold: a
/// count or sum of no one (0), a rate or mean with no denominator
/// (unknown). Flagged as the method flags every cell, so that an absent
/// row cannot be told from a perturbed one.
pub fn absent(policy: &Policy, unit: Unit, covered: bool) -> Published {
    match unit {
        Unit::Rate | Unit::Mean => Published {
            value: None,
            flag: Flag::Exact,
        },
        Unit::Count | Unit::Sum => Published {
            value: Some(0.0),
            flag: if covered && policy.method == Method::CellKey {
                Flag::Perturbed
            } else {
                Flag::Exact
            },
        },
    }
}

/// The tally of how far published cells are from the exact ones, kept in
/// the run record.
pub use crate::warehouse::records::Utility;

impl Utility {
    /// An empty tally for a policy.
    pub fn new(policy: &Policy, covered: bool) -> Utility {
        Utility {
            method: if covered {
                policy.method.name().to_string()
            } else {
                "none".to_string()
            },
            k: policy.k,
            ..Default::default()
        }
    }

    /// Counts one published cell against its exact value.
    pub fn add(&mut self, unit: Unit, exact: Option<f64>, published: &Published) {
        self.cells += 1;
        match (published.value, exact) {
            (None, _) if published.is_hidden() => self.hidden += 1,
            (Some(p), Some(e)) if p != e => {
                self.changed += 1;
                let d = (p - e).abs();
                match unit {
                    Unit::Count => self.max_abs_diff = self.max_abs_diff.max(d),
                    Unit::Rate => self.max_rate_diff = self.max_rate_diff.max(d),
                    _ if e != 0.0 => self.max_rel_diff = self.max_rel_diff.max(d / e.abs()),
                    _ => {}
                }
            }
            _ => {}
        }
        let shown = self.cells - self.hidden;
        self.changed_share = if shown == 0 {
            0.0
        } else {
            self.changed as f64 / shown as f64
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utility_counts_cells_not_values() {
        let policy = Policy::default();
        let mut u = Utility::new(&policy, true);
        u.add(Unit::Count, Some(10.0), &Published::exact(10.0));
        u.add(
            Unit::Count,
            Some(10.0),
            &Published {
                value: Some(12.0),
                flag: Flag::Perturbed,
            },
        );
        u.add(Unit::Sum, Some(100.0), &Published::exact(104.0));
        u.add(Unit::Sum, Some(3.0), &Published::hidden());
        u.add(Unit::Rate, Some(0.5), &Published::exact(0.6));
        assert_eq!((u.cells, u.hidden, u.changed), (5, 1, 3));
        assert!((u.changed_share - 3.0 / 4.0).abs() < 1e-12);
        assert!((u.max_rate_diff - 0.1).abs() < 1e-12);
        assert_eq!(u.max_abs_diff, 2.0);
        assert!((u.max_rel_diff - 0.04).abs() < 1e-12);
        assert_eq!(u.method, "cell_key");
        assert_eq!(Utility::new(&policy, false).method, "none");
    }

    #[test]
    fn config_checks_its_values() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = |k: Option<u32>, m: Option<f64>, p: Option<&str>| DisclosureConfig {
            k,
            magnitude_noise: m,
            ptable: p.map(str::to_string),
            ..Default::default()
        };
        assert!(Policy::resolve(&cfg(Some(1), None, None), dir.path()).is_err());
        assert!(Policy::resolve(&cfg(None, Some(1.5), None), dir.path()).is_err());
        let err = Policy::resolve(&cfg(None, None, Some("missing.csv")), dir.path()).unwrap_err();
        assert!(err.contains("missing.csv"), "{err}");
        std::fs::write(dir.path().join("p.csv"), PTable::default_csv(10)).unwrap();
        let err = Policy::resolve(&cfg(Some(5), None, Some("p.csv")), dir.path());
        assert!(err.is_ok(), "a k = 10 table publishes nothing below 5");
        let err = Policy::resolve(&cfg(Some(10), None, None), dir.path()).unwrap();
        assert_eq!(err.ptable, PTable::default_for(10));
        std::fs::write(dir.path().join("p5.csv"), PTable::default_csv(5)).unwrap();
        let err = Policy::resolve(&cfg(Some(10), None, Some("p5.csv")), dir.path()).unwrap_err();
        assert!(err.contains("below k = 10"), "{err}");
    }
}
