//! The manifests: what a committed pull or transform made visible, and the
//! one commit protocol both use.
//!
//! Invariant: a manifest is written once, by [`commit`], with a create-only
//! put of the next sequence number; of two runs committing the same number,
//! exactly one succeeds and the other gets [`CommitConflict`]. Readers find
//! data through the manifests, in sequence order, never by listing data
//! folders.

use std::collections::{BTreeMap, HashMap, HashSet};

use anyhow::Context;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::records::{FileStatus, ModelRecord};
use super::{PULL_MANIFESTS, TRANSFORM_MANIFESTS, VACUUM_MANIFESTS};
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
    /// What the source's listing said of the file when it was pulled
    /// (absent in manifests of older versions): a later pull that lists the
    /// same path with the same size, last-modified time and ETag skips it
    /// without reading it (see [`Pulled`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listed: Option<Listed>,
}

/// A source file as its store lists it: what decides "unchanged" without
/// reading the file, as `rsync` and `aws s3 sync` do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listed {
    pub size: u64,
    /// RFC 3339, to the nanosecond the store gives.
    pub last_modified: String,
    /// The store's ETag (S3, GCS, Azure; a local folder's is made of inode,
    /// modification time and size).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub e_tag: Option<String>,
}

impl Listed {
    /// The listing entry of an object.
    pub fn of(meta: &datafusion::object_store::ObjectMeta) -> Listed {
        Listed {
            size: meta.size,
            last_modified: meta
                .last_modified
                .to_rfc3339_opts(chrono::SecondsFormat::Nanos, true),
            e_tag: meta.e_tag.clone(),
        }
    }
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

/// One committed vacuum: the transforms whose data it deletes. Committed
/// before the first file is deleted, so a reader never picks a transform
/// whose files may be going.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VacuumManifest {
    pub seq: u64,
    pub run_id: String,
    pub committed_at: String,
    /// Sequence numbers of the transforms no longer readable.
    pub transforms: Vec<u64>,
    /// What it deletes: files and bytes.
    pub files: u64,
    pub bytes: u64,
}

impl Manifest for VacuumManifest {
    const DIR: &'static str = VACUUM_MANIFESTS;
    const KIND: &'static str = "vacuum";
    fn seq(&self) -> u64 {
        self.seq
    }
}

/// The transform manifests a reader may use: every committed one that no
/// vacuum dropped, in commit order.
pub async fn readable_transforms(wh: &Location) -> anyhow::Result<Vec<TransformManifest>> {
    let dropped: std::collections::BTreeSet<u64> = read::<VacuumManifest>(wh)
        .await?
        .into_iter()
        .flat_map(|v| v.transforms)
        .collect();
    let mut all = transform_manifests(wh).await?;
    all.retain(|t| !dropped.contains(&t.seq));
    Ok(all)
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

/// The newest drop id any committed pull loaded a file of.
pub fn newest_drop(pulls: &[PullManifest]) -> Option<String> {
    pulls
        .iter()
        .flat_map(|m| &m.files)
        .map(|f| f.drop_id.clone())
        .max()
}

/// What every file already pulled was: its content (source, path,
/// SHA-256) and the listing the latest pull of its path saw.
pub fn pulled_identities(manifests: &[PullManifest]) -> Pulled {
    let mut pulled = Pulled::default();
    for f in manifests.iter().flat_map(|m| &m.files) {
        pulled
            .content
            .insert((f.source.clone(), f.path.clone(), f.sha256.clone()));
        // The latest pull of a path decides; one without a listing leaves
        // the path to be hashed.
        let key = (f.source.clone(), f.path.clone());
        match &f.listed {
            Some(listed) => pulled
                .listed
                .insert(key, (listed.clone(), f.sha256.clone())),
            None => pulled.listed.remove(&key),
        };
    }
    pulled
}

/// What the committed pulls hold, for deciding what a pull skips.
#[derive(Debug, Default)]
pub struct Pulled {
    /// (source, path, SHA-256) of every committed file.
    content: HashSet<(String, String, String)>,
    /// (source, path) → the listing it was pulled under, and its SHA-256.
    listed: HashMap<(String, String), (Listed, String)>,
}

impl Pulled {
    /// The SHA-256 of a file already pulled under the same listing entry:
    /// the file is unchanged, and need not be read.
    pub fn by_listing(&self, source: &str, path: &str, listed: &Listed) -> Option<&str> {
        self.listed
            .get(&(source.to_string(), path.to_string()))
            .filter(|(l, _)| l == listed)
            .map(|(_, sha)| sha.as_str())
    }

    /// True when this content was already pulled from this path.
    pub fn by_content(&self, source: &str, path: &str, sha256: &str) -> bool {
        self.content
            .contains(&(source.to_string(), path.to_string(), sha256.to_string()))
    }
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
