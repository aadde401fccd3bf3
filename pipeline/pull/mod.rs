//! Pull: discover drops in each source, read every new file, apply the data
//! contract, and write typed Parquet to the raw layer and rejected rows to
//! the quarantine, then commit one manifest.
//!
//! Invariants: for every file, `rows_read = rows_loaded + rows_quarantined`;
//! a file already pulled with the same content is skipped; nothing of a run
//! is visible before its manifest is committed (see [`crate::warehouse`]).
//!
//! What a night costs: a file whose listing (path, size, last-modified,
//! ETag) is the one it was pulled under is skipped without being read, so
//! a pull reads and hashes only the files that are new or whose listing
//! changed. Files are loaded several at once (one per core), in any order;
//! the manifest lists them in drop order.

pub mod contract;
pub mod read;
pub mod sink;
pub mod values;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

use anyhow::Context;
use chrono::{DateTime, NaiveDate, Utc};
use datafusion::object_store::path::Path as ObjPath;
use futures::{StreamExt, TryStreamExt};

use crate::config::{Settings, SourceConfig};
use crate::privacy::Pseudonymiser;
use crate::storage::{Location, sha256_file};
use crate::warehouse::manifest::{Listed, Pulled};
use crate::warehouse::records::{FileRecord, FileStatus};
use crate::warehouse::{self, ManifestFile, PullManifest};
use contract::{Entity, EntitySpec};
use read::{Format, Row, StopError};
use sink::{Lineage, QuarantineSink, RawSink, Rejected};
use values::{Cell, normalise_header};

/// What a pull did.
#[derive(Debug, Default)]
pub struct PullOutcome {
    pub files: Vec<FileRecord>,
    pub warnings: Vec<String>,
    /// Sequence number of the committed manifest, when anything was pulled.
    pub committed: Option<u64>,
}

/// True when a folder name starts with a real calendar date `YYYY-MM-DD`.
pub fn is_drop_id(name: &str) -> bool {
    let b = name.as_bytes();
    b.len() >= 10
        && b[..10].iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
        && NaiveDate::parse_from_str(&name[..10], "%Y-%m-%d").is_ok()
}

/// A file found in a drop.
#[derive(Debug, Clone)]
struct Candidate {
    source: usize,
    rel: String,
    drop_id: String,
    entity: Entity,
    format: Format,
    object: ObjPath,
    /// The listing entry: size, last-modified, ETag.
    listed: Listed,
    /// Set when another file of the same entity in the drop comes first.
    duplicate_of: Option<String>,
}

/// Lists a source's drops: candidates in drop order, and warnings for what
/// is ignored.
async fn discover(
    source_idx: usize,
    src: &Location,
    warnings: &mut Vec<String>,
) -> anyhow::Result<Vec<Candidate>> {
    let mut found: Vec<Candidate> = Vec::new();
    let mut ignored_folders = std::collections::BTreeSet::new();
    let mut metas = src.list("").await?;
    metas.sort_by(|a, b| a.location.as_ref().cmp(b.location.as_ref()));
    for meta in metas {
        let rel = src.relative(&meta.location);
        let parts: Vec<&str> = rel.split('/').collect();
        match parts.as_slice() {
            [file] => warnings.push(format!("{}: ignored: a file directly under the source, not in a drop folder", file)),
            [drop, ..] if !is_drop_id(drop) => {
                if ignored_folders.insert(drop.to_string()) {
                    warnings.push(format!("{drop}/: ignored: folder name does not start with a date YYYY-MM-DD"));
                }
            }
            [drop, name] => match Format::split_name(name).and_then(|(stem, f)| Entity::from_stem(stem).map(|e| (e, f))) {
                Some((entity, format)) => found.push(Candidate {
                    source: source_idx,
                    rel: rel.clone(),
                    drop_id: drop.to_string(),
                    entity,
                    format,
                    object: meta.location.clone(),
                    listed: Listed::of(&meta),
                    duplicate_of: None,
                }),
                None => warnings.push(format!("{rel}: ignored: unknown file name (expected <entity>.csv, .csv.gz, .jsonl or .xlsx)")),
            },
            _ => warnings.push(format!("{rel}: ignored: nested below a drop folder")),
        }
    }
    // Drops in byte order of their whole name; within a drop, by file name.
    found.sort_by(|a, b| {
        a.drop_id
            .as_bytes()
            .cmp(b.drop_id.as_bytes())
            .then(a.rel.cmp(&b.rel))
    });
    let mut first: HashMap<(String, Entity), String> = HashMap::new();
    for c in &mut found {
        match first.get(&(c.drop_id.clone(), c.entity)) {
            Some(primary) => c.duplicate_of = Some(primary.clone()),
            None => {
                first.insert((c.drop_id.clone(), c.entity), c.rel.clone());
            }
        }
    }
    Ok(found)
}

