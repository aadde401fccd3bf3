//! Small-cell suppression (reports.md §2): `method = "suppress"`.
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
//! These rules hold within one release only: the difference of two
//! releases' to-date values, or of a year-to-date and a quarter, shows a
//! hidden value again (docs/disclosure.md). They are kept as
//! `method = "suppress"` for donors that ask for them; the default is the
//! cell-key method ([`super::cellkey`]).

use std::collections::BTreeMap;

use super::{Cell, Flag, Published, Unit};

/// Which cells are hidden, in input order. Cells of a group are taken in
/// input order for tie-breaking.
pub fn hidden(cells: &[Cell], k: u32) -> Vec<bool> {
    let k = f64::from(k);
    let mut hidden: Vec<bool> = cells
        .iter()
        .map(|c| match c.unit {
            Unit::Count | Unit::Sum => c.value > 0.0 && c.value < k,
            Unit::Rate | Unit::Mean => c.denominator.is_none_or(|d| d < k),
        })
        .collect();
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, c) in cells.iter().enumerate() {
        if let (Some(g), Unit::Count | Unit::Sum) = (&c.group, c.unit) {
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

/// The published values: exact, or hidden.
pub fn publish(cells: &[Cell], k: u32) -> Vec<Published> {
    hidden(cells, k)
        .into_iter()
        .zip(cells)
        .map(|(h, c)| {
            if h {
                Published::hidden()
            } else {
                Published {
                    value: Some(c.value),
                    flag: Flag::Exact,
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(group: &str, value: f64) -> Cell {
        Cell {
            group: (!group.is_empty()).then(|| group.to_string()),
            ..Cell::count(value)
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
        assert_eq!(hidden(&cells, 5), vec![false, true, false, true, false]);
    }

    #[test]
    fn two_small_cells_need_no_partner() {
        let cells = [
            count("age", 2.0),
            count("age", 4.0),
            count("age", 30.0),
            count("age", 9.0),
        ];
        assert_eq!(hidden(&cells, 5), vec![true, true, false, false]);
    }

    #[test]
    fn a_tie_for_partner_takes_the_first_in_order() {
        let cells = [count("g", 6.0), count("g", 1.0), count("g", 6.0)];
        assert_eq!(hidden(&cells, 5), vec![true, true, false]);
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
        assert_eq!(hidden(&cells, 5), vec![false, false, true, false]);
        assert_eq!(hidden(&[count("", 4.0)], 5), vec![true]);
        assert_eq!(
            hidden(&[count("", 5.0), count("", 1.0)], 5),
            vec![false, true]
        );
    }

    #[test]
    fn rates_hide_on_a_small_denominator_only() {
        let rate = |v: f64, d: f64| Cell {
            group: Some("sex".into()),
            unit: Unit::Rate,
            denominator: Some(d),
            ..Cell::count(v)
        };
        let cells = [rate(0.5, 4.0), rate(1.0, 5.0), rate(0.0, 12.0)];
        // A rate of 1.0 over 5 is shown; a hidden rate takes no partner.
        assert_eq!(hidden(&cells, 5), vec![true, false, false]);
    }

    #[test]
    fn k_is_configurable() {
        let cells = [count("g", 9.0), count("g", 10.0), count("g", 40.0)];
        assert_eq!(hidden(&cells, 10), vec![true, true, false]);
    }
}
