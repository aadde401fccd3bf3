//! Transform: run the SQL models in `sql/` with DataFusion, materialise each
//! as Parquet in the warehouse, run the data tests, commit, and export
//! `indicator_values`.
//!
//! [`transform`] is the list of steps; each step lives in its own module:
//!
//! - [`plan`]: discover, render and order the models (a model's [`plan::Kind`]
//!   says how it is built and kept);
//! - [`tables`]: the one way files become tables and queries become files;
//! - [`incremental`]: reuse, merge into parts, compaction;
//! - [`delta`]: delta runs over the touched cases;
//! - [`sql`]: the SQL those write (`materialise.sql`);
//! - [`data_tests`], [`export`], [`compile`].
//!
//! Invariants: models run in the order the SQL's `ref()`s give; each model's
//! files are written under a run-unique folder and become visible only when
//! the transform manifest is committed, which happens only when no data
//! test of severity `error` failed.

pub mod compile;
pub mod data_tests;
pub mod delta;
pub mod export;
pub mod incremental;
pub mod plan;
pub mod sql;
pub mod tables;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use datafusion::prelude::SessionContext;

use crate::config::{Engine, Settings};
use crate::indicators::Indicator;
use crate::storage::Location;
use crate::warehouse::records::{BuildMode, ModelRecord, StageStatus, TestRecord};
use crate::warehouse::{self, PullManifest, TransformManifest};
pub use compile::compile;
use incremental::Compactions;
use plan::{Model, Plan};
use tables::Sources;

/// What a transform did.
#[derive(Debug, Default)]
pub struct TransformOutcome {
    pub models: Vec<ModelRecord>,
    pub tests: Vec<TestRecord>,
    /// Rows of `indicator_values` per indicator.
    pub indicator_rows: BTreeMap<String, u64>,
    /// `indicators/indicator_values.csv` under the output folder, being
    /// written: [`export::CsvExport::finish`] waits for it.
    pub csv: Option<export::CsvExport>,
    /// Set when a data test of severity `error` failed: nothing was published.
    pub failed_tests: Vec<String>,
}

/// Runs every model, the data tests, then commits and starts the export
/// of `indicator_values.csv` (the caller waits for it).
pub async fn transform(
    settings: &Settings,
    wh: &Location,
    run_id: &str,
    out_dir: &Path,
) -> anyhow::Result<TransformOutcome> {
    let clock = Instant::now();
    let run = Run::prepare(settings, wh, run_id, out_dir).await?;
    tracing::debug!(
        seconds = clock.elapsed().as_secs_f64(),
        "sources registered, models planned"
    );
    let mut built = Built::new(delta::refusal(&run));
    let order = run.order(built.delta_run);
    let mut rest = order.as_slice();
    if built.delta_run {
        let currents = order.iter().take_while(|m| m.is_current_state()).count();
        // Merged through the touched cases' rows (see build_currents),
        // unless one reads another's merged rows.
        if order[..currents].iter().all(|m| m.refs.is_empty()) {
            run.build_currents(&order[..currents], &mut built).await?;
            rest = &order[currents..];
        }
    }
    for model in rest {
        run.build(model, &mut built).await?;
    }
    let mut out = TransformOutcome {
        models: built.records,
        ..Default::default()
    };
    let clock = Instant::now();
    let ctx = run.checking_session(&out.models).await?;
    (out.tests, out.failed_tests) = data_tests::run(&ctx, &run.plan).await?;
    tracing::debug!(seconds = clock.elapsed().as_secs_f64(), "data tests run");
    if !out.failed_tests.is_empty() {
        return Ok(out);
    }
    let clock = Instant::now();
    out.indicator_rows = export::rows_per_indicator(&ctx).await?;
    run.commit(&out.models).await?;
    tracing::debug!(
        seconds = clock.elapsed().as_secs_f64(),
        "transform committed"
    );
    out.csv = Some(export::CsvExport::start(&ctx, out_dir));
    Ok(out)
}

/// How a run builds one model ([`Run::step`]).
pub enum Step<'r> {
    /// With the other delta models, for the touched cases only.
    Delta,
    /// Its previous result, kept.
    Reuse(&'r ModelRecord),
    /// Its previous result, merged with the rows pulled since.
    Merge(&'r ModelRecord),
    /// From its inputs.
    Full,
}

impl Step<'_> {
    /// The mode `run.json` records for it.
    pub fn mode(&self) -> BuildMode {
        match self {
            Step::Delta => BuildMode::Delta,
            Step::Reuse(_) => BuildMode::Reused,
            Step::Merge(_) => BuildMode::Incremental,
            Step::Full => BuildMode::Full,
        }
    }
}

