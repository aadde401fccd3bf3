//! Object storage end to end, against a real S3-compatible server (s3s-fs)
//! on 127.0.0.1: the same `indicator_values` as on local folders, a server
//! stopped in the middle of a run (clear failure, then a rerun with nothing
//! lost), and a source file replaced between runs (pulled again).
//!
//! `.ci/run` installs s3s-fs; elsewhere the test looks for it on `PATH`, in
//! `HOMEWARD_S3S_FS` or in `~/.cache/homeward-tools/bin`, and is skipped
//! (loudly) when it is missing, except under `CI=true`, where it fails.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{Project, copy_tree, file_record, parquet_files, repo};

const AS_OF: &str = "2026-06-30";
const KEY: &str = "homeward-test";
const SECRET: &str = "homeward-test-secret";

pub(crate) fn s3s_fs() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("HOMEWARD_S3S_FS") {
        return Some(PathBuf::from(p));
    }
    let on_path = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|d| d.join("s3s-fs"))
            .find(|p| p.is_file())
    });
    on_path.or_else(|| {
        let p = PathBuf::from(std::env::var_os("HOME")?).join(".cache/homeward-tools/bin/s3s-fs");
        p.is_file().then_some(p)
    })
}

/// An s3s-fs server serving `root` (one folder per bucket) on 127.0.0.1.
pub(crate) struct S3Server {
    bin: PathBuf,
    root: PathBuf,
    port: u16,
    child: Option<Child>,
}

impl S3Server {
    pub(crate) fn start(bin: PathBuf, root: &Path) -> S3Server {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut server = S3Server {
            bin,
            root: root.to_path_buf(),
            port,
            child: None,
        };
        server.restart();
        server
    }

    fn restart(&mut self) {
        let child = Command::new(&self.bin)
            .args(["--host", "127.0.0.1", "--port", &self.port.to_string()])
            .args(["--access-key", KEY, "--secret-key", SECRET])
            .arg(&self.root)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start s3s-fs");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "s3s-fs did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// What a run needs to reach the server: the usual AWS variables, and
    /// few retries so that a stopped server fails the run in seconds.
    pub(crate) fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("AWS_ACCESS_KEY_ID", KEY.into()),
            ("AWS_SECRET_ACCESS_KEY", SECRET.into()),
            ("AWS_REGION", "us-east-1".into()),
            ("AWS_ENDPOINT", format!("http://127.0.0.1:{}", self.port)),
            ("AWS_ALLOW_HTTP", "true".into()),
            ("HOMEWARD_STORAGE_MAX_RETRIES", "2".into()),
            ("HOMEWARD_STORAGE_RETRY_TIMEOUT", "10".into()),
        ]
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        self.stop();
    }
}

const S3_ARGS: [&str; 8] = [
    "run",
    "--as-of",
    AS_OF,
    "--source",
    "s3://drops",
    "--warehouse",
    "s3://warehouse/nightly",
    "--out",
];

fn has_parquet(dir: &Path) -> bool {
    dir.exists() && !parquet_files(dir).is_empty()
}

fn s3_run(p: &Project, server: &S3Server, out: &str) -> crate::common::Output {
    let mut args = S3_ARGS.to_vec();
    args.push(out);
    p.homeward_env(&args, &server.env())
}

fn indicator_values(p: &Project, out: &str) -> String {
    std::fs::read_to_string(p.path(&format!("{out}/{AS_OF}/indicators/indicator_values.csv")))
        .expect("indicator_values.csv")
}

/// Rows read, loaded and quarantined over every committed pull manifest.
fn committed_rows(manifests: &Path) -> (u64, u64, u64) {
    let mut sums = (0, 0, 0);
    for e in std::fs::read_dir(manifests).expect("manifests").flatten() {
        let m: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(e.path()).expect("read")).expect("json");
        for f in m["files"].as_array().expect("files") {
            sums.0 += f["rows_read"].as_u64().expect("rows_read");
            sums.1 += f["rows_loaded"].as_u64().expect("rows_loaded");
            sums.2 += f["rows_quarantined"].as_u64().expect("rows_quarantined");
        }
    }
    sums
}

