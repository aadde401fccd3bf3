//! Delta runs: a nightly run that recomputes the models for the cases the
//! night touched, not for all history (README, Delta runs).
//!
//! The current-state tables (`cur_*`) are merged as in any incremental run.
//! Then the touched cases are the cases of the night's rows, plus the cases
//! that the previous versions of those records belonged to. Every per-case
//! model (`delta='rows'`) is computed twice, over the touched cases only:
//! once from the previous current-state tables (`old`) and once from the
//! merged ones (`new`). Every summed model (`delta='sum'`) is computed on
//! both, and its result is its previous result plus `new` minus `old`,
//! group by group, exactly (the measures are integers or exact decimals).
//! The other models are rebuilt from these results as usual.
//!
//! A run is a delta run only when that gives what a full rebuild would:
//! the previous transform ran the same SQL on the same code lists, only
//! case-keyed entities received rows, and the graph keeps per-case models
//! away from the models that are rebuilt in full. Otherwise the run
//! rebuilds downstream of the current-state tables, and says why.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use anyhow::Context;
use datafusion::arrow::datatypes::DataType;
use datafusion::datasource::MemTable;
use datafusion::prelude::SessionContext;

use super::Run;
use super::plan::{Kind, Model, Plan};
use super::sql::{self, Touched};
use super::tables::{self, Written, register_written};
use crate::config::Engine;
use crate::context::{FilterPushdown, HashJoins};
use crate::storage::Location;
use crate::warehouse::records::{BuildMode, ModelRecord, Part, StageStatus};
use crate::warehouse::{self, TOUCHED_TABLE, TransformManifest, previous_table, scope_table};

/// What the previous transform must share with this one for a delta run:
/// the binary's version and the project's code lists (the SQL itself is
/// compared model by model). A delta run's sums were made with both.
pub fn basis(codes: &crate::codes::Codes) -> String {
    format!(
        "homeward {}; code lists {}",
        env!("CARGO_PKG_VERSION"),
        codes.fingerprint
    )
}

/// Why two bases differ, in words.
fn basis_change(before: &str, now: &str) -> String {
    let version = |b: &str| b.split(';').next().unwrap_or("").to_string();
    if version(before) == version(now) {
        "the code lists changed since the previous transform".into()
    } else {
        "the previous transform ran another version of Homeward".into()
    }
}

/// The models that read, directly or through other models, a
/// current-state table: their rows change with the night's cases.
pub fn case_dependent(plan: &Plan) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for m in &plan.models {
        if m.is_current_state() || m.refs.iter().any(|r| out.contains(r)) {
            out.insert(m.name.clone());
        }
    }
    out
}

/// A model a delta run rebuilds in full (neither current-state nor delta).
fn rebuilt(m: &Model) -> bool {
    !m.is_current_state() && !m.is_delta()
}

/// Why this run cannot be a delta run (logged); `None` when it can.
pub fn refusal(run: &Run<'_>) -> Option<String> {
    let why = match run.settings.engine {
        Engine::Local => {
            // The previous run must have run exactly the SQL rendered with
            // its own as-of date.
            let codes = run.settings.codes;
            let old_hashes = run
                .old_plan
                .as_ref()
                .map(|p| super::plan::sql_hashes(p, codes));
            refusal_of(
                &run.plan,
                run.previous.as_ref(),
                old_hashes.as_ref().unwrap_or(&run.hashes),
                &run.sources.empty,
                &basis(codes),
            )
        }
        // A delta run is three small queries per model: on a cluster each
        // is a job with its own scheduling cost, and jobs over inputs
        // without rows (a night without businesses) hung on the test
        // cluster. The cluster rebuilds downstream of the merges.
        Engine::Ballista { .. } => Some("delta runs use the local engine".to_string()),
    };
    if let (Some(why), Some(_)) = (&why, &run.previous) {
        tracing::info!(reason = %why, "not a delta run: models after the current-state tables are rebuilt");
    }
    why
}

