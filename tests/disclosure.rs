//! Disclosure control attacked as a donor would attack it
//! (docs/disclosure.md): packs released at four as-of dates over two
//! quarters, then every difference a donor can take of what they publish.
//!
//! The attack reads only what leaves the organisation (`pack.csv`) and,
//! to score itself, the exact internal `indicator_values.csv`. It shares
//! no code with `pipeline/disclosure/`: it never calls the method it
//! attacks.
//!
//! - **Between releases**: the same cell in two releases (to date at two
//!   as-of dates; a year to date at two as-of dates) differs by the cells
//!   between them, e.g. to date at 30 June minus to date at 31 March is Q2.
//! - **Within a release**: a year to date minus a quarter, a quarter minus
//!   a month, when what is left is a period.
//! - **A total minus the shown cells of its breakdown** (sex, age group,
//!   countries: breakdowns that add up to the total).
//!
//! Each attack's guess for a small exact value (1..k−1) is scored exact or
//! not. With the default cell-key method, no attack may be right more
//! often than one in three; with `method = "suppress"` the same attacks
//! recover hidden values, which is why that method is documented as weaker.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use chrono::{Datelike, NaiveDate};

use crate::common::{CellId, Project, files_under, indicator_values_csv};

const K: f64 = 5.0;
const RELEASES: [&str; 4] = ["2026-03-31", "2026-04-30", "2026-05-31", "2026-06-30"];
const PERIODS: [&str; 6] = [
    "2026-Q1", "2026-Q2", "2026", "2026-04", "2026-05", "2026-06",
];
/// Breakdowns whose cells add up to the total (vulnerability does not: a
/// case counts under each of its codes).
const PARTITIONS: [&str; 4] = ["sex", "age_group", "country_of_origin", "host_country"];

/// A cell without its period: (indicator, project, breakdown, value).
type Series = (String, String, String, String);

/// What one release published and what was exact.
struct Release {
    as_of: NaiveDate,
    /// Published count cells: value (None when hidden) and flag.
    published: HashMap<CellId, (Option<f64>, String)>,
    /// The exact `indicator_values` of the run.
    exact: HashMap<CellId, f64>,
}

impl Release {
    fn exact(&self, id: &CellId) -> f64 {
        self.exact.get(id).copied().unwrap_or(0.0)
    }
}

fn date(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

/// The days a period covers in a release: (first day or None for to date,
/// last day), cut at the as-of date; None when it starts after it.
fn interval(period: &str, as_of: NaiveDate) -> Option<(Option<NaiveDate>, NaiveDate)> {
    let (start, end) = if period == "to_date" {
        return Some((None, as_of));
    } else if let Some((y, q)) = period.split_once("-Q") {
        let (y, q): (i32, u32) = (y.parse().ok()?, q.parse().ok()?);
        let s = NaiveDate::from_ymd_opt(y, 3 * q - 2, 1)?;
        (s, s.checked_add_months(chrono::Months::new(3))?.pred_opt()?)
    } else if let Some((y, m)) = period.split_once('-') {
        let s = NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)?;
        (s, s.checked_add_months(chrono::Months::new(1))?.pred_opt()?)
    } else {
        let y: i32 = period.parse().ok()?;
        (
            NaiveDate::from_ymd_opt(y, 1, 1)?,
            NaiveDate::from_ymd_opt(y, 12, 31)?,
        )
    };
    (start <= as_of).then(|| (Some(start), end.min(as_of)))
}

/// The period label whose interval in a release is exactly [start, end].
fn label_of(start: NaiveDate, end: NaiveDate, as_of: NaiveDate) -> Option<String> {
    let y = start.year();
    let q = (start.month() - 1) / 3 + 1;
    [
        format!("{y}-{:02}", start.month()),
        format!("{y}-Q{q}"),
        format!("{y}"),
    ]
    .into_iter()
    .find(|l| interval(l, as_of) == Some((Some(start), end)))
}