/// Everything needed to load one file, owned so it can move to a blocking thread.
struct FileJob {
    path: PathBuf,
    display: String,
    format: Format,
    entity: Entity,
    /// The entity's columns with the project's code lists.
    spec: &'static EntitySpec,
    reject: Option<(&'static str, String)>,
    aliases: HashMap<String, String>,
    delimiter: Option<u8>,
    pseudonyms: Pseudonymiser,
    lineage: Lineage,
    source_url: String,
    raw_tmp: PathBuf,
    quarantine_tmp: PathBuf,
}

/// One row this pull rejected, as `quarantine.csv` gives it to the people
/// who fix exports: where it is, which rule it broke, and the value, unless
/// the column is personal. Ids are pseudonymised.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RejectedRow {
    pub drop: String,
    pub file: String,
    pub line: Option<u64>,
    /// The contract's name of the column.
    pub column: String,
    /// Its position in the file's header, from 1 (none when the file has no
    /// such column).
    pub column_number: Option<usize>,
    pub reason: String,
    pub value: String,
    /// For a file rejected as a whole: why.
    pub message: String,
}

/// The counts of one loaded file.
#[derive(Debug, Default)]
struct FileResult {
    rows_read: u64,
    rows_loaded: u64,
    rows_quarantined: u64,
    reasons: BTreeMap<String, u64>,
    ignored_columns: Vec<String>,
    rejected: bool,
    error: Option<String>,
    encoding: Option<String>,
}

/// The visitor that applies the contract to each row.
struct Loader<'a> {
    spec: &'static EntitySpec,
    job: &'a FileJob,
    mapping: Vec<Option<usize>>,
    present: Vec<bool>,
    reject: Option<(&'static str, String)>,
    raw: RawSink,
    quarantine: QuarantineSink,
    result: FileResult,
}

impl Loader<'_> {
    fn values_json(&self, cells: &[Cell]) -> String {
        let mut obj = serde_json::Map::new();
        for (i, col) in self.spec.columns.iter().enumerate() {
            if !self.present[i] {
                continue;
            }
            let text = match col.kind {
                contract::Kind::Personal => continue,
                contract::Kind::Pseudonym => cells[i]
                    .as_string()
                    .map(|s| self.job.pseudonyms.pseudonym(&s))
                    .unwrap_or_default(),
                _ => cells[i].original(),
            };
            obj.insert(col.name.clone(), serde_json::Value::String(text));
        }
        serde_json::Value::Object(obj).to_string()
    }

    fn quarantine(
        &mut self,
        line: u64,
        cells: &[Cell],
        reason: &'static str,
        column: Option<usize>,
    ) -> anyhow::Result<()> {
        let values_json = self.values_json(cells);
        let col = column.map(|i| &self.spec.columns[i]);
        self.quarantine.push(Rejected {
            line: Some(line),
            column: col.map(|c| c.name.clone()),
            column_number: column
                .and_then(|i| self.mapping.iter().position(|m| *m == Some(i)))
                .map(|p| p as u64 + 1),
            reason,
            // A file rejected as a whole: why, on each of its rows.
            message: self.reject.as_ref().map(|(_, m)| m.clone()),
            values_json,
        })?;
        self.result.rows_quarantined += 1;
        *self.result.reasons.entry(reason.to_string()).or_default() += 1;
        Ok(())
    }
}

