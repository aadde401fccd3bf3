//! Crash safety: `homeward run` killed with SIGKILL at 22 points across
//! pull, transform and report. After each kill, everything a reader can
//! reach is whole (every committed manifest parses, every file it names is
//! readable Parquet, every visible output file is complete), and a rerun
//! gives the same `indicator_values` (and donor CSVs) as an uninterrupted
//! run. The commit protocol is in docs/operations.md.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::common::{Project, files_under, parquet_rows};

const AS_OF: &str = "2026-05-31";

fn project() -> Project {
    Project::generated(20, 11, 2, AS_OF)
}

/// Something a run does that the test can see from outside.
#[derive(Debug, Clone, Copy)]
enum Event {
    /// The process was started.
    Start,
    /// The pull has written a scratch or raw file.
    PullWriting,
    /// The pull's manifest is committed.
    PullCommitted,
    /// A model's Parquet is being written.
    ModelsWriting,
    /// The transform's manifest is committed.
    TransformCommitted,
    /// A report file is written.
    ReportWriting,
}

fn has_any_file(dir: &Path) -> bool {
    dir.exists() && !files_under(dir).is_empty()
}

fn happened(p: &Project, e: Event) -> bool {
    match e {
        Event::Start => true,
        Event::PullWriting => has_any_file(&p.path("wh/_tmp")) || has_any_file(&p.path("wh/raw")),
        Event::PullCommitted => p.path("wh/_manifests/pull").exists(),
        Event::ModelsWriting => p.path("wh/models").exists(),
        Event::TransformCommitted => p.path("wh/_manifests/transform").exists(),
        Event::ReportWriting => p.path(&format!("out/{AS_OF}/programme")).exists(),
    }
}

/// Kill points: an event, then a delay in milliseconds.
const POINTS: [(Event, u64); 22] = [
    (Event::Start, 0),
    (Event::Start, 20),
    (Event::Start, 50),
    (Event::Start, 90),
    (Event::PullWriting, 0),
    (Event::PullWriting, 5),
    (Event::PullCommitted, 0),
    (Event::PullCommitted, 40),
    (Event::PullCommitted, 400),
    (Event::PullCommitted, 1200),
    (Event::ModelsWriting, 700),
    (Event::ModelsWriting, 1800),
    (Event::ModelsWriting, 2600),
    (Event::TransformCommitted, 0),
    (Event::TransformCommitted, 30),
    (Event::TransformCommitted, 150),
    (Event::TransformCommitted, 400),
    (Event::TransformCommitted, 800),
    (Event::TransformCommitted, 1200),
    (Event::ReportWriting, 0),
    (Event::ReportWriting, 100),
    (Event::ReportWriting, 400),
];

/// Every file below `dir`, none when it does not exist (yet).
fn files(dir: &Path) -> Vec<PathBuf> {
    if dir.exists() {
        files_under(dir)
    } else {
        Vec::new()
    }
}

/// Every committed manifest parses and every file it names is whole Parquet;
/// and, as a harness that globs the warehouse would see it, every file with a
/// Parquet name anywhere in it (a killed run's leftovers included) is whole.
fn check_warehouse(p: &Project, point: &str) {
    for f in files(&p.path("wh"))
        .iter()
        .filter(|f| f.extension().is_some_and(|x| x == "parquet"))
    {
        let file = std::fs::File::open(f).unwrap();
        let readable =
            datafusion::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(
                file,
            )
            .and_then(|b| b.build())
            .map(|r| r.collect::<Result<Vec<_>, _>>().is_ok())
            .unwrap_or(false);
        assert!(readable, "{point}: partial Parquet file {}", f.display());
    }
    for dir in ["wh/_manifests/pull", "wh/_manifests/transform"] {
        let mut manifests = files(&p.path(dir));
        // Readers take `<seq>.json` only; a killed put can leave the local
        // store's staging file (`<seq>.json#1`) beside it.
        manifests.retain(|m| m.extension().is_some_and(|x| x == "json"));
        for m in manifests {
            let text = std::fs::read_to_string(&m).unwrap();
            let json: serde_json::Value = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{point}: partial manifest {}: {e}", m.display()));
            for f in json["files"].as_array().into_iter().flatten() {
                for key in ["raw_file", "quarantine_file"] {
                    if let Some(rel) = f[key].as_str() {
                        parquet_rows(&p.path("wh").join(rel));
                    }
                }
            }
            for model in json["models"].as_array().into_iter().flatten() {
                let parts = files(&p.path("wh").join(model["path"].as_str().unwrap()));
                let rows: usize = parts
                    .iter()
                    .filter(|f| f.extension().is_some_and(|x| x == "parquet"))
                    .map(|f| parquet_rows(f).len())
                    .sum();
                assert_eq!(
                    rows as u64,
                    model["rows"].as_u64().unwrap(),
                    "{point}: model {} is not whole",
                    model["name"]
                );
            }
        }
    }
}

