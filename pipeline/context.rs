//! The one place that builds a DataFusion session: runtime, memory pool and
//! spilling, and the switch to a Ballista cluster. Nothing else constructs a
//! `SessionContext`.

use std::sync::Arc;

use datafusion::common::tree_node::{Transformed, TransformedResult, TreeNode};
use datafusion::config::ConfigOptions;
use datafusion::execution::SessionStateBuilder;
use datafusion::execution::memory_pool::FairSpillPool;
use datafusion::execution::runtime_env::RuntimeEnvBuilder;
use datafusion::physical_optimizer::PhysicalOptimizerRule;
use datafusion::physical_optimizer::optimizer::PhysicalOptimizer;
use datafusion::physical_plan::joins::{HashJoinExec, PartitionMode, SortMergeJoinExec};
use datafusion::physical_plan::{ExecutionPlan, StatisticsArgs, StatisticsContext};
use datafusion::prelude::{SessionConfig, SessionContext};

use crate::config::Engine;

/// The options every session shares, local or distributed, then any
/// `DATAFUSION_*` environment variable on top (see [`env_overrides`]).
fn configure(config: SessionConfig) -> anyhow::Result<SessionConfig> {
    let config = config
        .with_target_partitions(std::thread::available_parallelism().map_or(2, |n| n.get()))
        .with_information_schema(true)
        // Sort-merge joins rather than hash joins: a hash join's build side
        // cannot spill, so the largest one (1 M cases joined to their
        // services) either pushed peak RSS past 1 GiB or, with a smaller
        // pool, failed the model. Sort-merge joins spill like sorts; at 1 M
        // cases the transform was no slower (benches/README.md, Memory).
        .set_bool("datafusion.optimizer.prefer_hash_join", false)
        // Plain strings rather than string views: after filters and joins,
        // views keep whole Parquet pages alive, and a hash join's build side
        // (which cannot spill) then holds many times the data it needs.
        .set_bool(
            "datafusion.execution.parquet.schema_force_view_types",
            false,
        )
        // Models are written with LZ4 (the raw layer uses Snappy), not
        // DataFusion's default zstd(3): most are read once by the next model
        // of the same run and rewritten by the next full run, so encoding
        // speed matters more than size. At 1 M cases the transform took
        // 4–8 % less time (benches/README.md) for a larger warehouse.
        .set_str("datafusion.execution.parquet.compression", "lz4_raw")
        // Row groups of 128 Ki rows, not DataFusion's 1 Mi: the writer holds
        // a whole row group, outside what sorts can spill, and at 5 M cases
        // the one of `cur_cases` (17 M versions sorted) found the pool
        // exhausted and failed the run. At 1 M cases: the same time, 40 MiB
        // less at the peak (benches/README.md).
        .set_usize(
            "datafusion.execution.parquet.max_row_group_size",
            128 * 1024,
        );
    env_overrides(config, |var| std::env::var(var).ok())
}

/// DataFusion's own settings from the environment, as DataFusion's CLI reads
/// them: `DATAFUSION_EXECUTION_BATCH_SIZE=4096` sets
/// `datafusion.execution.batch_size`. Applied after Homeward's defaults, so
/// an operator can tune (or undo) any of them for one run without a rebuild;
/// a value DataFusion rejects is an error naming the variable.
fn env_overrides(
    mut config: SessionConfig,
    lookup: impl Fn(&str) -> Option<String>,
) -> anyhow::Result<SessionConfig> {
    let keys: Vec<String> = config
        .options()
        .entries()
        .into_iter()
        .map(|e| e.key)
        .collect();
    for key in keys {
        let var = key.to_uppercase().replace('.', "_");
        if let Some(value) = lookup(&var) {
            config
                .options_mut()
                .set(&key, &value)
                .map_err(|e| anyhow::anyhow!("{var}={value}: {e}"))?;
            tracing::info!(setting = %key, %value, "DataFusion setting from the environment");
        }
    }
    Ok(config)
}

/// A session option set for the queries planned while the guard lives;
/// dropped, it puts back what the session had.
struct Setting {
    ctx: SessionContext,
    option: fn(&mut ConfigOptions) -> &mut bool,
    before: bool,
}

impl Setting {
    fn on(ctx: &SessionContext, option: fn(&mut ConfigOptions) -> &mut bool) -> Setting {
        let before = Setting::set(ctx, option, true);
        Setting {
            ctx: ctx.clone(),
            option,
            before,
        }
    }

    /// Sets `option`; returns the value it replaced.
    fn set(ctx: &SessionContext, option: fn(&mut ConfigOptions) -> &mut bool, on: bool) -> bool {
        let state = ctx.state_ref();
        let mut state = state.write();
        std::mem::replace(option(state.config_mut().options_mut()), on)
    }
}