/// Why a run of `plan` on `previous` cannot be a delta run; `None` when it
/// can. `hashes` are those of each model's SQL rendered with the previous
/// run's as-of date (the previous run must have run exactly that); `empty`
/// are the sources without rows.
pub fn refusal_of(
    plan: &Plan,
    previous: Option<&TransformManifest>,
    hashes: &BTreeMap<String, String>,
    empty: &BTreeSet<String>,
    basis: &str,
) -> Option<String> {
    let Some(previous) = previous else {
        return Some("no previous transform to build on".into());
    };
    if previous.delta_basis != basis {
        return Some(basis_change(&previous.delta_basis, basis));
    }
    let models: BTreeMap<&str, &Model> = plan.models.iter().map(|m| (m.name.as_str(), m)).collect();
    let dependent = case_dependent(plan);
    let mut case_entities = BTreeSet::new();
    for m in &plan.models {
        let before = previous
            .models
            .iter()
            .find(|r| r.name == m.name && r.status == StageStatus::Succeeded);
        match before {
            Some(r) if hashes.get(&m.name) == Some(&r.sql_hash) => {}
            Some(_) => return Some(format!("the SQL of {} changed", m.name)),
            None => return Some(format!("the previous transform has no {}", m.name)),
        }
        if m.is_current_state() {
            if !m.refs.is_empty() {
                return Some(format!("{} refers to other models", m.name));
            }
            case_entities.extend(m.new_sources().cloned());
        } else if m.is_delta() {
            for r in &m.refs {
                let fine = match models.get(r.as_str()) {
                    Some(r) if r.is_current_state() || r.kind == Kind::PerCase => true,
                    Some(r) if rebuilt(r) => !dependent.contains(&r.name),
                    _ => false,
                };
                if !fine {
                    return Some(format!(
                        "{} (delta) refers to {r}, which is neither per case nor free of cases",
                        m.name
                    ));
                }
            }
        } else if let Some(r) = m.refs.iter().find(|r| {
            models
                .get(r.as_str())
                .is_some_and(|r| r.kind == Kind::PerCase)
        }) {
            return Some(format!(
                "{} is rebuilt in full but refers to the per-case model {r}",
                m.name
            ));
        }
    }
    // What each model reads of the raw layer, itself or through models
    // rebuilt in full without cases (projects, targets).
    let mut reads: BTreeMap<&str, BTreeSet<&String>> = BTreeMap::new();
    for m in &plan.models {
        let incremental = m.incremental().into_iter().flat_map(|i| &i.sources);
        let mut own: BTreeSet<&String> = m.sources.iter().chain(incremental).collect();
        for r in &m.refs {
            if models.get(r.as_str()).is_some_and(|r| rebuilt(r)) && !dependent.contains(r) {
                own.extend(reads.get(r.as_str()).into_iter().flatten().copied());
            }
        }
        reads.insert(&m.name, own);
    }
    for m in plan.models.iter().filter(|m| m.is_delta()) {
        for s in &reads[m.name.as_str()] {
            let Some(entity) = s.strip_prefix("raw_").or_else(|| s.strip_prefix("new_")) else {
                continue;
            };
            let new = warehouse::source_table("new", entity);
            if case_entities.contains(&new) {
                return Some(format!(
                    "{} (delta) reads {s} directly, not through its current-state table",
                    m.name
                ));
            }
            // Reference data that per-case models read changed: every
            // case's rows may change.
            if !empty.contains(&new) {
                return Some(format!("new rows for {entity}, which {} reads", m.name));
            }
        }
    }
    None
}

/// The parts of the touched-cases query: the case of every row pulled
/// since the previous transform, and the case that each of those records
/// belonged to before. `merged` are the current-state models that merged
/// new rows this run (their previous result is registered as
/// `<model>__previous`). With a new as-of date, `window` holds the two
/// dates and `dates` each model's date columns: a record dated between
/// them counts in one run and not in the other, so its case is touched.
/// The window is looked for in a merged model's previous result, not in
/// the merged one, so the query does not wait for the merge: the two give
/// the same cases, since a record the merge adds or replaces has its case
/// touched already (the rows pulled since, and the cases before).
pub fn touched(
    models: &[&Model],
    merged: &BTreeSet<String>,
    window: Option<(&str, &str)>,
    dates: &BTreeMap<String, Vec<String>>,
) -> Vec<Touched> {
    let mut branches = Vec::new();
    for m in models {
        let Some((key, case_column)) = m.current_state() else {
            continue;
        };
        if let Some((lo, hi)) = window {
            let dates = dates.get(&m.name).cloned().unwrap_or_default();
            if !dates.is_empty() {
                branches.push(Touched::Window {
                    table: if merged.contains(&m.name) {
                        previous_table(&m.name)
                    } else {
                        m.name.clone()
                    },
                    case_column: case_column.to_string(),
                    dates,
                    lo: lo.to_string(),
                    hi: hi.to_string(),
                });
            }
        }
        if !merged.contains(&m.name) {
            continue;
        }
        for new in m.new_sources() {
            branches.push(Touched::New {
                new: new.clone(),
                case_column: case_column.to_string(),
            });
            branches.push(Touched::Before {
                previous: previous_table(&m.name),
                new: new.clone(),
                case_column: case_column.to_string(),
                key: key.to_string(),
            });
        }
    }
    branches
}

