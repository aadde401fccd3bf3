//! Transform: run the SQL models in `sql/` with DataFusion, materialise each
//! as Parquet in the warehouse, run the data tests, and publish
//! `indicator_values`.
//!
//! Invariants: models run in the order the SQL's `ref()`s give; each model's
//! files are written under a run-unique folder and become visible only when
//! the transform manifest is committed, which happens only when no data
//! test of severity `error` failed.

pub mod delta;
pub mod plan;
pub mod tests;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use datafusion::arrow::array::{Array, RecordBatch};
use datafusion::arrow::datatypes::{DataType, SchemaRef};
use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions, array_value_to_string};
use datafusion::dataframe::DataFrameWriteOptions;
use datafusion::datasource::ViewTable;
use datafusion::datasource::empty::EmptyTable;
use datafusion::datasource::file_format::options::ReadOptions;
use datafusion::datasource::listing::{ListingTable, ListingTableConfig, ListingTableUrl};
use datafusion::prelude::{ParquetReadOptions, SessionContext};
use minijinja::Value;
use serde::{Deserialize, Serialize};

use crate::codes::SEEDS;
use crate::config::Settings;
use crate::indicators::Indicator;
use crate::pull::contract::Entity;
use crate::runlog::TestRecord;
use crate::storage::Location;
use crate::warehouse;

/// One model's run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ModelRecord {
    pub name: String,
    pub layer: String,
    /// `succeeded` or `failed`.
    pub status: String,
    pub rows: u64,
    pub seconds: f64,
    /// Folder of its Parquet files, relative to the warehouse (for a model
    /// in parts, its first part).
    pub path: String,
    /// SHA-256 of the model's rendered SQL: an incremental model builds on
    /// its previous result only when this is unchanged.
    #[serde(default)]
    pub sql_hash: String,
    /// `full` (built from its inputs), `incremental` (previous result merged
    /// with the rows pulled since) or `reused` (nothing pulled since).
    #[serde(default)]
    pub mode: String,
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
    fn all_parts(&self) -> Vec<Part> {
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

/// An incremental model's parts are rewritten as one folder (a major
/// compaction) when the parts after the first hold more than
/// 1/`COMPACT_SHARE` of its rows: a read and a rewrite of the whole table,
/// what a nightly merge cost before parts (about 2 s for the four tables at
/// 1 M cases). Before that, when there are more than `COMPACT_PARTS`, the
/// later parts are merged into one (a minor compaction, reading only them):
/// each part adds an anti join to every read of the table, about 0.1 s a
/// night per part at 1 M cases (benches/nights.sh).
const COMPACT_SHARE: u64 = 10;
const COMPACT_PARTS: usize = 4;

/// What [`keep_parts`] may do with a model's parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Compaction {
    /// Rewrite them as one folder (a run that is not a delta run reads the
    /// whole table, through sort-merge joins that would sort the view's
    /// anti joins).
    Major,
    /// A major compaction if due, else a minor one if due.
    IfDue,
    /// At most a minor one: another table had its major compaction in this
    /// run (one a night keeps every night's cost near the usual).
    MinorOnly,
}

/// What a transform did.
#[derive(Debug, Default)]
pub struct TransformOutcome {
    pub models: Vec<ModelRecord>,
    pub tests: Vec<TestRecord>,
    /// Rows of `indicator_values` per indicator.
    pub indicator_rows: BTreeMap<String, u64>,
    /// The CSV written under the output folder.
    pub csv: Option<PathBuf>,
    /// Set when a data test of severity `error` failed: nothing was published.
    pub failed_tests: Vec<String>,
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
    /// The binary's version and code lists ([`delta::basis`]): a delta run
    /// builds only on a transform with the same.
    #[serde(default)]
    pub delta_basis: String,
}

/// Globals every SQL template sees.
pub fn globals(settings: &Settings, catalogue: &[Indicator]) -> BTreeMap<String, Value> {
    let mut g = BTreeMap::new();
    g.insert(
        "as_of".into(),
        Value::from(settings.as_of.format("%Y-%m-%d").to_string()),
    );
    g.insert("threshold".into(), Value::from(settings.threshold));
    g.insert(
        "record_key_salt".into(),
        Value::from(settings.pseudonyms.record_key_salt()),
    );
    let items: Vec<BTreeMap<&str, Value>> = settings
        .rss_items
        .iter()
        .map(|i| {
            BTreeMap::from([
                ("item", Value::from(i.item.clone())),
                ("dimension", Value::from(i.dimension.clone())),
                ("weight", Value::from(i.weight)),
            ])
        })
        .collect();
    g.insert("rss_items".into(), Value::from_serialize(&items));
    let dims: Vec<BTreeMap<&str, Value>> = settings
        .rss_dimensions
        .iter()
        .map(|(d, w)| {
            BTreeMap::from([
                ("dimension", Value::from(d.clone())),
                ("weight", Value::from(*w)),
            ])
        })
        .collect();
    g.insert("rss_dimensions".into(), Value::from_serialize(&dims));
    g.insert("indicators".into(), Value::from_serialize(catalogue));
    g
}