impl read::Visitor for Loader<'_> {
    fn header(&mut self, names: &[String]) -> anyhow::Result<()> {
        self.present = vec![false; self.spec.columns.len()];
        self.mapping = Vec::with_capacity(names.len());
        for name in names {
            let norm = normalise_header(name);
            let canonical = self.job.aliases.get(&norm).cloned().unwrap_or(norm);
            match self.spec.index(&canonical) {
                Some(i) if !self.present[i] => {
                    self.present[i] = true;
                    self.mapping.push(Some(i));
                }
                _ => {
                    self.mapping.push(None);
                    if !name.is_empty() {
                        self.result.ignored_columns.push(name.clone());
                    }
                }
            }
        }
        let missing: Vec<&str> = self
            .spec
            .required_columns()
            .filter(|c| !self.present[self.spec.index(&c.name).unwrap_or(0)])
            .map(|c| c.name.as_str())
            .collect();
        if !missing.is_empty() && self.reject.is_none() {
            self.reject = Some((
                "missing_column",
                format!("missing required column(s): {}", missing.join(", ")),
            ));
        }
        Ok(())
    }

    fn row(&mut self, row: Row) -> anyhow::Result<()> {
        self.result.rows_read += 1;
        let mut cells = vec![Cell::Null; self.spec.columns.len()];
        for (cell, target) in row.cells.into_iter().zip(&self.mapping) {
            if let Some(i) = target {
                cells[*i] = cell;
            }
        }
        if let Some((reason, _)) = self.reject {
            return self.quarantine(row.line, &cells, reason, None);
        }
        match contract::validate(self.spec, &cells, &self.job.pseudonyms) {
            Ok(vals) => {
                self.raw.push(vals, row.line)?;
                self.result.rows_loaded += 1;
                Ok(())
            }
            Err(broken) => self.quarantine(row.line, &cells, broken.reason, Some(broken.column)),
        }
    }
}

/// Loads one file: a first attempt applies the contract; when the file turns
/// out to be unreadable part-way, a second pass quarantines all its rows.
fn load_file(job: &FileJob) -> anyhow::Result<FileResult> {
    let probe = read::probe(&job.path, job.format);
    let (probe, mut reject, readable) = match probe {
        Ok(p) => (p, job.reject.clone(), true),
        Err(e) => {
            let binary = e.message.contains("binary");
            let p = read::Probe {
                encoding: read::Encoding::Utf8,
                json_keys: vec![],
            };
            (p, Some(("unreadable_file", e.to_string())), !binary)
        }
    };
    loop {
        let mut loader = Loader {
            spec: job.spec,
            job,
            mapping: vec![],
            present: vec![false; job.spec.columns.len()],
            reject: reject.clone(),
            raw: RawSink::create(&job.raw_tmp, job.spec.schema.clone(), job.lineage.clone())?,
            quarantine: QuarantineSink::create(
                &job.quarantine_tmp,
                &job.source_url,
                job.entity.name(),
                job.lineage.clone(),
            )?,
            result: FileResult {
                encoding: Some(format!("{:?}", probe.encoding).to_lowercase()),
                ..Default::default()
            },
        };
        let outcome = if readable {
            read::read(
                &job.path,
                job.format,
                &probe,
                job.delimiter,
                reject.is_some(),
                &mut loader,
            )
        } else {
            Ok(())
        };
        match outcome {
            Err(StopError::Visitor(e)) => return Err(e),
            Err(StopError::Read(e)) if reject.is_none() => {
                // Start again, rejecting the whole file.
                reject = Some(("unreadable_file", e.to_string()));
                continue;
            }
            // In the rejecting pass, a read error only ends the count of rows:
            // the reason was already found, with its place.
            Ok(()) | Err(StopError::Read(_)) => {
                let Loader {
                    raw,
                    quarantine,
                    mut result,
                    reject: final_reject,
                    ..
                } = loader;
                raw.finish()?;
                quarantine.finish()?;
                if let Some((reason, message)) = final_reject {
                    result.rejected = true;
                    result.error = Some(message);
                    result.reasons.entry(reason.to_string()).or_insert(0);
                    debug_assert_eq!(result.rows_loaded, 0);
                }
                return Ok(result);
            }
        }
    }
}

