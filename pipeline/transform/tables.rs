//! Tables: the one way the transform turns files into tables of a session
//! (the raw layer, the seeds, committed model results, results written in
//! this run) and queries into files.
//!
//! Invariants:
//! - Every table is a listing table over Parquet files (or a view), which
//!   a Ballista cluster can scan as well as this process; except what a
//!   delta run computes for the touched cases and reads again in the same
//!   run (kept in memory: delta runs use the local engine only).
//! - One empty-table rule: a result without rows has no file; it is
//!   registered as an empty table of its schema, taken from the write or,
//!   for a committed result, planned from the model's SQL.

use std::collections::BTreeSet;
use std::sync::Arc;

use anyhow::Context;
use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::util::display::array_value_to_string;
use datafusion::dataframe::DataFrameWriteOptions;
use datafusion::datasource::MemTable;
use datafusion::datasource::ViewTable;
use datafusion::datasource::empty::EmptyTable;
use datafusion::datasource::file_format::options::ReadOptions;
use datafusion::datasource::listing::{ListingTable, ListingTableConfig, ListingTableUrl};
use datafusion::prelude::{ParquetReadOptions, SessionContext};

use super::plan::Model;
use crate::codes::{Codes, SHIPPED};
use crate::pull::contract::Entity;
use crate::storage::Location;
use crate::warehouse::records::{ModelRecord, Part};
use crate::warehouse::{self, PullManifest};

/// What a query wrote: its folder, its rows and their schema.
#[derive(Debug, Clone)]
pub struct Written {
    /// The folder, relative to the warehouse.
    pub rel: String,
    pub rows: u64,
    pub schema: SchemaRef,
}

/// The tables that exist before any model runs.
pub struct Sources {
    /// Every registered name.
    pub names: BTreeSet<String>,
    /// The ones without rows (no file was pulled for them).
    pub empty: BTreeSet<String>,
}

/// The name of every source a plan may read, without registering them
/// (`homeward compile`).
pub fn source_names() -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for entity in Entity::ALL {
        for prefix in ["raw", "new"] {
            names.insert(warehouse::source_table(prefix, entity.name()));
        }
    }
    names.extend(SHIPPED.iter().map(|(seed, _)| warehouse::seed_table(seed)));
    names
}

/// The raw files of `entity` committed by the pulls after `after`.
fn raw_files(pulls: &[PullManifest], entity: Entity, after: u64) -> impl Iterator<Item = &String> {
    pulls
        .iter()
        .filter(move |m| m.seq > after)
        .flat_map(|m| &m.files)
        .filter(move |f| f.entity == entity.name())
        .filter_map(|f| f.raw_file.as_ref())
}

/// The sources a transform after `since` has, without registering them:
/// what `homeward plan` decides on. `pending` are the entities a pull not
/// yet run would add rows of.
pub fn sources_of(pulls: &[PullManifest], since: u64, pending: &BTreeSet<Entity>) -> Sources {
    let mut empty = BTreeSet::new();
    for entity in Entity::ALL {
        for (prefix, after) in [("raw", 0), ("new", since)] {
            if raw_files(pulls, entity, after).next().is_none() && !pending.contains(&entity) {
                empty.insert(warehouse::source_table(prefix, entity.name()));
            }
        }
    }
    Sources {
        names: source_names(),
        empty,
    }
}

/// Registers the raw layer (every committed version) as `raw_<entity>`, the
/// rows of pulls after `since` as `new_<entity>`, and the seeds.
pub async fn register_sources(
    ctx: &SessionContext,
    wh: &Location,
    pulls: &[PullManifest],
    since: u64,
    codes: &'static Codes,
) -> anyhow::Result<Sources> {
    wh.register(ctx)?;
    for entity in Entity::ALL {
        for (prefix, after) in [("raw", 0), ("new", since)] {
            let files: Vec<String> = raw_files(pulls, entity, after)
                .map(|f| wh.table_url(f))
                .collect();
            let name = warehouse::source_table(prefix, entity.name());
            register_files(ctx, &name, files, Some(codes.spec(entity).schema.clone())).await?;
        }
    }
    register_seeds(ctx, codes).await?;
    Ok(sources_of(pulls, since, &BTreeSet::new()))
}

