//! The warehouse: its layout, the records and manifests a run leaves in it,
//! and the names of the tables the transform registers. The bottom floor:
//! nothing here imports a stage.
//!
//! ```text
//! raw/<entity>/drop_id=<drop>/<run_id>-<n>.parquet     every version of every loaded row (pull)
//! quarantine/<entity>/drop_id=<drop>/<run_id>-<n>.parquet
//!                                                      every rejected row, with its reason (pull)
//! raw/current/<model>/run_id=<run_id>/                 a current-state model (`cur_*`) built in full or
//!                                                      compacted: it holds raw columns, so it stays in raw/
//! raw/current/<model>/changes/run_id=<run_id>/         a night's changed rows of it: a later part
//! raw/current/<model>/merged/run_id=<run_id>/          its later parts merged into one (minor compaction)
//! models/<layer>/<model>/run_id=<run_id>/              every other SQL model (built in full or compacted)
//! models/<layer>/<model>/{changes,merged}/run_id=<run_id>/
//!                                                      the later parts of another incremental model
//!                                                      (`stg_projects`, `stg_targets`)
//! models/_delta/run_id=<run_id>/<scope>/<model>/       a delta run's rows for the touched cases; scope is
//!                                                      `touched` (the cases), `old` or `new`
//! _tmp/                                                scratch of running pulls; cleared under the lock
//! _lock/run.json                                       the run lock (`lock`)
//! _lock/probe-<run_id>                                 a run's check that create-only puts work (removed)
//! _manifests/pull/<seq>.json                           one per committed pull, seq = 1, 2, …
//! _manifests/transform/<seq>.json                      one per committed transform
//! _manifests/vacuum/<seq>.json                         one per vacuum: the transforms it made unreadable
//! runs/<run_id>.json                                   the run log: one record per run
//! ```
//!
//! Tables the transform registers in its sessions (never files):
//!
//! ```text
//! raw_<entity>, new_<entity>   every committed raw row; the rows pulled since the previous transform
//! seed_<name>                  a code list, as a view over VALUES
//! <model>                      a model's result (a view over its parts when it is in parts)
//! <model>__part<i>             the i-th part of a model in parts, oldest first
//! <model>__previous            `{{ this }}`: an incremental model's previous result
//! <model>__changes             a model's later parts, while they are merged
//! <model>__old, <model>__new   a summed model over the touched cases, before and after tonight
//! delta_touched                the cases a delta run recomputes (column `case_id`)
//! ```
//!
//! Invariant: data files have names no other run can produce (the run id is
//! in the name) and are never overwritten. Nothing is visible until the
//! run's manifest is committed, last, with a create-only put of the next
//! sequence number ([`manifest::commit`]); readers find data through
//! manifests, never by listing data folders. A run killed before its commit
//! leaves only unreferenced files behind.

pub mod manifest;
pub mod records;

use anyhow::Context;
use serde::Serialize;

use crate::storage::Location;
pub use manifest::{
    CommitConflict, ManifestFile, PullManifest, TransformManifest, VacuumManifest, commit,
    newest_drop, pull_manifests, pulled_identities, readable_transforms, transform_manifests,
};
pub use records::RunRecord;

/// Where pull manifests are committed.
pub const PULL_MANIFESTS: &str = "_manifests/pull";
/// Where transform manifests are committed.
pub const TRANSFORM_MANIFESTS: &str = "_manifests/transform";
/// Where vacuum manifests are committed.
pub const VACUUM_MANIFESTS: &str = "_manifests/vacuum";
/// Where the run lock lives.
pub const LOCK_PATH: &str = "_lock/run.json";
/// Where a run checks, before it writes, that the backend honours
/// create-only puts (removed at once).
pub fn probe_path(run_id: &str) -> String {
    format!("_lock/probe-{run_id}")
}

/// Scratch of running pulls.
pub const TMP: &str = "_tmp";
/// The run log's folder.
const RUNS: &str = "runs";

/// Raw-layer file name for the `n`-th file of a run.
pub fn raw_path(entity: &str, drop_id: &str, run_id: &str, n: usize) -> String {
    format!("raw/{entity}/drop_id={drop_id}/{run_id}-{n:05}.parquet")
}

/// Quarantine file name for the `n`-th file of a run.
pub fn quarantine_path(entity: &str, drop_id: &str, run_id: &str, n: usize) -> String {
    format!("quarantine/{entity}/drop_id={drop_id}/{run_id}-{n:05}.parquet")
}

/// Where a model's files live. A current-state model (`current`) holds raw
/// columns (the date of birth among them), so it lives in the raw layer,
/// not among models.
pub fn model_home(layer: &str, model: &str, current: bool) -> String {
    if current {
        format!("raw/current/{model}/")
    } else {
        format!("models/{layer}/{model}/")
    }
}

/// The folder of a model built in full (or compacted) by a run, under its
/// [`model_home`].
pub fn model_folder(home: &str, run_id: &str) -> String {
    format!("{home}run_id={run_id}/")
}

/// Where an incremental model's changed rows of a run go: a later part.
pub fn changes_folder(home: &str, run_id: &str) -> String {
    format!("{home}changes/run_id={run_id}/")
}

