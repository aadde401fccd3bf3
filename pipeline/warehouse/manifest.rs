//! The manifests: what a committed pull or transform made visible, and the
//! one commit protocol both use.
//!
//! Invariant: a manifest is written once, by [`commit`], with a create-only
//! put of the next sequence number; of two runs committing the same number,
//! exactly one succeeds and the other gets [`CommitConflict`]. Readers find
//! data through the manifests, in sequence order, never by listing data
//! folders.

use std::collections::{BTreeMap, HashSet};

use anyhow::Context;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::records::{FileStatus, ModelRecord};
use super::{PULL_MANIFESTS, TRANSFORM_MANIFESTS};
use crate::storage::Location;

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
    /// `pulled` or `rejected` (skipped files are not committed).
    pub status: FileStatus,
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

/// One committed transform.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TransformManifest {
    pub seq: u64,
    pub run_id: String,
    pub as_of: String,
    pub committed_at: String,
    /// The last pull manifest this transform read: incremental models hold
    /// every raw row up to it.
    #[serde(default)]
    pub pull_seq: u64,
    pub models: Vec<ModelRecord>,
    /// The binary's version and code lists (`transform::delta::basis`): a
    /// delta run builds only on a transform with the same.
    #[serde(default)]
    pub delta_basis: String,
}

/// A kind of manifest: where its sequence lives and what errors call it.
pub trait Manifest: Serialize + DeserializeOwned {
    /// The folder of this kind's manifests, relative to the warehouse.
    const DIR: &'static str;
    /// What errors call it: `pull`, `transform`.
    const KIND: &'static str;
    /// Its sequence number: 1, 2, … in commit order.
    fn seq(&self) -> u64;
}

impl Manifest for PullManifest {
    const DIR: &'static str = PULL_MANIFESTS;
    const KIND: &'static str = "pull";
    fn seq(&self) -> u64 {
        self.seq
    }
}

impl Manifest for TransformManifest {
    const DIR: &'static str = TRANSFORM_MANIFESTS;
    const KIND: &'static str = "transform";
    fn seq(&self) -> u64 {
        self.seq
    }
}

/// Another run committed the same sequence number first: nothing of this
/// run is visible, and running again builds on that run's commit.
#[derive(Debug, thiserror::Error)]
#[error(
    "another run committed {kind} {seq} to {url} first; nothing of this run was published, run again"
)]
pub struct CommitConflict {
    pub kind: &'static str,
    pub seq: u64,
    pub url: String,
}

/// Where manifest `seq` of a kind lives.
pub fn manifest_path<M: Manifest>(seq: u64) -> String {
    format!("{}/{seq:010}.json", M::DIR)
}

/// Commits a manifest: writes it as sequence number `seq()` with a
/// create-only put, last of everything the run writes. Fails with
/// [`CommitConflict`] when another run committed that number first.
pub async fn commit<M: Manifest>(wh: &Location, manifest: &M) -> anyhow::Result<()> {
    let body = serde_json::to_vec_pretty(manifest)?;
    if !wh
        .put_create(&manifest_path::<M>(manifest.seq()), body)
        .await?
    {
        return Err(CommitConflict {
            kind: M::KIND,
            seq: manifest.seq(),
            url: wh.url.clone(),
        }
        .into());
    }
    Ok(())
}

/// Every committed manifest of a kind, in commit order.
pub async fn read<M: Manifest>(wh: &Location) -> anyhow::Result<Vec<M>> {
    let mut out: Vec<M> = Vec::new();
    for meta in wh.list(M::DIR).await? {
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
    out.sort_by_key(|m| m.seq());
    Ok(out)
}

/// Every committed pull manifest, in commit order.
pub async fn pull_manifests(wh: &Location) -> anyhow::Result<Vec<PullManifest>> {
    read(wh).await
}

/// Every committed transform manifest, in commit order.
pub async fn transform_manifests(wh: &Location) -> anyhow::Result<Vec<TransformManifest>> {
    read(wh).await
}

/// The identities (source, path, SHA-256) of every file already pulled.
pub fn pulled_identities(manifests: &[PullManifest]) -> HashSet<(String, String, String)> {
    manifests
        .iter()
        .flat_map(|m| &m.files)
        .map(|f| (f.source.clone(), f.path.clone(), f.sha256.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pull(seq: u64, run_id: &str) -> PullManifest {
        PullManifest {
            seq,
            run_id: run_id.into(),
            committed_at: String::new(),
            files: Vec::new(),
        }
    }

    #[tokio::test]
    async fn a_sequence_number_is_committed_once() {
        let dir = tempfile::tempdir().unwrap();
        let wh = Location::open(dir.path().to_str().unwrap(), dir.path(), true).unwrap();
        commit(&wh, &pull(1, "a")).await.unwrap();
        let err = commit(&wh, &pull(1, "b")).await.unwrap_err();
        let conflict = err
            .downcast_ref::<CommitConflict>()
            .expect("a typed conflict");
        assert_eq!((conflict.kind, conflict.seq), ("pull", 1));
        commit(&wh, &pull(2, "b")).await.unwrap();
        let read: Vec<PullManifest> = pull_manifests(&wh).await.unwrap();
        let runs: Vec<&str> = read.iter().map(|m| m.run_id.as_str()).collect();
        assert_eq!(runs, ["a", "b"]);
        assert!(transform_manifests(&wh).await.unwrap().is_empty());
    }
}