/// What every file of a pull shares.
struct PullCtx<'a> {
    settings: &'a Settings,
    wh: &'a Location,
    run_id: &'a str,
    pulled_at: DateTime<Utc>,
    sources: &'a [(SourceConfig, Location)],
    pulled: &'a Pulled,
    tmp: &'a std::path::Path,
    progress: &'a indicatif::ProgressBar,
    /// False in `homeward plan`: read and check, publish nothing.
    publish: bool,
}

/// Pulls one file: identify, skip or load, publish its data files.
async fn pull_one(
    ctx: &PullCtx<'_>,
    n: usize,
    cand: &Candidate,
) -> anyhow::Result<(FileRecord, Option<ManifestFile>)> {
    let (source_cfg, src) = &ctx.sources[cand.source];
    let record_of = |sha256: String, size: u64| FileRecord {
        source: src.url.clone(),
        path: cand.rel.clone(),
        drop: cand.drop_id.clone(),
        entity: cand.entity.name().to_string(),
        format: cand.format.name().to_string(),
        size,
        sha256,
        ..Default::default()
    };
    let skipped = |sha: String, size: u64| {
        ctx.progress.inc(1);
        FileRecord {
            status: FileStatus::Skipped,
            ..record_of(sha, size)
        }
    };
    // Unchanged since it was pulled, by what the listing says: not read.
    if let Some(sha) = ctx.pulled.by_listing(&src.url, &cand.rel, &cand.listed) {
        return Ok((skipped(sha.to_string(), cand.listed.size), None));
    }
    let (local, sha, size) = match src.local_path(&cand.object) {
        Some(p) => {
            let p2 = p.clone();
            let (sha, size) = tokio::task::spawn_blocking(move || sha256_file(&p2))
                .await?
                .with_context(|| format!("cannot read {}", p.display()))?;
            (p, sha, size)
        }
        None => {
            let dest = ctx.tmp.join(format!("source-{n}"));
            let (sha, size) = src.download(&cand.object, &dest).await?;
            (dest, sha, size)
        }
    };
    // The listing changed (touched, copied, or pulled by an older version)
    // but the content did not.
    if ctx.pulled.by_content(&src.url, &cand.rel, &sha) {
        return Ok((skipped(sha, size), None));
    }
    let mut record = record_of(sha.clone(), size);
    let job = std::sync::Arc::new(FileJob {
        path: local,
        display: cand.rel.clone(),
        format: cand.format,
        entity: cand.entity,
        reject: cand.duplicate_of.as_ref().map(|p| {
            (
                "duplicate_entity_file",
                format!("the drop already has a {} file: {p}", cand.entity.name()),
            )
        }),
        aliases: source_cfg
            .aliases
            .iter()
            .map(|(k, v)| (normalise_header(k), normalise_header(v)))
            .collect(),
        delimiter: source_cfg.delimiter.as_ref().and_then(|d| d.bytes().next()),
        spec: ctx.settings.codes.spec(cand.entity),
        pseudonyms: ctx.settings.pseudonyms.clone(),
        lineage: Lineage {
            drop_id: cand.drop_id.clone(),
            file: cand.rel.clone(),
            run_id: ctx.run_id.to_string(),
            pulled_at: ctx.pulled_at,
        },
        source_url: src.url.clone(),
        // Not `.parquet` while being written: no file with a Parquet name in
        // the warehouse is ever partial, even in a killed run's scratch.
        raw_tmp: ctx.tmp.join(format!("raw-{n}.parquet.partial")),
        quarantine_tmp: ctx.tmp.join(format!("quarantine-{n}.parquet.partial")),
    });
    let job2 = job.clone();
    let result = tokio::task::spawn_blocking(move || load_file(&job2))
        .await?
        .with_context(|| format!("{}: cannot load", job.display))?;
    debug_assert_eq!(
        result.rows_read,
        result.rows_loaded + result.rows_quarantined
    );
    let raw_file = if result.rows_loaded > 0 && ctx.publish {
        let rel = warehouse::raw_path(cand.entity.name(), &cand.drop_id, ctx.run_id, n);
        ctx.wh.upload_file(&job.raw_tmp, &rel).await?;
        Some(rel)
    } else {
        None
    };
    let quarantine_file = if result.rows_quarantined > 0 && ctx.publish {
        let rel = warehouse::quarantine_path(cand.entity.name(), &cand.drop_id, ctx.run_id, n);
        ctx.wh.upload_file(&job.quarantine_tmp, &rel).await?;
        Some(rel)
    } else {
        None
    };
    record.status = if result.rejected {
        FileStatus::Rejected
    } else {
        FileStatus::Pulled
    };
    record.encoding = result.encoding;
    record.rows_read = result.rows_read;
    record.rows_loaded = result.rows_loaded;
    record.rows_quarantined = result.rows_quarantined;
    record.reasons = result.reasons;
    record.error = result.error.map(|e| format!("{}: {e}", cand.rel));
    record.ignored_columns = result.ignored_columns;
    match &record.error {
        Some(err) => {
            tracing::warn!(file = %cand.rel, rows = record.rows_read, "rejected as a whole: {err}")
        }
        None => tracing::info!(
            file = %cand.rel,
            read = record.rows_read,
            loaded = record.rows_loaded,
            quarantined = record.rows_quarantined,
            "pulled"
        ),
    }
    let entry = ManifestFile {
        source: record.source.clone(),
        path: record.path.clone(),
        drop_id: record.drop.clone(),
        entity: record.entity.clone(),
        sha256: record.sha256.clone(),
        size: record.size,
        status: record.status,
        rows_read: record.rows_read,
        rows_loaded: record.rows_loaded,
        rows_quarantined: record.rows_quarantined,
        reasons: record.reasons.clone(),
        raw_file,
        quarantine_file,
        // The listing is trusted only when it describes what was read.
        listed: (cand.listed.size == size).then(|| cand.listed.clone()),
    };
    ctx.progress.inc(1);
    Ok((record, Some(entry)))
}

