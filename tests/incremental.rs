//! Incremental runs: drops arrive one night at a time, then corrections to
//! earlier records (a newer version, an older one that must not win, a
//! corrected file replaced in place). After each night the incremental
//! `indicator_values` must equal `--full-refresh` on the same warehouse and a
//! fresh warehouse that pulled everything at once.

use std::path::Path;

use homeward::generate::{GenerateOptions, generate};

use crate::common::{Project, copy_tree};

const AS_OF: &str = "2026-05-31";

fn values(p: &Project) -> String {
    values_at(p, AS_OF)
}

fn values_at(p: &Project, as_of: &str) -> String {
    std::fs::read_to_string(p.path(&format!("out/{as_of}/indicators/indicator_values.csv")))
        .unwrap()
}

/// Generated drops under `generated/`, and their drop folders in order.
fn generated(
    p: &Project,
    cases: usize,
    seed: u64,
    clean: bool,
) -> (std::path::PathBuf, Vec<String>) {
    let all = p.path("generated");
    generate(&GenerateOptions {
        cases,
        seed,
        drops: 3,
        as_of: AS_OF.parse().unwrap(),
        out: all.clone(),
        clean,
        every_days: 7,
        reference_each_drop: false,
    })
    .unwrap();
    let mut drops: Vec<String> = std::fs::read_dir(&all)
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("20"))
        .collect();
    drops.sort();
    assert_eq!(drops.len(), 3);
    (all, drops)
}

