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

use anyhow::Context;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::prelude::SessionContext;

use super::plan::{Delta, Model, Plan};
use super::{ModelRecord, TransformManifest, register_sources, register_written, write_model};
use crate::config::Settings;
use crate::storage::Location;
use crate::warehouse::PullManifest;

/// What the previous transform must share with this one for a delta run:
/// the code lists compiled into the binary and the binary's version (the
/// SQL itself is compared model by model).
pub fn basis() -> String {
    let mut h = <sha2::Sha256 as sha2::Digest>::new();
    sha2::Digest::update(&mut h, env!("CARGO_PKG_VERSION"));
    for (name, text) in crate::codes::SEEDS {
        sha2::Digest::update(&mut h, name);
        sha2::Digest::update(&mut h, [0]);
        sha2::Digest::update(&mut h, text);
        sha2::Digest::update(&mut h, [0]);
    }
    hex::encode(sha2::Digest::finalize(h))
}

/// Whether `model` reads, directly or through other models, a current-state
/// table: its rows then change with the night's cases.
pub fn case_dependent(plan: &Plan) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for m in &plan.models {
        if matches!(m.delta, Delta::Current { .. }) || m.refs.iter().any(|r| out.contains(r)) {
            out.insert(m.name.clone());
        }
    }
    out
}

