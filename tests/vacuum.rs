//! `homeward vacuum`: old transforms' files go, what the retained
//! transforms and every pull refer to stays, and a kill leaves a readable
//! warehouse.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::common::{Project, files_under};

/// The nights' drop dates (`generate --drops 4 --as-of 2026-05-31`).
const NIGHTS: [&str; 4] = ["2026-05-10", "2026-05-17", "2026-05-24", "2026-05-31"];

/// A project with its drops in `later/`, keeping two transforms.
fn project() -> Project {
    let p = Project::generated(60, 5, 4, NIGHTS[3]);
    std::fs::rename(p.path("drops"), p.path("later")).unwrap();
    std::fs::create_dir_all(p.path("drops")).unwrap();
    let mut config = std::fs::read_to_string(p.path("homeward.toml")).unwrap();
    config.push_str("[vacuum]\nkeep_transforms = 2\nkeep_days = 0\n");
    std::fs::write(p.path("homeward.toml"), config).unwrap();
    p
}

/// The drop folders in date order (their names carry suffixes), wherever
/// they are now.
fn drop_names(p: &Project) -> Vec<String> {
    let mut names: Vec<String> = ["later", "drops"]
        .iter()
        .flat_map(|d| std::fs::read_dir(p.path(d)).unwrap())
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("20"))
        .collect();
    names.sort();
    names
}

/// Night `i`: its drop arrives and the nightly job runs.
fn night(p: &Project, i: usize) {
    let name = &drop_names(p)[i];
    assert!(name.starts_with(NIGHTS[i]), "{name}");
    std::fs::rename(
        p.path(&format!("later/{name}")),
        p.path(&format!("drops/{name}")),
    )
    .unwrap();
    let out = p.homeward(&["run", "--as-of", NIGHTS[i]]);
    assert_eq!(out.code, 0, "night {i}: {}", out.stderr);
}

fn size(dir: &Path) -> u64 {
    files_under(dir)
        .iter()
        .map(|f| std::fs::metadata(f).map_or(0, |m| m.len()))
        .sum()
}

fn values(p: &Project, as_of: &str) -> String {
    std::fs::read_to_string(p.path(&format!("out/{as_of}/indicators/indicator_values.csv")))
        .unwrap()
}

fn vacuum(p: &Project, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["vacuum", "--json"];
    all.extend_from_slice(args);
    let out = p.homeward(&all);
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).expect("vacuum --json")
}

#[test]
fn vacuum_deletes_old_transforms_and_keeps_what_is_read() {
    let p = project();
    let reference = project();
    for i in 0..3 {
        night(&p, i);
        night(&reference, i);
    }
    let raw_before = files_under(&p.path("wh/raw")).len();
    let before = files_under(&p.path("wh")).len();

    // The dry run lists and deletes nothing.
    let dry = vacuum(&p, &["--dry-run"]);
    assert_eq!(dry["dropped"], serde_json::json!([1]), "{dry}");
    assert_eq!(dry["kept"], serde_json::json!([2, 3]), "{dry}");
    assert!(dry["files"].as_u64().unwrap() > 0, "{dry}");
    assert_eq!(files_under(&p.path("wh")).len(), before);

    let done = vacuum(&p, &[]);
    assert_eq!(done["files"], dry["files"]);
    assert_eq!(
        files_under(&p.path("wh")).len() as u64,
        before as u64 - done["files"].as_u64().unwrap() + 1,
        "the files went, and one vacuum manifest came"
    );
    // Every raw version stays; nothing of the retained transforms went.
    assert!(files_under(&p.path("wh/raw")).len() <= raw_before);
    let raw_versions = |p: &Project| {
        files_under(&p.path("wh/raw"))
            .into_iter()
            .filter(|f| !f.to_string_lossy().contains("/raw/current/"))
            .count()
    };
    assert_eq!(raw_versions(&p), raw_versions(&reference));
    let report = p.homeward(&["report", "--as-of", NIGHTS[2]]);
    assert_eq!(report.code, 0, "{}", report.stderr);
    let report = p.homeward(&["report", "--as-of", NIGHTS[1]]);
    assert_eq!(report.code, 0, "transform 2 is kept: {}", report.stderr);
    // The first night's transform is gone, and the error says why.
    let old = p.homeward(&["report", "--as-of", NIGHTS[0]]);
    assert_eq!(old.code, 2);
    assert!(old.stderr.contains("vacuum"), "{}", old.stderr);
    // A second vacuum finds nothing more to do.
    assert_eq!(vacuum(&p, &[])["files"], 0);

    // The next night builds on the vacuumed warehouse exactly as on the
    // other.
    night(&p, 3);
    night(&reference, 3);
    assert_eq!(values(&p, NIGHTS[3]), values(&reference, NIGHTS[3]));
    assert!(size(&p.path("wh")) < size(&reference.path("wh")));
}

#[test]
fn a_killed_vacuum_leaves_a_readable_warehouse() {
    let p = project();
    for i in 0..3 {
        night(&p, i);
    }
    let want = values(&p, NIGHTS[2]);
    // Killed as soon as its manifest is committed: deleting has begun.
    let mut child = p
        .command::<&str, &str>(&["vacuum"], &[])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !p.path("wh/_manifests/vacuum").exists() {
        assert!(Instant::now() < deadline, "the vacuum committed nothing");
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    let _ = child.kill();
    child.wait().unwrap();
    // The retained transforms read; a rerun finishes the deletion; the next
    // night is as it would have been.
    let report = p.homeward(&["report", "--as-of", NIGHTS[2]]);
    assert_eq!(report.code, 0, "{}", report.stderr);
    assert_eq!(values(&p, NIGHTS[2]), want);
    vacuum(&p, &[]);
    assert_eq!(vacuum(&p, &["--dry-run"])["files"], 0);
    // The next night takes over the killed vacuum's lock and runs.
    night(&p, 3);
}