impl Drop for Setting {
    fn drop(&mut self) {
        Setting::set(&self.ctx, self.option, self.before);
    }
}

/// Hash joins for the queries planned while this guard lives, instead of
/// the session's default sort-merge joins. Sort-merge joins spill and
/// bound memory when both sides are large; a hash join is right when one
/// side is small (an incremental merge's new keys, the touched cases).
pub struct HashJoins {
    _on: Setting,
}

impl HashJoins {
    /// Prefers hash joins on `ctx` until dropped.
    pub fn prefer(ctx: &SessionContext) -> HashJoins {
        HashJoins {
            _on: Setting::on(ctx, |o| &mut o.optimizer.prefer_hash_join),
        }
    }
}

/// Parquet filter pushdown for the queries planned while this guard lives:
/// their filters, and the dynamic filter of a hash join's small side, are
/// applied while Parquet is decoded, so a scan that keeps few rows decodes
/// the other columns of those rows only. Not the session's default: at 5 M
/// cases it made the full run slower and its peak higher
/// (docs/decisions.md).
pub struct FilterPushdown {
    _on: Setting,
}

impl FilterPushdown {
    /// Pushes filters into Parquet scans on `ctx` until dropped.
    pub fn on(ctx: &SessionContext) -> FilterPushdown {
        FilterPushdown {
            _on: Setting::on(ctx, |o| &mut o.execution.parquet.pushdown_filters),
        }
    }
}

/// Sets `ctx` up for queries over few rows, each run beside another (the
/// two scopes of a delta run over a few thousand touched cases): one
/// partition per query, so no repartitioning of a few thousand rows into
/// hash partitions and back, and one pass of the logical optimizer
/// instead of up to three, since planning, not reading, is much of such a
/// query. At 1 M cases with 10,000 touched cases the delta models' queries
/// then spent 0.23 s planning instead of 0.30 s and the transform took
/// 0.1 s less (benches/README.md). The options are rewrites that keep
/// results: the night's indicator_values stayed identical.
pub fn for_few_rows(ctx: &SessionContext) {
    let state = ctx.state_ref();
    let mut state = state.write();
    let options = state.config_mut().options_mut();
    options.execution.target_partitions = 1;
    options.optimizer.max_passes = 1;
}

/// A session bounded to `memory_limit` bytes; operators that can spill
/// (sorts, aggregations, joins) spill to the system's temporary folder.
/// The fair pool gives each spilling operator an equal share, so a query
/// with many concurrent aggregations (one per breakdown) spills instead of
/// letting the first ones starve the others.
pub fn session(memory_limit: usize) -> anyhow::Result<SessionContext> {
    let runtime = RuntimeEnvBuilder::new()
        .with_memory_pool(Arc::new(FairSpillPool::new(memory_limit)))
        .build_arc()?;
    // SmallSideHashJoin first, so that DataFusion's own join selection,
    // which runs next, places its small side.
    let mut rules = PhysicalOptimizer::new().rules;
    rules.insert(1, Arc::new(SmallSideHashJoin));
    let state = SessionStateBuilder::new()
        .with_config(configure(SessionConfig::new())?)
        .with_runtime_env(runtime)
        .with_default_features()
        .with_physical_optimizer_rules(rules)
        .build();
    Ok(SessionContext::new_with_state(state))
}

/// A hash join, not a sort-merge join, where one side is known to be small.
///
/// The session prefers sort-merge joins because they spill (see
/// [`configure`]), but sorting millions of rows to join them with a code
/// list of 14 rows wastes the sort: at 1 M cases `stg_assistance` sorted
/// and spilled 4 M rows for its join with the assistance types. When the
/// statistics of either side are below DataFusion's own thresholds for
/// collecting a side into one hash table
/// (`datafusion.optimizer.hash_join_single_partition_threshold` and
/// `_rows`), the join becomes a hash join left to DataFusion's join
/// selection (`PartitionMode::Auto`), which builds the hash table from that
/// side. Joins of two large sides stay sort-merge joins.
#[derive(Debug)]
struct SmallSideHashJoin;

