//! The perturbation table of the cell-key method (docs/disclosure.md).
//!
//! A CSV with one row per (exact value `i`, published value `j`) and the
//! probability `p` of publishing `j` for `i`: the layout of the `ptable`
//! R package (Destatis, Eurostat), whose extra columns (`v`, `p_int_lb`,
//! `p_int_ub`, `type`) are accepted and ignored. The rows of the largest
//! `i` apply to every larger value as offsets `j − i`.
//!
//! Invariants, checked when the table is read:
//!
//! - `i` runs from 0 to its largest value without a gap, and each `i`'s
//!   probabilities sum to 1;
//! - 0 stays 0 (a cell with no one in it is not perturbed);
//! - no published value lies in 1..k−1, for any exact value;
//! - every exact value from 1 up has a chance of change (a published
//!   value is never certain to be exact).

use std::fmt::Write as _;

/// One exact value's choices: published values and the upper end of each
/// one's interval of cell keys, ascending (the last is 1).
#[derive(Debug, Clone, PartialEq)]
struct Row {
    choices: Vec<(u64, f64)>,
}

/// A validated perturbation table.
#[derive(Debug, Clone, PartialEq)]
pub struct PTable {
    /// Row `i` for exact value `i`; the last applies to larger values.
    rows: Vec<Row>,
    /// Where it came from, for the methodology note.
    pub source: String,
}

/// Probabilities of a row must sum to 1 within this.
const TOLERANCE: f64 = 1e-6;

impl PTable {
    /// The default table for threshold `k` (k ≥ 2), documented in
    /// docs/disclosure.md:
    ///
    /// - 1..k−1 are published as 0 or k, unbiased (k with probability i/k);
    /// - k and k+1 move by −1..+3 (k may also fall to 0), unbiased;
    /// - k+2 and above move by −2..+2 with probabilities
    ///   0.15, 0.2, 0.3, 0.2, 0.15, so that the difference of two
    ///   independent values is exact with probability 0.215.
    pub fn default_for(k: u32) -> PTable {
        PTable::parse(
            &PTable::default_csv(k),
            k.max(2),
            "Homeward's default table",
        )
        .expect("the default table is valid for every k >= 2")
    }

    /// The default table for `k` as CSV (`i,j,p`): what `homeward init`
    /// writes beside a new project's config, and the shipped `ptable.csv`
    /// for k = 5. The table is read back from this text, so a copy on disk
    /// behaves exactly as the built-in one.
    pub fn default_csv(k: u32) -> String {
        let k = u64::from(k.max(2));
        let kf = k as f64;
        let mut rows: Vec<(u64, u64, f64)> = vec![(0, 0, 1.0)];
        for i in 1..k {
            let up = i as f64 / kf;
            rows.push((i, 0, 1.0 - up));
            rows.push((i, k, up));
        }
        // k: 0 with a, k with b, k+1 with 0.2, k+2 with 0.15, where
        // unbiasedness gives a = (0.2 + 2 × 0.15) / k.
        let a = 0.5 / kf;
        rows.extend([
            (k, 0, a),
            (k, k, 0.65 - a),
            (k, k + 1, 0.2),
            (k, k + 2, 0.15),
        ]);
        // k+1: −1 with 0.35, 0 with 0.4, +1 with 0.15, +2 with 0.1.
        let n = k + 1;
        rows.extend([(n, k, 0.35), (n, n, 0.4), (n, n + 1, 0.15), (n, n + 2, 0.1)]);
        let top = k + 2;
        for (d, p) in [0.15, 0.2, 0.3, 0.2, 0.15].iter().enumerate() {
            rows.push((top, top - 2 + d as u64, *p));
        }
        let mut s = String::from("i,j,p\n");
        for (i, j, p) in rows {
            // Six decimals: enough for any k, and the same text everywhere.
            let _ = writeln!(s, "{i},{j},{}", (p * 1e6).round() / 1e6);
        }
        s
    }