/// The rows the newest committed pull quarantined, for `quarantine.csv`:
/// read back from the quarantine layer, so a rerun of a night that pulls
/// nothing new (after a crash, say) gives the same list. The value of a
/// personal column (date of birth) is left out; ids in the quarantine are
/// pseudonyms already, names were never kept.
pub async fn rejected_rows(
    wh: &Location,
    codes: &'static crate::codes::Codes,
    memory_limit: usize,
) -> anyhow::Result<Vec<RejectedRow>> {
    use datafusion::arrow::array::{Array, AsArray};
    use datafusion::arrow::datatypes::Int64Type;
    let pulls = warehouse::pull_manifests(wh).await?;
    let Some(last) = pulls.last() else {
        return Ok(vec![]);
    };
    let ctx = crate::context::session(memory_limit)?;
    wh.register(&ctx)?;
    let mut out = Vec::new();
    for f in &last.files {
        let Some(q) = &f.quarantine_file else {
            continue;
        };
        let spec = Entity::from_stem(&f.entity).map(|e| codes.spec(e));
        // Declared, so that files written before a column existed read as
        // null there.
        let options =
            datafusion::prelude::ParquetReadOptions::default().schema(&sink::QUARANTINE_SCHEMA);
        let batches = ctx
            .read_parquet(wh.table_url(q), options)
            .await?
            .collect()
            .await
            .with_context(|| format!("cannot read {}/{q}", wh.url))?;
        for b in batches {
            let text = |name: &str| b.column_by_name(name).map(|c| c.as_string::<i32>().clone());
            let int = |name: &str| {
                b.column_by_name(name)
                    .map(|c| c.as_primitive::<Int64Type>().clone())
            };
            let (Some(line), Some(column), Some(number), Some(reason), Some(message), Some(values)) = (
                int("line"),
                text("column"),
                int("column_number"),
                text("reason"),
                text("message"),
                text("values_json"),
            ) else {
                anyhow::bail!("{}/{q}: not a quarantine file", wh.url);
            };
            for i in 0..b.num_rows() {
                let col = (!column.is_null(i)).then(|| column.value(i).to_string());
                let personal = col.as_deref().is_some_and(|c| {
                    spec.and_then(|s| s.index(c))
                        .is_some_and(|k| spec.is_some_and(|s| s.columns[k].personal))
                });
                let value = match &col {
                    Some(c) if !personal => {
                        serde_json::from_str::<serde_json::Value>(values.value(i))
                            .ok()
                            .and_then(|v| v.get(c).and_then(|x| x.as_str().map(str::to_string)))
                            .unwrap_or_default()
                    }
                    _ => String::new(),
                };
                out.push(RejectedRow {
                    drop: f.drop_id.clone(),
                    file: f.path.clone(),
                    line: (!line.is_null(i)).then(|| line.value(i) as u64),
                    column: col.unwrap_or_default(),
                    column_number: (!number.is_null(i)).then(|| number.value(i) as usize),
                    reason: reason.value(i).to_string(),
                    value,
                    message: if message.is_null(i) {
                        String::new()
                    } else {
                        message.value(i).to_string()
                    },
                });
            }
        }
    }
    out.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    Ok(out)
}

