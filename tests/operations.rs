//! Operations: the run lock (two concurrent runs, a live lock, a stale lock
//! from a killed run) and `homeward runs`.

use std::process::Command;

use crate::common::{Project, repo};

const AS_OF: &str = "2026-05-31";

fn project(cases: usize) -> Project {
    Project::generated(cases, 11, 2, AS_OF)
}

fn append_config(p: &Project, text: &str) {
    let path = p.path("homeward.toml");
    let mut config = std::fs::read_to_string(&path).unwrap();
    config.push_str(text);
    std::fs::write(path, config).unwrap();
}

fn lock_file(p: &Project, run_id: &str, expires_in_minutes: i64) {
    let now = chrono::Utc::now();
    let lease = serde_json::json!({
        "run_id": run_id, "command": "run", "host": "elsewhere", "pid": 4242,
        "acquired_at": (now - chrono::Duration::minutes(30)).to_rfc3339(),
        "expires_at": (now + chrono::Duration::minutes(expires_in_minutes)).to_rfc3339(),
    });
    std::fs::create_dir_all(p.path("wh/_lock")).unwrap();
    std::fs::write(p.path("wh/_lock/run.json"), lease.to_string()).unwrap();
}

#[test]
fn a_live_lock_stops_a_run_before_it_writes() {
    let p = project(30);
    lock_file(&p, "other-run", 10);
    let out = p.homeward(&["run", "--as-of", AS_OF]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("is locked by run other-run"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("on_lock = \"wait\""), "{}", out.stderr);
    assert!(
        !p.path("wh/_manifests").exists(),
        "a locked-out run wrote to the warehouse"
    );
    assert_eq!(p.run_json(AS_OF)["status"], "failed");
    // The other run's lock is left alone.
    assert!(
        std::fs::read_to_string(p.path("wh/_lock/run.json"))
            .unwrap()
            .contains("other-run")
    );
}

#[test]
fn a_stale_lock_from_a_killed_run_expires() {
    let p = project(30);
    lock_file(&p, "killed-run", -1);
    let out = p.homeward(&["run", "--as-of", AS_OF]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("removing the stale run lock of run killed-run"),
        "{}",
        out.stderr
    );
    assert!(
        !p.path("wh/_lock/run.json").exists(),
        "the lock was not released"
    );
}

#[test]
fn two_concurrent_runs_never_both_write() {
    let p = project(80);
    append_config(
        &p,
        "[run]\non_lock = \"wait\"\nlock_wait_seconds = 600\nlease_seconds = 6\n",
    );
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_homeward"))
            .args(["run", "--as-of", AS_OF])
            .current_dir(p.path(""))
            .env_remove("HOMEWARD_PSEUDONYM_KEY")
            .output()
    };
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(spawn);
        let b = s.spawn(spawn);
        (a.join().unwrap().unwrap(), b.join().unwrap().unwrap())
    });
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    assert!(b.status.success(), "{}", String::from_utf8_lossy(&b.stderr));
    // One pulled every file and committed; the other waited, then skipped
    // them all, and both transformed and reported in turn.
    assert_eq!(
        std::fs::read_dir(p.path("wh/_manifests/pull"))
            .unwrap()
            .count(),
        1
    );
    assert_eq!(
        std::fs::read_dir(p.path("wh/_manifests/transform"))
            .unwrap()
            .count(),
        2
    );
    let mut pulled = Vec::new();
    for r in std::fs::read_dir(p.path("wh/runs")).unwrap() {
        let r: serde_json::Value =
            serde_json::from_slice(&std::fs::read(r.unwrap().path()).unwrap()).unwrap();
        pulled.push((
            r["totals"]["files_pulled"].as_u64().unwrap(),
            r["totals"]["files_skipped"].as_u64().unwrap(),
        ));
    }
    pulled.sort();
    assert_eq!(pulled.len(), 2);
    assert!(
        pulled[0].0 == 0 && pulled[0].1 > 0,
        "both runs pulled: {pulled:?}"
    );
    assert!(pulled[1].0 > 0 && pulled[1].1 == 0, "{pulled:?}");
    // `homeward runs` lists both, newest first.
    let out = Command::new(env!("CARGO_BIN_EXE_homeward"))
        .args(["runs"])
        .current_dir(p.path(""))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    // The run that pulled warns (the generated drops hold rejected
    // files); the other found nothing new.
    let ok = |l: &str| l.contains(" succeeded ") || l.contains(" warned ");
    assert!(
        lines[0].starts_with("run_id") && ok(lines[1]) && ok(lines[2]),
        "{text}"
    );
}