/// Reads every `pack.csv` of one release's output folder, and the exact
/// values from the run's `indicator_values.csv` under `exact_out`; checks that
/// a cell shown in several packs shows the same value and flag in each.
fn read_release(out: &Path, exact_out: &Path, as_of: &str) -> Release {
    let mut published: HashMap<CellId, (Option<f64>, String)> = HashMap::new();
    let mut packs = 0;
    for f in files_under(&out.join(as_of).join("donor")) {
        if f.file_name().is_none_or(|n| n != "pack.csv") {
            continue;
        }
        packs += 1;
        let mut r = csv::Reader::from_path(&f).expect("pack.csv");
        let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
        let col = |n: &str| {
            header
                .iter()
                .position(|h| h == n)
                .unwrap_or_else(|| panic!("pack.csv has no column {n}"))
        };
        let cols = [
            "indicator_id",
            "project_code",
            "period",
            "breakdown",
            "breakdown_value",
        ]
        .map(col);
        let (unit, value, flag) = (col("unit"), col("value"), col("obs_status"));
        for rec in r.records() {
            let rec = rec.unwrap();
            if &rec[unit] != "count" {
                continue;
            }
            let id: CellId = (
                rec[cols[0]].to_string(),
                rec[cols[1]].to_string(),
                rec[cols[2]].to_string(),
                rec[cols[3]].to_string(),
                rec[cols[4]].to_string(),
            );
            let v = (!rec[value].is_empty()).then(|| {
                rec[value].parse::<f64>().unwrap_or_else(|_| {
                    panic!("{}: value {:?} is not a number", f.display(), &rec[value])
                })
            });
            let cell = (v, rec[flag].to_string());
            if let Some(seen) = published.get(&id) {
                assert_eq!(
                    seen, &cell,
                    "{as_of} {id:?}: two packs publish it differently"
                );
            }
            published.insert(id, cell);
        }
    }
    assert_eq!(packs, PERIODS.len(), "{as_of}: one pack per period");
    let exact = indicator_values_csv(
        &exact_out
            .join(as_of)
            .join("indicators/indicator_values.csv"),
    );
    Release {
        as_of: date(as_of),
        published,
        exact,
    }
}

/// Attempts and exact recoveries of one attack.
#[derive(Debug, Default, Clone, Copy)]
struct Score {
    attempts: usize,
    exact: usize,
}

impl Score {
    fn guess(&mut self, estimate: f64, truth: f64) {
        self.attempts += 1;
        if (estimate - truth).abs() < 1e-9 {
            self.exact += 1;
        }
    }

    fn rate(&self) -> f64 {
        self.exact as f64 / self.attempts.max(1) as f64
    }
}

fn small(v: f64) -> bool {
    (1.0..K).contains(&v)
}

/// The shown cells of a release, by series: period → value.
fn by_series(r: &Release) -> BTreeMap<Series, Vec<(String, f64)>> {
    let mut out: BTreeMap<Series, Vec<(String, f64)>> = BTreeMap::new();
    for ((i, p, per, b, v), (value, _)) in &r.published {
        if let Some(x) = value {
            out.entry((i.clone(), p.clone(), b.clone(), v.clone()))
                .or_default()
                .push((per.clone(), *x));
        }
    }
    out
}

/// Difference attacks: between two releases (`a` earlier than `b`) or
/// within one (`a` and `b` the same). The target lives in release `b`.
fn differences(a: &Release, b: &Release, score: &mut Score) {
    let sa = by_series(a);
    let sb = by_series(b);
    for (series, cells_b) in &sb {
        let Some(cells_a) = sa.get(series) else {
            continue;
        };
        for (pa, va) in cells_a {
            let Some((start_a, end_a)) = interval(pa, a.as_of) else {
                continue;
            };
            for (pb, vb) in cells_b {
                let Some((start_b, end_b)) = interval(pb, b.as_of) else {
                    continue;
                };
                // B extends A at its end: B − A is (end_a, end_b].
                let target = if start_a == start_b && end_a < end_b {
                    end_a
                        .succ_opt()
                        .and_then(|s| label_of(s, end_b, b.as_of))
                        .map(|l| (l, vb - va))
                // Within one release, B extends A at its start: B − A is
                // [start_b, start_a).
                } else if a.as_of == b.as_of
                    && end_a == end_b
                    && let (Some(sa), Some(sb)) = (start_a, start_b)
                    && sb < sa
                {
                    sa.pred_opt()
                        .and_then(|e| label_of(sb, e, b.as_of))
                        .map(|l| (l, vb - va))
                } else {
                    None
                };
                let Some((label, estimate)) = target else {
                    continue;
                };
                let id = (
                    series.0.clone(),
                    series.1.clone(),
                    label,
                    series.2.clone(),
                    series.3.clone(),
                );
                let truth = b.exact(&id);
                if small(truth) {
                    score.guess(estimate, truth);
                }
            }
        }
    }
}

