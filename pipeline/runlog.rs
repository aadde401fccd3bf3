//! The record of one run, written as `run.json` (reports.md, "Run report").

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

/// One stage of a run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StageRecord {
    pub name: String,
    /// `succeeded` or `failed`.
    pub status: String,
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
    /// `pulled`, `skipped` or `rejected`.
    pub status: String,
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
    pub status: String,
    pub failing_rows: u64,
}

/// The machine-readable record of a run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunRecord {
    pub run_id: String,
    pub command: String,
    pub as_of: String,
    /// `running`, `succeeded` or `failed`.
    pub status: String,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub error: Option<String>,
    pub stages: Vec<StageRecord>,
    pub files: Vec<FileRecord>,
    pub tests: Vec<TestRecord>,
    /// Each SQL model, in the order run.
    pub models: Vec<crate::transform::ModelRecord>,
    /// Rows of `indicator_values` per indicator.
    pub indicators: BTreeMap<String, u64>,
    /// True when the run failed because a data test of severity error failed.
    #[serde(skip)]
    pub tests_failed: bool,
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
    pub disclosure: Option<crate::disclosure::Utility>,
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
    /// Sums the per-file counts into [`RunRecord::totals`].
    pub fn total_up(&mut self) {
        let mut t = Totals::default();
        for f in &self.files {
            match f.status.as_str() {
                "skipped" => t.files_skipped += 1,
                "rejected" => t.files_rejected += 1,
                _ => t.files_pulled += 1,
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
