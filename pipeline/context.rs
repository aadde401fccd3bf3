//! The one place that builds a DataFusion session: runtime, memory pool and
//! spilling. Nothing else constructs a `SessionContext`.

use std::sync::Arc;

use datafusion::execution::memory_pool::FairSpillPool;
use datafusion::execution::runtime_env::RuntimeEnvBuilder;
use datafusion::prelude::{SessionConfig, SessionContext};

/// A session bounded to `memory_limit` bytes; operators that can spill
/// (sorts, aggregations, joins) spill to the system's temporary folder.
/// The fair pool gives each spilling operator an equal share, so a query
/// with many concurrent aggregations (one per breakdown) spills instead of
/// letting the first ones starve the others.
pub fn session(memory_limit: usize) -> anyhow::Result<SessionContext> {
    let runtime = RuntimeEnvBuilder::new()
        .with_memory_pool(Arc::new(FairSpillPool::new(memory_limit)))
        .build_arc()?;
    let config = SessionConfig::new()
        .with_target_partitions(std::thread::available_parallelism().map_or(2, |n| n.get()))
        .with_information_schema(true)
        // Plain strings rather than string views: after filters and joins,
        // views keep whole Parquet pages alive, and a hash join's build side
        // (which cannot spill) then holds many times the data it needs.
        .set_bool(
            "datafusion.execution.parquet.schema_force_view_types",
            false,
        );
    Ok(SessionContext::new_with_config_rt(
        config,
        Arc::clone(&runtime),
    ))
}