#[test]
fn init_writes_a_project_that_runs_as_it_is() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("my-programme");
    let bin = env!("CARGO_BIN_EXE_homeward");
    let out = Command::new(bin).arg("init").arg(&dir).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for f in [
        "homeward.toml",
        "README.md",
        "sql/indicators/catalogue.toml",
        "templates/programme/report.html",
    ] {
        assert!(dir.join(f).is_file(), "init wrote no {f}");
    }
    homeward::generate::generate(&homeward::generate::GenerateOptions {
        cases: 30,
        seed: 5,
        drops: 1,
        as_of: AS_OF.parse().unwrap(),
        out: dir.join("drops"),
        clean: true,
        every_days: 7,
        reference_each_drop: false,
    })
    .unwrap();
    // No demo key in a new project: without the secret it refuses to start.
    let refused = Command::new(bin)
        .args(["run", "--as-of", AS_OF])
        .current_dir(&dir)
        .env_remove("HOMEWARD_PSEUDONYM_KEY")
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("HOMEWARD_PSEUDONYM_KEY is not set"));
    let ran = Command::new(bin)
        .args(["run", "--as-of", AS_OF])
        .current_dir(&dir)
        .env("HOMEWARD_PSEUDONYM_KEY", "a-test-secret-of-32-bytes-length")
        .output()
        .unwrap();
    assert!(
        ran.status.success(),
        "{}",
        String::from_utf8_lossy(&ran.stderr)
    );
    assert!(
        dir.join(format!("out/{AS_OF}/programme/ALL.html"))
            .is_file()
    );
    // A second init into the same folder is refused.
    let again = Command::new(bin).arg("init").arg(&dir).output().unwrap();
    assert_eq!(again.status.code(), Some(2));
}

/// The warehouse's run log, oldest first.
fn run_records(p: &Project) -> Vec<serde_json::Value> {
    let mut records: Vec<serde_json::Value> = std::fs::read_dir(p.path("wh/runs"))
        .map(|d| {
            d.flatten()
                .map(|e| serde_json::from_slice(&std::fs::read(e.path()).unwrap()).unwrap())
                .collect()
        })
        .unwrap_or_default();
    records.sort_by(|a, b| a["run_id"].as_str().cmp(&b["run_id"].as_str()));
    records
}

