//! Homeward: a batch ETL and reporting pipeline for return and
//! reintegration programmes.
//!
//! The nightly job, in order:
//!
//! 1. [`pull`]: export drops → typed Parquet in the warehouse's raw layer,
//!    rejected rows in the quarantine, one manifest committed last.
//! 2. [`transform`]: the SQL models in `sql/` (staging → intermediate →
//!    indicators), data tests, and `indicator_values`.
//! 3. [`report`]: programme reports, donor packs and the run report,
//!    rendered from the warehouse through the templates in `templates/`.
//!
//! Each command records what it did in a [`warehouse::RunRecord`], written as
//! `<out>/<as-of>/run.json` and to the warehouse's run log. The map of the
//! code is `docs/architecture.md`.

pub mod alerts;
pub mod cli;
#[cfg(feature = "cluster")]
pub mod cluster;
pub mod codes;
pub mod config;
pub mod context;
pub mod csv_safe;
pub mod disclosure;
pub mod doctor;
pub mod generate;
pub mod indicators;
pub mod init;
pub mod lock;
pub mod notify;
pub mod privacy;
pub mod pull;
pub mod report;
pub mod run_plan;
pub mod schedule;
pub mod stop;
pub mod storage;
pub mod transform;
pub mod vacuum;
pub mod warehouse;

use std::io::IsTerminal;
use std::time::Instant;

use chrono::Utc;

use config::Settings;
use stop::Stopped;
use storage::Location;
use warehouse::records::{RunRecord, RunStatus, StageRecord, StageStatus};

/// A new run id: UTC time and a random suffix, so that no two runs share one.
pub fn new_run_id() -> String {
    let now = Utc::now();
    format!(
        "{}-{:08x}",
        now.format("%Y%m%dT%H%M%S%.3fZ")
            .to_string()
            .replace('.', ""),
        rand::random::<u32>()
    )
}

/// A progress bar on a terminal; hidden (logs only) otherwise.
fn progress_bar() -> indicatif::ProgressBar {
    if std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {prefix} [{bar:30}] {pos}/{len} files  {msg}",
            )
            .expect("valid template")
            .progress_chars("=> "),
        );
        bar.set_prefix("pull");
        bar
    } else {
        indicatif::ProgressBar::hidden()
    }
}

/// What a command runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    /// Only pull new drops.
    Pull,
    /// Only the SQL models, data tests and `indicator_values`.
    Transform,
    /// Only render reports from what the warehouse holds.
    Report,
    /// Pull, transform, report: the nightly job.
    Run,
}

impl Job {
    fn name(self) -> &'static str {
        match self {
            Job::Pull => "pull",
            Job::Transform => "transform",
            Job::Report => "report",
            Job::Run => "run",
        }
    }
}