/// Registers every source as an empty table of its schema, and the seeds:
/// enough to plan the models without data (`homeward doctor`).
pub async fn register_empty_sources(
    ctx: &SessionContext,
    codes: &'static Codes,
) -> anyhow::Result<()> {
    for entity in Entity::ALL {
        for prefix in ["raw", "new"] {
            let name = warehouse::source_table(prefix, entity.name());
            register_files(ctx, &name, vec![], Some(codes.spec(entity).schema.clone())).await?;
        }
    }
    register_seeds(ctx, codes).await
}

/// Each code list as its `seed_<name>` view.
async fn register_seeds(ctx: &SessionContext, codes: &'static Codes) -> anyhow::Result<()> {
    for seed in &codes.seeds {
        let name = warehouse::seed_table(seed.name);
        let view = seed_view(ctx, &seed.text)
            .await
            .with_context(|| format!("seed {}", seed.name))?;
        ctx.register_table(&name, Arc::new(view))?;
    }
    Ok(())
}

/// A seed (a code list shipped in the binary) as a view over a `VALUES`
/// list of text columns: a view travels with the plan to a Ballista cluster,
/// where an in-memory table cannot.
async fn seed_view(ctx: &SessionContext, text: &str) -> anyhow::Result<ViewTable> {
    // Checked by `Codes::load`, which also accepts a list saved with a BOM.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let quote = |v: &str| format!("'{}'", v.replace('\'', "''"));
    let mut rows = Vec::new();
    for rec in reader.records() {
        let rec = rec?;
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        // The last column is free text that may hold unquoted commas.
        let values: Vec<String> = (0..headers.len())
            .map(|i| {
                if i + 1 == headers.len() {
                    quote(rec.iter().skip(i).collect::<Vec<_>>().join(",").trim())
                } else {
                    quote(rec.get(i).unwrap_or("").trim())
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
    view(ctx, sql).await
}

/// A view over `sql`: it travels with the plan, as a seed does.
async fn view(ctx: &SessionContext, sql: String) -> anyhow::Result<ViewTable> {
    let plan = ctx.state().create_logical_plan(&sql).await?;
    Ok(ViewTable::new(plan, Some(sql)))
}

/// Registers Parquet files (or every Parquet file under one folder URL) as
/// a listing table; no files is an empty table of `schema`. Without a
/// schema it is read from the files.
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
        .map(|u| listing_url(u))
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

/// `ListingTableUrl::parse`, without asking the file system: for a local
/// path, `parse` looks up whether it is a folder (two calls per file, for
/// every raw file of history in each of a night's three sessions); here a
/// folder is a path that ends with `/`, as [`Location::table_url`] writes
/// it.
fn listing_url(s: &str) -> datafusion::error::Result<ListingTableUrl> {
    let path = std::path::Path::new(s);
    if path.is_absolute() {
        let url = if s.ends_with('/') {
            url::Url::from_directory_path(path)
        } else {
            url::Url::from_file_path(path)
        };
        if let Ok(url) = url {
            return ListingTableUrl::try_new(url, None);
        }
    }
    ListingTableUrl::parse(s)
}

/// Runs `sql` on `ctx` and writes its rows as Parquet under `rel` (a
/// folder of the warehouse). `what` names the query in errors
/// ("sql/…/x.sql: model x").
pub async fn write(
    ctx: &SessionContext,
    wh: &Location,
    what: &str,
    sql: &str,
    rel: String,
) -> anyhow::Result<Written> {
    let df = ctx
        .sql(sql)
        .await
        .with_context(|| format!("{what} failed to plan"))?;
    let schema = Arc::new(df.schema().as_arrow().clone());
    let written = df
        .write_parquet(&wh.table_url(&rel), DataFrameWriteOptions::new(), None)
        .await
        .with_context(|| format!("{what} failed"))?;
    Ok(Written {
        rel,
        rows: count_of(&written),
        schema,
    })
}

/// Runs `sql` on `ctx` and keeps its rows in memory as a table, for
/// results that only later queries of this run read: no Parquet written
/// and read back. Returns the table and its rows.
pub async fn keep(
    ctx: &SessionContext,
    what: &str,
    sql: &str,
) -> anyhow::Result<(Arc<MemTable>, u64)> {
    let df = ctx
        .sql(sql)
        .await
        .with_context(|| format!("{what} failed to plan"))?;
    let planned = Arc::new(df.schema().as_arrow().clone());
    let batches = df
        .collect()
        .await
        .with_context(|| format!("{what} failed"))?;
    let rows = batches.iter().map(|b| b.num_rows() as u64).sum();
    // The batches' own schema: the planned one may differ in nullability,
    // which the table would refuse.
    let schema = batches.first().map_or(planned, |b| b.schema());
    // As many partitions as the session runs side by side, so that the
    // queries reading it use every core.
    let n = ctx.copied_config().target_partitions().max(1);
    let mut partitions = vec![Vec::new(); n];
    for (i, b) in batches.into_iter().enumerate() {
        partitions[i % n].push(b);
    }
    Ok((Arc::new(MemTable::try_new(schema, partitions)?), rows))
}

/// Registers a table [`keep`] made as `name` (replacing a table of that
/// name).
pub fn register_kept(
    ctx: &SessionContext,
    name: &str,
    table: &Arc<MemTable>,
) -> anyhow::Result<()> {
    ctx.deregister_table(name)?;
    ctx.register_table(name, table.clone())?;
    Ok(())
}

/// Registers what [`write`] wrote as `name` (replacing a table of that
/// name): its files, or an empty table of its schema.
pub async fn register_written(
    ctx: &SessionContext,
    wh: &Location,
    name: &str,
    written: &Written,
) -> anyhow::Result<()> {
    ctx.deregister_table(name)?;
    if written.rows == 0 {
        register_files(ctx, name, Vec::new(), Some(written.schema.clone())).await
    } else {
        register_files(ctx, name, vec![wh.table_url(&written.rel)], None).await
    }
}

/// Registers a committed model result under `name`: its folder, or, for a
/// model in parts, the view of them; without rows, an empty table of the
/// schema the model's SQL plans to (planned only then).
pub async fn register_record(
    ctx: &SessionContext,
    wh: &Location,
    name: &str,
    record: &ModelRecord,
    model: &Model,
) -> anyhow::Result<()> {
    if !register_parts(ctx, wh, name, model.unique_key(), &record.all_parts()).await? {
        let schema = Arc::new(ctx.sql(&model.sql).await?.schema().as_arrow().clone());
        register_files(ctx, name, Vec::new(), Some(schema)).await?;
    }
    Ok(())
}

/// Registers `name` as the table that `parts` (oldest first) make
/// together, leaving out those without rows: one folder as itself, several
/// as `<name>__part<i>` and the view of [`super::sql::parts`] over them.
/// False when no part has rows: the caller registers the empty table.
pub async fn register_parts(
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
            let mut tables = Vec::new();
            for (i, url) in urls.iter().enumerate() {
                let part = warehouse::part_table(name, i);
                ctx.deregister_table(part.as_str())?;
                register_files(ctx, &part, vec![url.clone()], None).await?;
                tables.push(part);
            }
            let view = view(ctx, super::sql::parts(&tables, key)).await?;
            ctx.register_table(name, Arc::new(view))?;
        }
    }
    Ok(true)
}

/// The rows of a table.
pub async fn count(ctx: &SessionContext, table: &str) -> anyhow::Result<u64> {
    let batches = ctx
        .sql(&format!("select count(*) from {table}"))
        .await?
        .collect()
        .await?;
    Ok(count_of(&batches))
}

/// The sum of the first column of `batches` (a count, or what
/// `write_parquet` returns: the rows written).
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
