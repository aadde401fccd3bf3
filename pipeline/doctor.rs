//! `homeward doctor`: whether a run would find everything in order, one line
//! per check, before a night depends on it. Nothing is written except the
//! create-only probe the warehouse check puts and deletes (the same probe a
//! run makes before it writes).

use std::path::{Path, PathBuf};

use crate::config::{ConfigFile, Overrides, Settings};
use crate::storage::Location;

/// How a check ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Ok,
    /// Works, but deserves a look (the demo key, a live lock, little space).
    Warn,
    /// A run would fail.
    Fail,
}

/// One line of the report.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Check {
    pub name: String,
    pub outcome: Outcome,
    pub detail: String,
}

fn check(name: &str, outcome: Outcome, detail: impl Into<String>) -> Check {
    Check {
        name: name.to_string(),
        outcome,
        detail: detail.into(),
    }
}

fn result(name: &str, r: anyhow::Result<String>) -> Check {
    match r {
        Ok(detail) => check(name, Outcome::Ok, detail),
        Err(e) => check(name, Outcome::Fail, crate::error_text(&e)),
    }
}

/// Free space below which the disk check warns: a night's spill files and
/// Parquet at 1 M cases stay well under it (docs/scale.md).
const LOW_SPACE: u64 = 2 << 30;

/// Runs every check; each later check needs the configuration to load.
pub async fn doctor(config: &Path, over: Overrides) -> Vec<Check> {
    let mut checks = Vec::new();
    let demo_key = match ConfigFile::load(config) {
        Ok(file) => {
            checks.push(check("config", Outcome::Ok, config.display().to_string()));
            file.privacy.demo_key
        }
        Err(e) => {
            checks.push(check("config", Outcome::Fail, e.to_string()));
            return checks;
        }
    };
    checks.push(key_check(demo_key));
    let over = Overrides {
        without_key: true,
        ..over
    };
    let settings = match Settings::resolve(config, over) {
        Ok(s) => s,
        Err(e) => {
            checks.push(check("settings", Outcome::Fail, e.to_string()));
            return checks;
        }
    };
    let lists = settings
        .codes
        .seeds
        .iter()
        .filter(|s| s.path.is_some())
        .count();
    checks.push(check(
        "code lists",
        Outcome::Ok,
        format!(
            "{} lists, {lists} from the project, {} shipped",
            settings.codes.seeds.len(),
            settings.codes.seeds.len() - lists
        ),
    ));
    for source in &settings.sources {
        checks.push(result("source", source_check(&settings, &source.url).await));
    }
    let wh = warehouse_check(&settings, &mut checks).await;
    checks.push(result(
        "templates",
        crate::report::check_templates(&settings.templates)
            .map(|n| format!("{n} templates compile ({})", settings.templates.display())),
    ));
    checks.push(result(
        "sql",
        crate::transform::check_sql(&settings)
            .await
            .map(|n| format!("{n} models plan in DataFusion")),
    ));
    checks.push(result(
        "fonts",
        crate::report::pdf::check_fonts().map(|n| format!("{n} embedded font faces load")),
    ));
    if let Some(wh) = &wh {
        checks.push(match crate::lock::state(wh).await {
            Ok(crate::lock::LockState::Free) => check("lock", Outcome::Ok, "free"),
            Ok(crate::lock::LockState::Stale(who)) => check(
                "lock",
                Outcome::Ok,
                format!("stale, the next run takes it over: {who}"),
            ),
            Ok(crate::lock::LockState::Held(who)) => {
                check("lock", Outcome::Warn, format!("held: {who}"))
            }
            Err(e) => check("lock", Outcome::Fail, crate::error_text(&e)),
        });
    }
    let mut places: Vec<(&str, PathBuf)> = vec![("output", settings.out.clone())];
    if let Some(root) = wh.as_ref().and_then(|w| w.local_root.clone()) {
        places.push(("warehouse", root));
    }
    places.push(("spill and temporary files", std::env::temp_dir()));
    for (what, path) in places {
        checks.push(disk_check(what, &path));
    }
    checks
}