#[test]
fn schedule_runs_on_time_and_stops_itself() {
    let p = project(20);
    let out = p.homeward(&[
        "schedule",
        "--cron",
        "*/2 * * * * *",
        "--runs",
        "2",
        "--as-of",
        AS_OF,
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("next run at"), "{}", out.stderr);
    let runs = run_records(&p);
    assert_eq!(runs.len(), 2);
    for (i, r) in runs.iter().enumerate() {
        // The first run pulls the generated drops, whose rejected files
        // warn; the second finds nothing new.
        let want = if i == 0 { "warned" } else { "succeeded" };
        assert_eq!(r["status"], want, "{r}");
        // Started on an even second, as the expression says.
        let second: u32 = r["started_at"].as_str().unwrap()[17..19].parse().unwrap();
        assert_eq!(second % 2, 0, "{}", r["started_at"]);
    }
    // The second night found nothing new to pull.
    assert!(runs[0]["totals"]["files_pulled"].as_u64().unwrap() > 0);
    assert_eq!(runs[1]["totals"]["files_pulled"], 0);
}

#[test]
fn schedule_retries_a_failed_run_with_back_off() {
    let p = project(20);
    append_config(&p, "[schedule]\nretries = 3\nretry_backoff_seconds = 2\n");
    // Another run holds the lock for a few more seconds: the first attempt
    // fails, a retry after the back-off succeeds.
    let now = chrono::Utc::now();
    let lease = serde_json::json!({
        "run_id": "other-run", "command": "run", "host": "elsewhere", "pid": 4242,
        "acquired_at": now.to_rfc3339(),
        "expires_at": (now + chrono::Duration::seconds(4)).to_rfc3339(),
    });
    std::fs::create_dir_all(p.path("wh/_lock")).unwrap();
    std::fs::write(p.path("wh/_lock/run.json"), lease.to_string()).unwrap();
    let out = p.homeward(&[
        "schedule",
        "--cron",
        "* * * * * *",
        "--runs",
        "1",
        "--as-of",
        AS_OF,
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("retry 1 of 3 in 2 s"), "{}", out.stderr);
    let runs = run_records(&p);
    assert!(runs.len() >= 2, "{runs:?}");
    assert_eq!(runs[0]["status"], "failed");
    assert!(
        runs[0]["error"]
            .as_str()
            .unwrap()
            .contains("locked by run other-run"),
        "{}",
        runs[0]["error"]
    );
    // Warned: its drops hold a file rejected as a whole.
    assert_eq!(runs.last().unwrap()["status"], "warned");
    assert!(
        runs[..runs.len() - 1]
            .iter()
            .all(|r| r["status"] == "failed")
    );
}

#[test]
fn sigterm_stops_the_schedule_between_stages() {
    let p = project(60);
    let child = p
        .command::<&str, &str>(
            &["schedule", "--cron", "* * * * * *", "--as-of", AS_OF],
            &[],
        )
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Signal once the transform has written its first model's files: it is
    // then running. (Waiting for the pull manifests' folder raced: the
    // folder appears while the manifest is being written, and a signal in
    // that moment stops the run after the pull, as it should.)
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while !p.path("wh/raw/current").exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "the transform never started"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let sent = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("SIGTERM: stopping after the current stage"),
        "{stderr}"
    );
    let runs = run_records(&p);
    assert_eq!(runs.len(), 1, "a new run started after SIGTERM");
    let run = &runs[0];
    assert_eq!(run["status"], "stopped", "{run}");
    let stages: Vec<(&str, &str)> = run["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["name"].as_str().unwrap(), s["status"].as_str().unwrap()))
        .collect();
    // The running stage finished and committed; the report did not start.
    assert_eq!(stages, [("pull", "succeeded"), ("transform", "succeeded")]);
    assert_eq!(
        std::fs::read_dir(p.path("wh/_manifests/transform"))
            .unwrap()
            .count(),
        1
    );
    assert!(!p.path("wh/_lock/run.json").exists(), "lock left behind");
    assert!(
        !p.path("wh/_tmp").exists() || std::fs::read_dir(p.path("wh/_tmp")).unwrap().count() == 0
    );
    // The next run picks up from there.
    let next = p.homeward(&["run", "--as-of", AS_OF]);
    assert_eq!(next.code, 0, "{}", next.stderr);
}

/// A project with the sample drops, and a second configuration
/// `other.toml` that writes to `other-out`.
fn env_project() -> Project {
    let p = Project::temp();
    crate::common::copy_tree(
        &repo().join("fixtures/drops/2026-06-09"),
        &p.path("drops/2026-06-09"),
    );
    let config = std::fs::read_to_string(p.path("homeward.toml")).unwrap();
    std::fs::write(
        p.path("other.toml"),
        config.replace("out = \"out\"", "out = \"other-out\""),
    )
    .unwrap();
    p
}

#[test]
fn settings_come_from_the_flag_then_the_environment_then_the_file() {
    let p = env_project();
    let as_of = |out: &str| p.run_json_in(out, "2026-06-23")["as_of"].clone();
    // The environment over the file: HOMEWARD_OUT, HOMEWARD_AS_OF.
    let env = [
        ("HOMEWARD_OUT", "env-out"),
        ("HOMEWARD_AS_OF", "2026-06-23"),
    ];
    let out = p.homeward_env(&["pull"], &env);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(as_of("env-out"), "2026-06-23");
    assert!(!p.path("out").exists());
    // The flag over the environment.
    let out = p.homeward_env(&["pull", "--out", "flag-out"], &env);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(as_of("flag-out"), "2026-06-23");
    // HOMEWARD_CONFIG picks the file; HOMEWARD_WAREHOUSE overrides its warehouse.
    let env = [
        ("HOMEWARD_CONFIG", "other.toml"),
        ("HOMEWARD_AS_OF", "2026-06-23"),
        ("HOMEWARD_WAREHOUSE", "wh2"),
    ];
    let out = p.homeward_env(&["pull"], &env);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(as_of("other-out"), "2026-06-23");
    assert!(p.path("wh2/_manifests/pull").exists());
    // HOMEWARD_SOURCE: a folder without drops pulls nothing.
    std::fs::create_dir_all(p.path("empty")).unwrap();
    let env = [("HOMEWARD_SOURCE", "empty"), ("HOMEWARD_OUT", "src-out")];
    let out = p.homeward_env(&["pull", "--as-of", "2026-06-23"], &env);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        p.run_json_in("src-out", "2026-06-23")["files"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    // A bad engine from the environment is named as such.
    let out = p.homeward_env(&["pull"], &[("HOMEWARD_ENGINE", "spark://x:1")]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("HOMEWARD_ENGINE"), "{}", out.stderr);
}

#[test]
fn the_key_comes_from_a_mounted_file_as_from_the_variable() {
    let p = env_project();
    let config = std::fs::read_to_string(p.path("homeward.toml")).unwrap();
    std::fs::write(
        p.path("homeward.toml"),
        config.replace("[privacy]\ndemo_key = true\n", ""),
    )
    .unwrap();
    let key = "a-secret-key-for-this-test-only";
    std::fs::write(p.path("key.txt"), format!("{key}\n")).unwrap();
    let file = p.path("key.txt").display().to_string();
    let out = p.homeward_env(
        &["pull", "--as-of", "2026-06-23", "--warehouse", "by-file"],
        &[("HOMEWARD_PSEUDONYM_KEY_FILE", file.as_str())],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = p.homeward_env(
        &["pull", "--as-of", "2026-06-23", "--warehouse", "by-var"],
        &[("HOMEWARD_PSEUDONYM_KEY", key)],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    // The same key: the same pseudonyms (the line break is not part of it).
    let ids = |wh: &str| -> Vec<String> {
        let mut ids: Vec<String> =
            crate::common::parquet_files(&p.path(&format!("{wh}/raw/cases")))
                .iter()
                .flat_map(|f| crate::common::parquet_rows(f))
                .map(|r| crate::common::pick(&r, &["case_id"])[0].clone())
                .collect();
        ids.sort();
        ids
    };
    assert!(!ids("by-file").is_empty());
    assert_eq!(ids("by-file"), ids("by-var"));
    // Both set: refused, and neither value is printed.
    let out = p.homeward_env(
        &["pull", "--as-of", "2026-06-23"],
        &[
            ("HOMEWARD_PSEUDONYM_KEY_FILE", file.as_str()),
            ("HOMEWARD_PSEUDONYM_KEY", key),
        ],
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("both HOMEWARD_PSEUDONYM_KEY and"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains(key), "{}", out.stderr);
}

#[test]
fn logs_in_a_file_have_no_colour_and_follow_quiet_and_verbose() {
    let p = env_project();
    let out = p.homeward(&["pull", "--as-of", "2026-06-23"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        !out.stderr.contains('\u{1b}'),
        "ANSI codes: {:?}",
        out.stderr
    );
    assert!(out.stderr.contains(" INFO "), "{}", out.stderr);
    let quiet = p.homeward(&["pull", "-q", "--as-of", "2026-06-24"]);
    assert_eq!(quiet.code, 0, "{}", quiet.stderr);
    assert!(!quiet.stderr.contains(" INFO "), "{}", quiet.stderr);
    let verbose = p.homeward(&["pull", "-v", "--as-of", "2026-06-25"]);
    assert_eq!(verbose.code, 0, "{}", verbose.stderr);
    assert!(verbose.stderr.contains("DEBUG"), "{}", verbose.stderr);
}

#[test]
fn doctor_passes_on_the_sample_and_names_what_is_broken() {
    let p = env_project();
    let out = p.homeward(&["doctor"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    for name in [
        "config",
        "key",
        "code lists",
        "source",
        "warehouse",
        "templates",
        "sql",
        "fonts",
        "disk",
    ] {
        assert!(
            out.stdout.lines().any(|l| l[6..].starts_with(name)),
            "{name}: {}",
            out.stdout
        );
    }
    assert!(!out.stdout.contains("FAIL"), "{}", out.stdout);
    assert!(
        out.stdout
            .lines()
            .any(|l| l.starts_with("warn  key") && l.contains("public demo key")),
        "{}",
        out.stdout
    );
    // After a run: the warehouse's create-only probe and a free lock.
    assert_eq!(p.pull("2026-06-23").code, 0);
    let out = p.homeward(&["doctor", "--json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let checks: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let of = |name: &str| {
        checks
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .unwrap_or_else(|| panic!("no {name} check"))
            .clone()
    };
    assert!(
        of("warehouse")["detail"]
            .as_str()
            .unwrap()
            .contains("create-only writes honoured")
    );
    assert_eq!(of("lock")["detail"], "free");

    // A template that does not compile, a short key, a missing source: each
    // fails its own line, and the exit code says so.
    let templates = p.path("templates");
    crate::common::copy_tree(&repo().join("templates"), &templates);
    std::fs::write(templates.join("run/run.html"), "{% if %}").unwrap();
    let config = std::fs::read_to_string(p.path("homeward.toml")).unwrap();
    let config = config
        .replace(
            &format!("templates = \"{}/templates\"", repo().display()),
            "templates = \"templates\"",
        )
        .replace("url = \"drops\"", "url = \"no-such-folder\"");
    std::fs::write(p.path("homeward.toml"), config).unwrap();
    let out = p.homeward_env(&["doctor"], &[("HOMEWARD_PSEUDONYM_KEY", "short")]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    let failed: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("FAIL"))
        .collect();
    assert_eq!(failed.len(), 3, "{}", out.stdout);
    assert!(
        failed[0].contains("key") && failed[0].contains("shorter than 16"),
        "{failed:?}"
    );
    assert!(!out.stdout.contains("short\n"), "the key is never printed");
    assert!(
        failed[1].contains("source") && failed[1].contains("no-such-folder"),
        "{failed:?}"
    );
    assert!(
        failed[2].contains("templates") && failed[2].contains("run/run.html"),
        "{failed:?}"
    );
}