/// A seed (a code list shipped in the binary) as a view over a `VALUES`
/// list of text columns: a view travels with the plan to a Ballista cluster,
/// where an in-memory table cannot.
async fn seed_view(ctx: &SessionContext, text: &str) -> anyhow::Result<ViewTable> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader.headers()?.iter().map(str::to_string).collect();
    let quote = |v: &str| format!("'{}'", v.replace('\'', "''"));
    let mut rows = Vec::new();
    for rec in reader.records() {
        let rec = rec?;
        // The last column is free text that may hold unquoted commas.
        let values: Vec<String> = (0..headers.len())
            .map(|i| {
                if i + 1 == headers.len() {
                    quote(&rec.iter().skip(i).collect::<Vec<_>>().join(","))
                } else {
                    quote(rec.get(i).unwrap_or(""))
                }
            })
            .collect();
        rows.push(format!("({})", values.join(", ")));
    }
    anyhow::ensure!(!rows.is_empty(), "a seed without rows");
    let columns: Vec<String> = headers.iter().map(|h| format!("\"{h}\"")).collect();
    let sql = format!(
        "select * from (values {}) as t({})",
        rows.join(", "),
        columns.join(", ")
    );
    let plan = ctx.state().create_logical_plan(&sql).await?;
    Ok(ViewTable::new(plan, Some(sql)))
}

/// The tables that exist before any model runs.
pub struct Sources {
    /// Every registered name.
    pub names: BTreeSet<String>,
    /// The ones without rows (no file was pulled for them).
    pub empty: BTreeSet<String>,
}

/// Registers the raw layer (every committed version) as `raw_<entity>`, the
/// rows of pulls after `since` as `new_<entity>`, and the seeds.
pub async fn register_sources(
    ctx: &SessionContext,
    wh: &Location,
    pulls: &[warehouse::PullManifest],
    since: u64,
) -> anyhow::Result<Sources> {
    wh.register(ctx)?;
    let mut names = BTreeSet::new();
    let mut empty = BTreeSet::new();
    for entity in Entity::ALL {
        for (prefix, after) in [("raw", 0), ("new", since)] {
            let files: Vec<String> = pulls
                .iter()
                .filter(|m| m.seq > after)
                .flat_map(|m| &m.files)
                .filter(|f| f.entity == entity.name())
                .filter_map(|f| f.raw_file.as_ref())
                .map(|f| wh.table_url(f))
                .collect();
            let name = format!("{prefix}_{}", entity.name());
            if files.is_empty() {
                empty.insert(name.clone());
            }
            register_files(ctx, &name, files, Some(entity.spec().schema.clone())).await?;
            names.insert(name);
        }
    }
    for (seed, text) in SEEDS {
        let name = format!("seed_{seed}");
        let view = seed_view(ctx, text)
            .await
            .with_context(|| format!("seed {seed}"))?;
        ctx.register_table(&name, Arc::new(view))?;
        names.insert(name);
    }
    Ok(Sources { names, empty })
}

/// Registers Parquet files (or every Parquet file under one folder URL) as
/// a listing table, which a Ballista cluster can scan as well as this
/// process; no files is an empty table of `schema`. Without a schema it is
/// read from the files.
async fn register_files(
    ctx: &SessionContext,
    name: &str,
    urls: Vec<String>,
    schema: Option<SchemaRef>,
) -> anyhow::Result<()> {
    if urls.is_empty() {
        let schema = schema.with_context(|| format!("{name}: no files and no schema"))?;
        ctx.register_table(name, Arc::new(EmptyTable::new(schema)))?;
        return Ok(());
    }
    let paths = urls
        .iter()
        .map(ListingTableUrl::parse)
        .collect::<Result<Vec<_>, _>>()?;
    // The session's Parquet options (plain strings, not views), as
    // `read_parquet` would use them.
    let options = ParquetReadOptions::default()
        .to_listing_options(&ctx.copied_config(), ctx.copied_table_options());
    let config = ListingTableConfig::new_with_multi_paths(paths).with_listing_options(options);
    let config = match schema {
        Some(schema) => config.with_schema(schema),
        None => config.infer_schema(&ctx.state()).await?,
    };
    ctx.register_table(name, Arc::new(ListingTable::try_new(config)?))?;
    Ok(())
}

/// Where a model's files go. Incremental models hold raw columns (the date
/// of birth among them), so they live in the raw layer, not among models.
fn model_folder(model: &plan::Model, run_id: &str) -> String {
    if model.incremental_sql.is_some() {
        format!("raw/current/{}/run_id={run_id}/", model.name)
    } else {
        format!("models/{}/{}/run_id={run_id}/", model.layer, model.name)
    }
}

/// Registers a committed model result under `name`; a result without rows
/// has no file, so it is an empty table of the schema `sql` plans to
/// (planned only then).
async fn register_result(
    ctx: &SessionContext,
    wh: &Location,
    name: &str,
    path: &str,
    rows: u64,
    sql: &str,
) -> anyhow::Result<()> {
    if rows == 0 {
        let schema = Arc::new(ctx.sql(sql).await?.schema().as_arrow().clone());
        register_files(ctx, name, Vec::new(), Some(schema)).await
    } else {
        register_files(ctx, name, vec![wh.table_url(path)], None).await
    }
}