/// Where an incremental model's later parts go when merged into one.
pub fn merged_folder(home: &str, run_id: &str) -> String {
    format!("{home}merged/run_id={run_id}/")
}

/// Where a delta run writes what it computes for the touched cases: files
/// of this run only, referenced by no manifest but this run's records.
pub fn delta_folder(run_id: &str, scope: &str, name: &str) -> String {
    format!("models/_delta/run_id={run_id}/{scope}/{name}/")
}

/// The table of a source: `raw_<entity>` or `new_<entity>`.
pub fn source_table(prefix: &str, entity: &str) -> String {
    format!("{prefix}_{entity}")
}

/// The table of a code list.
pub fn seed_table(seed: &str) -> String {
    format!("seed_{seed}")
}

/// The table `{{ this }}` stands for in an incremental model: its previous
/// committed result.
pub fn previous_table(model: &str) -> String {
    format!("{model}__previous")
}

/// The `i`-th part of a model in parts.
pub fn part_table(model: &str, i: usize) -> String {
    format!("{model}__part{i}")
}

/// A model's later parts, while a minor compaction merges them.
pub fn changes_table(model: &str) -> String {
    format!("{model}__changes")
}

/// A summed model over the touched cases in a delta run's scope (`old`
/// before tonight, `new` after).
pub fn scope_table(model: &str, scope: &str) -> String {
    format!("{model}__{scope}")
}

/// The cases a delta run recomputes.
pub const TOUCHED_TABLE: &str = "delta_touched";

/// Every readable record of the run log, oldest first (run ids start with
/// their UTC start time). An unreadable record is skipped with a warning: the
/// log informs reports, it does not gate them.
pub async fn read_runs(wh: &Location) -> anyhow::Result<Vec<RunRecord>> {
    read_recent_runs(wh, |_| false).await
}

/// The newest records of the run log, read newest first until `enough`
/// holds for those read so far; returned oldest first. A night's report
/// needs the runs since the last report, not every night of the log (each
/// record lists every file the pull skipped, so after a year the whole
/// log is hundreds of MB).
pub async fn read_recent_runs(
    wh: &Location,
    enough: impl Fn(&[RunRecord]) -> bool,
) -> anyhow::Result<Vec<RunRecord>> {
    let mut names: Vec<String> = wh
        .list(RUNS)
        .await?
        .iter()
        .map(|meta| wh.relative(&meta.location))
        .filter(|rel| rel.ends_with(".json"))
        .collect();
    // Run ids begin with their start time: the names sort oldest first.
    names.sort();
    let mut out: Vec<RunRecord> = Vec::new();
    for rel in names.iter().rev() {
        if enough(&out) {
            break;
        }
        let bytes = wh.get_bytes(rel).await?;
        match serde_json::from_slice(&bytes) {
            Ok(r) => out.push(r),
            Err(e) => tracing::warn!("skipping unreadable run record {rel}: {e}"),
        }
    }
    out.reverse();
    Ok(out)
}

/// Writes a run's record to the run log.
pub async fn log_run(wh: &Location, run_id: &str, record: &impl Serialize) -> anyhow::Result<()> {
    wh.put_bytes(
        &format!("{RUNS}/{run_id}.json"),
        serde_json::to_vec_pretty(record)?,
    )
    .await
}

/// Removes everything under `_tmp/`: scratch files of runs that were killed.
/// Call only with the run lock held.
pub async fn clear_tmp(wh: &Location) -> anyhow::Result<()> {
    if let Some(root) = &wh.local_root {
        let dir = root.join(TMP);
        if dir.exists() {
            std::fs::remove_dir_all(&dir)
                .with_context(|| format!("cannot remove {}", dir.display()))?;
        }
        return Ok(());
    }
    for meta in wh.list(TMP).await? {
        wh.delete(&wh.relative(&meta.location)).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn recent_runs_are_read_newest_first_until_enough() {
        let dir = tempfile::tempdir().unwrap();
        let wh = Location::open(dir.path().to_str().unwrap(), dir.path(), true).unwrap();
        for id in [
            "20260101T000000000Z-1",
            "20260102T000000000Z-2",
            "20260103T000000000Z-3",
        ] {
            let record = RunRecord::start(id, "run", "2026-01-01".into(), String::new());
            log_run(&wh, id, &record).await.unwrap();
        }
        wh.put_bytes(&format!("{RUNS}/notes.txt"), b"not a record".to_vec())
            .await
            .unwrap();
        let ids = |runs: &[RunRecord]| runs.iter().map(|r| r.run_id.clone()).collect::<Vec<_>>();
        // Two wanted: the oldest is never read, and the two come oldest first.
        let two = read_recent_runs(&wh, |read| read.len() == 2).await.unwrap();
        assert_eq!(
            ids(&two),
            ["20260102T000000000Z-2", "20260103T000000000Z-3"]
        );
        // Never enough: every record (`read_runs`), oldest first.
        let all = read_runs(&wh).await.unwrap();
        assert_eq!(ids(&all)[0], "20260101T000000000Z-1");
        assert_eq!(all.len(), 3);
    }
}