/// One file in `homeward plan`: whether tonight's pull would read it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PlannedFile {
    pub source: String,
    pub path: String,
    pub drop: String,
    pub entity: String,
    /// `pull` or `skip`.
    pub action: &'static str,
    pub reason: String,
}

/// What a pull now would read and skip, and the entities it would add rows
/// of: the pull itself, run with nothing published or committed (files are
/// read and checked into a temporary folder), so the answer is the one the
/// pull then gives. It costs what reading tonight's new files costs.
pub async fn plan(
    settings: &Settings,
    wh: &Location,
) -> anyhow::Result<(Vec<PlannedFile>, BTreeSet<Entity>, Vec<String>)> {
    let bar = indicatif::ProgressBar::hidden();
    let out = pull_into(settings, wh, "plan", Utc::now(), &bar, false).await?;
    let mut pending = BTreeSet::new();
    let files = out
        .files
        .iter()
        .map(|f| {
            let reason = match f.status {
                FileStatus::Skipped => "pulled before with the same content".to_string(),
                FileStatus::Rejected => {
                    let error = f.error.as_deref().unwrap_or("unreadable");
                    // The error starts with the file's path, already said.
                    let error = error
                        .strip_prefix(&format!("{}: ", f.path))
                        .unwrap_or(error);
                    format!("rejected as a whole: {error}")
                }
                FileStatus::Pulled => format!(
                    "new: {} row(s) load, {} quarantined",
                    f.rows_loaded, f.rows_quarantined
                ),
            };
            if f.rows_loaded > 0
                && let Some(e) = Entity::from_stem(&f.entity)
            {
                pending.insert(e);
            }
            PlannedFile {
                source: f.source.clone(),
                path: f.path.clone(),
                drop: f.drop.clone(),
                entity: f.entity.clone(),
                action: if f.status == FileStatus::Skipped {
                    "skip"
                } else {
                    "pull"
                },
                reason,
            }
        })
        .collect();
    Ok((files, pending, out.warnings))
}

/// Pulls every new file of every source into the warehouse.
pub async fn pull(
    settings: &Settings,
    wh: &Location,
    run_id: &str,
    pulled_at: DateTime<Utc>,
    progress: &indicatif::ProgressBar,
) -> anyhow::Result<PullOutcome> {
    pull_into(settings, wh, run_id, pulled_at, progress, true).await
}