/// Runs `sql` on `ctx` and writes its rows as Parquet under `rel` (a
/// folder of the warehouse); returns the rows written and their schema.
/// `what` names the query in errors ("sql/…/x.sql: model x").
async fn write_model(
    ctx: &SessionContext,
    wh: &Location,
    what: &str,
    sql: &str,
    rel: &str,
) -> anyhow::Result<(u64, SchemaRef)> {
    let df = ctx
        .sql(sql)
        .await
        .with_context(|| format!("{what} failed to plan"))?;
    let schema = Arc::new(df.schema().as_arrow().clone());
    let written = df
        .write_parquet(&wh.table_url(rel), DataFrameWriteOptions::new(), None)
        .await
        .with_context(|| format!("{what} failed"))?;
    Ok((count_of(&written), schema))
}

/// Registers what [`write_model`] wrote as `name`: its files, or an empty
/// table of its schema when it wrote no rows.
async fn register_written(
    ctx: &SessionContext,
    wh: &Location,
    name: &str,
    rel: &str,
    (rows, schema): &(u64, SchemaRef),
) -> anyhow::Result<()> {
    if *rows == 0 {
        register_files(ctx, name, Vec::new(), Some(schema.clone())).await
    } else {
        register_files(ctx, name, vec![wh.table_url(rel)], None).await
    }
}

/// Where an incremental model's changed rows of a run go: a part of the
/// model, beside the folders of its full builds.
fn changes_folder(model: &plan::Model, run_id: &str) -> String {
    format!("raw/current/{}/changes/run_id={run_id}/", model.name)
}

/// Registers an incremental model's result (`record`, in parts) as
/// `model.name` and returns its record, compacted as `compaction` allows
/// and the parts call for (see [`COMPACT_SHARE`]), with its rows counted;
/// and whether it had a major compaction.
async fn keep_parts(
    ctx: &SessionContext,
    wh: &Location,
    model: &plan::Model,
    record: ModelRecord,
    run_id: &str,
    compaction: Compaction,
) -> anyhow::Result<(ModelRecord, bool)> {
    let parts = record.all_parts();
    if let [only] = parts.as_slice() {
        let record = ModelRecord {
            path: only.path.clone(),
            rows: only.rows,
            parts: Vec::new(),
            ..record
        };
        register_record(ctx, wh, &model.name, &record, model).await?;
        return Ok((record, false));
    }
    register_record(ctx, wh, &model.name, &record, model).await?;
    let later: u64 = parts[1..].iter().map(|p| p.rows).sum();
    let major = match compaction {
        Compaction::Major => true,
        Compaction::IfDue => later.saturating_mul(COMPACT_SHARE) > parts[0].rows,
        Compaction::MinorOnly => false,
    };
    let minor = !major && parts.len() > COMPACT_PARTS;
    // The parts' anti joins build on the later (small) parts.
    crate::context::prefer_hash_joins(ctx, true);
    let done = async {
        let record = if major {
            let rel = model_folder(model, run_id);
            let what = format!("{} (compacting {} parts)", model.describe(), parts.len());
            let sql = format!("select * from {}", model.name);
            let written = write_model(ctx, wh, &what, &sql, &rel).await?;
            ctx.deregister_table(model.name.as_str())?;
            register_written(ctx, wh, &model.name, &rel, &written).await?;
            tracing::info!(model = %model.name, parts = parts.len(), rows = written.0, "compacted");
            return anyhow::Ok(ModelRecord {
                path: rel,
                rows: written.0,
                parts: Vec::new(),
                ..record
            });
        } else if minor {
            // The later parts as one: only they are read and written.
            // (Later parts always have rows: a night without changes adds none.)
            let changes = format!("{}__changes", model.name);
            let later = &parts[1..];
            register_parts(ctx, wh, &changes, model.unique_key.as_deref(), later).await?;
            let rel = format!("raw/current/{}/merged/run_id={run_id}/", model.name);
            let what = format!("{} (merging {} parts)", model.describe(), later.len());
            let sql = format!("select * from {changes}");
            let (rows, _) = write_model(ctx, wh, &what, &sql, &rel).await?;
            tracing::info!(model = %model.name, parts = later.len(), rows, "later parts merged");
            let parts = vec![parts[0].clone(), Part { path: rel, rows }];
            let record = ModelRecord { parts, ..record };
            register_record(ctx, wh, &model.name, &record, model).await?;
            record
        } else {
            record
        };
        let counted = ctx
            .sql(&format!("select count(*) from {}", model.name))
            .await?
            .collect()
            .await?;
        Ok(ModelRecord {
            rows: count_of(&counted),
            ..record
        })
    }
    .await;
    crate::context::prefer_hash_joins(ctx, false);
    Ok((done?, major))
}

/// Registers a committed model result under `name`: its folder, or, for a
/// model in parts, the view [`parts_sql`] makes of them.
async fn register_record(
    ctx: &SessionContext,
    wh: &Location,
    name: &str,
    record: &ModelRecord,
    model: &plan::Model,
) -> anyhow::Result<()> {
    let key = model.unique_key.as_deref();
    if !register_parts(ctx, wh, name, key, &record.all_parts()).await? {
        register_result(ctx, wh, name, &record.path, 0, &model.sql).await?;
    }
    Ok(())
}

