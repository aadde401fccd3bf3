//! The one place that builds a DataFusion session: runtime, memory pool and
//! spilling, and the switch to a Ballista cluster. Nothing else constructs a
//! `SessionContext`.

use std::sync::Arc;

use datafusion::execution::memory_pool::FairSpillPool;
use datafusion::execution::runtime_env::RuntimeEnvBuilder;
use datafusion::prelude::{SessionConfig, SessionContext};

use crate::config::Engine;

/// The options every session shares, local or distributed.
fn configure(config: SessionConfig) -> SessionConfig {
    config
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
}

/// Hash joins for the queries planned while this guard lives, instead of
/// the session's default sort-merge joins; dropped, it puts back what the
/// session had. Sort-merge joins spill and bound memory when both sides
/// are large; a hash join is right when one side is small (an incremental
/// merge's new keys, the touched cases).
pub struct HashJoins {
    ctx: SessionContext,
    before: bool,
}

impl HashJoins {
    /// Prefers hash joins on `ctx` until dropped.
    pub fn prefer(ctx: &SessionContext) -> HashJoins {
        let before = set_hash_joins(ctx, true);
        HashJoins {
            ctx: ctx.clone(),
            before,
        }
    }
}

impl Drop for HashJoins {
    fn drop(&mut self) {
        set_hash_joins(&self.ctx, self.before);
    }
}

/// Sets the optimiser's hash-join preference; returns the one it replaced.
fn set_hash_joins(ctx: &SessionContext, on: bool) -> bool {
    let state = ctx.state_ref();
    let mut state = state.write();
    let options = &mut state.config_mut().options_mut().optimizer;
    std::mem::replace(&mut options.prefer_hash_join, on)
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
    Ok(SessionContext::new_with_config_rt(
        configure(SessionConfig::new()),
        Arc::clone(&runtime),
    ))
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
    use datafusion::execution::SessionStateBuilder;
    // Ballista's adaptive planner (on by default) re-plans stages from
    // statistics; with an input of zero rows under an `unnest` (a project
    // whose drops never had surveys) its job never finished. The static
    // distributed planner runs the same plans to the end.
    let config =
        SessionConfig::new_with_ballista().set_bool("ballista.planner.adaptive.enabled", false);
    let state = SessionStateBuilder::new()
        .with_config(configure(config))
        .with_default_features()
        .build();
    let url = format!("df://{host}:{port}");
    SessionContext::remote_with_state(&url, state)
        .await
        .map_err(|e| anyhow::anyhow!("cannot use the Ballista scheduler at {url}: {e}"))
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
