//! `homeward plan`: before each night, it says what `homeward run` then
//! does: the files pulled and skipped, each model's mode and reason, the
//! files written. Nothing is written by the plan itself.

use std::collections::BTreeMap;

use crate::common::{Project, copy_tree, repo};

/// `plan --json` for `as_of`; the plan must succeed.
fn plan(p: &Project, as_of: &str) -> serde_json::Value {
    let out = p.homeward(&["plan", "--json", "--as-of", as_of]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).expect("plan --json is JSON")
}

/// model → (mode, reason), from a plan's or a run.json's `models`.
fn modes(models: &serde_json::Value) -> BTreeMap<String, (String, String)> {
    models
        .as_array()
        .expect("models")
        .iter()
        .map(|m| {
            (
                m["name"].as_str().unwrap().to_string(),
                (
                    m["mode"].as_str().unwrap().to_string(),
                    m["reason"].as_str().unwrap_or_default().to_string(),
                ),
            )
        })
        .collect()
}

/// Paths of files the plan pulls (`pull`) or skips (`skip`).
fn planned(plan: &serde_json::Value, action: &str) -> Vec<String> {
    plan["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["action"] == action)
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect()
}

/// Paths of files a run pulled (`pulled` or `rejected`: read) or skipped.
fn pulled(run: &serde_json::Value, read: bool) -> Vec<String> {
    run["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| (f["status"] != "skipped") == read)
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect()
}

/// Checks that the run for `as_of` did what `plan` said.
fn run_as_planned(p: &Project, plan: &serde_json::Value, as_of: &str) {
    let out = p.homeward(&["run", "--as-of", as_of]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let run = p.run_json(as_of);
    assert_eq!(planned(plan, "pull"), pulled(&run, true), "pulled");
    assert_eq!(planned(plan, "skip"), pulled(&run, false), "skipped");
    assert_eq!(modes(&plan["models"]), modes(&run["models"]), "models");
}

#[test]
fn plan_says_before_each_night_what_the_run_then_does() {
    let p = Project::temp();
    let drops = repo().join("fixtures/drops");
    // The first three drops tonight, the fourth the next night.
    for d in ["2026-06-09", "2026-06-16T0200", "2026-06-23-rerun"] {
        copy_tree(&drops.join(d), &p.path(&format!("drops/{d}")));
    }

    let first = plan(&p, "2026-06-23");
    assert!(!p.path("wh").exists(), "the plan wrote the warehouse");
    assert!(!p.path("out").exists(), "the plan wrote the output folder");
    assert!(planned(&first, "skip").is_empty());
    assert!(planned(&first, "pull").contains(&"2026-06-09/cases.csv".to_string()));
    for (name, (mode, reason)) in modes(&first["models"]) {
        assert_eq!(mode, "full", "{name}");
        assert!(reason.contains("no previous transform"), "{name}: {reason}");
    }
    assert_eq!(first["outputs"].as_array().unwrap().len(), 0);
    run_as_planned(&p, &first, "2026-06-23");

    // Nothing new: every file is skipped, the incremental models reused.
    let idle = plan(&p, "2026-06-23");
    assert!(planned(&idle, "pull").is_empty());
    let m = modes(&idle["models"]);
    assert_eq!(m["cur_cases"].0, "reused", "{:?}", m["cur_cases"]);
    // The outputs are the ones the first run wrote, and its run record.
    let run = p.run_json("2026-06-23");
    let mut wrote: Vec<String> = run["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["path"].as_str().unwrap().to_string())
        .collect();
    let mut said: Vec<String> = idle["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o.as_str().unwrap().to_string())
        .collect();
    // run.json lists the reports; the run's own files are not among them.
    said.retain(|o| {
        !o.ends_with("/run.html")
            && !o.ends_with("/run.json")
            && !o.ends_with("/indicators/indicator_values.csv")
    });
    wrote.sort();
    said.sort();
    assert_eq!(said, wrote, "outputs");
    run_as_planned(&p, &idle, "2026-06-23");

    // The next night's drop: merged, and a delta run after it.
    copy_tree(&drops.join("2026-06-30"), &p.path("drops/2026-06-30"));
    let next = plan(&p, "2026-06-30");
    assert!(
        planned(&next, "pull")
            .iter()
            .all(|f| f.starts_with("2026-06-30/"))
    );
    let m = modes(&next["models"]);
    assert_eq!(m["cur_cases"].0, "incremental", "{:?}", m["cur_cases"]);
    run_as_planned(&p, &next, "2026-06-30");

    // The text form says the same, for a person.
    let text = p.homeward(&["plan", "--as-of", "2026-06-30"]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(
        text.stdout.contains("pull: 0 file(s) to pull"),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("cur_cases"), "{}", text.stdout);
}