/// Registers `name` as the table that `parts` (oldest first) make
/// together, leaving out those without rows: one folder as itself, several
/// as `<name>__part<i>` and the view [`parts_sql`] over them (a view
/// travels with the plan, as the seeds do). False when no part has rows:
/// the caller registers the empty table.
async fn register_parts(
    ctx: &SessionContext,
    wh: &Location,
    name: &str,
    key: Option<&str>,
    parts: &[Part],
) -> anyhow::Result<bool> {
    let urls: Vec<String> = parts
        .iter()
        .filter(|p| p.rows > 0)
        .map(|p| wh.table_url(&p.path))
        .collect();
    ctx.deregister_table(name)?;
    match urls.as_slice() {
        [] => return Ok(false),
        [one] => register_files(ctx, name, vec![one.clone()], None).await?,
        _ => {
            for (i, url) in urls.iter().enumerate() {
                let part = format!("{name}__part{i}");
                ctx.deregister_table(part.as_str())?;
                register_files(ctx, &part, vec![url.clone()], None).await?;
            }
            let sql = parts_sql(name, key, urls.len());
            let plan = ctx.state().create_logical_plan(&sql).await?;
            ctx.register_table(name, Arc::new(ViewTable::new(plan, Some(sql))))?;
        }
    }
    Ok(true)
}

/// The rows of `n` parts of `name` (`<name>__part<i>`): with a `key`, each
/// part's rows whose key no later part has (a later part replaces them);
/// without one, every part's rows.
fn parts_sql(name: &str, key: Option<&str>, n: usize) -> String {
    (0..n)
        .map(|i| {
            let part = format!("{name}__part{i}");
            match key {
                Some(key) if i + 1 < n => {
                    let later: Vec<String> = (i + 1..n)
                        .map(|j| format!("select {key} from {name}__part{j}"))
                        .collect();
                    format!(
                        "select p.* from {part} p left anti join ({}) l on p.{key} = l.{key}",
                        later.join(" union all ")
                    )
                }
                _ => format!("select * from {part}"),
            }
        })
        .collect::<Vec<_>>()
        .join(" union all ")
}

/// Renders every model as a full refresh runs it, in run order, into
/// `dir/NNN_<model>.sql`. The SQL reads the raw layer as `raw_<entity>` and
/// the seeds as `seed_<name>`; each model's result is the table of its name.
pub fn compile(settings: &Settings, dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let catalogue = crate::indicators::load(&settings.model_paths)?;
    let mut sources: BTreeSet<String> = BTreeSet::new();
    for entity in Entity::ALL {
        for prefix in ["raw", "new"] {
            sources.insert(format!("{prefix}_{}", entity.name()));
        }
    }
    sources.extend(SEEDS.iter().map(|(seed, _)| format!("seed_{seed}")));
    let plan = plan::plan(
        &settings.model_paths,
        &globals(settings, &catalogue),
        &sources,
    )?;
    std::fs::create_dir_all(dir).with_context(|| format!("{}", dir.display()))?;
    let mut files = Vec::new();
    for (i, model) in plan.models.iter().enumerate() {
        let path = dir.join(format!("{:03}_{}.sql", i + 1, model.name));
        std::fs::write(&path, format!("{}\n", model.sql.trim()))
            .with_context(|| format!("{}", path.display()))?;
        files.push(path);
    }
    Ok(files)
}

