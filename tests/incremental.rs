//! Incremental runs: drops arrive one night at a time, then corrections to
//! earlier records (a newer version, an older one that must not win, a
//! corrected file replaced in place). After each night the incremental
//! `indicator_values` must equal `--full-refresh` on the same warehouse and a
//! fresh warehouse that pulled everything at once.

use std::path::Path;

use homeward::generate::{GenerateOptions, generate};

use crate::common::{Project, copy_tree, parquet_files, parquet_rows, pick};

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
    reference_each_drop: bool,
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
        reference_each_drop,
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

/// A model's record in the run at `as_of`.
fn record(p: &Project, as_of: &str, model: &str) -> serde_json::Value {
    p.run_json(as_of)["models"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == model)
        .unwrap_or_else(|| panic!("no record of {model}"))
        .clone()
}

/// A current-state model's parts in the last run: the rows of each.
fn parts(p: &Project, model: &str) -> Vec<u64> {
    record(p, AS_OF, model)["parts"]
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
    let (all, drops) = generated(&p, 40, 5, false, false);

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
    let (all, drops) = generated(&p, 40, 7, true, false);
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
    let (all, drops) = generated(&p, 60, 8, true, false);
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

/// A model's rows as the last run at `as_of` committed them: its parts
/// read in order, a later part's row replacing the earlier row of its
/// `key` (as the parts view does), sorted by key.
fn model_rows(p: &Project, as_of: &str, model: &str, key: &[&str]) -> Vec<Vec<(String, String)>> {
    let record = record(p, as_of, model);
    let mut folders: Vec<String> = record["parts"]
        .as_array()
        .map(|parts| {
            parts
                .iter()
                .map(|p| p["path"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default();
    if folders.is_empty() {
        folders.push(record["path"].as_str().unwrap().to_string());
    }
    let mut rows = std::collections::BTreeMap::new();
    for folder in folders {
        let mut files = parquet_files(&p.path("wh").join(&folder));
        files.sort();
        for f in files {
            for row in parquet_rows(&f) {
                rows.insert(pick(&row, key).join("\u{1f}"), row);
            }
        }
    }
    rows.into_values().collect()
}

/// The key of a target.
const TARGET_KEY: [&str; 5] = [
    "project_code",
    "indicator_id",
    "period",
    "breakdown",
    "breakdown_value",
];

/// A CSV file's header and rows.
fn csv_table(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

/// A CSV file's text.
fn csv_text(header: &[String], rows: &[Vec<String>]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).unwrap();
    for row in rows {
        w.write_record(row).unwrap();
    }
    w.into_inner().unwrap()
}

/// The reference models after a night, and `rpt_targets`, which reads one.
fn reference_rows(p: &Project) -> [Vec<Vec<(String, String)>>; 3] {
    [
        model_rows(p, AS_OF, "stg_projects", &["project_code"]),
        model_rows(p, AS_OF, "stg_targets", &["target_key"]),
        model_rows(p, AS_OF, "rpt_targets", &TARGET_KEY),
    ]
}

/// One model's mode in the last run.
fn mode_of(p: &Project, model: &str) -> String {
    record(p, AS_OF, model)["mode"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn reference_data_resent_every_night_keeps_its_current_versions_as_full_refresh() {
    let p = Project::temp();
    let (all, drops) = generated(&p, 30, 11, true, true);
    let same_as_rebuild = |night: &str| {
        let copy = Project::temp();
        copy_tree(&p.path("drops"), &copy.path("drops"));
        copy_tree(&p.path("wh"), &copy.path("wh"));
        run(&copy, &["--full-refresh"]);
        assert_eq!(mode_of(&copy, "stg_projects"), "full");
        // The copy pulls every file again (a source is known by its URL):
        // its versions tie with the first pull's and win as a later pull,
        // the same rows but for when they were pulled.
        let unpulled = |models: [Vec<Vec<(String, String)>>; 3]| {
            models.map(|rows| {
                rows.into_iter()
                    .map(|row| row.into_iter().filter(|(c, _)| c != "_pulled_at").collect())
                    .collect::<Vec<Vec<(String, String)>>>()
            })
        };
        let (merged, rebuilt) = (
            unpulled(reference_rows(&p)),
            unpulled(reference_rows(&copy)),
        );
        for (i, model) in ["stg_projects", "stg_targets", "rpt_targets"]
            .iter()
            .enumerate()
        {
            assert!(!merged[i].is_empty(), "{night}: {model} has rows");
            assert_eq!(
                merged[i], rebuilt[i],
                "{night}: {model} differs from a rebuild"
            );
        }
    };
    for (night, d) in drops.iter().enumerate() {
        copy_tree(&all.join(d), &p.path("drops").join(d));
        run(&p, &[]);
        let expected = if night == 0 { "full" } else { "incremental" };
        for model in ["stg_projects", "stg_targets"] {
            assert_eq!(mode_of(&p, model), expected, "night {night}: {model}");
        }
        same_as_rebuild(d);
    }

    // Corrections among a re-sent snapshot: a newer version wins, an older
    // one loses, one of the same updated_at wins (a later drop), and a new
    // project without updated_at (allowed in reference data) arrives.
    let last = all.join(drops.last().unwrap());
    let (columns, rows) = csv_table(&last.join("projects.csv"));
    let at = |name: &str| columns.iter().position(|c| c == name).unwrap();
    let (title, updated) = (at("title"), at("updated_at"));
    assert!(rows.len() >= 3);
    let corrected = [
        ("newer title", "2030-01-01T00:00:00Z"),
        ("older title", "2001-01-01T00:00:00Z"),
        ("tied title", rows[2][updated].as_str()),
    ];
    let mut fixes: Vec<Vec<String>> = rows
        .iter()
        .zip(corrected)
        .map(|(row, (new_title, new_updated))| {
            let mut row = row.clone();
            row[title] = new_title.into();
            row[updated] = new_updated.into();
            row
        })
        .collect();
    let mut new_project = rows[0].clone();
    new_project[at("project_code")] = "RT.9999".into();
    new_project[updated] = String::new();
    fixes.push(new_project);
    let fix = format!("{}-fix", drops.last().unwrap());
    p.drop_file(&format!("{fix}/projects.csv"), csv_text(&columns, &fixes));
    // A target of the same key with a newer updated_at.
    let (t_columns, t_rows) = csv_table(&last.join("targets.csv"));
    let t_at = |name: &str| t_columns.iter().position(|c| c == name).unwrap();
    let mut target = t_rows[0].clone();
    target[t_at("target")] = "4321".into();
    target[t_at("updated_at")] = "2030-01-01T00:00:00Z".into();
    p.drop_file(
        &format!("{fix}/targets.csv"),
        csv_text(&t_columns, &[target]),
    );
    run(&p, &[]);
    assert_eq!(mode_of(&p, "stg_projects"), "incremental");
    same_as_rebuild(&fix);
    let [projects, targets, _] = reference_rows(&p);
    let title_of = |code: &str| {
        projects
            .iter()
            .find(|r| pick(r, &["project_code"])[0] == code)
            .map(|r| pick(r, &["title"]).remove(0))
            .unwrap_or_else(|| panic!("no project {code}"))
    };
    let code = |i: usize| rows[i][at("project_code")].clone();
    assert_eq!(title_of(&code(0)), "newer title");
    assert_eq!(title_of(&code(1)), rows[1][title]);
    assert_eq!(title_of(&code(2)), "tied title");
    assert_eq!(title_of("RT.9999"), rows[0][title]);
    assert!(
        targets
            .iter()
            .any(|r| pick(r, &["target"])[0].starts_with("4321")),
        "the newer target is current"
    );

    // A night without reference files keeps the reference models as they are.
    p.drop_file(
        &format!("{fix}2/cases.csv"),
        std::fs::read(last.join("cases.csv")).unwrap(),
    );
    run(&p, &[]);
    for model in ["stg_projects", "stg_targets"] {
        assert_eq!(mode_of(&p, model), "reused", "{model}");
    }
}