impl PhysicalOptimizerRule for SmallSideHashJoin {
    fn optimize(
        &self,
        plan: Arc<dyn ExecutionPlan>,
        config: &ConfigOptions,
    ) -> datafusion::error::Result<Arc<dyn ExecutionPlan>> {
        let bytes = config.optimizer.hash_join_single_partition_threshold;
        let rows = config.optimizer.hash_join_single_partition_threshold_rows;
        plan.transform_up(|node| {
            let Some(smj) = node.downcast_ref::<SortMergeJoinExec>() else {
                return Ok(Transformed::no(node));
            };
            if !(is_small(smj.left(), bytes, rows) || is_small(smj.right(), bytes, rows)) {
                return Ok(Transformed::no(node));
            }
            let join = HashJoinExec::try_new(
                Arc::clone(smj.left()),
                Arc::clone(smj.right()),
                smj.on().to_vec(),
                smj.filter().clone(),
                &smj.join_type(),
                None,
                PartitionMode::Auto,
                smj.null_equality(),
                false,
            )?;
            Ok(Transformed::yes(Arc::new(join) as Arc<dyn ExecutionPlan>))
        })
        .data()
    }

    fn name(&self) -> &str {
        "small_side_hash_join"
    }

    fn schema_check(&self) -> bool {
        true
    }
}

/// Whether `plan`'s statistics say it is below the thresholds (bytes when
/// known, else rows); unknown statistics are not small.
fn is_small(plan: &Arc<dyn ExecutionPlan>, bytes: usize, rows: usize) -> bool {
    let Ok(stats) = StatisticsContext::new().compute(plan.as_ref(), &StatisticsArgs::new()) else {
        return false;
    };
    if let Some(size) = stats.total_byte_size.get_value() {
        *size < bytes
    } else if let Some(n) = stats.num_rows.get_value() {
        *n < rows
    } else {
        false
    }
}

/// The transform's session: local, or a client of the Ballista scheduler
/// named by `engine`. A Ballista session plans here and executes on the
/// cluster's executors, which read and write the warehouse themselves; the
/// memory limit then applies to the executors' own configuration, not here.
pub async fn engine_session(
    engine: &Engine,
    memory_limit: usize,
) -> anyhow::Result<SessionContext> {
    match engine {
        Engine::Local => session(memory_limit),
        Engine::Ballista { host, port } => ballista_session(host, *port).await,
    }
}

#[cfg(feature = "ballista")]
async fn ballista_session(host: &str, port: u16) -> anyhow::Result<SessionContext> {
    use ballista::prelude::{SessionConfigExt, SessionContextExt};
    // Ballista's adaptive planner (on by default) re-plans stages from
    // statistics; with an input of zero rows under an `unnest` (a project
    // whose drops never had surveys) its job never finished. The static
    // distributed planner runs the same plans to the end.
    let config =
        SessionConfig::new_with_ballista().set_bool("ballista.planner.adaptive.enabled", false);
    let state = SessionStateBuilder::new()
        .with_config(configure(config)?)
        .with_default_features()
        .build();
    let url = format!("df://{host}:{port}");
    let ctx = SessionContext::remote_with_state(&url, state)
        .await
        .map_err(|e| anyhow::anyhow!("cannot use the Ballista scheduler at {url}: {e}"))?;
    ctx.register_udf(homeward_node_udf().as_ref().clone());
    check_nodes(&ctx, &format!("{host}:{port}")).await?;
    Ok(ctx)
}

/// The version a Homeward cluster node answers with: `homeward_node(x)`
/// is this build's version for every row. The client's probe of the
/// cluster calls it on an executor; the stock Ballista nodes lack it.
pub fn homeward_node_udf() -> Arc<datafusion::logical_expr::ScalarUDF> {
    use datafusion::arrow::datatypes::DataType;
    use datafusion::logical_expr::{ColumnarValue, Volatility, create_udf};
    let version = |_: &[ColumnarValue]| {
        Ok(ColumnarValue::Scalar(
            datafusion::scalar::ScalarValue::Utf8(Some(env!("CARGO_PKG_VERSION").to_string())),
        ))
    };
    // Volatile: a constant would be folded on the client and never reach
    // an executor.
    Arc::new(create_udf(
        "homeward_node",
        vec![DataType::Int64],
        DataType::Utf8,
        Volatility::Volatile,
        Arc::new(version),
    ))
}