/// Runs every model, the data tests, then commits and exports.
pub async fn transform(
    settings: &Settings,
    wh: &Location,
    run_id: &str,
    out_dir: &Path,
) -> anyhow::Result<TransformOutcome> {
    let catalogue = crate::indicators::load(&settings.model_paths)?;
    let ctx = crate::context::engine_session(&settings.engine, settings.memory_limit).await?;
    let pulls = warehouse::pull_manifests(wh).await?;
    let pull_seq = pulls.last().map_or(0, |m| m.seq);
    let manifests = transform_manifests(wh).await?;
    // Incremental models build on the newest committed transform, unless
    // asked to rebuild.
    let previous = if settings.full_refresh {
        None
    } else {
        manifests.last().filter(|m| m.pull_seq <= pull_seq)
    };
    let since = previous.map_or(0, |m| m.pull_seq);
    let sources = register_sources(&ctx, wh, &pulls, since).await?;
    let plan = plan::plan(
        &settings.model_paths,
        &globals(settings, &catalogue),
        &sources.names,
    )?;
    for ind in &catalogue {
        if !plan
            .models
            .iter()
            .any(|m| m.name == format!("ind_{}", ind.id))
        {
            anyhow::bail!(
                "indicator `{}` is in the catalogue but there is no model ind_{}.sql",
                ind.id,
                ind.id
            );
        }
    }
    for m in plan.models.iter().filter(|m| m.name.starts_with("ind_")) {
        if !catalogue.iter().any(|i| format!("ind_{}", i.id) == m.name) {
            anyhow::bail!(
                "{}: no catalogue entry for indicator `{}`",
                m.path.display(),
                &m.name[4..]
            );
        }
    }
    let mut out = TransformOutcome::default();
    let explain: BTreeSet<String> = std::env::var("HOMEWARD_EXPLAIN")
        .unwrap_or_default()
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    let hashes = sql_hashes(&plan);
    // A delta run under a new as-of date recomputes the touched cases as
    // the previous run saw them: with its as-of date.
    let as_of = settings.as_of.format("%Y-%m-%d").to_string();
    let previous_as_of = previous.map_or(as_of.clone(), |p| p.as_of.clone());
    let old_plan = if previous_as_of == as_of {
        None
    } else {
        let mut before = settings.clone();
        before.as_of = previous_as_of
            .parse()
            .context("the previous transform's as_of")?;
        Some(plan::plan(
            &settings.model_paths,
            &globals(&before, &catalogue),
            &sources.names,
        )?)
    };
    let old_hashes = old_plan.as_ref().map_or(hashes.clone(), sql_hashes);
    let refusal = match settings.engine {
        crate::config::Engine::Local => {
            delta::refusal(&plan, previous, &old_hashes, &sources.empty)
        }
        // A delta run is three small queries per model: on a cluster each
        // is a job with its own scheduling cost, and jobs over inputs
        // without rows (a night without businesses) hung on the test
        // cluster. The cluster rebuilds downstream of the merges.
        crate::config::Engine::Ballista { .. } => {
            Some("delta runs use the local engine".to_string())
        }
    };
    if let (Some(why), Some(_)) = (&refusal, previous) {
        tracing::info!(reason = %why, "not a delta run: models after the current-state tables are rebuilt");
    }
    // A delta run merges every current-state table first: the touched
    // cases are known only then.
    let mut order: Vec<&plan::Model> = plan.models.iter().collect();
    if refusal.is_none() {
        // Then the models without cases (projects), then every per-case and
        // summed model (together, side by side), then the rest: still an
        // order the refs allow, as delta::refusal checked.
        let dependent = delta::case_dependent(&plan);
        order.sort_by_key(|m| match m.delta {
            plan::Delta::Current { .. } => 0,
            plan::Delta::None if !dependent.contains(&m.name) => 1,
            plan::Delta::Rows | plan::Delta::Sum { .. } => 2,
            plan::Delta::None => 3,
        });
    }
    let mut scopes: Option<delta::Scopes> = None;
    // Major compactions of current-state tables so far in this run.
    let mut majors = 0;
    let compaction = |majors: usize| match (&refusal, majors) {
        (Some(_), _) => Compaction::Major,
        (None, 0) => Compaction::IfDue,
        (None, _) => Compaction::MinorOnly,
    };
    for model in order {
        let sql_hash = hashes[&model.name].clone();
        if refusal.is_none() && !matches!(model.delta, plan::Delta::Current { .. }) {
            let scopes = match &mut scopes {
                Some(s) => s,
                None => {
                    let clock = Instant::now();
                    let window = (previous_as_of != as_of).then(|| {
                        let mut w = [previous_as_of.as_str(), as_of.as_str()];
                        w.sort();
                        (w[0], w[1])
                    });
                    let prepared = delta::Scopes::prepare(
                        &ctx,
                        settings,
                        wh,
                        &pulls,
                        since,
                        run_id,
                        &plan,
                        old_plan.as_ref().unwrap_or(&plan),
                        window,
                        &out.models,
                    )
                    .await?;
                    tracing::info!(
                        seconds = clock.elapsed().as_secs_f64(),
                        "touched cases restricted"
                    );
                    scopes.insert(prepared)
                }
            };
            if matches!(model.delta, plan::Delta::Rows | plan::Delta::Sum { .. }) {
                if !out.models.iter().any(|r| r.name == model.name) {
                    let batch: Vec<&plan::Model> = plan
                        .models
                        .iter()
                        .filter(|m| matches!(m.delta, plan::Delta::Rows | plan::Delta::Sum { .. }))
                        .collect();
                    let records = scopes
                        .run_all(&ctx, wh, &batch, run_id, previous, &hashes)
                        .await?;
                    out.models.extend(records);
                }
                continue;
            }
        }
        let clock = Instant::now();
        let before = previous.and_then(|m| {
            m.models
                .iter()
                .find(|r| r.name == model.name && r.sql_hash == sql_hash && r.status == "succeeded")
                .map(|r| (m.pull_seq, r))
        });
        // Nothing pulled since, or nothing for this model's new-row sources
        // (and every model it refers to reused): the previous result is
        // this one.
        let nothing_new = |seq: u64| {
            seq == pull_seq
                || (model
                    .incremental_sources
                    .iter()
                    .filter(|s| s.starts_with("new_"))
                    .all(|s| sources.empty.contains(s))
                    && model.refs.iter().all(|r| {
                        out.models
                            .iter()
                            .any(|m| &m.name == r && m.mode == "reused")
                    }))
        };
        let (sql, mode, base) = match (&model.incremental_sql, before) {
            (Some(_), Some((seq, r))) if nothing_new(seq) => {
                tracing::info!(model = %model.name, "model reused: no new rows for it");
                let record = ModelRecord {
                    mode: "reused".into(),
                    ..r.clone()
                };
                let (record, major) =
                    keep_parts(&ctx, wh, model, record, run_id, compaction(majors)).await?;
                majors += usize::from(major);
                out.models.push(ModelRecord {
                    seconds: clock.elapsed().as_secs_f64(),
                    ..record
                });
                continue;
            }
            (Some(incremental), Some((_, r))) => {
                register_record(&ctx, wh, &plan::previous_table(&model.name), r, model).await?;
                (incremental, "incremental", Some(r))
            }
            _ => (&model.sql, "full", None),
        };
        if explain.contains(&model.name) {
            explain_analyze(&ctx, &model.name, sql, out_dir).await?;
        }
        let rel = match base {
            Some(_) => changes_folder(model, run_id),
            None => model_folder(model, run_id),
        };
        // A merge joins the previous result (millions of rows) to the keys
        // of tonight's rows (thousands): a hash join builds on the small
        // side and never sorts the large one, where the session's
        // sort-merge joins sorted both and ran out of the pool at 1 M cases.
        crate::context::prefer_hash_joins(&ctx, mode == "incremental");
        let written = write_model(&ctx, wh, &model.describe(), sql, &rel).await;
        crate::context::prefer_hash_joins(&ctx, false);
        let written = written?;
        let record = ModelRecord {
            name: model.name.clone(),
            layer: model.layer.clone(),
            status: "succeeded".into(),
            rows: written.0,
            seconds: 0.0,
            path: rel.clone(),
            sql_hash,
            mode: mode.into(),
            parts: Vec::new(),
        };
        let record = match base {
            Some(previous) => {
                // Tonight's changed rows become the model's newest part.
                let mut parts = previous.all_parts();
                if written.0 > 0 {
                    parts.push(Part {
                        path: rel,
                        rows: written.0,
                    });
                }
                let record = ModelRecord {
                    path: parts[0].path.clone(),
                    parts,
                    ..record
                };
                let (record, major) =
                    keep_parts(&ctx, wh, model, record, run_id, compaction(majors)).await?;
                majors += usize::from(major);
                record
            }
            None => {
                register_written(&ctx, wh, &model.name, &rel, &written).await?;
                if let Some(scopes) = &scopes {
                    // Models rebuilt in full that per-case models read (projects).
                    scopes.share(wh, &model.name, &rel, &written).await?;
                }
                record
            }
        };
        tracing::info!(
            model = %model.name,
            rows = record.rows,
            seconds = clock.elapsed().as_secs_f64(),
            peak_rss_mib = crate::context::peak_rss_mib(),
            "model built"
        );
        out.models.push(ModelRecord {
            seconds: clock.elapsed().as_secs_f64(),
            ..record
        });
    }
    // The data tests, the counts and the export read small results or ask
    // small questions: on a Ballista cluster they run here, on the
    // committed files. (On the in-process test cluster, a data test over an
    // empty model hung now and then: a union with an empty table under an
    // anti join.)
    let ctx = match settings.engine {
        crate::config::Engine::Local => ctx,
        crate::config::Engine::Ballista { .. } => {
            local_session(settings, wh, &pulls, since, &plan, &out.models).await?
        }
    };
    let (records, failed) = tests::run(&ctx, &plan).await?;
    out.tests = records;
    out.failed_tests = failed;
    if !out.failed_tests.is_empty() {
        return Ok(out);
    }
    // Rows per indicator, then the sorted CSV.
    let counts = ctx
        .sql("select indicator_id, count(*) as n from indicator_values group by indicator_id")
        .await?
        .collect()
        .await?;
    for b in &counts {
        for r in 0..b.num_rows() {
            out.indicator_rows.insert(
                array_value_to_string(b.column(0), r)?,
                array_value_to_string(b.column(1), r)?.parse().unwrap_or(0),
            );
        }
    }
    let manifest = TransformManifest {
        seq: manifests.last().map_or(1, |m| m.seq + 1),
        run_id: run_id.to_string(),
        as_of: settings.as_of.format("%Y-%m-%d").to_string(),
        committed_at: chrono::Utc::now().to_rfc3339(),
        pull_seq,
        models: out.models.clone(),
        delta_basis: delta::basis(),
    };
    let rel = format!(
        "{}/{:010}.json",
        warehouse::TRANSFORM_MANIFESTS,
        manifest.seq
    );
    if !wh
        .put_create(&rel, serde_json::to_vec_pretty(&manifest)?)
        .await?
    {
        anyhow::bail!(
            "another run committed transform {} first; nothing of this run was published",
            manifest.seq
        );
    }
    out.csv = Some(export_csv(&ctx, out_dir).await?);
    Ok(out)
}