/// Plans every model's SQL in DataFusion, in run order, against empty
/// tables of the sources' schemas (each model's result becomes an empty
/// table of its schema): the SQL is valid and its columns exist, and no
/// data is read (`homeward doctor`). Returns the number of models.
pub async fn check_sql(settings: &Settings) -> anyhow::Result<usize> {
    let catalogue = crate::indicators::load(&settings.model_paths)?;
    let plan = plan::plan(
        &settings.model_paths,
        &plan::globals(settings, &catalogue),
        &tables::source_names(),
    )?;
    check_catalogue(&plan, &catalogue)?;
    let ctx = crate::context::session(settings.memory_limit)?;
    tables::register_empty_sources(&ctx, settings.codes).await?;
    for m in &plan.models {
        let df = ctx
            .sql(&m.sql)
            .await
            .with_context(|| format!("{}: does not plan", m.describe()))?;
        let schema = std::sync::Arc::new(df.schema().as_arrow().clone());
        ctx.register_table(
            &m.name,
            std::sync::Arc::new(datafusion::datasource::empty::EmptyTable::new(schema)),
        )?;
    }
    Ok(plan.models.len())
}

/// One model in `homeward plan`: how tonight's transform would build it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PlannedModel {
    pub name: String,
    pub layer: String,
    pub mode: BuildMode,
    pub reason: String,
}

/// What a transform run now would do with each model, in its order, after
/// a pull that adds rows of the `pending` entities; and why it would not be
/// a delta run. Reads the manifests, writes nothing and connects to no
/// cluster.
pub async fn plan_models(
    settings: &Settings,
    wh: &Location,
    pending: &BTreeSet<crate::pull::contract::Entity>,
) -> anyhow::Result<(Option<String>, Vec<PlannedModel>)> {
    let ctx = crate::context::session(settings.memory_limit)?;
    let out = std::env::temp_dir();
    let run = Run::assemble(settings, wh, "plan", &out, ctx, Some(pending)).await?;
    let mut built = Built::new(delta::refusal(&run));
    let mut planned = Vec::new();
    for model in run.order(built.delta_run) {
        let (step, reason) = run.step(model, &built);
        let mode = step.mode();
        built
            .records
            .push(run.record(model, mode, 0, String::new()));
        planned.push(PlannedModel {
            name: model.name.clone(),
            layer: model.layer.clone(),
            mode,
            reason,
        });
    }
    Ok((built.refusal, planned))
}

/// What every step of one transform reads: set up once by
/// [`Run::prepare`], then only read.
pub struct Run<'a> {
    pub settings: &'a Settings,
    pub wh: &'a Location,
    pub run_id: &'a str,
    pub out_dir: &'a Path,
    /// The session models run in (on a cluster, the cluster's).
    pub ctx: SessionContext,
    /// Every committed pull, and the newest one's sequence number.
    pub pulls: Vec<PullManifest>,
    pub pull_seq: u64,
    /// Every committed transform (the next commit follows the last).
    pub manifests: Vec<TransformManifest>,
    /// The transform incremental models build on: the newest, unless
    /// `--full-refresh`.
    pub previous: Option<TransformManifest>,
    /// The last pull `previous` read: `new_<entity>` holds the rows since.
    pub since: u64,
    pub sources: Sources,
    pub plan: Plan,
    /// SHA-256 of each model's rendered SQL.
    pub hashes: BTreeMap<String, String>,
    pub as_of: String,
    /// The as-of date of `previous` (this run's when there is none).
    pub previous_as_of: String,
    /// The plan rendered with `previous_as_of`, when that is another date:
    /// what the previous run ran.
    pub old_plan: Option<Plan>,
    /// Models to profile (`HOMEWARD_EXPLAIN`).
    pub explain: BTreeSet<String>,
}

/// The records of the models built so far, and the compactions done.
pub struct Built {
    pub records: Vec<ModelRecord>,
    /// Whether this is a delta run.
    pub delta_run: bool,
    /// Why it is not, when it is not.
    pub refusal: Option<String>,
    pub compactions: Compactions,
    /// A delta run's two scopes, once the current-state tables are merged.
    pub scopes: Option<delta::Scopes>,
}

