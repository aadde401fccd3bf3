//! The one place that builds a DataFusion session: runtime, memory pool and
//! spilling. Nothing else constructs a `SessionContext`.

use std::sync::Arc;

use datafusion::execution::runtime_env::RuntimeEnvBuilder;
use datafusion::prelude::{SessionConfig, SessionContext};

/// A session bounded to `memory_limit` bytes; operators that can spill
/// (sorts, aggregations, joins) spill to the system's temporary folder.
pub fn session(memory_limit: usize) -> anyhow::Result<SessionContext> {
    let runtime = RuntimeEnvBuilder::new()
        .with_memory_limit(memory_limit, 1.0)
        .build_arc()?;
    let config = SessionConfig::new()
        .with_target_partitions(std::thread::available_parallelism().map_or(2, |n| n.get()))
        .with_information_schema(true);
    Ok(SessionContext::new_with_config_rt(
        config,
        Arc::clone(&runtime),
    ))
}