/// A session of this process with the sources and every model result of
/// this run (`built`, in run order) registered.
async fn local_session(
    settings: &Settings,
    wh: &Location,
    pulls: &[warehouse::PullManifest],
    since: u64,
    plan: &plan::Plan,
    built: &[ModelRecord],
) -> anyhow::Result<SessionContext> {
    let ctx = crate::context::session(settings.memory_limit)?;
    register_sources(&ctx, wh, pulls, since).await?;
    for r in built {
        let model = plan
            .models
            .iter()
            .find(|m| m.name == r.name)
            .context("a built model is in the plan")?;
        register_record(&ctx, wh, &r.name, r, model).await?;
    }
    Ok(ctx)
}

/// SHA-256 of each model's rendered SQL, by model name.
fn sql_hashes(plan: &plan::Plan) -> BTreeMap<String, String> {
    plan.models
        .iter()
        .map(|m| {
            let hash = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(m.sql.as_bytes()));
            (m.name.clone(), hash)
        })
        .collect()
}

/// Every committed transform manifest, in order.
pub async fn transform_manifests(wh: &Location) -> anyhow::Result<Vec<TransformManifest>> {
    let mut out: Vec<TransformManifest> =
        warehouse::read_manifests(wh, warehouse::TRANSFORM_MANIFESTS).await?;
    out.sort_by_key(|m| m.seq);
    Ok(out)
}

fn count_of(batches: &[RecordBatch]) -> u64 {
    batches
        .iter()
        .filter(|b| b.num_rows() > 0)
        .map(|b| {
            array_value_to_string(b.column(0), 0)
                .ok()
                .and_then(|s| s.parse::<u64>().ok())
                .unwrap_or(0)
        })
        .sum()
}

