//! Operations: the run lock (two concurrent runs, a live lock, a stale lock
//! from a killed run) and `homeward runs`.

use std::process::Command;

use homeward::generate::{GenerateOptions, generate};

use crate::common::Project;

const AS_OF: &str = "2026-05-31";

fn project(cases: usize) -> Project {
    let p = Project::temp();
    generate(&GenerateOptions {
        cases,
        seed: 11,
        drops: 2,
        as_of: AS_OF.parse().unwrap(),
        out: p.path("drops"),
        clean: false,
    })
    .unwrap();
    p
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
            .args(["pull", "--as-of", AS_OF])
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
    // One pulled every file and committed; the other waited, then skipped them all.
    assert_eq!(
        std::fs::read_dir(p.path("wh/_manifests/pull"))
            .unwrap()
            .count(),
        1
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
    assert!(
        lines[0].starts_with("run_id")
            && lines[1].contains("succeeded")
            && lines[2].contains("succeeded")
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
    generate(&GenerateOptions {
        cases: 30,
        seed: 5,
        drops: 1,
        as_of: AS_OF.parse().unwrap(),
        out: dir.join("drops"),
        clean: true,
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