/// Why this run cannot be a delta run; `None` when it can. `hashes` are
/// those of each model's SQL rendered with the previous run's as-of date
/// (the previous run must have run exactly that); `empty` are the sources
/// without rows.
pub fn refusal(
    plan: &Plan,
    previous: Option<&TransformManifest>,
    hashes: &BTreeMap<String, String>,
    empty: &BTreeSet<String>,
) -> Option<String> {
    let Some(previous) = previous else {
        return Some("no previous transform to build on".into());
    };
    if previous.delta_basis != basis() {
        return Some("the previous transform ran another version or other code lists".into());
    }
    let kinds: BTreeMap<&str, &Delta> = plan
        .models
        .iter()
        .map(|m| (m.name.as_str(), &m.delta))
        .collect();
    let dependent = case_dependent(plan);
    let mut case_entities = BTreeSet::new();
    for m in &plan.models {
        let before = previous
            .models
            .iter()
            .find(|r| r.name == m.name && r.status == "succeeded");
        match before {
            Some(r) if hashes.get(&m.name) == Some(&r.sql_hash) => {}
            Some(_) => return Some(format!("the SQL of {} changed", m.name)),
            None => return Some(format!("the previous transform has no {}", m.name)),
        }
        let kind = |r: &String| kinds.get(r.as_str()).copied();
        match &m.delta {
            Delta::Current { .. } => {
                if !m.refs.is_empty() {
                    return Some(format!("{} refers to other models", m.name));
                }
                case_entities.extend(
                    m.incremental_sources
                        .iter()
                        .filter(|s| s.starts_with("new_"))
                        .cloned(),
                );
            }
            Delta::Rows | Delta::Sum { .. } => {
                for r in &m.refs {
                    let fine = match kind(r) {
                        Some(Delta::Current { .. }) | Some(Delta::Rows) => true,
                        Some(Delta::None) => !dependent.contains(r),
                        _ => false,
                    };
                    if !fine {
                        return Some(format!(
                            "{} (delta) refers to {r}, which is neither per case nor free of cases",
                            m.name
                        ));
                    }
                }
            }
            Delta::None => {
                if let Some(r) = m.refs.iter().find(|r| matches!(kind(r), Some(Delta::Rows))) {
                    return Some(format!(
                        "{} is rebuilt in full but refers to the per-case model {r}",
                        m.name
                    ));
                }
            }
        }
    }
    // What each model reads of the raw layer, itself or through models
    // rebuilt in full without cases (projects, targets).
    let mut reads: BTreeMap<&str, BTreeSet<&String>> = BTreeMap::new();
    for m in &plan.models {
        let mut own: BTreeSet<&String> = m.sources.iter().chain(&m.incremental_sources).collect();
        for r in &m.refs {
            if matches!(kinds.get(r.as_str()), Some(Delta::None)) && !dependent.contains(r) {
                own.extend(reads.get(r.as_str()).into_iter().flatten().copied());
            }
        }
        reads.insert(&m.name, own);
    }
    for m in plan
        .models
        .iter()
        .filter(|m| matches!(m.delta, Delta::Rows | Delta::Sum { .. }))
    {
        for s in &reads[m.name.as_str()] {
            let Some(entity) = s.strip_prefix("raw_").or_else(|| s.strip_prefix("new_")) else {
                continue;
            };
            let new = format!("new_{entity}");
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

/// The query of the touched cases (column `case_id`): the case of every
/// row pulled since the previous transform, and the case that each of
/// those records belonged to before. `merged` are the current-state models
/// that merged new rows this run (their previous result is registered as
/// `<model>__previous`). With a new as-of date, `window` holds the two
/// dates and `dates` each model's date columns: a record dated between
/// them counts in one run and not in the other, so its case is touched.
pub fn touched_sql(
    models: &[&Model],
    merged: &BTreeSet<String>,
    window: Option<(&str, &str)>,
    dates: &BTreeMap<String, Vec<String>>,
) -> String {
    let mut parts = Vec::new();
    for m in models {
        let (Delta::Current { case_column }, Some(unique_key)) = (&m.delta, &m.unique_key) else {
            continue;
        };
        if let Some((lo, hi)) = window {
            let within: Vec<String> = dates
                .get(&m.name)
                .into_iter()
                .flatten()
                .map(|d| format!("({d} > date '{lo}' and {d} <= date '{hi}')"))
                .collect();
            if !within.is_empty() {
                parts.push(format!(
                    "select {case_column} as case_id from {} where {}",
                    m.name,
                    within.join(" or ")
                ));
            }
        }
        if !merged.contains(&m.name) {
            continue;
        }
        for new in m
            .incremental_sources
            .iter()
            .filter(|s| s.starts_with("new_"))
        {
            parts.push(format!("select {case_column} as case_id from {new}"));
            parts.push(format!(
                "select p.{case_column} as case_id from {} p left semi join {new} n on p.{unique_key} = n.{unique_key}",
                super::plan::previous_table(&m.name)
            ));
        }
    }
    if parts.is_empty() {
        return "select cast(null as varchar) as case_id where false".into();
    }
    format!(
        "select distinct case_id from ({}) t where case_id is not null",
        parts.join(" union all ")
    )
}

/// The rows of `table` that belong to the touched cases (registered as
/// `delta_touched`).
pub fn restrict_sql(table: &str, case_column: &str) -> String {
    // The touched cases (thousands) on the build side of a hash join; the
    // table (millions) is streamed through it, never sorted.
    format!(
        "select r.* from delta_touched t right semi join {table} r on r.{case_column} = t.case_id"
    )
}

/// A summed model's result: its previous result (`<model>__previous`),
/// plus its result over the touched cases now (`<model>__new`), minus
/// their result before (`<model>__old`), group by group; a group whose
/// support sums to 0 has no rows behind it any more.
pub async fn combine_sql(
    ctx: &SessionContext,
    model: &str,
    measures: &[String],
    support: &str,
) -> anyhow::Result<String> {
    let schema = ctx.table(format!("{model}__new")).await?.schema().clone();
    let names: Vec<String> = schema
        .fields()
        .iter()
        .map(|f| format!("\"{}\"", f.name()))
        .collect();
    let is_measure = |n: &String| measures.iter().any(|m| format!("\"{m}\"") == *n);
    // Every column, each measure written as `measure(name)`.
    let with_measures = |measure: &dyn Fn(&str) -> String| -> Vec<String> {
        names
            .iter()
            .map(|n| {
                if is_measure(n) {
                    format!("{} as {n}", measure(n))
                } else {
                    n.clone()
                }
            })
            .collect()
    };
    let negated = with_measures(&|n| format!("-{n}"));
    let outer = with_measures(&|n| format!("sum({n})"));
    let keys: Vec<&str> = names
        .iter()
        .filter(|n| !is_measure(n))
        .map(String::as_str)
        .collect();
    let cols = names.join(", ");
    let group_by = if keys.is_empty() {
        String::new()
    } else {
        format!(" group by {}", keys.join(", "))
    };
    Ok(format!(
        "select {} from (select {cols} from {model}__previous union all select {cols} from {model}__new \
         union all select {} from {model}__old) d{group_by} having sum(\"{support}\") <> 0",
        outer.join(", "),
        negated.join(", "),
    ))
}

/// The two sessions of a delta run, over the touched cases only: `old`
/// reads the previous current-state tables, `new` the merged ones.
pub struct Scopes {
    old: SessionContext,
    new: SessionContext,
    /// Each model's SQL as the previous run rendered it (its as-of date).
    old_sql: BTreeMap<String, String>,
}

/// Where a delta run writes what it computes for the touched cases: files
/// of this run only, referenced by no manifest but this run's records.
fn scratch(run_id: &str, scope: &str, name: &str) -> String {
    format!("models/_delta/run_id={run_id}/{scope}/{name}/")
}

impl Scopes {
    /// Computes the touched cases and registers, in each scope, the
    /// current-state tables restricted to them. Runs after every
    /// current-state model (`done` holds their records).
    #[allow(clippy::too_many_arguments)]
    pub async fn prepare(
        main: &SessionContext,
        settings: &Settings,
        wh: &Location,
        pulls: &[PullManifest],
        since: u64,
        run_id: &str,
        plan: &Plan,
        old_plan: &Plan,
        window: Option<(&str, &str)>,
        done: &[ModelRecord],
    ) -> anyhow::Result<Scopes> {
        let currents: Vec<&Model> = plan
            .models
            .iter()
            .filter(|m| matches!(m.delta, Delta::Current { .. }))
            .collect();
        let merged: BTreeSet<String> = done
            .iter()
            .filter(|r| r.mode == "incremental")
            .map(|r| r.name.clone())
            .collect();
        let mut dates = BTreeMap::new();
        for m in currents.iter().filter(|_| window.is_some()) {
            let schema = main.table(m.name.as_str()).await?.schema().clone();
            let columns = schema
                .fields()
                .iter()
                .filter(|f| f.data_type() == &datafusion::arrow::datatypes::DataType::Date32)
                .map(|f| f.name().clone())
                .collect();
            dates.insert(m.name.clone(), columns);
        }
        let sql = touched_sql(&currents, &merged, window, &dates);
        crate::context::prefer_hash_joins(main, true);
        let restricted = Self::restrict(
            main, wh, run_id, &currents, &merged, &sql, pulls, since, settings,
        )
        .await;
        crate::context::prefer_hash_joins(main, false);
        let (old, new) = restricted?;
        let old_sql = old_plan
            .models
            .iter()
            .map(|m| (m.name.clone(), m.sql.clone()))
            .collect();
        Ok(Scopes { old, new, old_sql })
    }

    #[allow(clippy::too_many_arguments)]
    async fn restrict(
        main: &SessionContext,
        wh: &Location,
        run_id: &str,
        currents: &[&Model],
        merged: &BTreeSet<String>,
        sql: &str,
        pulls: &[PullManifest],
        since: u64,
        settings: &Settings,
    ) -> anyhow::Result<(SessionContext, SessionContext)> {
        let rel = scratch(run_id, "touched", "cases");
        let written = write_model(main, wh, "the touched cases' query", sql, &rel).await?;
        tracing::info!(cases = written.0, "touched cases");
        register_written(main, wh, "delta_touched", &rel, &written).await?;
        let scope = || async {
            let ctx =
                crate::context::engine_session(&settings.engine, settings.memory_limit).await?;
            register_sources(&ctx, wh, pulls, since).await?;
            register_written(&ctx, wh, "delta_touched", &rel, &written).await?;
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
            .filter_map(|m| match &m.delta {
                Delta::Current { case_column } => Some((m, case_column)),
                _ => None,
            })
            .map(|(m, case_column)| {
                // A model that merged nothing kept its previous result.
                let previous = if merged.contains(&m.name) {
                    super::plan::previous_table(&m.name)
                } else {
                    m.name.clone()
                };
                let (main, wh, m) = (main.clone(), wh.clone(), m.clone());
                let sql = restrict_sql(&previous, case_column);
                let rel = scratch(run_id, "old", &m.name);
                tokio::spawn(async move {
                    let written = write_model(&main, &wh, &m.describe(), &sql, &rel).await?;
                    anyhow::Ok((m, rel, written))
                })
            })
            .collect();
        for job in jobs {
            let (m, rel, written) = job.await??;
            register_written(&old, wh, &m.name, &rel, &written).await?;
            match (&m.incremental_sql, merged.contains(&m.name)) {
                (Some(merge), true) => {
                    // The touched rows before, with tonight's changed rows
                    // in place of those of their key.
                    let this = super::plan::previous_table(&m.name);
                    register_written(&new, wh, &this, &rel, &written).await?;
                    let changes = scratch(run_id, "new", &m.name);
                    crate::context::prefer_hash_joins(&new, true);
                    let changed = write_model(&new, wh, &m.describe(), merge, &changes).await;
                    crate::context::prefer_hash_joins(&new, false);
                    let changed = changed?;
                    let parts = [(&rel, written.0), (&changes, changed.0)].map(|(path, rows)| {
                        super::Part {
                            path: path.clone(),
                            rows,
                        }
                    });
                    let key = m.unique_key.as_deref();
                    if !super::register_parts(&new, wh, &m.name, key, &parts).await? {
                        register_written(&new, wh, &m.name, &rel, &written).await?;
                    }
                }
                _ => register_written(&new, wh, &m.name, &rel, &written).await?,
            }
        }
        Ok((old, new))
    }

    /// Registers a model built in full in both scopes.
    pub async fn share(
        &self,
        wh: &Location,
        name: &str,
        rel: &str,
        written: &(u64, SchemaRef),
    ) -> anyhow::Result<()> {
        for ctx in [&self.old, &self.new] {
            register_written(ctx, wh, name, rel, written).await?;
        }
        Ok(())
    }

    /// Builds every per-case and summed model of `models` (in run order)
    /// for the touched cases; returns their records. One model at a time:
    /// running four side by side (each a few small queries) failed at 1 M
    /// cases, their aggregations together exhausting the memory pool.
    pub async fn run_all(
        &self,
        main: &SessionContext,
        wh: &Location,
        models: &[&Model],
        run_id: &str,
        previous: Option<&TransformManifest>,
        hashes: &BTreeMap<String, String>,
    ) -> anyhow::Result<Vec<ModelRecord>> {
        let mut records = Vec::new();
        for model in models {
            let clock = std::time::Instant::now();
            let hash = hashes.get(&model.name).cloned().unwrap_or_default();
            let record = self.run(main, wh, model, run_id, previous, &hash).await?;
            let seconds = clock.elapsed().as_secs_f64();
            tracing::info!(
                model = %model.name,
                rows = record.rows,
                seconds,
                peak_rss_mib = crate::context::peak_rss_mib(),
                "model built for the touched cases"
            );
            records.push(ModelRecord { seconds, ..record });
        }
        Ok(records)
    }

    /// Builds a per-case or summed model for the touched cases.
    async fn run(
        &self,
        main: &SessionContext,
        wh: &Location,
        model: &Model,
        run_id: &str,
        previous: Option<&TransformManifest>,
        sql_hash: &str,
    ) -> anyhow::Result<ModelRecord> {
        let old_sql = self
            .old_sql
            .get(&model.name)
            .context("the previous run's SQL of every model")?;
        // The two scopes are independent and small: they run side by side
        // (planning, not data, is most of their time).
        let [old, new] = [("old", &self.old, old_sql), ("new", &self.new, &model.sql)].map(
            |(scope, ctx, sql)| {
                let (ctx, wh, model, sql) = (ctx.clone(), wh.clone(), model.clone(), sql.clone());
                let rel = scratch(run_id, scope, &model.name);
                tokio::spawn(async move {
                    let written = write_model(&ctx, &wh, &model.describe(), &sql, &rel).await?;
                    register_written(&ctx, &wh, &model.name, &rel, &written).await?;
                    anyhow::Ok((rel, written))
                })
            },
        );
        let (old_rel, old_written) = old.await??;
        let (new_rel, new_written) = new.await??;
        let record = |rows, path| ModelRecord {
            name: model.name.clone(),
            layer: model.layer.clone(),
            status: "succeeded".into(),
            rows,
            seconds: 0.0,
            path,
            sql_hash: sql_hash.to_string(),
            mode: "delta".into(),
            parts: Vec::new(),
        };
        let Delta::Sum { measures, support } = &model.delta else {
            // A per-case model. The data tests read it: they check the
            // touched cases' rows.
            register_written(main, wh, &model.name, &new_rel, &new_written).await?;
            return Ok(record(new_written.0, new_rel));
        };
        let before = previous
            .and_then(|p| p.models.iter().find(|r| r.name == model.name))
            .context("a delta run needs the previous result of every summed model")?;
        let name = |suffix: &str| format!("{}__{suffix}", model.name);
        super::register_record(main, wh, &name("previous"), before, model).await?;
        register_written(main, wh, &name("old"), &old_rel, &old_written).await?;
        register_written(main, wh, &name("new"), &new_rel, &new_written).await?;
        let sql = combine_sql(main, &model.name, measures, support).await?;
        let rel = super::model_folder(model, run_id);
        let written = write_model(main, wh, &model.describe(), &sql, &rel).await?;
        register_written(main, wh, &model.name, &rel, &written).await?;
        Ok(record(written.0, rel))
    }
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
                status: "succeeded".into(),
                rows: 1,
                seconds: 0.0,
                path: String::new(),
                sql_hash: hashes[&m.name].clone(),
                mode: "full".into(),
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
            delta_basis: basis(),
        };
        (manifest, hashes)
    }

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
            refusal(&plan, Some(&prev), &hashes, &empty_projects()),
            None
        );
        // Not without a previous transform, with other SQL, other code
        // lists, or new rows of reference data the sums depend on.
        assert!(refusal(&plan, None, &hashes, &empty_projects()).is_some());
        let mut changed = hashes.clone();
        changed.insert("ind".into(), "other".into());
        let why = refusal(&plan, Some(&prev), &changed, &empty_projects()).unwrap();
        assert!(why.contains("SQL of ind"), "{why}");
        let other_basis = TransformManifest {
            delta_basis: "old".into(),
            ..prev.clone()
        };
        assert!(refusal(&plan, Some(&other_basis), &hashes, &empty_projects()).is_some());
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
        let why = refusal(&plan, Some(&prev), &hashes, &empty_projects()).unwrap();
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
        assert_eq!(refusal(&plan, Some(&prev), &hashes, &BTreeSet::new()), None);
        let (_d, plan) = files(
            "{{ config(delta='rows') }}select * from {{ ref('cur_cases') }} join {{ ref('stg_projects') }} using (project_code)",
        );
        let (prev, hashes) = previous(&plan);
        let why = refusal(&plan, Some(&prev), &hashes, &BTreeSet::new()).unwrap();
        assert!(why.contains("projects"), "{why}");
        assert_eq!(
            refusal(&plan, Some(&prev), &hashes, &empty_projects()),
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
