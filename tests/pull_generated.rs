use homeward::generate::{GenerateOptions, generate};

use crate::common::{Project, file_record};

#[test]
fn counts_match_the_generator_then_skip_then_repull() {
    let p = Project::temp();
    let as_of = "2026-06-30";
    let expected = generate(&GenerateOptions {
        cases: 120,
        seed: 42,
        drops: 5,
        as_of: as_of.parse().unwrap(),
        out: p.path("drops"),
        clean: false,
        every_days: 7,
        reference_each_drop: false,
    })
    .unwrap();
    // Every reason code of the contract is injected at least once (unreadable_file has 0 rows).
    for reason in homeward::pull::contract::REASONS {
        assert!(
            expected.reasons.contains_key(*reason),
            "generator does not inject {reason}"
        );
    }

    p.pull(as_of);
    let run = p.run_json(as_of);
    // Files rejected as a whole warn (`[alerts] rejected_file`).
    crate::common::assert_warned_for_rejected_files(&run);
    for (path, e) in &expected.files {
        let f = file_record(&run, path);
        assert_eq!(f["status"], e.status.as_str(), "{path}");
        assert_eq!(f["rows_read"], e.rows_read, "{path}");
        assert_eq!(f["rows_loaded"], e.rows_loaded, "{path}");
        assert_eq!(f["rows_quarantined"], e.rows_quarantined, "{path}");
        assert_eq!(
            f["reasons"],
            serde_json::to_value(&e.reasons).unwrap(),
            "{path}"
        );
        assert_eq!(
            f["rows_read"].as_u64().unwrap(),
            f["rows_loaded"].as_u64().unwrap() + f["rows_quarantined"].as_u64().unwrap(),
            "{path} conserves rows"
        );
    }
    assert_eq!(run["files"].as_array().unwrap().len(), expected.files.len());
    assert_eq!(
        run["totals"]["reasons"],
        serde_json::to_value(&expected.reasons).unwrap()
    );
    let warnings = run["warnings"].to_string();
    for ignored in &expected.ignored {
        assert!(
            warnings.contains(ignored.as_str()),
            "no warning for {ignored}: {warnings}"
        );
    }
    // The raw layer holds exactly the loaded rows, the quarantine the rest.
    let loaded: u64 = expected.files.values().map(|f| f.rows_loaded).sum();
    let quarantined: u64 = expected.files.values().map(|f| f.rows_quarantined).sum();
    assert_eq!(p.rows("raw").len() as u64, loaded);
    assert_eq!(p.rows("quarantine").len() as u64, quarantined);

    // A second pull skips everything and writes nothing new.
    p.pull(as_of);
    let again = p.run_json(as_of);
    for f in again["files"].as_array().unwrap() {
        assert_eq!(f["status"], "skipped", "{}", f["path"]);
        assert_eq!(f["rows_read"], 0);
    }
    assert_eq!(p.rows("raw").len() as u64, loaded);

    // A changed file is pulled again as a new version; the rest are skipped.
    let changed = expected
        .files
        .keys()
        .find(|k| k.ends_with("/rss.csv"))
        .expect("an rss.csv")
        .clone();
    let path = p.path("drops").join(&changed);
    let mut text = std::fs::read(&path).unwrap();
    text.extend_from_slice(b"\n");
    std::fs::write(&path, text).unwrap();
    p.pull(as_of);
    let third = p.run_json(as_of);
    for f in third["files"].as_array().unwrap() {
        let want = if f["path"] == changed.as_str() {
            "pulled"
        } else {
            "skipped"
        };
        assert_eq!(f["status"], want, "{}", f["path"]);
    }
    let e = &expected.files[&changed];
    assert_eq!(file_record(&third, &changed)["rows_loaded"], e.rows_loaded);
    assert_eq!(p.rows("raw").len() as u64, loaded + e.rows_loaded);

    // "Unchanged" is decided from the listing (size, modification time,
    // ETag), as rsync does: a file rewritten in place with the same size and
    // modification time is not read again, so its old hash stands.
    let cases = expected
        .files
        .keys()
        .find(|k| k.ends_with("/cases.csv"))
        .expect("a cases.csv")
        .clone();
    let path = p.path("drops").join(&cases);
    let before = file_record(&third, &cases)["sha256"].clone();
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    let mut text = std::fs::read(&path).unwrap();
    let at = text.iter().rposition(|b| b.is_ascii_digit()).unwrap();
    text[at] = if text[at] == b'0' { b'1' } else { b'0' };
    std::fs::write(&path, &text).unwrap();
    let set_mtime = |t: std::time::SystemTime| {
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(t)
            .unwrap()
    };
    set_mtime(modified);
    p.pull(as_of);
    let fourth = p.run_json(as_of);
    assert_eq!(file_record(&fourth, &cases)["status"], "skipped");
    assert_eq!(file_record(&fourth, &cases)["sha256"], before);
    // A new modification time makes the pull read it: new content, a new version.
    set_mtime(modified + std::time::Duration::from_secs(60));
    p.pull(as_of);
    let fifth = p.run_json(as_of);
    assert_eq!(file_record(&fifth, &cases)["status"], "pulled");
    assert_ne!(file_record(&fifth, &cases)["sha256"], before);
    // Touched again with its content unchanged: read, hashed, and skipped.
    set_mtime(modified + std::time::Duration::from_secs(120));
    p.pull(as_of);
    let sixth = p.run_json(as_of);
    assert_eq!(file_record(&sixth, &cases)["status"], "skipped");
    assert_eq!(
        file_record(&sixth, &cases)["sha256"],
        file_record(&fifth, &cases)["sha256"]
    );
}

#[test]
fn generation_is_deterministic() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for dir in [&a, &b] {
        generate(&GenerateOptions {
            cases: 40,
            seed: 9,
            drops: 4,
            as_of: "2026-03-31".parse().unwrap(),
            out: dir.path().to_path_buf(),
            clean: false,
            every_days: 7,
            reference_each_drop: false,
        })
        .unwrap();
    }
    let mut files = Vec::new();
    fn walk(d: &std::path::Path, base: &std::path::Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(d).unwrap().flatten() {
            if e.path().is_dir() {
                walk(&e.path(), base, out);
            } else {
                out.push(e.path().strip_prefix(base).unwrap().display().to_string());
            }
        }
    }
    walk(a.path(), a.path(), &mut files);
    assert!(files.len() > 15);
    for f in files {
        assert_eq!(
            std::fs::read(a.path().join(&f)).unwrap(),
            std::fs::read(b.path().join(&f)).unwrap(),
            "{f} differs"
        );
    }
}