/// Every visible output file is whole: CSVs equal the uninterrupted run's,
/// JSON parses, PDFs and HTML pages end properly, XLSX has its zip directory.
fn check_outputs(p: &Project, baseline: &Path, point: &str) {
    for f in files(&p.path("out")) {
        let hidden = f
            .strip_prefix(p.path("out"))
            .unwrap()
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        let rel = f.strip_prefix(p.path("out")).unwrap();
        let bytes = std::fs::read(&f).unwrap();
        let name = f.to_string_lossy();
        let whole = if name.ends_with(".csv") {
            bytes == std::fs::read(baseline.join(rel)).unwrap()
        } else if name.ends_with(".json") {
            serde_json::from_slice::<serde_json::Value>(&bytes).is_ok()
        } else if name.ends_with(".pdf") {
            bytes.starts_with(b"%PDF") && String::from_utf8_lossy(&bytes).contains("%%EOF")
        } else if name.ends_with(".html") {
            String::from_utf8_lossy(&bytes)
                .trim_end()
                .ends_with("</html>")
        } else if name.ends_with(".xlsx") {
            bytes.windows(4).rev().take(64).any(|w| w == b"PK\x05\x06")
        } else {
            true
        };
        assert!(whole, "{point}: {} is partial", rel.display());
    }
}

#[test]
fn sigkill_at_22_points_then_a_rerun_gives_the_same_indicators() {
    let base = project();
    let out = base.homeward(&["run", "--as-of", AS_OF]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let baseline = base.path("out");
    let expected =
        std::fs::read(baseline.join(format!("{AS_OF}/indicators/indicator_values.csv"))).unwrap();

    let mut killed = Vec::new();
    for (event, delay) in POINTS {
        let point = format!("{event:?}+{delay}ms");
        let p = project();
        let mut child = p
            .command::<&str, &str>(&["run", "--as-of", AS_OF], &[])
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(120);
        let mut reached = true;
        while !happened(&p, event) {
            if child.try_wait().unwrap().is_some() || Instant::now() > deadline {
                reached = false;
                break;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        std::thread::sleep(Duration::from_millis(delay));
        let running = reached && child.try_wait().unwrap().is_none();
        if running {
            child.kill().unwrap(); // SIGKILL
            killed.push(point.clone());
        }
        let _ = child.wait();

        check_warehouse(&p, &point);
        check_outputs(&p, &baseline, &point);

        let rerun = p.homeward(&["run", "--as-of", AS_OF]);
        assert_eq!(rerun.code, 0, "{point}: rerun failed: {}", rerun.stderr);
        let got =
            std::fs::read(p.path(&format!("out/{AS_OF}/indicators/indicator_values.csv"))).unwrap();
        assert!(
            got == expected,
            "{point}: indicator_values differ after the rerun"
        );
        check_outputs(&p, &baseline, &point);
        assert!(!p.path("wh/_lock/run.json").exists(), "{point}: lock left");
        assert!(
            !has_any_file(&p.path("wh/_tmp")),
            "{point}: _tmp not cleared"
        );
    }
    eprintln!("killed at {} points: {}", killed.len(), killed.join(", "));
    assert!(
        killed.len() >= 20,
        "only {} kills landed: {killed:?}",
        killed.len()
    );
}