/// The total minus the shown cells of a breakdown that adds up to it.
fn total_minus_cells(r: &Release, score: &mut Score) {
    // (indicator, project, period, breakdown) → (value, published).
    let mut groups: BTreeMap<Series, Vec<(String, Option<f64>)>> = BTreeMap::new();
    for ((i, p, per, b, v), (value, _)) in &r.published {
        if PARTITIONS.contains(&b.as_str()) {
            groups
                .entry((i.clone(), p.clone(), per.clone(), b.clone()))
                .or_default()
                .push((v.clone(), *value));
        }
    }
    for ((i, p, per, b), cells) in &groups {
        let total_id = (
            i.clone(),
            p.clone(),
            per.clone(),
            "total".into(),
            "total".into(),
        );
        let Some((Some(total), _)) = r.published.get(&total_id) else {
            continue;
        };
        for (v, _) in cells {
            let truth = r.exact(&(i.clone(), p.clone(), per.clone(), b.clone(), v.clone()));
            if !small(truth) {
                continue;
            }
            let others: Option<f64> = cells.iter().filter(|(w, _)| w != v).map(|(_, x)| *x).sum();
            if let Some(others) = others {
                score.guess(total - others, truth);
            }
        }
    }
}

/// Runs the three attacks on a set of releases.
fn attack(releases: &[Release]) -> [Score; 3] {
    let mut scores = [Score::default(); 3];
    for (n, b) in releases.iter().enumerate() {
        for a in &releases[..n] {
            differences(a, b, &mut scores[0]);
        }
        differences(b, b, &mut scores[1]);
        total_minus_cells(b, &mut scores[2]);
    }
    scores
}

/// The project: generated drops, one pack of every project for each
/// period, written as CSV only (the attack reads nothing else; the other
/// formats take their values from the same decisions, which the report
/// tests check), the sample's demo key.
fn project(method: &str) -> Project {
    let p = Project::generated(600, 20261, 4, "2026-06-30");
    let config = std::fs::read_to_string(p.path("homeward.toml"))
        .unwrap()
        .replace("[report]\n", "[report]\npack_formats = [\"csv\"]\n");
    let projects: BTreeSet<String> = (0..12)
        .map(|i| format!("\"RT.{}\"", 1001 + i * 7))
        .collect();
    std::fs::write(
        p.path("homeward.toml"),
        format!(
            "{config}\n[disclosure]\nmethod = \"{method}\"\nk = 5\n\n[[report.packs]]\npack = \"all\"\ndonor = \"A donor\"\n\
             projects = [{}]\nperiods = [{}]\n",
            projects.into_iter().collect::<Vec<_>>().join(", "),
            PERIODS.map(|s| format!("\"{s}\"")).join(", ")
        ),
    )
    .unwrap();
    p
}