/// A summed model's result (see `combine` in `materialise.sql`), its
/// columns read from `<model>__new`.
pub async fn combine_sql(
    ctx: &SessionContext,
    model: &str,
    measures: &[String],
    support: &str,
) -> anyhow::Result<String> {
    let new = scope_table(model, "new");
    let schema = ctx.table(new.as_str()).await?.schema().clone();
    let columns: Vec<sql::Column> = schema
        .fields()
        .iter()
        .map(|f| sql::Column {
            name: f.name().clone(),
            measure: measures.contains(f.name()),
        })
        .collect();
    Ok(sql::combine(
        &previous_table(model),
        &new,
        &scope_table(model, "old"),
        &columns,
        support,
    ))
}

/// The two sessions of a delta run, over the touched cases only: `old`
/// reads the previous current-state tables, `new` the merged ones.
pub struct Scopes {
    old: SessionContext,
    new: SessionContext,
    /// Each model's SQL as the previous run rendered it (its as-of date).
    old_sql: BTreeMap<String, String>,
    /// Whether the delta models' results in the scopes are kept in memory
    /// (few touched cases) or written as Parquet (see [`IN_MEMORY_CASES`]).
    in_memory: bool,
    /// Tonight's changed rows of each merged current-state table, when
    /// [`Scopes::prepare`] wrote them as the tables' new parts.
    pub changes: BTreeMap<String, Written>,
}

/// Up to this many touched cases (or `HOMEWARD_DELTA_MEMORY_CASES`), what
/// the delta models compute for them stays in memory, outside the memory
/// pool: at 1 M cases a night of 10,000 touched cases peaked ≈ 30–50 MiB
/// higher. The scopes' sessions are then also set for few rows
/// ([`crate::context::for_few_rows`]). Above it, a night such as a large
/// catch-up drop writes those results as Parquet and reads them back,
/// bounded by the pool as the rest of the transform.
pub const IN_MEMORY_CASES: u64 = 50_000;

/// [`IN_MEMORY_CASES`], or the number `HOMEWARD_DELTA_MEMORY_CASES` says.
fn in_memory_cases() -> anyhow::Result<u64> {
    match std::env::var("HOMEWARD_DELTA_MEMORY_CASES") {
        Ok(v) => v
            .trim()
            .parse()
            .with_context(|| format!("HOMEWARD_DELTA_MEMORY_CASES={v}: not a number of cases")),
        Err(_) => Ok(IN_MEMORY_CASES),
    }
}

/// A delta model's result in one scope: in memory, or written.
enum Scoped {
    Kept(Arc<MemTable>, u64),
    Written(Written),
}

impl Scoped {
    fn rows(&self) -> u64 {
        match self {
            Scoped::Kept(_, rows) => *rows,
            Scoped::Written(w) => w.rows,
        }
    }

    /// Registers it as `name` in `ctx`.
    async fn register(
        &self,
        ctx: &SessionContext,
        wh: &Location,
        name: &str,
    ) -> anyhow::Result<()> {
        match self {
            Scoped::Kept(table, _) => tables::register_kept(ctx, name, table),
            Scoped::Written(w) => register_written(ctx, wh, name, w).await,
        }
    }
}

