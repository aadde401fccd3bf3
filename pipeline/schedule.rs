//! `homeward schedule`: the nightly job on a cron schedule, until stopped
//! (by the signals of [`crate::stop`]).
//!
//! Retries: a failed run is retried after `retry_backoff_seconds`, doubled
//! for each further attempt, up to `retries` times; then the schedule waits
//! for its next time. A run stopped by a failed `error` data test is not
//! retried: the same data would fail the same way.

use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use croner::Cron;
use croner::parser::CronParser;

use crate::config::Settings;
use crate::stop::{stop_requested, stopped};
use crate::warehouse::records::RunStatus;

/// A parsed schedule.
#[derive(Debug, Clone)]
pub struct Schedule {
    cron: Cron,
    /// The expression as given, for messages.
    pub expression: String,
    pub timezone: Tz,
}

impl Schedule {
    /// Parses a cron expression (5 fields, or 6 with seconds first) and an
    /// IANA time zone name.
    pub fn parse(expression: &str, timezone: &str) -> anyhow::Result<Schedule> {
        let cron = CronParser::new()
            .parse(expression)
            .with_context(|| format!("schedule.cron: `{expression}` is not a cron expression"))?;
        let timezone: Tz = timezone.parse().map_err(|_| {
            anyhow::anyhow!("schedule.timezone: `{timezone}` is not an IANA time zone name")
        })?;
        Ok(Schedule {
            cron,
            expression: expression.to_string(),
            timezone,
        })
    }

    /// The first time strictly after `after`.
    pub fn next_after(&self, after: DateTime<Utc>) -> anyhow::Result<DateTime<Tz>> {
        self.cron
            .find_next_occurrence(&after.with_timezone(&self.timezone), false)
            .with_context(|| format!("`{}` has no next time", self.expression))
    }
}

/// How `homeward schedule` was asked to run.
#[derive(Debug, Clone)]
pub struct ScheduleOptions {
    pub schedule: Schedule,
    /// Attempts after a failure.
    pub retries: u32,
    pub backoff: Duration,
    /// Stop after this many scheduled times (tests, one-off catch-ups).
    pub max_runs: Option<u64>,
    /// A fixed as-of date; otherwise each run's date in the schedule's zone.
    pub as_of: Option<chrono::NaiveDate>,
}

/// What the scheduler did.
#[derive(Debug, Default)]
pub struct ScheduleOutcome {
    /// Scheduled times that ran.
    pub times: u64,
    /// Runs (attempts) made, retries included.
    pub attempts: u64,
    /// Whether the last scheduled time ended in success.
    pub last_succeeded: Option<bool>,
}

/// Waits `d`, or less if a stop is asked for; true when the wait ended by it.
async fn sleep_or_stop(d: Duration) -> bool {
    tokio::select! {
        _ = tokio::time::sleep(d) => stop_requested(),
        _ = stopped() => true,
    }
}

/// Runs the job at every time of the schedule until stopped (or `max_runs`).
pub async fn schedule(
    settings: &Settings,
    opts: &ScheduleOptions,
) -> anyhow::Result<ScheduleOutcome> {
    let mut out = ScheduleOutcome::default();
    loop {
        if stop_requested() || opts.max_runs.is_some_and(|m| out.times >= m) {
            return Ok(out);
        }
        let next = opts.schedule.next_after(Utc::now())?;
        tracing::info!(
            "next run at {} ({})",
            next.format("%Y-%m-%d %H:%M:%S %Z"),
            opts.schedule.expression
        );
        let wait = (next.with_timezone(&Utc) - Utc::now())
            .to_std()
            .unwrap_or(Duration::ZERO);
        if sleep_or_stop(wait).await {
            return Ok(out);
        }
        let mut run_settings = settings.clone();
        run_settings.as_of = opts.as_of.unwrap_or_else(|| next.date_naive());
        out.times += 1;
        let mut attempt = 0u32;
        loop {
            out.attempts += 1;
            let record = crate::run_job(&run_settings, crate::Job::Run).await?;
            // A warned run worked: an alert is not a reason to run again.
            let ok = matches!(record.status, RunStatus::Succeeded | RunStatus::Warned);
            out.last_succeeded = Some(ok);
            if ok || record.status == RunStatus::Stopped || stop_requested() {
                break;
            }
            let error = record.error.as_deref().unwrap_or("unknown error");
            if record.tests_failed {
                tracing::error!(
                    "run {} failed its data tests; not retried: {error}",
                    record.run_id
                );
                break;
            }
            if attempt >= opts.retries {
                tracing::error!(
                    "run {} failed after {} attempts; waiting for the next scheduled time: {error}",
                    record.run_id,
                    attempt + 1
                );
                break;
            }
            let pause = opts.backoff.saturating_mul(1 << attempt.min(16));
            attempt += 1;
            tracing::warn!(
                "run {} failed; retry {attempt} of {} in {} s: {error}",
                record.run_id,
                opts.retries,
                pause.as_secs_f64()
            );
            if sleep_or_stop(pause).await {
                return Ok(out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_and_six_field_expressions_in_a_time_zone() {
        let s = Schedule::parse("0 2 * * *", "Africa/Dakar").unwrap();
        let after: DateTime<Utc> = "2026-06-30T03:00:00Z".parse().unwrap();
        assert_eq!(
            s.next_after(after).unwrap().to_rfc3339(),
            "2026-07-01T02:00:00+00:00"
        );
        // 02:00 in Brussels (UTC+2 in summer) is midnight UTC.
        let s = Schedule::parse("0 2 * * *", "Europe/Brussels").unwrap();
        assert_eq!(
            s.next_after(after)
                .unwrap()
                .with_timezone(&Utc)
                .to_rfc3339(),
            "2026-07-01T00:00:00+00:00"
        );
        let s = Schedule::parse("*/5 * * * * *", "UTC").unwrap();
        let after: DateTime<Utc> = "2026-06-30T03:00:01Z".parse().unwrap();
        assert_eq!(
            s.next_after(after).unwrap().to_rfc3339(),
            "2026-06-30T03:00:05+00:00"
        );
    }

    #[test]
    fn bad_expressions_and_zones_name_the_key() {
        let e = Schedule::parse("0 25 * * *", "UTC").unwrap_err();
        assert!(format!("{e:#}").starts_with("schedule.cron:"), "{e:#}");
        let e = Schedule::parse("0 2 * * *", "Mars/Olympus").unwrap_err();
        assert!(format!("{e:#}").starts_with("schedule.timezone:"), "{e:#}");
    }
}