/// `demo_key` is the configuration's `privacy.demo_key`: without a key in
/// the environment only such a sample configuration runs.
fn key_check(demo_key: bool) -> Check {
    use crate::privacy::{KEY_FILE_VAR, KEY_VAR, MIN_KEY_LEN};
    // The key is never printed: only where it came from and its length.
    match crate::privacy::key_from_env() {
        Ok(Some((key, from))) if key.len() >= MIN_KEY_LEN => check(
            "key",
            Outcome::Ok,
            format!("from {from}, {} bytes", key.len()),
        ),
        Ok(Some((key, from))) => check(
            "key",
            Outcome::Fail,
            format!(
                "from {from}: {} bytes, shorter than {MIN_KEY_LEN}",
                key.len()
            ),
        ),
        Ok(None) if demo_key => check(
            "key",
            Outcome::Warn,
            format!(
                "{KEY_VAR} and {KEY_FILE_VAR} are not set: the public demo key is used (privacy.demo_key = true), fit for the sample only"
            ),
        ),
        Ok(None) => check(
            "key",
            Outcome::Fail,
            format!(
                "{KEY_VAR} and {KEY_FILE_VAR} are not set, and the configuration does not allow the demo key: a run would refuse to start"
            ),
        ),
        Err(e) => check("key", Outcome::Fail, e),
    }
}

async fn source_check(settings: &Settings, url: &str) -> anyhow::Result<String> {
    let loc = Location::open(url, &settings.base_dir, false)?;
    let items = loc.list("").await?;
    let mut drops: Vec<String> = items
        .iter()
        .filter_map(|m| {
            loc.relative(&m.location)
                .split('/')
                .next()
                .map(str::to_string)
        })
        .filter(|d| crate::pull::is_drop_id(d))
        .collect();
    drops.sort();
    drops.dedup();
    Ok(format!(
        "{}: {} files, {} drops, newest {}",
        loc.url,
        items.len(),
        drops.len(),
        drops.last().map_or("none", String::as_str)
    ))
}

/// The warehouse is reachable and honours create-only writes; a local one
/// that does not exist yet is created by the first run.
async fn warehouse_check(settings: &Settings, checks: &mut Vec<Check>) -> Option<Location> {
    let local = !settings.warehouse.contains("://");
    if local && !Path::new(&settings.warehouse).exists() {
        checks.push(check(
            "warehouse",
            Outcome::Ok,
            format!(
                "{}: not created yet (the first run creates it)",
                settings.warehouse
            ),
        ));
        return None;
    }
    let wh = match Location::open(&settings.warehouse, &settings.base_dir, false) {
        Ok(wh) => wh,
        Err(e) => {
            checks.push(check("warehouse", Outcome::Fail, crate::error_text(&e)));
            return None;
        }
    };
    let probe = crate::warehouse::probe_path(&format!("doctor-{}", crate::new_run_id()));
    checks.push(result(
        "warehouse",
        wh.check_create_only(&probe)
            .await
            .map(|()| format!("{}: reachable, create-only writes honoured", wh.url)),
    ));
    Some(wh)
}

fn disk_check(what: &str, path: &Path) -> Check {
    // The folder, or the nearest parent that exists (the output folder may
    // not exist before the first run).
    let mut at = path.to_path_buf();
    while !at.exists() {
        match at.parent() {
            Some(p) => at = p.to_path_buf(),
            None => break,
        }
    }
    match free_space(&at) {
        Some(free) => {
            let gib = free as f64 / f64::from(1 << 30);
            let detail = format!("{what} ({}): {gib:.1} GiB free", at.display());
            if free < LOW_SPACE {
                check("disk", Outcome::Warn, detail)
            } else {
                check("disk", Outcome::Ok, detail)
            }
        }
        None => check(
            "disk",
            Outcome::Warn,
            format!("{what} ({}): free space unknown", at.display()),
        ),
    }
}

#[cfg(unix)]
fn free_space(path: &Path) -> Option<u64> {
    let s = rustix::fs::statvfs(path).ok()?;
    Some(s.f_bavail.saturating_mul(s.f_frsize))
}

#[cfg(not(unix))]
fn free_space(_path: &Path) -> Option<u64> {
    None
}

/// The checks as lines: `ok   name  detail`.
pub fn text(checks: &[Check]) -> String {
    let width = checks.iter().map(|c| c.name.len()).max().unwrap_or(0);
    checks
        .iter()
        .map(|c| {
            let word = match c.outcome {
                Outcome::Ok => "ok  ",
                Outcome::Warn => "warn",
                Outcome::Fail => "FAIL",
            };
            format!("{word}  {:<width$}  {}\n", c.name, c.detail)
        })
        .collect()
}