fn modes(p: &Project) -> Vec<(String, String)> {
    p.run_json(AS_OF)["models"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["name"].as_str().unwrap().starts_with("cur_"))
        .map(|m| {
            (
                m["name"].as_str().unwrap().to_string(),
                m["mode"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Models of the last run (at `as_of`) by mode.
fn models_in_mode(p: &Project, as_of: &str, mode: &str) -> Vec<String> {
    p.run_json(as_of)["models"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["mode"] == mode)
        .map(|m| m["name"].as_str().unwrap().to_string())
        .collect()
}

/// A current-state model's parts in the last run: the rows of each.
fn parts(p: &Project, model: &str) -> Vec<u64> {
    let run = p.run_json(AS_OF);
    let record = run["models"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == model)
        .unwrap()
        .clone();
    record["parts"]
        .as_array()
        .map(|parts| parts.iter().map(|p| p["rows"].as_u64().unwrap()).collect())
        .unwrap_or_default()
}

fn run(p: &Project, extra: &[&str]) {
    run_at(p, AS_OF, extra);
}

fn run_at(p: &Project, as_of: &str, extra: &[&str]) {
    let mut args = vec!["run", "--as-of", as_of];
    args.extend(extra);
    let out = p.homeward(&args);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

/// Checks the night's incremental result against `--full-refresh` and, with
/// `fresh`, a new warehouse pulling the drops folder at once (not after a
/// file was replaced: the warehouse keeps the replaced file's versions).
fn check_against_rebuilds(p: &Project, night: &str, fresh: bool) {
    let incremental = values(p);
    // The same warehouse, rebuilt from its raw layer.
    let copy = Project::temp();
    copy_tree(&p.path("drops"), &copy.path("drops"));
    copy_tree(&p.path("wh"), &copy.path("wh"));
    run(&copy, &["--full-refresh"]);
    assert!(
        modes(&copy).iter().all(|(_, m)| m == "full"),
        "{:?}",
        modes(&copy)
    );
    assert!(
        values(&copy) == incremental,
        "{night}: --full-refresh differs"
    );
    if !fresh {
        return;
    }
    // A new warehouse that pulls every drop at once.
    let fresh = Project::temp();
    copy_tree(&p.path("drops"), &fresh.path("drops"));
    run(&fresh, &[]);
    assert!(
        values(&fresh) == incremental,
        "{night}: a fresh warehouse differs"
    );
}

/// The first `n` data rows of a cases CSV, as corrections: `sex` flipped and
/// `updated_at` set.
fn corrections(first_drop: &Path, n: usize, updated_at: &str) -> String {
    let mut reader = csv::Reader::from_path(first_drop.join("cases.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let sex = headers.iter().position(|h| h == "sex").unwrap();
    let updated = headers
        .iter()
        .position(|h| h.trim_start_matches('\u{feff}') == "updated_at")
        .unwrap();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(headers.iter().map(|h| h.trim_start_matches('\u{feff}')))
        .unwrap();
    for rec in reader.records().take(n) {
        let rec = rec.unwrap();
        let row: Vec<String> = rec
            .iter()
            .enumerate()
            .map(|(i, v)| match i {
                i if i == sex => {
                    if v.trim().eq_ignore_ascii_case("f") {
                        "m".into()
                    } else {
                        "f".into()
                    }
                }
                i if i == updated => updated_at.into(),
                _ => v.to_string(),
            })
            .collect();
        w.write_record(&row).unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

#[test]
fn nightly_increments_equal_full_refresh_through_corrections() {
    let p = Project::temp();
    let (all, drops) = generated(&p, 40, 5, false);

    // One drop per night.
    let mut most_parts = 0;
    for (night, d) in drops.iter().enumerate() {
        copy_tree(&all.join(d), &p.path("drops").join(d));
        run(&p, &[]);
        // After the first night, an entity with rows loaded tonight is
        // merged; one without (its file was rejected) keeps its current
        // state as it was.
        let run_json = p.run_json(AS_OF);
        let loaded = |entity: &str| {
            run_json["files"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|f| f["entity"] == entity)
                .map(|f| f["rows_loaded"].as_u64().unwrap_or(0))
                .sum::<u64>()
        };
        for (name, mode) in modes(&p) {
            let expected = match (night, loaded(&name["cur_".len()..])) {
                (0, _) => "full",
                (_, 0) => "reused",
                _ => "incremental",
            };
            assert_eq!(mode, expected, "night {night}: {name}");
        }
        if night > 0 {
            assert!(modes(&p).iter().any(|(_, m)| m == "incremental"));
        }
        for (name, _) in modes(&p) {
            most_parts = most_parts.max(parts(&p, &name).len());
        }
    }
    // Every night's changes pass a tenth of these small tables, but one
    // table a night gets its major compaction: the others gather parts,
    // never more than four (past that their later parts are merged).
    assert!((2..=4).contains(&most_parts), "{most_parts}");
    check_against_rebuilds(&p, "after the drops", true);

    // A night with nothing new reuses the current versions.
    run(&p, &[]);
    assert!(modes(&p).iter().all(|(_, m)| m == "reused"));

    // Current tables in one folder each again (the nights above left some
    // in parts, with major compactions deferred: one a night), so that the
    // parts of the corrections below are known.
    run(&p, &["--full-refresh"]);
    assert!(parts(&p, "cur_cases").is_empty());

    // Corrections: three newer versions of earlier cases, and one older
    // version of another that must lose to what the warehouse has.
    let before = values(&p);
    let first = all.join(&drops[0]);
    let newer = corrections(&first, 3, "2026-05-31T22:00:00Z");
    let mut older = corrections(&first, 4, "2001-01-01T00:00:00Z");
    // Keep only the fourth row of `older` (with its header).
    let lines: Vec<&str> = older.lines().collect();
    older = format!("{}\n{}\n", lines[0], lines[4]);
    p.drop_file("2026-05-31T2300/cases.csv", &newer);
    p.drop_file("2026-05-31T2330/cases.csv", &older);
    run(&p, &[]);
    assert!(modes(&p).contains(&("cur_cases".into(), "incremental".into())));
    // The three winning corrections are the table's second part (the older
    // version lost); the cases table is not rewritten.
    let cases = parts(&p, "cur_cases");
    assert_eq!(cases.len(), 2, "{cases:?}");
    assert_eq!(cases[1], 3, "{cases:?}");
    // Only cases arrived: a delta run (every indicator summed from the
    // touched cases' rows, not rebuilt).
    let delta = models_in_mode(&p, AS_OF, "delta");
    assert!(
        delta.iter().filter(|m| m.starts_with("ind_")).count() > 15
            && delta.contains(&"stg_cases".to_string()),
        "{delta:?}"
    );
    let html = std::fs::read_to_string(p.path(&format!("out/{AS_OF}/run.html"))).unwrap();
    assert!(html.contains("A delta run"), "run.html does not say so");
    assert!(
        html.contains("incremental, 2 parts"),
        "run.html does not show the parts"
    );
    let after = values(&p);
    assert!(after != before, "the corrections changed nothing");
    check_against_rebuilds(&p, "after the corrections", true);

    // The corrected file replaced in place (two corrections instead of three).
    let replaced = corrections(&first, 2, "2026-05-31T22:30:00Z");
    p.drop_file("2026-05-31T2300/cases.csv", &replaced);
    run(&p, &[]);
    assert_eq!(
        crate::common::file_record(&p.run_json(AS_OF), "2026-05-31T2300/cases.csv")["status"],
        "pulled"
    );
    // Two more changed rows: the parts after the first now hold more than a
    // tenth of the cases, so the table was compacted into one folder.
    assert_eq!(parts(&p, "cur_cases"), Vec::<u64>::new());
    check_against_rebuilds(&p, "after the replaced file", false);
}

/// Assistance records re-sent under another case (a data-entry fix). The
/// night merges each current table from the touched cases' rows alone, so
/// the records' old case must be touched and their kept versions found
/// there: the night must still give what `--full-refresh` and a fresh
/// warehouse give.
#[test]
fn records_moved_to_another_case_keep_delta_runs_equal_to_full_refresh() {
    let p = Project::temp();
    let (all, drops) = generated(&p, 40, 7, true);
    for d in &drops {
        copy_tree(&all.join(d), &p.path("drops").join(d));
    }
    run(&p, &[]);
    let before = values(&p);
    let mut reader = csv::Reader::from_path(all.join(&drops[0]).join("assistance.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}') == name)
            .unwrap()
    };
    let (case, updated) = (column("case_id"), column("updated_at"));
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    // Three records of the first cases, moved to the last case of the file,
    // newer than the warehouse's versions.
    let target = rows.last().unwrap()[case].to_string();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(headers.iter().map(|h| h.trim_start_matches('\u{feff}')))
        .unwrap();
    // And a fourth, older than what the warehouse holds: it must lose, its
    // record staying with its case (found only through that case).
    for (n, rec) in rows
        .iter()
        .filter(|r| r[case] != *target)
        .take(4)
        .enumerate()
    {
        let at = if n < 3 {
            "2026-05-31T22:00:00Z"
        } else {
            "2001-01-01T00:00:00Z"
        };
        let row: Vec<&str> = rec
            .iter()
            .enumerate()
            .map(|(i, v)| match i {
                i if i == case => target.as_str(),
                i if i == updated => at,
                _ => v,
            })
            .collect();
        w.write_record(&row).unwrap();
    }
    let moved = String::from_utf8(w.into_inner().unwrap()).unwrap();
    p.drop_file("2026-05-31T2300/assistance.csv", &moved);
    run(&p, &[]);
    assert!(
        modes(&p).contains(&("cur_assistance".into(), "incremental".into())),
        "{:?}",
        modes(&p)
    );
    assert_eq!(parts(&p, "cur_assistance").last(), Some(&3));
    assert!(
        models_in_mode(&p, AS_OF, "delta")
            .iter()
            .any(|m| m == "ind_assistance_delivered"),
        "not a delta run"
    );
    assert!(values(&p) != before, "moving the records changed nothing");
    check_against_rebuilds(&p, "after the move", true);
}

/// Nightly runs under the default as-of date (today) move it every night:
/// records dated between two nights' as-of dates enter the indicators, and
/// to_date ends on the new date. A delta run must still give what a full
/// refresh gives, with and without new drops.
#[test]
fn a_new_as_of_date_keeps_delta_runs_equal_to_full_refresh() {
    let p = Project::temp();
    let (all, drops) = generated(&p, 60, 8, true);
    copy_tree(&all.join(&drops[0]), &p.path("drops").join(&drops[0]));
    run_at(&p, "2026-04-10", &[]);
    // A model's record in a run.json.
    let model = |r: &serde_json::Value, name: &str| {
        r["models"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["name"] == name)
            .cloned()
            .unwrap()
    };
    // A new drop and a new as-of date; then only a new as-of date, far
    // enough for records of every month to enter.
    // The first night's delta results are written as Parquet (no touched
    // case is few enough to keep in memory), the second's kept in memory:
    // both must give what a full refresh gives.
    for (night, as_of, memory_cases) in [(1, "2026-05-20", "0"), (3, "2026-12-31", "50000")] {
        if let Some(d) = drops.get(night) {
            copy_tree(&all.join(d), &p.path("drops").join(d));
        }
        let out = p.homeward_env(
            &["run", "--as-of", as_of],
            &[("HOMEWARD_DELTA_MEMORY_CASES", memory_cases)],
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        let delta = values_at(&p, as_of);
        let summed = models_in_mode(&p, as_of, "delta");
        assert!(
            summed.iter().any(|m| m == "ind_returnees_assisted"),
            "{as_of}: {summed:?}"
        );
        // A per-case model's touched rows: written only when not kept.
        let stg_cases = model(&p.run_json(as_of), "stg_cases");
        assert!(stg_cases["rows"].as_u64().unwrap() > 0, "{stg_cases}");
        let path = stg_cases["path"].as_str().unwrap();
        match memory_cases {
            "0" => assert!(path.starts_with("models/_delta/"), "{path}"),
            _ => assert_eq!(path, "", "kept in memory, yet written"),
        }
        let copy = Project::temp();
        copy_tree(&p.path("drops"), &copy.path("drops"));
        copy_tree(&p.path("wh"), &copy.path("wh"));
        run_at(&copy, as_of, &["--full-refresh"]);
        assert!(
            values_at(&copy, as_of) == delta,
            "{as_of}: --full-refresh differs from the delta run"
        );
    }
    // Once more with nothing new: no case is touched, and each sum keeps
    // its previous result (its files are the last night's) unchanged.
    let before = values_at(&p, "2026-12-31");
    let last = p.run_json("2026-12-31");
    run_at(&p, "2026-12-31", &[]);
    let idle = p.run_json("2026-12-31");
    let kept = model(&idle, "ind_returnees_assisted");
    assert_eq!(kept["mode"], "delta", "{kept}");
    assert_eq!(kept["path"], model(&last, "ind_returnees_assisted")["path"]);
    assert_eq!(kept["rows"], model(&last, "ind_returnees_assisted")["rows"]);
    assert!(
        values_at(&p, "2026-12-31") == before,
        "an idle night changed the values"
    );
}