#[test]
fn no_difference_of_releases_recovers_a_small_count() {
    let p = project("cell_key");
    for as_of in RELEASES {
        let out = p.homeward(&["run", "--as-of", as_of]);
        assert_eq!(out.code, 0, "run {as_of}: {}", out.stderr);
    }
    let releases: Vec<Release> = RELEASES
        .iter()
        .map(|d| read_release(&p.path("out"), &p.path("out"), d))
        .collect();

    // Every count is a number (never text), flagged, never 1..k−1.
    for r in &releases {
        for (id, (v, flag)) in &r.published {
            assert_eq!(flag, "perturbed", "{id:?}");
            let v = v.unwrap_or_else(|| panic!("{id:?}: a count is never withheld"));
            assert!(!small(v), "{} {id:?}: published {v}", r.as_of);
        }
    }

    let names = ["between releases", "within a release", "total minus cells"];
    let scores = attack(&releases);
    for (name, s) in names.iter().zip(scores) {
        eprintln!(
            "cell_key, {name}: {} of {} small counts guessed exactly ({:.1} %)",
            s.exact,
            s.attempts,
            100.0 * s.rate()
        );
        assert!(
            s.attempts >= 30,
            "{name}: too few small counts to attack ({s:?})"
        );
        assert!(
            s.rate() <= 1.0 / 3.0,
            "{name}: {} of {} small counts recovered exactly",
            s.exact,
            s.attempts
        );
    }

    // A closed period has the same contributors at every later as-of date
    // (all drops are in from the start): the same published value.
    let mut compared = 0;
    for later in &releases[1..] {
        for (id, cell) in &releases[0].published {
            // The period's own end, not cut at an as-of date.
            let closed = interval(&id.2, date("2100-01-01"))
                .is_some_and(|(_, end)| end <= releases[0].as_of);
            if !closed {
                continue;
            }
            if let Some(again) = later.published.get(id) {
                assert_eq!(
                    releases[0].exact(id),
                    later.exact(id),
                    "{id:?}: exact changed"
                );
                assert_eq!(cell, again, "{id:?}: same people, another published value");
                compared += 1;
            }
        }
    }
    assert!(compared > 100, "only {compared} closed cells compared");

    // The same suppression-method attacks on the same warehouse: they do
    // recover hidden values, which is why it is not the default.
    let config = std::fs::read_to_string(p.path("homeward.toml"))
        .unwrap()
        .replace("method = \"cell_key\"", "method = \"suppress\"");
    for as_of in RELEASES {
        p.report_with(&config, "out-suppress", as_of);
    }
    let suppressed: Vec<Release> = RELEASES
        .iter()
        .map(|d| read_release(&p.path("out-suppress"), &p.path("out"), d))
        .collect();
    for r in &suppressed {
        for (id, (v, flag)) in &r.published {
            match v {
                None => assert_eq!(flag, "hidden", "{id:?}"),
                Some(v) => {
                    assert_eq!(flag, "", "{id:?}");
                    assert_eq!(*v, r.exact(id), "{id:?}: suppression shows exact values");
                    assert!(!small(*v), "{id:?}: {v} shown");
                }
            }
        }
    }
    let scores = attack(&suppressed);
    for (name, s) in names.iter().zip(scores) {
        eprintln!(
            "suppress, {name}: {} of {} small counts recovered exactly ({:.1} %)",
            s.exact,
            s.attempts,
            100.0 * s.rate()
        );
    }
    assert!(
        scores[0].exact > 0,
        "differences between releases recover hidden values under suppression"
    );
    assert_eq!(scores[2].exact, 0, "secondary suppression protects totals");
}

#[test]
fn a_night_that_changes_nothing_for_a_cell_keeps_its_value() {
    let p = project("cell_key");
    let as_of = "2026-06-30";
    let run = || {
        let out = p.homeward(&["run", "--as-of", as_of]);
        assert_eq!(out.code, 0, "run: {}", out.stderr);
    };
    let packs = |tag: &str| -> BTreeMap<String, Vec<u8>> {
        files_under(&p.path("out").join(as_of).join("donor"))
            .into_iter()
            .filter(|f| f.extension().is_some_and(|e| e == "csv"))
            .map(|f| (format!("{tag}{}", f.display()), std::fs::read(&f).unwrap()))
            .collect()
    };
    run();
    let first = packs("");
    // A rerun with nothing new: the same bytes.
    run();
    assert_eq!(first, packs(""), "a rerun changed a pack's CSV");
    let before = read_release(&p.path("out"), &p.path("out"), as_of);

    // A late drop with one new case of RT.1008 and its assistance.
    p.drop_file(
        "2026-07-01/cases.csv",
        "case_id,project_code,beneficiary_type,full_name,date_of_birth,sex,country_of_origin,host_country,\
         return_programme,admin1,return_date,vulnerabilities,case_status,reintegration_completed_on,updated_at\n\
         C9999999,RT.1008,returnee,Late Case,1990-01-01,F,GIN,DEU,AVRR,Region 1,2026-05-02,,reintegration_in_progress,,2026-07-01T00:00:00Z\n",
    );
    p.drop_file(
        "2026-07-01/assistance.csv",
        "assistance_id,case_id,assistance_type,status,delivered_on,amount_usd,channel,provider,updated_at\n\
         A9999999-1,C9999999,reception_cash,delivered,2026-05-03,100,direct,IOM,2026-07-01T00:00:00Z\n",
    );
    run();
    let after = read_release(&p.path("out"), &p.path("out"), as_of);
    let (mut same, mut changed) = (0, 0);
    for (id, cell) in &before.published {
        let again = after.published.get(id);
        if id.1 == "RT.1008" {
            // A cell of the new case's project may change, or fall to a
            // published 0 (a row left out).
            changed += usize::from(again != Some(cell));
        } else {
            let again = again.unwrap_or_else(|| panic!("{id:?} gone"));
            assert_eq!(
                cell, again,
                "{id:?}: its people did not change, its value did"
            );
            same += 1;
        }
    }
    assert!(same > 100, "{same}");
    assert!(
        changed > 0,
        "the new case changed no published cell of its project"
    );
}