/// Refuses a cluster that cannot run Homeward's SQL, before any model:
/// one small job through the scheduler to an executor, which must be a
/// `homeward executor` of this version. The stock Ballista executor fails
/// to decode the array functions the models use, in the middle of a run;
/// this says so at the start, in words. Once per scheduler and process.
#[cfg(feature = "ballista")]
async fn check_nodes(ctx: &SessionContext, scheduler: &str) -> anyhow::Result<()> {
    use datafusion::arrow::array::{Array, AsArray};
    static CHECKED: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    if CHECKED
        .lock()
        .is_ok_and(|c| c.iter().any(|s| s == scheduler))
    {
        return Ok(());
    }
    let wait = std::time::Duration::from_secs(120);
    let probe = async {
        ctx.sql("select homeward_node(x) as version from (values (1)) as t(x)")
            .await?
            .collect()
            .await
    };
    let batches = tokio::time::timeout(wait, probe)
        .await
        .map_err(|_| {
            anyhow::anyhow!(
                "the Ballista cluster at {scheduler} ran no task within {} s: is an executor \
                 (`homeward executor --scheduler {scheduler}`) connected to it?",
                wait.as_secs()
            )
        })?
        .map_err(|e| {
            anyhow::anyhow!(
                "the Ballista cluster at {scheduler} cannot run Homeward's SQL: its scheduler \
                 and executors must be `homeward scheduler` and `homeward executor` (homeward \
                 built with `--features cluster`), not the stock Ballista binaries, whose \
                 executor lacks functions the models use (docs/operations.md). Ballista said: {e}"
            )
        })?;
    let theirs = batches
        .iter()
        .find(|b| b.num_rows() > 0)
        .and_then(|b| {
            let col = b.column(0).as_string_opt::<i32>()?;
            (!col.is_null(0)).then(|| col.value(0).to_string())
        })
        .unwrap_or_default();
    let ours = env!("CARGO_PKG_VERSION");
    anyhow::ensure!(
        theirs == ours,
        "the Ballista cluster at {scheduler} runs homeward {theirs:?}, this is homeward {ours}: \
         run the same version on the scheduler, the executors and the client"
    );
    if let Ok(mut c) = CHECKED.lock() {
        c.push(scheduler.to_string());
    }
    Ok(())
}

#[cfg(not(feature = "ballista"))]
async fn ballista_session(host: &str, port: u16) -> anyhow::Result<SessionContext> {
    anyhow::bail!(
        "engine = \"ballista://{host}:{port}\": this homeward was built without the `ballista` \
         feature; rebuild with default features"
    )
}

/// The process's peak resident memory so far (Linux's `VmHWM`), in MiB: a
/// model or stage whose run raises it is where memory goes. `None` elsewhere.
pub fn peak_rss_mib() -> Option<u64> {
    proc_status_mib("VmHWM:")
}

/// The process's resident memory now (Linux's `VmRSS`), in MiB: what a
/// stage leaves held for the next one. `None` elsewhere.
pub fn rss_mib() -> Option<u64> {
    proc_status_mib("VmRSS:")
}

fn proc_status_mib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_overrides_a_setting_and_names_a_bad_value() {
        let config = env_overrides(SessionConfig::new(), |var| {
            (var == "DATAFUSION_EXECUTION_BATCH_SIZE").then(|| "1234".to_string())
        })
        .unwrap();
        assert_eq!(config.batch_size(), 1234);
        let err = env_overrides(SessionConfig::new(), |var| {
            (var == "DATAFUSION_OPTIMIZER_PREFER_HASH_JOIN").then(|| "perhaps".to_string())
        })
        .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("DATAFUSION_OPTIMIZER_PREFER_HASH_JOIN=perhaps"),
            "{err}"
        );
    }

    /// The physical plan of `sql` as text.
    async fn physical_plan(ctx: &SessionContext, sql: &str) -> String {
        let plan = ctx
            .sql(sql)
            .await
            .unwrap()
            .create_physical_plan()
            .await
            .unwrap();
        datafusion::physical_plan::displayable(plan.as_ref())
            .indent(false)
            .to_string()
    }

    #[tokio::test]
    async fn a_join_with_a_small_side_is_a_hash_join_and_two_large_sides_merge() {
        let ctx = session(64 << 20).unwrap();
        let small = physical_plan(
            &ctx,
            "select * from generate_series(1, 1000000) big \
             join (values (1, 'a'), (2, 'b')) as s(x, label) on big.value = s.x",
        )
        .await;
        assert!(small.contains("HashJoinExec"), "{small}");
        assert!(!small.contains("SortMergeJoin"), "{small}");
        let large = physical_plan(
            &ctx,
            "select * from generate_series(1, 1000000) a \
             join generate_series(1, 1000000) b on a.value = b.value",
        )
        .await;
        assert!(large.contains("SortMergeJoin"), "{large}");
        // And the hash join gives the join's rows.
        let rows = ctx
            .sql(
                "select count(*) from generate_series(1, 1000) big \
                 join (values (1), (2), (2)) as s(x) on big.value = s.x",
            )
            .await
            .unwrap()
            .collect()
            .await
            .unwrap();
        let n = rows[0]
            .column(0)
            .as_any()
            .downcast_ref::<datafusion::arrow::array::Int64Array>()
            .unwrap()
            .value(0);
        assert_eq!(n, 3);
    }
}
