//! The cell-key method (ONS, Census 2021; ABS, TableBuilder), as
//! docs/disclosure.md describes it.
//!
//! Every record has a key in [0, 2^32) that only the holder of the secret
//! key can compute (`sql/macros/disclosure.sql`). A cell's key is the sum
//! of its contributors' record keys modulo 2^32, over 2^32: a number in
//! [0, 1) that is the same whenever the contributors are the same, and
//! unrelated when they differ by even one record.
//!
//! - **Counts**: the perturbation table maps the exact count and the cell
//!   key to the published count; none lies in 1..k−1.
//! - **Sums** (money, members): hidden when fewer than k records are
//!   behind them; otherwise multiplied by 1 + m·(2c − 1), with m the
//!   magnitude noise, and rounded to a whole number.
//! - **Rates**: the perturbed numerator over the perturbed denominator
//!   (the numerator never above the denominator); **means**: the
//!   numerator perturbed as a sum, over the perturbed denominator. Both
//!   hidden when the exact or the published denominator is below k.
//!
//! The same cell key always gives the same published value: a pure
//! function of the cell, with no state and no randomness of the run.

use super::{Cell, Flag, Policy, Published, Unit};

/// 2^32: record keys are below it, cell keys are taken modulo it.
const MODULUS: i64 = 1 << 32;

/// The cell key of a sum of record keys: its fractional part, in [0, 1).
pub fn cell_key(sum: i64) -> f64 {
    sum.rem_euclid(MODULUS) as f64 / MODULUS as f64
}

/// A count as a whole number (counts are whole; a stray fraction from a
/// user's SQL is rounded, never truncated).
fn whole(v: f64) -> u64 {
    if v.is_finite() && v > 0.0 {
        v.round() as u64
    } else {
        0
    }
}

/// The published value of one cell.
pub fn publish(policy: &Policy, cell: &Cell) -> Published {
    let k = f64::from(policy.k);
    let perturbed = |v: f64| Published {
        value: Some(v),
        flag: Flag::Perturbed,
    };
    let count = |n: f64, key: Option<i64>| -> Option<u64> {
        let n = whole(n);
        match key {
            _ if n == 0 => Some(0),
            Some(sum) => Some(policy.ptable.perturb(n, cell_key(sum))),
            // No keys (an indicator model that does not sum them): the
            // value cannot be perturbed consistently, so it is withheld.
            None => None,
        }
    };
    let magnitude =
        |v: f64, key: i64| v * (1.0 + policy.magnitude_noise * (2.0 * cell_key(key) - 1.0));
    match cell.unit {
        Unit::Count => match count(cell.value, cell.numerator_key) {
            Some(n) => perturbed(n as f64),
            None => Published::hidden(),
        },
        Unit::Sum => {
            if cell.value == 0.0 {
                return perturbed(0.0);
            }
            match cell.numerator_key {
                Some(key) if cell.support >= u64::from(policy.k) => {
                    perturbed(magnitude(cell.value, key).round())
                }
                _ => Published::hidden(),
            }
        }
        Unit::Rate | Unit::Mean => {
            let Some(d) = cell.denominator.filter(|d| *d >= k) else {
                return Published::hidden();
            };
            let Some(pd) = count(d, cell.denominator_key).filter(|pd| *pd as f64 >= k) else {
                return Published::hidden();
            };
            let pd = pd as f64;
            let numerator = match (cell.unit, cell.numerator_key) {
                (Unit::Rate, key) => match count(cell.numerator, key) {
                    Some(n) => (n as f64).min(pd),
                    None => return Published::hidden(),
                },
                (_, Some(key)) => magnitude(cell.numerator, key),
                (_, None) => return Published::hidden(),
            };
            perturbed(numerator / pd)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(unit: Unit, numerator: f64, denominator: Option<f64>, key: i64) -> Cell {
        Cell {
            unit,
            value: numerator / denominator.unwrap_or(1.0),
            numerator,
            denominator,
            support: denominator.unwrap_or(numerator) as u64,
            numerator_key: Some(key),
            denominator_key: denominator.map(|_| key.wrapping_mul(7)),
            ..Cell::count(numerator)
        }
    }

    #[test]
    fn cell_keys_are_fractions_of_the_key_sum() {
        assert_eq!(cell_key(0), 0.0);
        assert_eq!(cell_key(MODULUS / 2), 0.5);
        assert_eq!(cell_key(MODULUS + MODULUS / 4), 0.25);
        assert_eq!(cell_key(-MODULUS / 4), 0.75);
    }

    #[test]
    fn counts_follow_the_table_and_never_show_small_values() {
        let policy = Policy::default();
        for n in 0..50 {
            for key in (0..MODULUS).step_by(MODULUS as usize / 97) {
                let p = publish(&policy, &cell(Unit::Count, f64::from(n), None, key));
                let v = p.value.unwrap();
                assert!(v == 0.0 || v >= 5.0, "{n} -> {v}");
                assert_eq!(p.flag, Flag::Perturbed);
                assert_eq!(v, policy.ptable.perturb(n as u64, cell_key(key)) as f64);
            }
        }
    }

    #[test]
    fn the_same_contributors_give_the_same_value() {
        let policy = Policy::default();
        let a = cell(Unit::Count, 37.0, None, 123_456_789_012);
        assert_eq!(publish(&policy, &a), publish(&policy, &a.clone()));
        // A key sum that differs by a multiple of 2^32 is the same key.
        let b = Cell {
            numerator_key: Some(123_456_789_012 + 3 * MODULUS),
            ..a.clone()
        };
        assert_eq!(publish(&policy, &a), publish(&policy, &b));
    }

    #[test]
    fn sums_are_hidden_below_k_records_and_noisy_within_the_bound() {
        let policy = Policy::default();
        let mut few = cell(Unit::Sum, 1200.0, None, 99);
        few.support = 4;
        assert!(publish(&policy, &few).is_hidden());
        for key in (0..MODULUS).step_by(MODULUS as usize / 101) {
            let mut s = cell(Unit::Sum, 10_000.0, None, key);
            s.support = 12;
            let v = publish(&policy, &s).value.unwrap();
            assert!((9_500.0..=10_500.0).contains(&v), "{v}");
            assert_eq!(v, v.round());
        }
    }

    #[test]
    fn rates_come_from_protected_parts_and_hide_small_denominators() {
        let policy = Policy::default();
        assert!(publish(&policy, &cell(Unit::Rate, 2.0, Some(4.0), 5)).is_hidden());
        for key in (0..MODULUS).step_by(MODULUS as usize / 89) {
            let c = cell(Unit::Rate, 30.0, Some(40.0), key);
            let p = publish(&policy, &c);
            if let Some(v) = p.value {
                let pn = policy.ptable.perturb(30, cell_key(key)) as f64;
                let pd = policy.ptable.perturb(40, cell_key(key.wrapping_mul(7))) as f64;
                assert_eq!(v, pn.min(pd) / pd);
                assert!(v <= 1.0);
            }
            let m = publish(&policy, &cell(Unit::Mean, 20.0, Some(40.0), key));
            let v = m.value.unwrap();
            assert!((0.4..=0.6).contains(&v), "{v}");
        }
    }

    #[test]
    fn a_cell_without_keys_is_withheld() {
        let policy = Policy::default();
        assert!(publish(&policy, &Cell::count(12.0)).is_hidden());
        assert_eq!(publish(&policy, &Cell::count(0.0)).value, Some(0.0));
    }
}