/// Runs a job's stages in order and writes its record, also when a stage
/// fails. Returns the record; its `status` says whether the run succeeded.
pub async fn run_job(settings: &Settings, job: Job) -> anyhow::Result<RunRecord> {
    let run_id = new_run_id();
    let started = Utc::now();
    // What flags, environment and file resolved to (`-v`); never the key.
    tracing::debug!(
        warehouse = %settings.warehouse,
        out = %settings.out.display(),
        as_of = %settings.as_of,
        engine = %settings.engine,
        sources = settings.sources.len(),
        "settings"
    );
    let mut record = RunRecord::start(
        &run_id,
        job.name(),
        settings.as_of.format("%Y-%m-%d").to_string(),
        started.to_rfc3339(),
    );
    if settings.demo_key {
        let w = "using the public demo pseudonymisation key (privacy.demo_key = true): for sample data only".to_string();
        tracing::warn!("{w}");
        record.warnings.push(w);
    }
    let out_dir = settings.out.join(&record.as_of);
    let wh = Location::open(&settings.warehouse, &settings.base_dir, true);
    // Commands that write to the warehouse hold its run lock throughout.
    let mut held = None;
    let result = match &wh {
        Ok(wh) => {
            let locked = if job == Job::Report {
                Ok(None)
            } else {
                take_warehouse(wh, &run_id, job, settings).await.map(Some)
            };
            match locked {
                Ok(l) => {
                    held = l;
                    run_stages(settings, job, wh, &run_id, &out_dir, &mut record).await
                }
                Err(e) => Err(e),
            }
        }
        Err(e) => Err(anyhow::anyhow!("{}", error_text(e))),
    };
    match result {
        Ok(()) => record.status = RunStatus::Succeeded,
        Err(e) => {
            record.status = if e.downcast_ref::<Stopped>().is_some() {
                RunStatus::Stopped
            } else {
                RunStatus::Failed
            };
            record.error = Some(error_text(&e));
        }
    }
    record.total_up();
    let fresh = freshness(settings, wh.as_ref().ok()).await;
    record.alerts = alerts::evaluate(&settings.alerts, &record, &fresh);
    let level = |l: warehouse::records::AlertLevel| record.alerts.iter().find(|a| a.level == l);
    if record.status == RunStatus::Succeeded {
        if let Some(a) = level(warehouse::records::AlertLevel::Error) {
            record.error = Some(format!("alert: {}", a.message));
            record.status = RunStatus::Failed;
            record.alerts_failed = true;
        } else if level(warehouse::records::AlertLevel::Warn).is_some() {
            record.status = RunStatus::Warned;
        }
    }
    for a in &record.alerts {
        tracing::warn!(check = %a.check, level = %a.level, "{}", a.message);
    }
    record.finished_at = Some(Utc::now().to_rfc3339());
    let unsent = notify::send(&settings.notify, &notify::Summary::of(&record, &out_dir)).await;
    record.warnings.extend(unsent);
    record.write(&out_dir)?;
    if let Err(e) = report::write_run_report(&settings.templates, &record, &out_dir) {
        tracing::warn!("cannot write run.html: {}", error_text(&e));
    }
    let stale = record
        .alerts
        .iter()
        .find(|a| a.check == "freshness")
        .map(|a| a.message.clone());
    if let Err(e) = report::write_index(
        &settings.templates,
        &out_dir,
        &record.as_of,
        record.status.as_str(),
        &fresh,
        stale.as_deref(),
    ) {
        tracing::warn!("cannot write index.html: {}", error_text(&e));
    }
    if let Err(e) = report::update_latest(&settings.out, &record.as_of) {
        tracing::warn!(
            "cannot update {}/latest: {}",
            settings.out.display(),
            error_text(&e)
        );
    }
    if let Ok(wh) = &wh
        && let Err(e) = warehouse::log_run(wh, &run_id, &record).await
    {
        tracing::warn!("cannot write the run log: {}", error_text(&e));
    }
    if let Some(l) = held
        && let Err(e) = l.release().await
    {
        tracing::warn!("{}", error_text(&e));
    }
    Ok(record)
}

/// How old the warehouse's newest drop is on the as-of date.
async fn freshness(settings: &Settings, wh: Option<&Location>) -> alerts::Freshness {
    let newest_drop = match wh {
        Some(wh) => warehouse::pull_manifests(wh)
            .await
            .ok()
            .and_then(|pulls| warehouse::newest_drop(&pulls)),
        None => None,
    };
    let age_days = newest_drop
        .as_deref()
        .and_then(|d| d.get(..10))
        .and_then(|d| d.parse::<chrono::NaiveDate>().ok())
        .map(|d| (settings.as_of - d).num_days());
    alerts::Freshness {
        newest_drop,
        age_days,
    }
}

/// Before a writing command: checks that the backend can commit atomically,
/// takes the run lock, then clears what crashed runs left in `_tmp/` (with
/// the lock held, nothing there belongs to a live run).
async fn take_warehouse(
    wh: &Location,
    run_id: &str,
    job: Job,
    settings: &Settings,
) -> anyhow::Result<lock::RunLock> {
    wh.check_create_only(&warehouse::probe_path(run_id)).await?;
    let held = lock::acquire(wh, run_id, job.name(), &settings.run).await?;
    if let Err(e) = warehouse::clear_tmp(wh).await {
        tracing::warn!("cannot clear {}/_tmp: {}", wh.url, error_text(&e));
    }
    Ok(held)
}

