//! `homeward vacuum`: deletes the data files no retained manifest refers
//! to, so that the warehouse stops growing with every full transform.
//!
//! Kept: every file a pull manifest refers to (every raw version and every
//! quarantined row, for audit), the folders of every model of the retained
//! transforms (the newest `keep_transforms`, and those of the last
//! `keep_days` days; an incremental model's older parts are referred to by
//! the newest transform and stay), and every manifest and run record.
//! Deleted: the model folders of the other transforms, a delta run's scratch
//! folders, and files a killed run left behind.
//!
//! Order, for a kill at any point: under the run lock, the vacuum manifest
//! naming the transforms that become unreadable is committed first; readers
//! (`readable_transforms`) stop using them; only then are files deleted.
//! Killed before the commit, nothing changed; after it, the files left are
//! referred to by nothing readable, and the next vacuum deletes them.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::config::Settings;
use crate::storage::Location;
use crate::warehouse::{self, VacuumManifest};

/// Data folders a vacuum looks in; everything else (`_manifests`, `runs`,
/// `_lock`) is never deleted.
const DATA: [&str; 3] = ["models", "raw", "quarantine"];

/// What a vacuum deletes and keeps.
#[derive(Debug, Serialize)]
pub struct VacuumPlan {
    /// Transforms kept readable, and those it makes unreadable.
    pub kept: Vec<u64>,
    pub dropped: Vec<u64>,
    /// Folders (the parent of each file) with their files and bytes.
    pub folders: Vec<Folder>,
    pub files: u64,
    pub bytes: u64,
    /// Bytes of data files that stay.
    pub kept_bytes: u64,
}

/// A folder of files to delete.
#[derive(Debug, Serialize)]
pub struct Folder {
    pub path: String,
    pub files: u64,
    pub bytes: u64,
}

/// Decides what to delete, from the manifests and a listing.
pub async fn plan(
    wh: &Location,
    settings: &Settings,
    now: DateTime<Utc>,
) -> anyhow::Result<(VacuumPlan, Vec<String>)> {
    let pulls = warehouse::pull_manifests(wh).await?;
    let live = warehouse::readable_transforms(wh).await?;
    let cfg = &settings.vacuum;
    let cutoff = now - chrono::Duration::days(i64::from(cfg.keep_days));
    let newest: BTreeSet<u64> = live
        .iter()
        .rev()
        .take(cfg.keep_transforms)
        .map(|t| t.seq)
        .collect();
    let recent = |t: &warehouse::TransformManifest| {
        DateTime::parse_from_rfc3339(&t.committed_at).is_ok_and(|c| c >= cutoff)
    };
    let (kept, dropped): (Vec<_>, Vec<_>) = live
        .iter()
        .partition(|t| newest.contains(&t.seq) || recent(t));
    let mut files: BTreeSet<&str> = BTreeSet::new();
    for f in pulls.iter().flat_map(|m| &m.files) {
        files.extend(f.raw_file.as_deref());
        files.extend(f.quarantine_file.as_deref());
    }
    let mut folders: Vec<String> = Vec::new();
    for m in kept.iter().flat_map(|t| &t.models) {
        folders.push(m.path.clone());
        folders.extend(m.parts.iter().map(|p| p.path.clone()));
    }
    let folders: Vec<String> = folders
        .into_iter()
        .map(|f| f.trim_end_matches('/').to_string())
        .filter(|f| !f.is_empty())
        .map(|f| format!("{f}/"))
        .collect();
    let mut doomed = Vec::new();
    let mut by_folder: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let (mut bytes, mut kept_bytes) = (0u64, 0u64);
    for top in DATA {
        for meta in wh.list(top).await? {
            let rel = wh.relative(&meta.location);
            let referenced =
                files.contains(rel.as_str()) || folders.iter().any(|f| rel.starts_with(f));
            if referenced {
                kept_bytes += meta.size;
                continue;
            }
            let folder = rel.rsplit_once('/').map_or("", |(d, _)| d).to_string();
            let e = by_folder.entry(folder).or_default();
            e.0 += 1;
            e.1 += meta.size;
            bytes += meta.size;
            doomed.push(rel);
        }
    }
    Ok((
        VacuumPlan {
            kept: kept.iter().map(|t| t.seq).collect(),
            dropped: dropped.iter().map(|t| t.seq).collect(),
            folders: by_folder
                .into_iter()
                .map(|(path, (files, bytes))| Folder { path, files, bytes })
                .collect(),
            files: doomed.len() as u64,
            bytes,
            kept_bytes,
        },
        doomed,
    ))
}

/// Vacuums the warehouse (or, with `dry_run`, only says what would go),
/// holding the run lock.
pub async fn vacuum(settings: &Settings, dry_run: bool) -> anyhow::Result<VacuumPlan> {
    let wh = Location::open(&settings.warehouse, &settings.base_dir, false)?;
    let run_id = crate::new_run_id();
    if dry_run {
        return Ok(plan(&wh, settings, Utc::now()).await?.0);
    }
    wh.check_create_only(&warehouse::probe_path(&run_id))
        .await?;
    let lock = crate::lock::acquire(&wh, &run_id, "vacuum", &settings.run).await?;
    let result = vacuum_locked(&wh, settings, &run_id).await;
    lock.release().await?;
    result
}

async fn vacuum_locked(
    wh: &Location,
    settings: &Settings,
    run_id: &str,
) -> anyhow::Result<VacuumPlan> {
    if let Err(e) = warehouse::clear_tmp(wh).await {
        tracing::warn!("cannot clear {}/_tmp: {}", wh.url, crate::error_text(&e));
    }
    let (plan, doomed) = plan(wh, settings, Utc::now()).await?;
    if doomed.is_empty() {
        return Ok(plan);
    }
    if !plan.dropped.is_empty() {
        let seq = warehouse::manifest::read::<VacuumManifest>(wh)
            .await?
            .last()
            .map_or(1, |v| v.seq + 1);
        let manifest = VacuumManifest {
            seq,
            run_id: run_id.to_string(),
            committed_at: Utc::now().to_rfc3339(),
            transforms: plan.dropped.clone(),
            files: plan.files,
            bytes: plan.bytes,
        };
        warehouse::commit(wh, &manifest).await?;
    }
    for (i, rel) in doomed.iter().enumerate() {
        crate::stop::check("vacuum")?;
        wh.delete(rel).await?;
        if (i + 1) % 1000 == 0 {
            tracing::info!(deleted = i + 1, of = doomed.len(), "vacuum");
        }
    }
    tracing::info!(
        files = plan.files,
        mib = plan.bytes as f64 / f64::from(1 << 20),
        transforms = plan.dropped.len(),
        "vacuumed"
    );
    Ok(plan)
}

impl VacuumPlan {
    /// For a person: what goes, folder by folder, and the totals.
    pub fn text(&self, dry_run: bool) -> String {
        let mib = |b: u64| b as f64 / f64::from(1 << 20);
        let mut out = String::new();
        for f in &self.folders {
            out.push_str(&format!(
                "  {:>9.2} MiB  {:>5} file(s)  {}\n",
                mib(f.bytes),
                f.files,
                f.path
            ));
        }
        out.push_str(&format!(
            "{} {} file(s), {:.2} MiB; {} transform(s) made unreadable ({:?}), {} kept ({:?}); {:.2} MiB of data stays\n",
            if dry_run { "would delete" } else { "deleted" },
            self.files,
            mib(self.bytes),
            self.dropped.len(),
            self.dropped,
            self.kept.len(),
            self.kept,
            mib(self.kept_bytes)
        ));
        out
    }
}