    /// Reads a table from CSV text, checking it against `k`.
    pub fn parse(text: &str, k: u32, source: &str) -> Result<PTable, String> {
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let headers = reader
            .headers()
            .map_err(|e| format!("{source}: {e}"))?
            .clone();
        let col = |name: &str| {
            headers
                .iter()
                .position(|h| h == name)
                .ok_or_else(|| format!("{source}:1: the perturbation table needs columns i, j and p; `{name}` is missing"))
        };
        let (ci, cj, cp) = (col("i")?, col("j")?, col("p")?);
        let mut rows: Vec<Vec<(u64, f64)>> = Vec::new();
        for (n, rec) in reader.records().enumerate() {
            let line = n + 2;
            let rec = rec.map_err(|e| format!("{source}:{line}: {e}"))?;
            let field = |c: usize, name: &str| -> Result<&str, String> {
                rec.get(c)
                    .ok_or_else(|| format!("{source}:{line}: no value for `{name}`"))
            };
            let i: u64 = field(ci, "i")?
                .parse()
                .map_err(|_| format!("{source}:{line}: `i` must be a whole number ≥ 0"))?;
            let j: u64 = field(cj, "j")?
                .parse()
                .map_err(|_| format!("{source}:{line}: `j` must be a whole number ≥ 0"))?;
            let p: f64 = field(cp, "p")?
                .parse()
                .ok()
                .filter(|p: &f64| (0.0..=1.0).contains(p))
                .ok_or_else(|| format!("{source}:{line}: `p` must be a probability (0 to 1)"))?;
            let at = usize::try_from(i).map_err(|_| format!("{source}:{line}: `i` too large"))?;
            if at > rows.len() {
                return Err(format!(
                    "{source}:{line}: i = {i} comes before i = {} has rows: list every value from 0 up",
                    rows.len()
                ));
            }
            if at == rows.len() {
                rows.push(Vec::new());
            } else if at + 1 != rows.len() {
                return Err(format!(
                    "{source}:{line}: the rows of i = {i} must be together, in order of i"
                ));
            }
            if p > 0.0 {
                rows[at].push((j, p));
            }
        }
        PTable::from_probabilities(rows, k, source.to_string())
    }

    fn from_probabilities(
        mut rows: Vec<Vec<(u64, f64)>>,
        k: u32,
        source: String,
    ) -> Result<PTable, String> {
        let k = u64::from(k);
        if rows.len() < 2 {
            return Err(format!(
                "{source}: the table needs rows for i = 0 and i ≥ 1"
            ));
        }
        let last = rows.len() as u64 - 1;
        let mut out = Vec::with_capacity(rows.len());
        for (i, choices) in rows.iter_mut().enumerate() {
            let i = i as u64;
            choices.sort_by_key(|c| c.0);
            let total: f64 = choices.iter().map(|c| c.1).sum();
            if (total - 1.0).abs() > TOLERANCE {
                return Err(format!(
                    "{source}: the probabilities of i = {i} sum to {total}, not 1"
                ));
            }
            if i == 0 && choices.iter().any(|c| c.0 != 0) {
                return Err(format!("{source}: i = 0 must stay 0 (j = 0, p = 1)"));
            }
            if let Some(&(j, _)) = choices.iter().find(|c| c.0 > 0 && c.0 < k) {
                return Err(format!(
                    "{source}: i = {i} may be published as {j}, which is below k = {k}: \
                     no published count may lie in 1..{}",
                    k - 1
                ));
            }
            // The last row's j is an offset for larger values too: from
            // there, j − last + n must stay ≥ k for every n ≥ last.
            if i == last
                && let Some(&(j, _)) = choices.iter().find(|c| c.0 < k)
            {
                return Err(format!(
                    "{source}: the last row, i = {i}, applies to every larger value as an offset \
                     (j − i), so its published values must be at least k = {k}; {j} is not: \
                     add rows up to a value whose choices are all {k} or more"
                ));
            }
            if i > 0
                && choices
                    .iter()
                    .any(|c| c.0 == i && (c.1 - 1.0).abs() <= TOLERANCE)
            {
                return Err(format!(
                    "{source}: i = {i} is always published as itself: every value needs a chance of change"
                ));
            }
            let mut upper = 0.0;
            let row = Row {
                choices: choices
                    .iter()
                    .map(|&(j, p)| {
                        upper += p;
                        (j, upper)
                    })
                    .collect(),
            };
            out.push(row);
        }
        // Rounding must not leave a key in [sum, 1) without a choice.
        for r in &mut out {
            if let Some(c) = r.choices.last_mut() {
                c.1 = 1.0;
            }
        }
        Ok(PTable { rows: out, source })
    }