#[test]
fn s3_source_and_warehouse_match_local_folders_and_survive_a_stopped_server() {
    let Some(bin) = s3s_fs() else {
        assert!(
            std::env::var("CI").is_err(),
            "s3s-fs is not installed; .ci/run installs it"
        );
        eprintln!(
            "SKIPPED: s3s-fs not found (cargo install s3s-fs --version 0.14.1 --locked --features binary)"
        );
        return;
    };
    let fixtures = repo().join("fixtures/drops");
    let p = Project::temp();
    copy_tree(&fixtures, &p.path("drops"));
    let buckets = p.path("s3");
    copy_tree(&fixtures, &buckets.join("drops"));
    std::fs::create_dir_all(buckets.join("warehouse")).unwrap();
    let mut server = S3Server::start(bin, &buckets);

    // The same night on local folders.
    let local = p.homeward(&["run", "--as-of", AS_OF]);
    assert_eq!(local.code, 0, "{}", local.stderr);

    // The server stops in the middle of the first S3 run.
    let log = std::fs::File::create(p.path("s3-run-1.log")).unwrap();
    let mut args = S3_ARGS.to_vec();
    args.push("out-s3");
    let mut run = p.command(&args, &server.env()).stderr(log).spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    while !has_parquet(&buckets.join("warehouse/nightly/raw")) {
        assert!(Instant::now() < deadline, "the run wrote no raw file");
        assert!(run.try_wait().unwrap().is_none(), "the run ended early");
        std::thread::sleep(Duration::from_millis(20));
    }
    server.stop();
    let status = run.wait().unwrap();
    let stderr = std::fs::read_to_string(p.path("s3-run-1.log")).unwrap();
    assert!(!status.success(), "the run succeeded without its server");
    let last = stderr.lines().last().unwrap_or("");
    assert!(
        last.starts_with("homeward: ") && last.contains("s3://"),
        "unclear error: {last}"
    );
    // Each cause once: object_store's errors print their source inside
    // their own message, and the chain used to repeat it.
    let parts: Vec<&str> = last.split(": ").collect();
    for k in 1..=parts.len() / 2 {
        for i in 0..=parts.len() - 2 * k {
            assert!(
                parts[i..i + k] != parts[i + k..i + 2 * k],
                "a cause repeated: {last}"
            );
        }
    }
    assert!(
        !buckets.join("warehouse/nightly/_manifests/pull").exists(),
        "a pull was committed although the server stopped during it"
    );

    // Back up: the next run takes over the dead run's lock and loses nothing.
    server.restart();
    let second = s3_run(&p, &server, "out-s3");
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert_eq!(indicator_values(&p, "out-s3"), indicator_values(&p, "out"));
    let s3_rows = committed_rows(&buckets.join("warehouse/nightly/_manifests/pull"));
    let local_rows = committed_rows(&p.path("wh/_manifests/pull"));
    assert_eq!(s3_rows, local_rows);
    assert_eq!(s3_rows.0, s3_rows.1 + s3_rows.2, "rows lost");

    // A source file replaced in place is pulled again, on both.
    let rel = "2026-06-09/businesses.csv";
    let text = std::fs::read_to_string(fixtures.join(rel)).unwrap();
    let changed = text.replacen(
        "B0000021,RT.1015,C0000021,individual,manufacturing,18/07/2025,1,operating",
        "B0000021,RT.1015,C0000021,individual,manufacturing,18/07/2025,1,closed",
        1,
    );
    assert_ne!(changed, text);
    std::fs::write(p.path("drops").join(rel), &changed).unwrap();
    std::fs::write(buckets.join("drops").join(rel), &changed).unwrap();
    let local = p.homeward(&["run", "--as-of", AS_OF]);
    assert_eq!(local.code, 0, "{}", local.stderr);
    let third = s3_run(&p, &server, "out-s3");
    assert_eq!(third.code, 0, "{}", third.stderr);
    let run = p.run_json_in("out-s3", AS_OF);
    assert_eq!(file_record(&run, rel)["status"], "pulled");
    assert_eq!(
        run["files"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["status"] == "pulled")
            .count(),
        1,
        "only the replaced file is pulled again"
    );
    assert_eq!(indicator_values(&p, "out-s3"), indicator_values(&p, "out"));

    // The run log on S3 holds the two runs that could reach it; the first
    // run's record is in its output folder.
    let records = std::fs::read_dir(buckets.join("warehouse/nightly/runs"))
        .unwrap()
        .count();
    assert_eq!(records, 2);
    assert_eq!(p.run_json_in("out-s3", AS_OF)["status"], "succeeded");
    let runs = p.homeward_env(
        &["runs", "--warehouse", "s3://warehouse/nightly"],
        &server.env(),
    );
    assert_eq!(runs.code, 0, "{}", runs.stderr);
}