impl Scopes {
    /// Computes the touched cases and registers, in each scope, the
    /// current-state tables restricted to them. `merged` are the
    /// current-state models that merge rows this run, their previous
    /// results registered as `<model>__previous` (it reads those, not the
    /// merged tables); the others are registered as they are.
    ///
    /// Each merged table's changed rows tonight are its incremental SQL
    /// over its touched rows before tonight. With `as_parts`, they are
    /// written where a merge writes its new part, and returned
    /// ([`Scopes::changes`]) for the merge to keep instead of running the
    /// same SQL over the whole previous table: the two give the same rows,
    /// since every previous record that a row pulled tonight replaces or
    /// contests belongs to a touched case (the touched cases include the
    /// case each such record had before). Without it, the merges ran
    /// first and these rows stay the run's own.
    pub async fn prepare(
        run: &Run<'_>,
        merged: &BTreeSet<String>,
        as_parts: bool,
    ) -> anyhow::Result<Scopes> {
        let clock = std::time::Instant::now();
        let currents: Vec<&Model> = run
            .plan
            .models
            .iter()
            .filter(|m| m.is_current_state())
            .collect();
        let window = (run.previous_as_of != run.as_of).then(|| {
            let mut w = [run.previous_as_of.as_str(), run.as_of.as_str()];
            w.sort();
            (w[0], w[1])
        });
        let mut dates = BTreeMap::new();
        for m in currents.iter().filter(|_| window.is_some()) {
            let table = if merged.contains(&m.name) {
                previous_table(&m.name)
            } else {
                m.name.clone()
            };
            let schema = run.ctx.table(table.as_str()).await?.schema().clone();
            let columns = schema
                .fields()
                .iter()
                .filter(|f| f.data_type() == &DataType::Date32)
                .map(|f| f.name().clone())
                .collect();
            dates.insert(m.name.clone(), columns);
        }
        let sql = sql::touched(&touched(&currents, merged, window, &dates));
        let (old, new, in_memory, changes) = {
            // The touched cases (thousands) are a hash join's small side;
            // pushed into the scan of each current table (millions), they
            // leave only their rows to decode.
            let _joins = HashJoins::prefer(&run.ctx);
            let _pushdown = FilterPushdown::on(&run.ctx);
            Self::restrict(run, &currents, merged, &sql, as_parts).await?
        };
        let old_sql = run
            .old_plan
            .as_ref()
            .unwrap_or(&run.plan)
            .models
            .iter()
            .map(|m| (m.name.clone(), m.sql.clone()))
            .collect();
        tracing::info!(
            seconds = clock.elapsed().as_secs_f64(),
            "touched cases restricted"
        );
        Ok(Scopes {
            old,
            new,
            old_sql,
            in_memory,
            changes,
        })
    }

    /// The two scopes, whether the touched cases are few enough for the
    /// delta models' results to stay in memory, and, with `as_parts`, each
    /// merged table's changed rows, written as its new part.
    async fn restrict(
        run: &Run<'_>,
        currents: &[&Model],
        merged: &BTreeSet<String>,
        sql: &str,
        as_parts: bool,
    ) -> anyhow::Result<(
        SessionContext,
        SessionContext,
        bool,
        BTreeMap<String, Written>,
    )> {
        let (main, wh) = (&run.ctx, run.wh);
        let rel = warehouse::delta_folder(run.run_id, "touched", "cases");
        let touched = tables::write(main, wh, "the touched cases' query", sql, rel).await?;
        tracing::info!(cases = touched.rows, "touched cases");
        register_written(main, wh, TOUCHED_TABLE, &touched).await?;
        let few = touched.rows <= in_memory_cases()?;
        let scope = || async {
            let ctx =
                crate::context::engine_session(&run.settings.engine, run.settings.memory_limit)
                    .await?;
            // The old and new scopes' queries run side by side.
            if few {
                crate::context::for_few_rows(&ctx);
            }
            tables::register_sources(&ctx, wh, &run.pulls, run.since, run.settings.codes).await?;
            register_written(&ctx, wh, TOUCHED_TABLE, &touched).await?;
            anyhow::Ok(ctx)
        };
        let (old, new) = (scope().await?, scope().await?);
        // Each table's touched rows before tonight, read from the previous
        // result (all four side by side). Tonight's touched rows are then
        // the model's own merge of tonight's rows into those: every record
        // that tonight's rows touch belongs to a touched case, so that
        // merge, unlike a second scan of the merged table, reads thousands
        // of rows, not millions.
        let jobs: Vec<_> = currents
            .iter()
            .copied()
            .filter_map(|m| Some((m, m.current_state()?.1)))
            .map(|(m, case_column)| {
                // A model that merged nothing kept its previous result.
                let previous = if merged.contains(&m.name) {
                    previous_table(&m.name)
                } else {
                    m.name.clone()
                };
                let (main, wh, m) = (main.clone(), wh.clone(), m.clone());
                let sql = sql::restrict(&previous, case_column);
                let rel = warehouse::delta_folder(run.run_id, "old", &m.name);
                tokio::spawn(async move {
                    let clock = std::time::Instant::now();
                    let written = tables::write(&main, &wh, &m.describe(), &sql, rel).await?;
                    // What reading each table's touched rows costs a night.
                    tracing::debug!(
                        model = m.name,
                        rows = written.rows,
                        seconds = clock.elapsed().as_secs_f64(),
                        "touched rows read"
                    );
                    anyhow::Ok((m, written))
                })
            })
            .collect();
        // Tonight's changed rows of each table, side by side too: the new
        // scope plans each query for one partition when the touched cases
        // are few, so one after the other they used one core. Not when a
        // current-state model reads another: it must see that one's rows
        // of tonight, registered once its query is done.
        let side_by_side = currents.iter().all(|m| m.refs.is_empty());
        let joins = HashJoins::prefer(&new);
        let mut changes = Vec::new();
        let mut done = BTreeMap::new();
        for job in jobs {
            let (m, written) = job.await??;
            register_written(&old, wh, &m.name, &written).await?;
            match (m.incremental(), merged.contains(&m.name)) {
                (Some(incremental), true) => {
                    // The touched rows before, with tonight's changed rows
                    // in place of those of their key.
                    register_written(&new, wh, &previous_table(&m.name), &written).await?;
                    let rel = if as_parts {
                        warehouse::changes_folder(&m.home(), run.run_id)
                    } else {
                        warehouse::delta_folder(run.run_id, "new", &m.name)
                    };
                    let (ctx, store, sql) = (new.clone(), wh.clone(), incremental.sql.clone());
                    changes.push(tokio::spawn(async move {
                        let clock = std::time::Instant::now();
                        let changed = tables::write(&ctx, &store, &m.describe(), &sql, rel).await?;
                        // What merging tonight's rows into them costs.
                        tracing::debug!(
                            model = m.name,
                            rows = changed.rows,
                            seconds = clock.elapsed().as_secs_f64(),
                            "touched rows merged"
                        );
                        anyhow::Ok((m, written, changed))
                    }));
                    if !side_by_side {
                        Self::register_changes(&new, wh, changes.drain(..), &mut done).await?;
                    }
                }
                _ => register_written(&new, wh, &m.name, &written).await?,
            }
        }
        Self::register_changes(&new, wh, changes.drain(..), &mut done).await?;
        drop(joins);
        if !as_parts {
            done.clear();
        }
        Ok((old, new, few, done))
    }