/// [`pull`], or with `publish` false its dry run: files are read and checked
/// the same way, and nothing reaches the warehouse.
async fn pull_into(
    settings: &Settings,
    wh: &Location,
    run_id: &str,
    pulled_at: DateTime<Utc>,
    progress: &indicatif::ProgressBar,
    publish: bool,
) -> anyhow::Result<PullOutcome> {
    let mut out = PullOutcome::default();
    let sources: Vec<(SourceConfig, Location)> = settings
        .sources
        .iter()
        .map(|s| Location::open(&s.url, &settings.base_dir, false).map(|l| (s.clone(), l)))
        .collect::<anyhow::Result<_>>()?;
    if sources.is_empty() {
        anyhow::bail!(
            "no source configured: add a [[sources]] table to the configuration, or pass --source"
        );
    }
    let manifests = warehouse::pull_manifests(wh).await?;
    let pulled = warehouse::pulled_identities(&manifests);
    let next_seq = manifests.last().map_or(1, |m| m.seq + 1);

    let mut candidates = Vec::new();
    for (i, (_, loc)) in sources.iter().enumerate() {
        candidates.extend(discover(i, loc, &mut out.warnings).await?);
    }
    progress.set_length(candidates.len() as u64);

    // Temporary files live beside the warehouse when it is local, so that
    // publishing a file is a rename.
    let tmp_root = match &wh.local_root {
        Some(root) if publish => {
            let dir = root.join(warehouse::TMP);
            std::fs::create_dir_all(&dir)?;
            tempfile::Builder::new()
                .prefix(&format!("{run_id}-"))
                .tempdir_in(dir)?
        }
        _ => tempfile::Builder::new().prefix("homeward-").tempdir()?,
    };
    let ctx = PullCtx {
        settings,
        wh,
        run_id,
        pulled_at,
        sources: &sources,
        pulled: &pulled,
        tmp: tmp_root.path(),
        progress,
        publish,
    };
    // Files are loaded concurrently, one per core, and finish in any order
    // (an ordered stream would hold a free core behind a large file); the
    // results are put back in drop order.
    let parallel = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut results: Vec<(usize, (FileRecord, Option<ManifestFile>))> =
        futures::stream::iter(candidates.iter().enumerate().map(|(n, cand)| {
            let ctx = &ctx;
            async move { pull_one(ctx, n, cand).await.map(|r| (n, r)) }
        }))
        .buffer_unordered(parallel)
        .try_collect()
        .await?;
    results.sort_by_key(|(n, _)| *n);
    let mut manifest_files = Vec::new();
    let mut skipped = 0u64;
    for (_, (record, entry)) in results {
        skipped += u64::from(record.status == FileStatus::Skipped);
        if !record.ignored_columns.is_empty() {
            out.warnings.push(format!(
                "{}: ignored columns: {}",
                record.path,
                record.ignored_columns.join(", ")
            ));
        }
        if record.status == FileStatus::Pulled && record.rows_read == 0 {
            out.warnings.push(format!("{}: no data rows", record.path));
        }
        manifest_files.extend(entry);
        out.files.push(record);
    }
    for w in &out.warnings {
        tracing::warn!("{w}");
    }
    // One line, not one per file: after a year of nightly drops most files
    // of every night are skipped.
    if skipped > 0 {
        tracing::info!(
            files = skipped,
            "skipped: already pulled with the same content"
        );
    }
    if !manifest_files.is_empty() && publish {
        let manifest = PullManifest {
            seq: next_seq,
            run_id: run_id.to_string(),
            committed_at: Utc::now().to_rfc3339(),
            files: manifest_files,
        };
        warehouse::commit(wh, &manifest).await?;
        out.committed = Some(next_seq);
    }
    drop(tmp_root);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drop_ids_start_with_a_real_date() {
        for ok in ["2026-03-01", "2026-03-01T0200", "2026-03-01-rerun"] {
            assert!(is_drop_id(ok), "{ok}");
        }
        for bad in ["2026-02-30", "2026-3-01", "latest", "20260301", "_tmp"] {
            assert!(!is_drop_id(bad), "{bad}");
        }
    }
}