    /// The published value of exact value `n` with cell key `key` in [0, 1).
    pub fn perturb(&self, n: u64, key: f64) -> u64 {
        let last = self.rows.len() as u64 - 1;
        let row = &self.rows[usize::try_from(n.min(last)).unwrap_or(self.rows.len() - 1)];
        let j = row
            .choices
            .iter()
            .find(|c| key < c.1)
            .or(row.choices.last())
            .map_or(0, |c| c.0);
        if n > last { n + j - last } else { j }
    }

    /// The largest change the table can make to a value.
    pub fn max_change(&self) -> u64 {
        self.rows
            .iter()
            .enumerate()
            .flat_map(|(i, r)| r.choices.iter().map(move |c| c.0.abs_diff(i as u64)))
            .max()
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_publishes_no_small_value_and_changes_every_value() {
        for k in [2, 3, 5, 10] {
            let t = PTable::default_for(k);
            for n in 0..60u64 {
                let mut seen = std::collections::BTreeSet::new();
                for step in 0..1000 {
                    let p = t.perturb(n, f64::from(step) / 1000.0);
                    assert!(p == 0 || p >= u64::from(k), "k {k}: {n} -> {p}");
                    seen.insert(p);
                }
                if n == 0 {
                    assert_eq!(seen.into_iter().collect::<Vec<_>>(), vec![0]);
                } else {
                    assert!(seen.len() > 1, "k {k}: {n} never changes");
                }
            }
        }
    }

    #[test]
    fn the_default_is_unbiased() {
        let t = PTable::default_for(5);
        for n in [1u64, 2, 3, 4, 5, 6, 7, 8, 40] {
            let steps = 100_000;
            let mean = (0..steps)
                .map(|s| t.perturb(n, (f64::from(s) + 0.5) / f64::from(steps)) as f64)
                .sum::<f64>()
                / f64::from(steps);
            assert!((mean - n as f64).abs() < 1e-3, "{n}: mean {mean}");
        }
    }

    #[test]
    fn the_shipped_csv_is_the_default_for_k_5() {
        let shipped = include_str!("../../ptable.csv");
        assert_eq!(shipped, PTable::default_csv(5));
        let parsed = PTable::parse(shipped, 5, "ptable.csv").unwrap();
        for n in 0..30 {
            for s in 0..200 {
                let key = f64::from(s) / 200.0;
                assert_eq!(
                    parsed.perturb(n, key),
                    PTable::default_for(5).perturb(n, key)
                );
            }
        }
    }

    #[test]
    fn bad_tables_say_what_is_wrong() {
        let err = |text: &str| PTable::parse(text, 5, "p.csv").unwrap_err();
        assert!(err("i,j\n0,0\n").contains("`p` is missing"));
        assert!(err("i,j,p\n0,0,1\n1,0,0.5\n1,3,0.5\n").contains("published as 3"));
        assert!(err("i,j,p\n0,0,1\n1,0,0.5\n1,5,0.5\n").contains("the last row, i = 1"));
        assert!(err("i,j,p\n0,0,1\n1,0,0.5\n1,5,0.4\n").contains("sum to"));
        assert!(err("i,j,p\n0,0,1\n2,5,1\n").contains("list every value"));
        assert!(err("i,j,p\n0,5,1\n1,0,0.5\n1,5,0.5\n").contains("must stay 0"));
        assert!(err("i,j,p\n0,0,1\n1,0,0.5\n1,5,0.5\n5,5,1\n").contains("list every value"));
        let always = "i,j,p\n0,0,1\n1,0,0.5\n1,5,0.5\n2,0,0.5\n2,5,0.5\n3,0,0.5\n3,5,0.5\n4,0,0.5\n4,5,0.5\n5,5,1\n";
        assert!(err(always).contains("below k") || err(always).contains("chance of change"));
        assert!(err("i,j,p\n0,0,1\n1,0,x\n").contains("p.csv:3"));
    }

    #[test]
    fn the_last_row_is_an_offset_for_larger_values() {
        let t = PTable::default_for(5);
        // Row 7 (the last) is 5..9 with 0.15, 0.2, 0.3, 0.2, 0.15.
        assert_eq!(t.perturb(7, 0.0), 5);
        assert_eq!(t.perturb(107, 0.0), 105);
        assert_eq!(t.perturb(107, 0.5), 107);
        assert_eq!(t.perturb(107, 0.999), 109);
        assert_eq!(t.max_change(), 5);
    }
}