    /// Waits for each current table's changed rows (see [`Scopes::restrict`])
    /// and registers the table in the new scope: its touched rows before
    /// tonight, with the changed rows in place of those of their key.
    /// Each table's changed rows go into `done`.
    async fn register_changes(
        new: &SessionContext,
        wh: &Location,
        changes: impl Iterator<
            Item = tokio::task::JoinHandle<anyhow::Result<(Model, Written, Written)>>,
        >,
        done: &mut BTreeMap<String, Written>,
    ) -> anyhow::Result<()> {
        for change in changes {
            let (m, written, changed) = change.await??;
            let parts = [&written, &changed].map(|w| Part {
                path: w.rel.clone(),
                rows: w.rows,
            });
            if !tables::register_parts(new, wh, &m.name, m.unique_key(), &parts).await? {
                register_written(new, wh, &m.name, &written).await?;
            }
            done.insert(m.name, changed);
        }
        Ok(())
    }

    /// Registers a model built in full in both scopes.
    pub async fn share(&self, wh: &Location, name: &str, written: &Written) -> anyhow::Result<()> {
        for ctx in [&self.old, &self.new] {
            register_written(ctx, wh, name, written).await?;
        }
        Ok(())
    }

    /// Registers a kept incremental model's result (`record`) in both
    /// scopes.
    pub async fn share_record(
        &self,
        wh: &Location,
        model: &Model,
        record: &ModelRecord,
    ) -> anyhow::Result<()> {
        for ctx in [&self.old, &self.new] {
            tables::register_record(ctx, wh, &model.name, record, model).await?;
        }
        Ok(())
    }

