//! The warehouse's layout and its commit protocol.
//!
//! ```text
//! raw/<entity>/drop_id=<drop>/<run_id>-<n>.parquet         every version of every loaded row
//! raw/current/cur_<entity>/run_id=<run_id>/                the current version per key (incremental models)
//! raw/current/cur_<entity>/changes/run_id=<run_id>/        a night's changed rows: a later part of it
//! models/<layer>/<model>/run_id=<run_id>/                  every other SQL model
//! quarantine/<entity>/drop_id=<drop>/<run_id>-<n>.parquet  every rejected row, with its reason
//! _tmp/                                                    scratch of running pulls; cleared under the lock
//! _lock/run.json                                           the run lock (see `lock`)
//! _manifests/transform/<seq>.json                          one per committed transform
//! _manifests/pull/<seq>.json                               one per committed pull, seq = 1, 2, …
//! runs/<run_id>.json                                       the run log: one record per run
//! ```
//!
//! Invariant: data files have names no other run can produce (the run id is
//! in the name) and are never overwritten. Nothing is visible until the
//! run's manifest is committed, last, with a create-only put of the next
//! sequence number; readers find data through manifests, never by listing
//! data folders. A run killed before its commit leaves only unreferenced
//! files behind.

use std::collections::{BTreeMap, HashSet};

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};

use crate::storage::Location;

const PULL_MANIFESTS: &str = "_manifests/pull";
/// Where transform manifests are committed.
pub const TRANSFORM_MANIFESTS: &str = "_manifests/transform";

/// One source file as committed by a pull.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ManifestFile {
    /// The source's URL.
    pub source: String,
    /// Path relative to the source: `<drop_id>/<entity>.<ext>`.
    pub path: String,
    pub drop_id: String,
    pub entity: String,
    pub sha256: String,
    pub size: u64,
    /// `pulled` or `rejected`.
    pub status: String,
    pub rows_read: u64,
    pub rows_loaded: u64,
    pub rows_quarantined: u64,
    pub reasons: BTreeMap<String, u64>,
    /// Raw-layer Parquet file, relative to the warehouse.
    pub raw_file: Option<String>,
    /// Quarantine Parquet file, relative to the warehouse.
    pub quarantine_file: Option<String>,
}

/// One committed pull.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PullManifest {
    pub seq: u64,
    pub run_id: String,
    pub committed_at: String,
    pub files: Vec<ManifestFile>,
}

/// Every JSON manifest under `dir`, in listing order.
pub async fn read_manifests<T: serde::de::DeserializeOwned>(
    wh: &Location,
    dir: &str,
) -> anyhow::Result<Vec<T>> {
    let mut out = Vec::new();
    for meta in wh.list(dir).await? {
        let rel = wh.relative(&meta.location);
        if !rel.ends_with(".json") {
            continue;
        }
        let bytes = wh.get_bytes(&rel).await?;
        out.push(
            serde_json::from_slice(&bytes)
                .with_context(|| format!("corrupt manifest {}/{rel}", wh.url))?,
        );
    }
    Ok(out)
}

/// Every committed pull manifest, in commit order.
pub async fn pull_manifests(wh: &Location) -> anyhow::Result<Vec<PullManifest>> {
    let mut out: Vec<PullManifest> = read_manifests(wh, PULL_MANIFESTS).await?;
    out.sort_by_key(|m| m.seq);
    Ok(out)
}

/// The identities (source, path, SHA-256) of every file already pulled.
pub fn pulled_identities(manifests: &[PullManifest]) -> HashSet<(String, String, String)> {
    manifests
        .iter()
        .flat_map(|m| &m.files)
        .map(|f| (f.source.clone(), f.path.clone(), f.sha256.clone()))
        .collect()
}

/// Commits a pull: writes manifest `seq` with a create-only put. Fails when
/// another run committed that sequence number first.
pub async fn commit_pull(wh: &Location, manifest: &PullManifest) -> anyhow::Result<()> {
    let rel = format!("{PULL_MANIFESTS}/{:010}.json", manifest.seq);
    let body = serde_json::to_vec_pretty(manifest)?;
    if !wh.put_create(&rel, body).await? {
        bail!(
            "another run committed pull {} to {} first; nothing of this run was published, run again",
            manifest.seq,
            wh.url
        );
    }
    Ok(())
}

/// Raw-layer file name for the `n`-th file of a run.
pub fn raw_path(entity: &str, drop_id: &str, run_id: &str, n: usize) -> String {
    format!("raw/{entity}/drop_id={drop_id}/{run_id}-{n:05}.parquet")
}

/// Quarantine file name for the `n`-th file of a run.
pub fn quarantine_path(entity: &str, drop_id: &str, run_id: &str, n: usize) -> String {
    format!("quarantine/{entity}/drop_id={drop_id}/{run_id}-{n:05}.parquet")
}

/// Every readable record of the run log, oldest first (run ids start with
/// their UTC start time). An unreadable record is skipped with a warning: the
/// log informs reports, it does not gate them.
pub async fn read_runs(wh: &Location) -> anyhow::Result<Vec<crate::runlog::RunRecord>> {
    let mut out: Vec<crate::runlog::RunRecord> = Vec::new();
    for meta in wh.list("runs").await? {
        let rel = wh.relative(&meta.location);
        if !rel.ends_with(".json") {
            continue;
        }
        let bytes = wh.get_bytes(&rel).await?;
        match serde_json::from_slice(&bytes) {
            Ok(r) => out.push(r),
            Err(e) => tracing::warn!("skipping unreadable run record {rel}: {e}"),
        }
    }
    out.sort_by(|a, b| a.run_id.cmp(&b.run_id));
    Ok(out)
}

/// Writes a run's record to the run log.
pub async fn log_run(wh: &Location, run_id: &str, record: &impl Serialize) -> anyhow::Result<()> {
    wh.put_bytes(
        &format!("runs/{run_id}.json"),
        serde_json::to_vec_pretty(record)?,
    )
    .await
}

/// Removes everything under `_tmp/`: scratch files of runs that were killed.
/// Call only with the run lock held.
pub async fn clear_tmp(wh: &Location) -> anyhow::Result<()> {
    if let Some(root) = &wh.local_root {
        let dir = root.join("_tmp");
        if dir.exists() {
            std::fs::remove_dir_all(&dir)
                .with_context(|| format!("cannot remove {}", dir.display()))?;
        }
        return Ok(());
    }
    for meta in wh.list("_tmp").await? {
        wh.delete(&wh.relative(&meta.location)).await?;
    }
    Ok(())
}
