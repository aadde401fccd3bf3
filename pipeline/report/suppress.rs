//! Small-cell suppression for donor outputs (reports.md §2), in one place.
//!
//! The rules, with k = 5 by default:
//!
//! 1. **Primary**: a count or sum between 1 and k − 1 (0 < v < k) is hidden
//!    and shown as `<k`. Zero is shown: it reveals no one.
//! 2. **Secondary**: within one breakdown (an indicator, project, period and
//!    breakdown such as `sex`), when exactly one cell is hidden, the smallest
//!    other non-zero cell of that breakdown is hidden too (the first in the
//!    breakdown's order on a tie), so the hidden value cannot be recovered
//!    from the total.
//! 3. **Rates and means** whose denominator is below k are hidden.
//!
//! The decision is taken once per `indicator_values` cell, over the whole
//! pack, and every table and format of the pack looks it up: the same cell
//! is hidden everywhere or nowhere.

use std::collections::{BTreeMap, HashSet};

use super::data::{CellKey, ReportData, ValueRow, cell_key};

/// What a cell holds, for suppression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A count or a sum: primary and secondary suppression.
    Count,
    /// A rate or a mean: hidden when its denominator is below k.
    Ratio,
}

impl Kind {
    /// The kind of a catalogue unit (`count`, `sum`, `rate`, `mean`).
    pub fn of_unit(unit: &str) -> Kind {
        match unit {
            "rate" | "mean" => Kind::Ratio,
            _ => Kind::Count,
        }
    }
}

/// One cell to decide on.
#[derive(Debug, Clone)]
pub struct Cell {
    /// The breakdown it belongs to; `None` for a total (primary rule only).
    pub group: Option<String>,
    pub kind: Kind,
    pub value: f64,
    pub denominator: Option<f64>,
}

/// Which cells are hidden, in input order. Cells of a group are taken in
/// input order for tie-breaking.
pub fn suppress(cells: &[Cell], k: u32) -> Vec<bool> {
    let k = f64::from(k);
    let mut hidden: Vec<bool> = cells
        .iter()
        .map(|c| match c.kind {
            Kind::Count => c.value > 0.0 && c.value < k,
            Kind::Ratio => c.denominator.is_none_or(|d| d < k),
        })
        .collect();
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, c) in cells.iter().enumerate() {
        if let (Some(g), Kind::Count) = (&c.group, c.kind) {
            groups.entry(g.as_str()).or_default().push(i);
        }
    }
    for members in groups.values() {
        if members.iter().filter(|&&i| hidden[i]).count() != 1 {
            continue;
        }
        let partner = members
            .iter()
            .copied()
            .filter(|&i| !hidden[i] && cells[i].value > 0.0)
            .min_by(|&a, &b| cells[a].value.total_cmp(&cells[b].value));
        if let Some(p) = partner {
            hidden[p] = true;
        }
    }
    hidden
}

/// The pack's decisions: the hidden cells of `indicator_values`.
#[derive(Debug, Default)]
pub struct Decisions {
    hidden: HashSet<CellKey>,
    /// The threshold k.
    pub k: u32,
}

impl Decisions {
    /// Decides every cell of `data` for the given projects and periods.
    pub fn decide(data: &ReportData, projects: &[String], periods: &[String], k: u32) -> Decisions {
        let rows: Vec<&ValueRow> = data
            .values
            .iter()
            .filter(|r| {
                projects.iter().any(|p| **p == *r.project_code)
                    && periods.iter().any(|p| **p == *r.period)
            })
            .collect();
        let mut sorted = rows;
        sorted.sort_by(|a, b| {
            (
                &a.indicator_id,
                &a.project_code,
                &a.period,
                &a.breakdown,
                &a.breakdown_value,
            )
                .cmp(&(
                    &b.indicator_id,
                    &b.project_code,
                    &b.period,
                    &b.breakdown,
                    &b.breakdown_value,
                ))
        });
        let cells: Vec<Cell> = sorted
            .iter()
            .map(|r| {
                let unit = data
                    .indicator(&r.indicator_id)
                    .map_or("count", |i| i.unit.as_str());
                Cell {
                    group: (&*r.breakdown != "total").then(|| {
                        format!(
                            "{}\u{1f}{}\u{1f}{}\u{1f}{}",
                            r.indicator_id, r.project_code, r.period, r.breakdown
                        )
                    }),
                    kind: Kind::of_unit(unit),
                    value: r.value,
                    denominator: r.denominator,
                }
            })
            .collect();
        let hidden = suppress(&cells, k);
        Decisions {
            hidden: sorted
                .iter()
                .zip(hidden)
                .filter(|(_, h)| *h)
                .map(|(r, _)| r.key())
                .collect(),
            k,
        }
    }

    /// Whether a cell is hidden.
    pub fn is_hidden(
        &self,
        indicator: &str,
        project: &str,
        period: &str,
        breakdown: &str,
        value: &str,
    ) -> bool {
        self.hidden
            .contains(&cell_key(indicator, project, period, breakdown, value))
    }

    /// The marker of a hidden cell: `<5`.
    pub fn marker(&self) -> String {
        format!("<{}", self.k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(group: &str, value: f64) -> Cell {
        Cell {
            group: (!group.is_empty()).then(|| group.to_string()),
            kind: Kind::Count,
            value,
            denominator: None,
        }
    }

    #[test]
    fn a_single_small_cell_takes_its_smallest_partner() {
        // sex: F 3, M 12, X 7, U 0; total 22.
        let cells = [
            count("", 22.0),
            count("sex", 3.0),
            count("sex", 12.0),
            count("sex", 7.0),
            count("sex", 0.0),
        ];
        assert_eq!(suppress(&cells, 5), vec![false, true, false, true, false]);
    }

    #[test]
    fn two_small_cells_need_no_partner() {
        let cells = [
            count("age", 2.0),
            count("age", 4.0),
            count("age", 30.0),
            count("age", 9.0),
        ];
        assert_eq!(suppress(&cells, 5), vec![true, true, false, false]);
    }

    #[test]
    fn a_tie_for_partner_takes_the_first_in_order() {
        let cells = [count("g", 6.0), count("g", 1.0), count("g", 6.0)];
        assert_eq!(suppress(&cells, 5), vec![true, true, false]);
    }

    #[test]
    fn zeros_are_shown_and_never_partners() {
        let cells = [
            count("g", 0.0),
            count("g", 0.0),
            count("g", 4.0),
            count("", 0.0),
        ];
        // The only small cell has no non-zero partner: its total is small too.
        assert_eq!(suppress(&cells, 5), vec![false, false, true, false]);
        assert_eq!(suppress(&[count("", 4.0)], 5), vec![true]);
        assert_eq!(
            suppress(&[count("", 5.0), count("", 1.0)], 5),
            vec![false, true]
        );
    }

    #[test]
    fn rates_hide_on_a_small_denominator_only() {
        let rate = |v: f64, d: f64| Cell {
            group: Some("sex".into()),
            kind: Kind::Ratio,
            value: v,
            denominator: Some(d),
        };
        let cells = [rate(0.5, 4.0), rate(1.0, 5.0), rate(0.0, 12.0)];
        // A rate of 1.0 over 5 is shown; a hidden rate takes no partner.
        assert_eq!(suppress(&cells, 5), vec![true, false, false]);
    }

    #[test]
    fn k_is_configurable() {
        let cells = [count("g", 9.0), count("g", 10.0), count("g", 40.0)];
        assert_eq!(suppress(&cells, 10), vec![true, true, false]);
    }
}