    /// Builds every per-case and summed model of the plan (in run order)
    /// for the touched cases; returns their records. One model's queries at
    /// a time: running four side by side (each a few small queries) failed
    /// at 1 M cases, their aggregations together exhausting the memory
    /// pool. Only a sum's combine, when the touched cases are few, runs on
    /// beside the next models'.
    /// A per-case result leaves the scopes once the last model reading it
    /// is built (the data tests read it in the main session).
    pub async fn run_all(&self, run: &Run<'_>) -> anyhow::Result<Vec<ModelRecord>> {
        let models: Vec<&Model> = run.plan.models.iter().filter(|m| m.is_delta()).collect();
        let mut last_read: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, m) in models.iter().enumerate() {
            last_read.insert(&m.name, i);
            for r in &m.refs {
                if let Some(last) = last_read.get_mut(r.as_str()) {
                    *last = i;
                }
            }
        }
        let mut records = Vec::new();
        // Combines still running, with where their records go.
        let mut combining = Vec::new();
        for (i, model) in models.iter().enumerate() {
            let clock = std::time::Instant::now();
            match self.run(run, model).await? {
                Outcome::Done(record) => {
                    records.push(built(model, record, clock.elapsed().as_secs_f64()));
                }
                // With few touched cases, a sum's combine (a regrouping of
                // its previous result, then a Parquet write, on one core
                // for much of it) runs beside the next models' queries.
                // Above IN_MEMORY_CASES each waits, so that the pool holds
                // one at a time.
                Outcome::Combining(task) if self.in_memory => {
                    let started = clock.elapsed().as_secs_f64();
                    combining.push((records.len(), *model, started, task));
                    records.push(run.record(model, BuildMode::Delta, 0, String::new()));
                }
                Outcome::Combining(task) => {
                    let (record, _) = task.await??;
                    records.push(built(model, record, clock.elapsed().as_secs_f64()));
                }
            }
            for (name, _) in last_read.iter().filter(|(_, last)| **last == i) {
                for ctx in [&self.old, &self.new] {
                    ctx.deregister_table(*name)?;
                }
            }
        }
        for (slot, model, started, task) in combining {
            let (record, seconds) = task.await??;
            records[slot] = built(model, record, started + seconds);
        }
        Ok(records)
    }

    /// Builds a per-case or summed model for the touched cases; a sum's
    /// combine may still be running when it returns.
    async fn run(&self, run: &Run<'_>, model: &Model) -> anyhow::Result<Outcome> {
        let (main, wh) = (&run.ctx, run.wh);
        let old_sql = self
            .old_sql
            .get(&model.name)
            .context("the previous run's SQL of every model")?;
        // The two scopes are independent and small: they run side by side.
        // Only this run's later models, the combine below and the data
        // tests read their results.
        let in_memory = self.in_memory;
        let [old, new] = [("old", &self.old, old_sql), ("new", &self.new, &model.sql)].map(
            |(scope, ctx, sql)| {
                let (ctx, wh, model, sql) = (ctx.clone(), wh.clone(), model.clone(), sql.clone());
                let rel = warehouse::delta_folder(run.run_id, scope, &model.name);
                tokio::spawn(async move {
                    let what = model.describe();
                    let clock = std::time::Instant::now();
                    let result = if in_memory {
                        let (table, rows) = tables::keep(&ctx, &what, &sql).await?;
                        Scoped::Kept(table, rows)
                    } else {
                        Scoped::Written(tables::write(&ctx, &wh, &what, &sql, rel).await?)
                    };
                    result.register(&ctx, &wh, &model.name).await?;
                    // Each scope's share of a delta run (`--log-format
                    // json`, debug): the old scope's is the most that not
                    // computing the touched cases' previous results again
                    // could save (benches/README.md).
                    tracing::debug!(
                        model = %model.name,
                        scope,
                        rows = result.rows(),
                        seconds = clock.elapsed().as_secs_f64(),
                        "scope computed"
                    );
                    anyhow::Ok(result)
                })
            },
        );
        let (old, new) = (old.await??, new.await??);
        let Kind::Sum { measures, support } = &model.kind else {
            // A per-case model: the touched cases' rows, which the data
            // tests check. Kept in memory, they are not written: they are
            // not the model's rows.
            new.register(main, wh, &model.name).await?;
            let path = match &new {
                Scoped::Kept(..) => String::new(),
                Scoped::Written(w) => w.rel.clone(),
            };
            return Ok(Outcome::Done(run.record(
                model,
                BuildMode::Delta,
                new.rows(),
                path,
            )));
        };
        let before = run
            .previous
            .as_ref()
            .and_then(|p| p.models.iter().find(|r| r.name == model.name))
            .context("a delta run needs the previous result of every summed model")?;
        if old.rows() == 0 && new.rows() == 0 {
            // No touched case has a row in it (on a night with nothing
            // new, none): the previous result is this run's, as an
            // incremental model with nothing new is reused.
            // Its reason stays the run's: `homeward plan`, which runs no
            // query, says the same.
            tables::register_record(main, wh, &model.name, before, model).await?;
            return Ok(Outcome::Done(run.record(
                model,
                BuildMode::Delta,
                before.rows,
                before.path.clone(),
            )));
        }
        tables::register_record(main, wh, &previous_table(&model.name), before, model).await?;
        let (old_name, new_name) = (
            scope_table(&model.name, "old"),
            scope_table(&model.name, "new"),
        );
        old.register(main, wh, &old_name).await?;
        new.register(main, wh, &new_name).await?;
        let sql = combine_sql(main, &model.name, measures, support).await?;
        let rel = warehouse::model_folder(&model.home(), run.run_id);
        let record = run.record(model, BuildMode::Delta, 0, String::new());
        let (main, wh, what) = (main.clone(), wh.clone(), model.describe());
        Ok(Outcome::Combining(tokio::spawn(async move {
            let clock = std::time::Instant::now();
            // A summed model's result is its cells (thousands of rows, at
            // any number of cases), and the combines run beside the
            // scopes' queries, which keep both cores busy: one partition,
            // as in the scopes, over the main session's tables.
            let combining = SessionContext::new_with_state(main.state());
            crate::context::for_few_rows(&combining);
            let written = tables::write(&combining, &wh, &what, &sql, rel).await?;
            // What adding tonight's difference to the whole result costs.
            tracing::debug!(
                model = record.name,
                rows = written.rows,
                seconds = clock.elapsed().as_secs_f64(),
                "combined"
            );
            register_written(&main, &wh, &record.name, &written).await?;
            main.deregister_table(old_name.as_str())?;
            main.deregister_table(new_name.as_str())?;
            let record = ModelRecord {
                rows: written.rows,
                path: written.rel,
                ..record
            };
            Ok((record, clock.elapsed().as_secs_f64()))
        })))
    }
}

