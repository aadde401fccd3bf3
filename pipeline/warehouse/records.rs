//! The records a run leaves: the run, its stages, the files it pulled, the
//! models it built and the data tests it ran. Written as `run.json` (reports.md,
//! "Run report"), to the warehouse's run log, and (models) into transform
//! manifests.
//!
//! Invariant: every status and mode is an enum whose serde name is the word
//! `run.json` has always carried; these types import no stage.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

/// An enum of plain words: serde writes each variant as its word, and
/// `Display` prints the same word (`homeward runs`, log lines).
macro_rules! words {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $word:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $word)] $variant,)+
        }

        impl $name {
            /// The word `run.json` carries.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word,)+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.pad(self.as_str())
            }
        }
    };
}

words! {
    /// How a run ended (or that it is still going).
    RunStatus {
        /// Written while the run is going: a record left `running` is of a
        /// run that was killed.
        Running = "running",
        Succeeded = "succeeded",
        /// Every stage succeeded, and an alert at level `warn` fired
        /// (`alerts`): exit 0.
        Warned = "warned",
        Failed = "failed",
        /// Stopped by SIGTERM or Ctrl-C between stages: the stages before
        /// are committed, the rest did not start.
        Stopped = "stopped",
    }
}

words! {
    /// How one stage of a run, or one model of a transform, ended.
    StageStatus {
        Succeeded = "succeeded",
        Failed = "failed",
    }
}

words! {
    /// What the pull did with a source file.
    #[derive(Default)]
    FileStatus {
        /// Read: its rows are loaded or quarantined.
        #[default]
        Pulled = "pulled",
        /// Pulled before (same source, path and SHA-256).
        Skipped = "skipped",
        /// Refused as a whole (unreadable, no key column, …): nothing loaded,
        /// the reason in `error`.
        Rejected = "rejected",
    }
}

words! {
    /// How the transform built a model. (Manifests written before modes
    /// were recorded held full builds: the default.)
    #[derive(Default)]
    BuildMode {
        /// From its inputs.
        #[default]
        Full = "full",
        /// Its previous result merged with the rows pulled since.
        Incremental = "incremental",
        /// Its previous result, unchanged: nothing pulled since for it.
        Reused = "reused",
        /// Recomputed for the cases touched since the previous run only
        /// (README, Delta runs).
        Delta = "delta",
    }
}

words! {
    /// A data test's outcome.
    TestStatus {
        /// No failing rows.
        Pass = "pass",
        /// Failing rows in a test of severity `warn`: reported, not fatal.
        Warn = "warn",
        /// Failing rows in a test of severity `error`: nothing is published.
        Fail = "fail",
    }
}

/// One stage of a run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StageRecord {
    pub name: String,
    pub status: StageStatus,
    pub seconds: f64,
    pub error: Option<String>,
}

/// One source file seen by the pull.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct FileRecord {
    pub source: String,
    /// Relative to the source: `<drop_id>/<entity>.<ext>`.
    pub path: String,
    pub drop: String,
    pub entity: String,
    pub format: String,
    pub size: u64,
    pub sha256: String,
    pub status: FileStatus,
    pub encoding: Option<String>,
    pub rows_read: u64,
    pub rows_loaded: u64,
    pub rows_quarantined: u64,
    pub reasons: BTreeMap<String, u64>,
    pub ignored_columns: Vec<String>,
    /// Why a rejected file was rejected, with its place.
    pub error: Option<String>,
}

/// One data test's outcome.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TestRecord {
    pub name: String,
    pub status: TestStatus,
    pub failing_rows: u64,
}

/// One model's run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ModelRecord {
    pub name: String,
    pub layer: String,
    pub status: StageStatus,
    pub rows: u64,
    pub seconds: f64,
    /// Folder of its Parquet files, relative to the warehouse (for a model
    /// in parts, its first part). Empty for a per-case model of a delta
    /// run: its touched cases' rows were kept in memory only.
    pub path: String,
    /// SHA-256 of the model's rendered SQL: an incremental model builds on
    /// its previous result only when this is unchanged.
    #[serde(default)]
    pub sql_hash: String,
    #[serde(default)]
    pub mode: BuildMode,
    /// Why it was built that way (`homeward plan` says the same beforehand).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// An incremental model kept in parts, oldest first: the first is a full
    /// build or a compaction (`path`), each later one the rows a night
    /// changed, which replace the earlier rows of their `unique_key` (README,
    /// Incremental models). Empty for a model in one folder.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Part>,
}

/// One folder of a model kept in parts, and its rows.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Part {
    pub path: String,
    pub rows: u64,
}

impl ModelRecord {
    /// The folders that make the model's result, oldest first.
    pub fn all_parts(&self) -> Vec<Part> {
        if self.parts.is_empty() {
            vec![Part {
                path: self.path.clone(),
                rows: self.rows,
            }]
        } else {
            self.parts.clone()
        }
    }
}

