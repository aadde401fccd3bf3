//! Alerts: what makes a run that worked still worth a person's attention.
//! Source freshness (the age of the newest drop, as dbt's `warn_after` and
//! `error_after`), a file rejected as a whole, and the share of rows
//! quarantined. Each fires at the level the configuration gives; an `error`
//! fails the run (exit 1) after everything was committed, a `warn` makes it
//! `warned` (exit 0).

use crate::config::{AlertLevelSetting, AlertsConfig};
use crate::warehouse::records::{Alert, AlertLevel, FileStatus, RunRecord};

/// How old the data is on the as-of date.
#[derive(Debug, Clone, Default)]
pub struct Freshness {
    /// The newest drop id ever pulled.
    pub newest_drop: Option<String>,
    /// Days from that drop's date to the as-of date.
    pub age_days: Option<i64>,
}

fn level(setting: AlertLevelSetting) -> Option<AlertLevel> {
    match setting {
        AlertLevelSetting::Ignore => None,
        AlertLevelSetting::Warn => Some(AlertLevel::Warn),
        AlertLevelSetting::Error => Some(AlertLevel::Error),
    }
}

/// The alerts `record` raises under `cfg`, given the data's freshness.
pub fn evaluate(cfg: &AlertsConfig, record: &RunRecord, fresh: &Freshness) -> Vec<Alert> {
    let mut out = Vec::new();
    let alert = |check: &str, level: AlertLevel, message: String| Alert {
        check: check.to_string(),
        level,
        message,
    };
    // Freshness: the stricter threshold passed decides.
    let passed = |limit: Option<u32>| match (limit, fresh.age_days) {
        (Some(l), Some(age)) => age > i64::from(l),
        (Some(_), None) => true,
        (None, _) => false,
    };
    let stale = if passed(cfg.error_after_days) {
        Some((AlertLevel::Error, cfg.error_after_days))
    } else if passed(cfg.warn_after_days) {
        Some((AlertLevel::Warn, cfg.warn_after_days))
    } else {
        None
    };
    if let Some((lvl, limit)) = stale {
        let limit = limit.unwrap_or(0);
        let message = match (&fresh.newest_drop, fresh.age_days) {
            (Some(d), Some(age)) => format!(
                "stale source: the newest drop is {d}, {age} days before the as-of date {} (limit {limit} days)",
                record.as_of
            ),
            _ => format!(
                "stale source: no drop has been pulled (limit {limit} days before {})",
                record.as_of
            ),
        };
        out.push(alert("freshness", lvl, message));
    }
    if let Some(lvl) = level(cfg.rejected_file) {
        for f in record
            .files
            .iter()
            .filter(|f| f.status == FileStatus::Rejected)
        {
            out.push(alert(
                "rejected_file",
                lvl,
                format!(
                    "file rejected as a whole: {}",
                    f.error.as_deref().unwrap_or(&f.path)
                ),
            ));
        }
    }
    let read: u64 = record
        .files
        .iter()
        .filter(|f| f.status != FileStatus::Skipped)
        .map(|f| f.rows_read)
        .sum();
    let quarantined: u64 = record.files.iter().map(|f| f.rows_quarantined).sum();
    if read > 0 {
        let share = quarantined as f64 / read as f64;
        let lvl = match (cfg.quarantine_error_share, cfg.quarantine_warn_share) {
            (Some(e), _) if share > e => Some((AlertLevel::Error, e)),
            (_, Some(w)) if share > w => Some((AlertLevel::Warn, w)),
            _ => None,
        };
        if let Some((lvl, limit)) = lvl {
            out.push(alert(
                "quarantine_share",
                lvl,
                format!(
                    "{quarantined} of {read} rows read ({:.1} %) were quarantined (limit {:.1} %): see quarantine.csv",
                    share * 100.0,
                    limit * 100.0
                ),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::warehouse::records::FileRecord;

    fn record(files: Vec<FileRecord>) -> RunRecord {
        let mut r = RunRecord::start("r", "run", "2026-07-10".into(), String::new());
        r.files = files;
        r
    }

    fn file(status: FileStatus, read: u64, quarantined: u64) -> FileRecord {
        FileRecord {
            path: "2026-07-01/cases.csv".into(),
            status,
            rows_read: read,
            rows_loaded: read - quarantined,
            rows_quarantined: quarantined,
            error: (status == FileStatus::Rejected)
                .then(|| "2026-07-01/cases.csv: missing required column(s): case_id".into()),
            ..Default::default()
        }
    }

    #[test]
    fn freshness_warns_then_fails_as_the_newest_drop_ages() {
        let cfg = AlertsConfig {
            warn_after_days: Some(2),
            error_after_days: Some(7),
            ..Default::default()
        };
        let at = |age| Freshness {
            newest_drop: Some("2026-07-01".into()),
            age_days: Some(age),
        };
        let r = record(vec![]);
        assert!(evaluate(&cfg, &r, &at(2)).is_empty());
        let warn = evaluate(&cfg, &r, &at(3));
        assert_eq!((warn.len(), warn[0].level), (1, AlertLevel::Warn));
        let error = evaluate(&cfg, &r, &at(9));
        assert_eq!(error[0].level, AlertLevel::Error);
        assert!(error[0].message.contains("9 days"), "{}", error[0].message);
        let none = evaluate(&cfg, &r, &Freshness::default());
        assert_eq!(none[0].level, AlertLevel::Error);
    }

    #[test]
    fn rejected_files_and_quarantine_share() {
        let cfg = AlertsConfig {
            quarantine_warn_share: Some(0.1),
            quarantine_error_share: Some(0.5),
            ..Default::default()
        };
        let fresh = Freshness::default();
        let r = record(vec![file(FileStatus::Pulled, 100, 10)]);
        assert!(
            evaluate(&cfg, &r, &fresh).is_empty(),
            "10 % is the limit, not over it"
        );
        let r = record(vec![file(FileStatus::Pulled, 100, 11)]);
        assert_eq!(evaluate(&cfg, &r, &fresh)[0].level, AlertLevel::Warn);
        let r = record(vec![file(FileStatus::Rejected, 10, 10)]);
        let alerts = evaluate(&cfg, &r, &fresh);
        assert_eq!(alerts[0].check, "rejected_file");
        assert_eq!(alerts[0].level, AlertLevel::Warn);
        assert_eq!(alerts[1].level, AlertLevel::Error);
        let ignore = AlertsConfig {
            rejected_file: AlertLevelSetting::Ignore,
            ..cfg
        };
        assert!(
            evaluate(&ignore, &r, &fresh)
                .iter()
                .all(|a| a.check != "rejected_file")
        );
    }
}