/// The columns of `indicator_values`, in order.
pub const INDICATOR_COLUMNS: [&str; 12] = [
    "indicator_id",
    "project_code",
    "period_type",
    "period",
    "period_start",
    "period_end",
    "breakdown",
    "breakdown_value",
    "value",
    "numerator",
    "denominator",
    "as_of",
];

/// Writes `indicators/indicator_values.csv`, sorted by the first eight
/// columns (text in byte order, null `period_start` first), atomically.
/// Profiles one model for `HOMEWARD_EXPLAIN=model,...`: runs its query
/// under `EXPLAIN ANALYZE` (an extra run, results discarded) and writes the
/// plan with each operator's rows, time and memory to
/// `<out>/<as-of>/explain/<model>.txt`.
async fn explain_analyze(
    ctx: &SessionContext,
    name: &str,
    sql: &str,
    out_dir: &Path,
) -> anyhow::Result<()> {
    let batches = ctx
        .sql(&format!("explain analyze {sql}"))
        .await?
        .collect()
        .await
        .with_context(|| format!("explain analyze of model {name} failed"))?;
    let text = datafusion::arrow::util::pretty::pretty_format_batches(&batches)?.to_string();
    let path = out_dir.join("explain").join(format!("{name}.txt"));
    std::fs::create_dir_all(out_dir.join("explain"))?;
    std::fs::write(&path, text)?;
    tracing::info!(model = name, path = %path.display(), "plan profiled");
    Ok(())
}

async fn export_csv(ctx: &SessionContext, out_dir: &Path) -> anyhow::Result<PathBuf> {
    let sql = "select * from indicator_values order by indicator_id, project_code, period_type, period, \
               period_start asc nulls first, period_end, breakdown, breakdown_value";
    let batches = ctx.sql(sql).await?.collect().await?;
    let dir = out_dir.join("indicators");
    std::fs::create_dir_all(&dir)?;
    let tmp = dir.join(".indicator_values.csv.tmp");
    let mut w = csv::Writer::from_path(&tmp)?;
    w.write_record(INDICATOR_COLUMNS)?;
    // The formatting of `array_value_to_string`, with one formatter per
    // column and batch rather than one per cell (at 1 M cases the export
    // formats 4 M cells; building a formatter for each was most of its
    // time).
    let options = FormatOptions::default().with_display_error(true);
    let mut row: Vec<String> = vec![String::new(); INDICATOR_COLUMNS.len()];
    for b in &batches {
        let columns: Vec<(&dyn Array, ArrayFormatter)> = INDICATOR_COLUMNS
            .iter()
            .map(|c| {
                let col = b.column(b.schema().index_of(c)?).as_ref();
                Ok((col, ArrayFormatter::try_new(col, &options)?))
            })
            .collect::<anyhow::Result<_>>()?;
        for r in 0..b.num_rows() {
            for (cell, (col, formatter)) in row.iter_mut().zip(&columns) {
                cell.clear();
                if !col.is_null(r) {
                    std::fmt::Write::write_fmt(cell, format_args!("{}", formatter.value(r)))?;
                    // Text from the data (project codes, breakdown values)
                    // must not run as a formula in a spreadsheet.
                    if matches!(
                        col.data_type(),
                        DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8
                    ) && let std::borrow::Cow::Owned(safe) = crate::csv_safe::text(cell)
                    {
                        *cell = safe;
                    }
                }
            }
            w.write_record(&row)?;
        }
    }
    w.flush()?;
    drop(w);
    let path = dir.join("indicator_values.csv");
    std::fs::rename(&tmp, &path)?;
    Ok(path)
}

#[cfg(test)]
mod parts_tests {
    use super::*;

    /// `t__part0..2` as in-memory tables of (id, v).
    async fn parts(rows: [&str; 3]) -> SessionContext {
        let ctx = SessionContext::new();
        for (i, values) in rows.iter().enumerate() {
            ctx.sql(&format!(
                "create table t__part{i} as select * from (values {values}) as v(id, v)"
            ))
            .await
            .unwrap();
        }
        ctx
    }

    async fn rows(ctx: &SessionContext, sql: &str) -> Vec<String> {
        let batches = ctx
            .sql(&format!("select id || ':' || v from ({sql}) order by 1"))
            .await
            .unwrap()
            .collect()
            .await
            .unwrap();
        let mut out = Vec::new();
        for b in &batches {
            for r in 0..b.num_rows() {
                out.push(array_value_to_string(b.column(0), r).unwrap());
            }
        }
        out
    }

    #[tokio::test]
    async fn a_later_part_replaces_the_rows_of_its_key() {
        let ctx = parts([
            "('a', 1), ('b', 1), ('c', 1)",
            "('b', 2), ('d', 2)",
            "('b', 3), ('c', 3)",
        ])
        .await;
        assert_eq!(
            rows(&ctx, &parts_sql("t", Some("id"), 3)).await,
            ["a:1", "b:3", "c:3", "d:2"]
        );
        // Two parts: only the second replaces.
        assert_eq!(
            rows(&ctx, &parts_sql("t", Some("id"), 2)).await,
            ["a:1", "b:2", "c:1", "d:2"]
        );
    }

    #[tokio::test]
    async fn without_a_key_parts_add_rows() {
        let ctx = parts(["('a', 1)", "('a', 2)", "('b', 3)"]).await;
        assert_eq!(
            rows(&ctx, &parts_sql("t", None, 3)).await,
            ["a:1", "a:2", "b:3"]
        );
    }