/// How far the published cells of the outputs that leave the organisation
/// are from the exact ones (reports.md, methodology; `run.json`). Counts of
/// cells, never values of one. The disclosure stage tallies it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Utility {
    pub method: String,
    pub k: u32,
    /// Cells published (shown or hidden).
    pub cells: u64,
    /// Cells withheld.
    pub hidden: u64,
    /// Shown cells whose value differs from the exact one.
    pub changed: u64,
    /// `changed` over the shown cells (0 to 1).
    pub changed_share: f64,
    /// Largest absolute difference of a shown count.
    pub max_abs_diff: f64,
    /// Largest absolute difference of a shown rate (0.1 is 10 points).
    pub max_rate_diff: f64,
    /// Largest relative difference of a shown sum or mean (0.05 is 5 %).
    pub max_rel_diff: f64,
}

/// The machine-readable record of a run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunRecord {
    pub run_id: String,
    pub command: String,
    pub as_of: String,
    pub status: RunStatus,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub error: Option<String>,
    pub stages: Vec<StageRecord>,
    pub files: Vec<FileRecord>,
    pub tests: Vec<TestRecord>,
    /// Each SQL model, in the order run.
    pub models: Vec<ModelRecord>,
    /// Rows of `indicator_values` per indicator.
    pub indicators: BTreeMap<String, u64>,
    /// True when the run failed because a data test of severity error failed.
    #[serde(skip)]
    pub tests_failed: bool,
    /// The alerts that fired: stale data, rejected files, many quarantined
    /// rows.
    #[serde(default)]
    pub alerts: Vec<Alert>,
    /// True when the run failed because an alert at level `error` fired.
    #[serde(skip)]
    pub alerts_failed: bool,
    /// Ignored folders, files and columns, and other things a person should know.
    pub warnings: Vec<String>,
    /// Totals over the files pulled by this run.
    pub totals: Totals,
    /// Each report file written, relative to the output folder.
    #[serde(default)]
    pub reports: Vec<ReportFile>,
    /// The disclosure control of the outputs that leave the organisation:
    /// method, k, and how far the published values are from the exact
    /// ones, over every cell the donor packs published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disclosure: Option<Utility>,
    /// The DHIS2 export: periods, values, and what had no mapping.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dhis2: Option<crate::report::dhis2::Dhis2Summary>,
}

words! {
    /// How loud an alert is.
    AlertLevel {
        Warn = "warn",
        Error = "error",
    }
}

/// One alert of a run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Alert {
    /// `freshness`, `rejected_file` or `quarantine_share`.
    pub check: String,
    pub level: AlertLevel,
    pub message: String,
}

/// One file written by the report stage.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReportFile {
    /// Relative to the output folder: `2026-06-30/programme/ALL.html`.
    pub path: String,
    pub size: u64,
}

/// Row totals over a run's files.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Totals {
    pub files_pulled: u64,
    pub files_skipped: u64,
    pub files_rejected: u64,
    pub rows_read: u64,
    pub rows_loaded: u64,
    pub rows_quarantined: u64,
    pub reasons: BTreeMap<String, u64>,
}

impl RunRecord {
    /// A new record of a run that is starting.
    pub fn start(run_id: &str, command: &str, as_of: String, started_at: String) -> RunRecord {
        RunRecord {
            run_id: run_id.to_string(),
            command: command.to_string(),
            as_of,
            status: RunStatus::Running,
            started_at,
            finished_at: None,
            error: None,
            stages: vec![],
            files: vec![],
            tests: vec![],
            models: vec![],
            indicators: Default::default(),
            tests_failed: false,
            alerts: vec![],
            alerts_failed: false,
            warnings: vec![],
            totals: Default::default(),
            reports: vec![],
            disclosure: None,
            dhis2: None,
        }
    }

    /// Sums the per-file counts into [`RunRecord::totals`].
    pub fn total_up(&mut self) {
        let mut t = Totals::default();
        for f in &self.files {
            match f.status {
                FileStatus::Skipped => t.files_skipped += 1,
                FileStatus::Rejected => t.files_rejected += 1,
                FileStatus::Pulled => t.files_pulled += 1,
            }
            t.rows_read += f.rows_read;
            t.rows_loaded += f.rows_loaded;
            t.rows_quarantined += f.rows_quarantined;
            for (k, v) in &f.reasons {
                *t.reasons.entry(k.clone()).or_default() += v;
            }
        }
        self.totals = t;
    }

    /// Writes `run.json` under `dir`, atomically (temporary file, then rename).
    pub fn write(&self, dir: &Path) -> anyhow::Result<()> {
        std::fs::create_dir_all(dir)?;
        let tmp = dir.join(format!(".run.json.{}", self.run_id));
        std::fs::write(&tmp, serde_json::to_vec_pretty(self)?)?;
        std::fs::rename(&tmp, dir.join("run.json"))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_keep_the_words_of_run_json() {
        assert_eq!(serde_json::to_value(RunStatus::Stopped).unwrap(), "stopped");
        assert_eq!(
            serde_json::to_value(BuildMode::Incremental).unwrap(),
            "incremental"
        );
        assert_eq!(serde_json::to_value(TestStatus::Warn).unwrap(), "warn");
        assert_eq!(
            serde_json::to_value(FileStatus::Rejected).unwrap(),
            "rejected"
        );
        let mode: BuildMode = serde_json::from_str("\"reused\"").unwrap();
        assert_eq!(mode, BuildMode::Reused);
        assert_eq!(RunStatus::Succeeded.to_string(), "succeeded");
    }
}