impl Built {
    fn new(refusal: Option<String>) -> Built {
        Built {
            records: Vec::new(),
            delta_run: refusal.is_none(),
            refusal,
            compactions: Compactions::default(),
            scopes: None,
        }
    }

    /// Keeps the record of a model built since `clock` started, with why
    /// it was built so, and logs it.
    fn keep(&mut self, record: ModelRecord, reason: String, clock: Instant) {
        let seconds = clock.elapsed().as_secs_f64();
        tracing::info!(
            model = %record.name,
            rows = record.rows,
            seconds,
            peak_rss_mib = crate::context::peak_rss_mib(),
            "model built"
        );
        self.records.push(ModelRecord {
            seconds,
            reason,
            ..record
        });
    }

    /// The record of a model built in this run.
    pub fn get(&self, name: &str) -> Option<&ModelRecord> {
        self.records.iter().find(|r| r.name == name)
    }
}

impl<'a> Run<'a> {
    /// Reads the manifests, registers the sources, and plans the models.
    async fn prepare(
        settings: &'a Settings,
        wh: &'a Location,
        run_id: &'a str,
        out_dir: &'a Path,
    ) -> anyhow::Result<Run<'a>> {
        let ctx = crate::context::engine_session(&settings.engine, settings.memory_limit).await?;
        Run::assemble(settings, wh, run_id, out_dir, ctx, None).await
    }

    /// [`Run::prepare`] on a session of the caller's. With `pending` (the
    /// entities a pull not yet run would add rows of), nothing is
    /// registered: the run is as it would be after that pull (`plan`).
    async fn assemble(
        settings: &'a Settings,
        wh: &'a Location,
        run_id: &'a str,
        out_dir: &'a Path,
        ctx: SessionContext,
        pending: Option<&BTreeSet<crate::pull::contract::Entity>>,
    ) -> anyhow::Result<Run<'a>> {
        let catalogue = crate::indicators::load(&settings.model_paths)?;
        let pulls = warehouse::pull_manifests(wh).await?;
        let pull_seq =
            pulls.last().map_or(0, |m| m.seq) + u64::from(pending.is_some_and(|p| !p.is_empty()));
        let manifests = warehouse::transform_manifests(wh).await?;
        let previous = if settings.full_refresh {
            None
        } else {
            manifests.last().filter(|m| m.pull_seq <= pull_seq).cloned()
        };
        let since = previous.as_ref().map_or(0, |m| m.pull_seq);
        let sources = match pending {
            Some(pending) => tables::sources_of(&pulls, since, pending),
            None => tables::register_sources(&ctx, wh, &pulls, since, settings.codes).await?,
        };
        let plan = plan::plan(
            &settings.model_paths,
            &plan::globals(settings, &catalogue),
            &sources.names,
        )?;
        check_catalogue(&plan, &catalogue)?;
        let as_of = settings.as_of.format("%Y-%m-%d").to_string();
        let previous_as_of = previous.as_ref().map_or(as_of.clone(), |p| p.as_of.clone());
        // A delta run under a new as-of date recomputes the touched cases as
        // the previous run saw them: with its as-of date.
        let old_plan = if previous_as_of == as_of {
            None
        } else {
            let mut before = settings.clone();
            before.as_of = previous_as_of
                .parse()
                .context("the previous transform's as_of")?;
            Some(plan::plan(
                &settings.model_paths,
                &plan::globals(&before, &catalogue),
                &sources.names,
            )?)
        };
        Ok(Run {
            settings,
            wh,
            run_id,
            out_dir,
            ctx,
            hashes: plan::sql_hashes(&plan, settings.codes),
            pulls,
            pull_seq,
            manifests,
            previous,
            since,
            sources,
            plan,
            as_of,
            previous_as_of,
            old_plan,
            explain: explain_list(),
        })
    }

    /// The order models are built in. A delta run merges every
    /// current-state table first (the touched cases are known only then),
    /// then the models without cases (projects), then every per-case and
    /// summed model (together, side by side), then the rest: still an order
    /// the refs allow, as [`delta::refusal`] checked.
    fn order(&self, delta_run: bool) -> Vec<&Model> {
        let mut order: Vec<&Model> = self.plan.models.iter().collect();
        if delta_run {
            let dependent = delta::case_dependent(&self.plan);
            order.sort_by_key(|m| {
                if m.is_current_state() {
                    0
                } else if m.is_delta() {
                    2
                } else if !dependent.contains(&m.name) {
                    1
                } else {
                    3
                }
            });
        }
        order
    }

    /// How `model` is built in this run, and why: the transform follows
    /// it and `run.json` records the reason; `homeward plan` prints both
    /// beforehand.
    pub fn step(&self, model: &Model, built: &Built) -> (Step<'_>, String) {
        if built.delta_run && !model.is_current_state() && model.is_delta() {
            let since = self.previous.as_ref().map_or(0, |p| p.seq);
            return (
                Step::Delta,
                format!("delta run: recomputed for the cases touched since transform {since}"),
            );
        }
        match incremental::base(self, model, built) {
            incremental::Base::Reuse(r) => (
                Step::Reuse(r),
                "nothing pulled since the previous transform for it".into(),
            ),
            incremental::Base::Merge(r) => (
                Step::Merge(r),
                "merges the rows pulled since the previous transform".into(),
            ),
            incremental::Base::None => {
                let why = if model.incremental().is_some() {
                    if self.settings.full_refresh {
                        "--full-refresh".to_string()
                    } else if self.previous.is_none() {
                        "no previous transform to build on".to_string()
                    } else {
                        "the previous transform did not build it with this SQL and these code lists"
                            .to_string()
                    }
                } else if built.delta_run {
                    "rebuilt from its inputs: neither per case nor a sum over cases".to_string()
                } else {
                    format!(
                        "not a delta run: {}",
                        built.refusal.as_deref().unwrap_or("no previous transform")
                    )
                };
                (Step::Full, why)
            }
        }
    }

    /// Builds one model, the way its kind and this run call for.
    async fn build(&self, model: &Model, built: &mut Built) -> anyhow::Result<()> {
        let (step, reason) = self.step(model, built);
        if built.delta_run && !model.is_current_state() && built.scopes.is_none() {
            let merged = built
                .records
                .iter()
                .filter(|r| r.mode == BuildMode::Incremental)
                .map(|r| r.name.clone())
                .collect();
            built.scopes = Some(delta::Scopes::prepare(self, &merged, false).await?);
        }
        let clock = Instant::now();
        let record = match step {
            Step::Delta => {
                if built.get(&model.name).is_none() {
                    let scopes = built.scopes.as_ref().context("scopes prepared above")?;
                    let records = scopes.run_all(self).await?;
                    built
                        .records
                        .extend(records.into_iter().map(|r| ModelRecord {
                            reason: reason.clone(),
                            ..r
                        }));
                }
                return Ok(());
            }
            Step::Reuse(previous) => incremental::reuse(self, model, previous, built).await?,
            Step::Merge(previous) => incremental::merge(self, model, previous, built).await?,
            Step::Full => self.build_full(model, built).await?,
        };
        if let (Some(scopes), false) = (&built.scopes, record.mode == BuildMode::Full) {
            // Incremental models without cases that per-case models read
            // (projects); build_full shares the others.
            scopes.share_record(self.wh, model, &record).await?;
        }
        built.keep(record, reason, clock);
        Ok(())
    }

    /// Builds a delta run's current-state models (`models`, none reading
    /// another) together with the touched cases and their rows before
    /// tonight ([`delta::Scopes::prepare`]): a merged model's new part is
    /// the changed rows that computes from those rows, so tonight's merge
    /// reads thousands of rows, not the whole previous table.
    async fn build_currents(&self, models: &[&Model], built: &mut Built) -> anyhow::Result<()> {
        let mut merges = Vec::new();
        for &model in models {
            match self.step(model, built) {
                (Step::Merge(previous), reason) => {
                    incremental::register_previous(self, model, previous).await?;
                    if let Some(i) = model.incremental() {
                        self.profile(model, &i.sql).await?;
                    }
                    merges.push((model, previous, reason));
                }
                _ => self.build(model, built).await?,
            }
        }
        let merged = merges.iter().map(|(m, _, _)| m.name.clone()).collect();
        let clock = Instant::now();
        let mut scopes = delta::Scopes::prepare(self, &merged, true).await?;
        for (model, previous, reason) in merges {
            let written = scopes
                .changes
                .remove(&model.name)
                .with_context(|| format!("{}: no changed rows computed", model.describe()))?;
            let record = incremental::merged(self, model, previous, written, built).await?;
            built.keep(record, reason, clock);
        }
        built.scopes = Some(scopes);
        Ok(())
    }

    /// Builds a model from its inputs into a folder of this run.
    async fn build_full(&self, model: &Model, built: &Built) -> anyhow::Result<ModelRecord> {
        self.profile(model, &model.sql).await?;
        let rel = warehouse::model_folder(&model.home(), self.run_id);
        let written = tables::write(&self.ctx, self.wh, &model.describe(), &model.sql, rel).await?;
        tables::register_written(&self.ctx, self.wh, &model.name, &written).await?;
        if let Some(scopes) = &built.scopes {
            // Models rebuilt in full that per-case models read (projects).
            scopes.share(self.wh, &model.name, &written).await?;
        }
        Ok(self.record(model, BuildMode::Full, written.rows, written.rel))
    }

    /// A new record of a model built by this run.
    pub fn record(&self, model: &Model, mode: BuildMode, rows: u64, path: String) -> ModelRecord {
        ModelRecord {
            name: model.name.clone(),
            layer: model.layer.clone(),
            status: StageStatus::Succeeded,
            rows,
            seconds: 0.0,
            path,
            sql_hash: self.hashes.get(&model.name).cloned().unwrap_or_default(),
            mode,
            reason: String::new(),
            parts: Vec::new(),
        }
    }

    /// The record the previous transform left of a model, if it succeeded
    /// with the same SQL.
    pub fn previous_record(&self, model: &Model) -> Option<&ModelRecord> {
        let hash = self.hashes.get(&model.name)?;
        self.previous.as_ref()?.models.iter().find(|r| {
            r.name == model.name && &r.sql_hash == hash && r.status == StageStatus::Succeeded
        })
    }

    /// Profiles a model's query first when `HOMEWARD_EXPLAIN` names it.
    async fn profile(&self, model: &Model, sql: &str) -> anyhow::Result<()> {
        if self.explain.contains(&model.name) {
            export::explain_analyze(&self.ctx, &model.name, sql, self.out_dir).await?;
        }
        Ok(())
    }

    /// The session the data tests, the counts and the export run in. They
    /// read small results or ask small questions: on a Ballista cluster
    /// they run here, on the committed files. (On the in-process test
    /// cluster, a data test over an empty model hung now and then: a union
    /// with an empty table under an anti join.)
    async fn checking_session(&self, built: &[ModelRecord]) -> anyhow::Result<SessionContext> {
        if matches!(self.settings.engine, Engine::Local) {
            return Ok(self.ctx.clone());
        }
        let ctx = crate::context::session(self.settings.memory_limit)?;
        tables::register_sources(&ctx, self.wh, &self.pulls, self.since, self.settings.codes)
            .await?;
        for r in built {
            let model = self
                .plan
                .models
                .iter()
                .find(|m| m.name == r.name)
                .context("a built model is in the plan")?;
            tables::register_record(&ctx, self.wh, &r.name, r, model).await?;
        }
        Ok(ctx)
    }

    /// Commits the transform: its models become what readers see.
    async fn commit(&self, models: &[ModelRecord]) -> anyhow::Result<()> {
        let manifest = TransformManifest {
            seq: self.manifests.last().map_or(1, |m| m.seq + 1),
            run_id: self.run_id.to_string(),
            as_of: self.as_of.clone(),
            committed_at: chrono::Utc::now().to_rfc3339(),
            pull_seq: self.pull_seq,
            models: models.to_vec(),
            delta_basis: delta::basis(self.settings.codes),
        };
        warehouse::commit(self.wh, &manifest).await
    }
}

/// Every indicator of the catalogue has its model, and every `ind_*` model
/// its catalogue entry.
fn check_catalogue(plan: &Plan, catalogue: &[Indicator]) -> anyhow::Result<()> {
    for ind in catalogue {
        let model = format!("ind_{}", ind.id);
        if !plan.models.iter().any(|m| m.name == model) {
            anyhow::bail!(
                "indicator `{}` is in the catalogue but there is no model {model}.sql",
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
    Ok(())
}

/// The models `HOMEWARD_EXPLAIN=model,…` asks to profile.
fn explain_list() -> BTreeSet<String> {
    std::env::var("HOMEWARD_EXPLAIN")
        .unwrap_or_default()
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}