/// What [`Scopes::run`] returns.
enum Outcome {
    Done(ModelRecord),
    /// A sum's combine, running: its record and seconds.
    Combining(tokio::task::JoinHandle<anyhow::Result<(ModelRecord, f64)>>),
}

/// A delta model's record, built in `seconds`, logged.
fn built(model: &Model, record: ModelRecord, seconds: f64) -> ModelRecord {
    tracing::info!(
        model = %model.name,
        rows = record.rows,
        seconds,
        peak_rss_mib = crate::context::peak_rss_mib(),
        "model built for the touched cases"
    );
    ModelRecord { seconds, ..record }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A plan of models given as (path, SQL), with the raw and new tables
    /// of cases and projects as sources.
    fn plan_of(files: &[(&str, &str)]) -> (tempfile::TempDir, Plan) {
        let dir = tempfile::tempdir().unwrap();
        for (p, text) in files {
            let path = dir.path().join(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let sources = ["raw_cases", "new_cases", "raw_projects", "new_projects"]
            .map(String::from)
            .into();
        let plan =
            super::super::plan::plan(&[dir.path().to_path_buf()], &BTreeMap::new(), &sources)
                .unwrap();
        (dir, plan)
    }

    const CUR: &str = "{{ config(materialized='incremental', unique_key='case_id', case_column='case_id') }}\
        {% if is_incremental() %}select * from {{ this }} union all select * from {{ source('new', 'cases') }}\
        {% else %}select * from {{ source('raw', 'cases') }}{% endif %}";

    /// The previous transform of `plan`: every model succeeded with the
    /// same SQL and the same basis.
    fn previous(plan: &Plan) -> (TransformManifest, BTreeMap<String, String>) {
        let hashes: BTreeMap<String, String> = plan
            .models
            .iter()
            .map(|m| (m.name.clone(), format!("h-{}", m.sql.len())))
            .collect();
        let models = plan
            .models
            .iter()
            .map(|m| ModelRecord {
                name: m.name.clone(),
                layer: m.layer.clone(),
                status: StageStatus::Succeeded,
                rows: 1,
                seconds: 0.0,
                path: String::new(),
                sql_hash: hashes[&m.name].clone(),
                mode: BuildMode::Full,
                reason: String::new(),
                parts: Vec::new(),
            })
            .collect();
        let manifest = TransformManifest {
            seq: 1,
            run_id: "r".into(),
            as_of: "2026-05-31".into(),
            committed_at: String::new(),
            pull_seq: 1,
            models,
            delta_basis: basis(crate::codes::Codes::shipped()),
        };
        (manifest, hashes)
    }

    /// The basis the tests' previous transforms ran with.
    static B: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| basis(crate::codes::Codes::shipped()));

    fn empty_projects() -> BTreeSet<String> {
        BTreeSet::from(["new_projects".to_string()])
    }

    #[test]
    fn a_graph_of_current_rows_and_sums_allows_a_delta_run() {
        let (_d, plan) = plan_of(&[
            ("current/cur_cases.sql", CUR),
            (
                "staging/stg.sql",
                "{{ config(delta='rows') }}select * from {{ ref('cur_cases') }}",
            ),
            (
                "indicators/ind.sql",
                "{{ config(delta='sum', measures=['n'], support='n') }}select sex, count(*) as n from {{ ref('stg') }} group by sex",
            ),
            ("indicators/values.sql", "select * from {{ ref('ind') }}"),
        ]);
        let (prev, hashes) = previous(&plan);
        assert_eq!(
            refusal_of(&plan, Some(&prev), &hashes, &empty_projects(), &B),
            None
        );
        // Not without a previous transform, with other SQL, other code
        // lists, or new rows of reference data the sums depend on.
        assert!(refusal_of(&plan, None, &hashes, &empty_projects(), &B).is_some());
        let mut changed = hashes.clone();
        changed.insert("ind".into(), "other".into());
        let why = refusal_of(&plan, Some(&prev), &changed, &empty_projects(), &B).unwrap();
        assert!(why.contains("SQL of ind"), "{why}");
        let other_basis = TransformManifest {
            delta_basis: B.replace("code lists ", "code lists 0"),
            ..prev.clone()
        };
        let why = refusal_of(&plan, Some(&other_basis), &hashes, &empty_projects(), &B).unwrap();
        assert!(why.contains("code lists changed"), "{why}");
    }

    #[test]
    fn a_full_model_over_per_case_rows_forbids_a_delta_run() {
        let (_d, plan) = plan_of(&[
            ("current/cur_cases.sql", CUR),
            (
                "staging/stg.sql",
                "{{ config(delta='rows') }}select * from {{ ref('cur_cases') }}",
            ),
            (
                "marts/all.sql",
                "select count(*) as n from {{ ref('stg') }}",
            ),
        ]);
        let (prev, hashes) = previous(&plan);
        let why = refusal_of(&plan, Some(&prev), &hashes, &empty_projects(), &B).unwrap();
        assert!(why.contains("all") && why.contains("stg"), "{why}");
    }

    #[test]
    fn new_reference_rows_forbid_a_delta_run_only_if_per_case_models_read_them() {
        let files = |stg: &'static str| {
            plan_of(&[
                ("current/cur_cases.sql", CUR),
                (
                    "staging/stg_projects.sql",
                    "select * from {{ source('raw', 'projects') }}",
                ),
                ("staging/stg.sql", stg),
            ])
        };
        let (_d, plan) = files("{{ config(delta='rows') }}select * from {{ ref('cur_cases') }}");
        let (prev, hashes) = previous(&plan);
        assert_eq!(
            refusal_of(&plan, Some(&prev), &hashes, &BTreeSet::new(), &B),
            None
        );
        let (_d, plan) = files(
            "{{ config(delta='rows') }}select * from {{ ref('cur_cases') }} join {{ ref('stg_projects') }} using (project_code)",
        );
        let (prev, hashes) = previous(&plan);
        let why = refusal_of(&plan, Some(&prev), &hashes, &BTreeSet::new(), &B).unwrap();
        assert!(why.contains("projects"), "{why}");
        assert_eq!(
            refusal_of(&plan, Some(&prev), &hashes, &empty_projects(), &B),
            None
        );
    }

    #[tokio::test]
    async fn a_sum_is_the_previous_result_plus_new_minus_old() {
        let ctx = SessionContext::new();
        for (name, rows) in [
            // Groups (project, sex): P1/F keeps untouched cases; P1/M loses
            // its only case; P2/F is new; P1/X had support but sums to 0.
            (
                "m__previous",
                "('P1', 'F', 5.5, 3), ('P1', 'M', 1.0, 1), ('P1', 'X', 0.0, 2)",
            ),
            ("m__old", "('P1', 'F', 2.0, 1), ('P1', 'M', 1.0, 1)"),
            ("m__new", "('P1', 'F', 0.25, 1), ('P2', 'F', 4.0, 2)"),
        ] {
            ctx.sql(&format!(
                "create view {name} as select column1 as project, column2 as sex, \
                 cast(column3 as decimal(38, 20)) as total, column4 as support from (values {rows})"
            ))
            .await
            .unwrap();
        }
        let sql = combine_sql(&ctx, "m", &["total".into(), "support".into()], "support")
            .await
            .unwrap();
        let batches = ctx
            .sql(&format!(
                "select project, sex, cast(total as varchar) as t, support from ({sql}) order by project, sex"
            ))
            .await
            .unwrap()
            .collect()
            .await
            .unwrap();
        let text = datafusion::arrow::util::pretty::pretty_format_batches(&batches)
            .unwrap()
            .to_string();
        let rows: Vec<&str> = text.lines().filter(|l| l.starts_with("| P")).collect();
        assert_eq!(
            rows,
            [
                "| P1      | F   | 3.75000000000000000000 | 3       |",
                "| P1      | X   | 0.00000000000000000000 | 2       |",
                "| P2      | F   | 4.00000000000000000000 | 2       |",
            ]
        );
    }
}