    /// A warehouse in a temporary folder, a session that reads it, and a
    /// model `t` keyed by `id` whose parts are the given queries' rows.
    async fn model_in_parts(
        queries: &[&str],
    ) -> (
        tempfile::TempDir,
        Location,
        SessionContext,
        plan::Model,
        ModelRecord,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let wh = Location::open(dir.path().to_str().unwrap(), dir.path(), true).unwrap();
        let ctx = SessionContext::new();
        wh.register(&ctx).unwrap();
        let mut parts = Vec::new();
        for (i, sql) in queries.iter().enumerate() {
            let rel = format!("t/part{i}/");
            let (rows, _) = write_model(&ctx, &wh, "a part", sql, &rel).await.unwrap();
            parts.push(Part { path: rel, rows });
        }
        let model = plan::Model {
            name: "t".into(),
            path: "t.sql".into(),
            layer: "current".into(),
            sql: queries[0].into(),
            refs: BTreeSet::new(),
            incremental_sql: Some(String::new()),
            unique_key: Some("id".into()),
            incremental_sources: BTreeSet::new(),
            sources: BTreeSet::new(),
            delta: plan::Delta::None,
        };
        let record = ModelRecord {
            name: "t".into(),
            layer: "current".into(),
            status: "succeeded".into(),
            rows: 0,
            seconds: 0.0,
            path: parts[0].path.clone(),
            sql_hash: String::new(),
            mode: "incremental".into(),
            parts,
        };
        (dir, wh, ctx, model, record)
    }

    /// `n` rows `1`…`n` with v = 0.
    fn base(n: usize) -> String {
        format!("select cast(value as varchar) as id, 0 as v from generate_series(1, {n})")
    }

    /// 1,000 rows, then six nights of changes: one row changed, key 7
    /// changed, one new key.
    fn nights() -> Vec<String> {
        let mut q = vec![base(1000)];
        for night in 1..=6 {
            q.push(format!(
                "select * from (values ('{night}', {night}), ('7', {night}), ('n{night}', {night})) as c(id, v)"
            ));
        }
        q
    }

    #[tokio::test]
    async fn past_four_parts_the_later_ones_are_merged_and_the_table_is_unchanged() {
        let queries = nights();
        // Six nights of 3 rows on 1,000: not due for a major compaction.
        let q: Vec<&str> = queries.iter().map(String::as_str).collect();
        let (_dir, wh, ctx, model, record) = model_in_parts(&q).await;
        assert!(
            register_parts(&ctx, &wh, "t", Some("id"), &record.parts)
                .await
                .unwrap()
        );
        let before = rows(&ctx, "select * from t").await;
        let (kept, major) = keep_parts(&ctx, &wh, &model, record, "r", Compaction::IfDue)
            .await
            .unwrap();
        assert!(!major);
        assert_eq!(kept.parts.len(), 2, "{:?}", kept.parts);
        // Key 7 changed every night: one row for it in the merged part.
        assert_eq!(kept.parts[1].rows, 6 + 1 + 6);
        assert_eq!(kept.rows, 1006);
        assert_eq!(rows(&ctx, "select * from t").await, before);
        assert!(before.contains(&"7:6".to_string()) && before.contains(&"1:1".to_string()));
    }

    #[tokio::test]
    async fn a_major_compaction_is_one_folder_and_only_one_a_run() {
        let queries = nights();
        let q: Vec<&str> = queries[..3].iter().map(String::as_str).collect();
        // Three parts are not many, and 6 changed rows on 1,000 are not due.
        let (_dir, wh, ctx, model, record) = model_in_parts(&q).await;
        let (kept, major) = keep_parts(&ctx, &wh, &model, record.clone(), "r", Compaction::IfDue)
            .await
            .unwrap();
        assert!(!major);
        assert_eq!((kept.parts.len(), kept.rows), (3, 1002));
        // A run that is not a delta run rewrites them whatever their size.
        let (kept, major) = keep_parts(&ctx, &wh, &model, record, "r2", Compaction::Major)
            .await
            .unwrap();
        assert!(major);
        assert!(kept.parts.is_empty());
        assert_eq!(
            (kept.rows, kept.path.as_str()),
            (1002, "raw/current/t/run_id=r2/")
        );
        assert!(
            rows(&ctx, "select * from t")
                .await
                .contains(&"7:2".to_string())
        );
        // Due (12 changed rows on 5), but another table had tonight's major
        // compaction: its five parts become two; alone, it is compacted.
        let small = base(5);
        let q = [
            small.as_str(),
            &queries[1],
            &queries[1],
            &queries[1],
            &queries[1],
        ];
        let (_dir, wh, ctx, model, record) = model_in_parts(&q).await;
        let (kept, major) = keep_parts(
            &ctx,
            &wh,
            &model,
            record.clone(),
            "r",
            Compaction::MinorOnly,
        )
        .await
        .unwrap();
        assert!(!major);
        assert_eq!((kept.parts.len(), kept.rows), (2, 7));
        let (kept, major) = keep_parts(&ctx, &wh, &model, record, "r3", Compaction::IfDue)
            .await
            .unwrap();
        assert!(major && kept.parts.is_empty());
        assert_eq!(
            rows(&ctx, "select * from t").await,
            ["1:1", "2:0", "3:0", "4:0", "5:0", "7:1", "n1:1"]
        );
    }
}
