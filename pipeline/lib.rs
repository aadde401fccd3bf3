//! Homeward: a batch ETL and reporting pipeline for return and
//! reintegration programmes.
//!
//! The nightly job, in order:
//!
//! 1. [`pull`]: export drops → typed Parquet in the warehouse's raw layer,
//!    rejected rows in the quarantine, one manifest committed last.
//!
//! Each command records what it did in a [`runlog::RunRecord`], written as
//! `<out>/<as-of>/run.json` and to the warehouse's run log.

pub mod cli;
pub mod codes;
pub mod config;
pub mod generate;
pub mod privacy;
pub mod pull;
pub mod runlog;
pub mod storage;
pub mod warehouse;

use std::io::IsTerminal;
use std::time::Instant;

use chrono::Utc;

use config::Settings;
use runlog::{RunRecord, StageRecord};
use storage::Location;

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

/// Runs `homeward pull` and writes its record. Returns the record; its
/// `status` says whether the run succeeded.
pub async fn run_pull(settings: &Settings) -> anyhow::Result<RunRecord> {
    let run_id = new_run_id();
    let started = Utc::now();
    let mut record = RunRecord {
        run_id: run_id.clone(),
        command: "pull".into(),
        as_of: settings.as_of.format("%Y-%m-%d").to_string(),
        status: "running".into(),
        started_at: started.to_rfc3339(),
        finished_at: None,
        error: None,
        stages: vec![],
        files: vec![],
        tests: vec![],
        warnings: vec![],
        totals: Default::default(),
    };
    if settings.demo_key {
        let w = "using the public demo pseudonymisation key (privacy.demo_key = true): for sample data only".to_string();
        tracing::warn!("{w}");
        record.warnings.push(w);
    }
    let clock = Instant::now();
    let wh = Location::open(&settings.warehouse, &settings.base_dir, true);
    let outcome = match wh {
        Ok(wh) => {
            let bar = progress_bar();
            let r = pull::pull(settings, &wh, &run_id, started, &bar).await;
            bar.finish_and_clear();
            r.map(|o| (wh, o))
        }
        Err(e) => Err(e),
    };
    let seconds = clock.elapsed().as_secs_f64();
    let wh = match outcome {
        Ok((wh, o)) => {
            record.files = o.files;
            record.warnings.extend(o.warnings);
            record.stages.push(StageRecord {
                name: "pull".into(),
                status: "succeeded".into(),
                seconds,
                error: None,
            });
            record.status = "succeeded".into();
            Some(wh)
        }
        Err(e) => {
            let msg = format!("{e:#}");
            record.stages.push(StageRecord {
                name: "pull".into(),
                status: "failed".into(),
                seconds,
                error: Some(msg.clone()),
            });
            record.status = "failed".into();
            record.error = Some(msg);
            Location::open(&settings.warehouse, &settings.base_dir, true).ok()
        }
    };
    record.total_up();
    record.finished_at = Some(Utc::now().to_rfc3339());
    record.write(&settings.out.join(&record.as_of))?;
    if let Some(wh) = wh
        && let Err(e) = warehouse::log_run(&wh, &run_id, &record).await
    {
        tracing::warn!("cannot write the run log: {e:#}");
    }
    Ok(record)
}