async fn run_stages(
    settings: &Settings,
    job: Job,
    wh: &Location,
    run_id: &str,
    out_dir: &std::path::Path,
    record: &mut RunRecord,
) -> anyhow::Result<()> {
    let stage = |name: &str, clock: Instant, error: Option<String>| {
        tracing::info!(
            stage = name,
            seconds = clock.elapsed().as_secs_f64(),
            peak_rss_mib = context::peak_rss_mib(),
            rss_mib = context::rss_mib(),
            "stage finished"
        );
        StageRecord {
            name: name.into(),
            status: if error.is_some() {
                StageStatus::Failed
            } else {
                StageStatus::Succeeded
            },
            seconds: clock.elapsed().as_secs_f64(),
            error,
        }
    };
    if matches!(job, Job::Pull | Job::Run) {
        stop::check("pull")?;
        let clock = Instant::now();
        let bar = progress_bar();
        let r = pull::pull(settings, wh, run_id, Utc::now(), &bar).await;
        bar.finish_and_clear();
        match r {
            Ok(o) => {
                let rows = pull::rejected_rows(wh, settings.codes, settings.memory_limit).await;
                if let Err(e) = rows.and_then(|rows| report::write_quarantine_csv(out_dir, &rows)) {
                    tracing::warn!("cannot write quarantine.csv: {}", error_text(&e));
                }
                record.files = o.files;
                record.warnings.extend(o.warnings);
                record.stages.push(stage("pull", clock, None));
            }
            Err(e) => {
                record
                    .stages
                    .push(stage("pull", clock, Some(error_text(&e))));
                return Err(e);
            }
        }
    }
    // In a `run`, indicator_values.csv is written beside the report stage
    // (transform::export::CsvExport), which waits for it.
    let mut csv = None;
    if matches!(job, Job::Transform | Job::Run) {
        stop::check("transform")?;
        let clock = Instant::now();
        let outcome = match transform::transform(settings, wh, run_id, out_dir).await {
            Ok(mut o) => match o.csv.take() {
                Some(pending) if job == Job::Transform => pending.finish().await.map(|()| o),
                pending => {
                    csv = pending;
                    Ok(o)
                }
            },
            Err(e) => Err(e),
        };
        match outcome {
            Ok(o) => {
                record.models = o.models;
                record.tests = o.tests;
                record.indicators = o.indicator_rows;
                if !o.failed_tests.is_empty() {
                    let msg = format!(
                        "data tests failed: {}; nothing was published",
                        o.failed_tests.join(", ")
                    );
                    record
                        .stages
                        .push(stage("transform", clock, Some(msg.clone())));
                    record.tests_failed = true;
                    anyhow::bail!(msg);
                }
                record.stages.push(stage("transform", clock, None));
            }
            Err(e) => {
                record
                    .stages
                    .push(stage("transform", clock, Some(error_text(&e))));
                return Err(e);
            }
        }
    }
    if matches!(job, Job::Report | Job::Run) {
        stop::check("report")?;
        let clock = Instant::now();
        let reported = report::report(settings, wh, run_id, out_dir, Some(&*record)).await;
        let exported = match csv {
            Some(pending) => pending.finish().await,
            None => Ok(()),
        };
        match reported.and_then(|outcome| exported.map(|()| outcome)) {
            Ok(outcome) => {
                record.reports = outcome.files;
                record.disclosure = Some(outcome.disclosure);
                record.dhis2 = outcome.dhis2;
                for w in &outcome.warnings {
                    tracing::warn!("{w}");
                }
                record.warnings.extend(outcome.warnings);
                record.stages.push(stage("report", clock, None));
            }
            Err(e) => {
                record
                    .stages
                    .push(stage("report", clock, Some(error_text(&e))));
                return Err(e);
            }
        }
    }
    Ok(())
}

/// An error and its causes on one line, each said once.
///
/// `anyhow`'s `{:#}` appends every cause, but many library errors
/// (`object_store`, `reqwest`, `std::io` wrapped by them) already print their
/// source inside their own message, so the same cause came out two or three
/// times. A cause already contained in the text so far is left out, and then
/// any run of `: `-separated parts repeated back to back is said once.
pub fn error_text(e: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in e.chain() {
        let part = cause.to_string();
        if part.is_empty() || text.contains(&part) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&part);
    }
    collapse_repeats(&text)
}

/// `a: b: a: b: c` → `a: b: c`: removes a run of parts that repeats the run
/// just before it.
fn collapse_repeats(text: &str) -> String {
    let mut parts: Vec<&str> = text.split(": ").collect();
    let mut changed = true;
    while changed {
        changed = false;
        'outer: for k in 1..=parts.len() / 2 {
            for i in 0..=parts.len() - 2 * k {
                if parts[i..i + k] == parts[i + k..i + 2 * k] {
                    parts.drain(i + k..i + 2 * k);
                    changed = true;
                    break 'outer;
                }
            }
        }
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cause_is_said_once() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "No such file (os error 2)");
        // A library error that prints its source inside its own message.
        #[derive(Debug)]
        struct Wrap(std::io::Error);
        impl std::fmt::Display for Wrap {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.0)
            }
        }
        impl std::error::Error for Wrap {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                Some(&self.0)
            }
        }
        let e = anyhow::Error::new(Wrap(io)).context("cannot read drops/a.csv");
        assert_eq!(
            error_text(&e),
            "cannot read drops/a.csv: No such file (os error 2)"
        );
    }

    #[test]
    fn repeated_runs_collapse_and_distinct_parts_stay() {
        assert_eq!(
            collapse_repeats("GET x: HTTP error: sending: HTTP error: sending: sending: refused"),
            "GET x: HTTP error: sending: refused"
        );
        assert_eq!(collapse_repeats("a: b: c"), "a: b: c");
        assert_eq!(collapse_repeats(""), "");
    }
}
