//! `homeward scheduler` and `homeward executor`: the nodes of a Ballista
//! cluster that runs Homeward's transform (`engine = "ballista://…"`),
//! built with the cargo feature `cluster` (docs/operations.md).
//!
//! They are Ballista 55's scheduler and executor, with what the stock
//! binaries lack for Homeward's SQL: every DataFusion function its models
//! use (the stock executor decodes only the core ones, and fails on
//! `cardinality` and the other array functions), the warehouse's object
//! stores as Homeward opens them (`s3://`, `gs://`, `az://` from the
//! environment), and `homeward_node`, the function through which a client
//! checks that it talks to Homeward nodes of its own version
//! ([`crate::context`]).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, RwLock};

use anyhow::Context as _;
use ballista_core::client::BallistaClient;
use ballista_core::client_pool::{BallistaClientPool, PooledClient};
use ballista_core::extension::BallistaConfigGrpcEndpoint;
use ballista_core::registry::BallistaFunctionRegistry;
use ballista_core::utils::GrpcClientConfig;
use ballista_executor::execution_engine::{
    DefaultExecutionEngine, ExecutionEngine, QueryStageExecutor,
};
use ballista_executor::executor_process::{ExecutorProcessConfig, start_executor_process};
use ballista_scheduler::cluster::BallistaCluster;
use ballista_scheduler::config::SchedulerConfig;
use ballista_scheduler::scheduler_process::start_server;
use datafusion::execution::SessionStateBuilder;
use datafusion::execution::object_store::ObjectStoreRegistry;
use datafusion::execution::runtime_env::{RuntimeEnv, RuntimeEnvBuilder};
use datafusion::execution::session_state::SessionState;
use datafusion::object_store::ObjectStore;
use datafusion::object_store::local::LocalFileSystem;
use datafusion::prelude::SessionConfig;

use crate::cli::{ExecutorArgs, SchedulerArgs};

/// Runs a scheduler until the process is stopped.
pub async fn scheduler(args: &SchedulerArgs) -> anyhow::Result<()> {
    let addr: SocketAddr = format!("{}:{}", args.bind_host, args.port)
        .parse()
        .with_context(|| format!("--bind-host {} --port {}", args.bind_host, args.port))?;
    let config = SchedulerConfig {
        bind_host: args.bind_host.clone(),
        bind_port: args.port,
        external_host: args.external_host.clone(),
        executor_timeout_seconds: args.executor_timeout,
        // Lost executors are looked for four times per timeout (Ballista:
        // every 15 s, with its 180 s timeout).
        expire_dead_executor_interval_seconds: (args.executor_timeout / 4).clamp(1, 15),
        no_executors_grace_period_seconds: args.executor_timeout,
        ..SchedulerConfig::default()
    }
    .with_override_config_producer(Arc::new(node_config))
    .with_override_session_builder(Arc::new(|config: SessionConfig| {
        let runtime = runtime_env(&config, None)?;
        Ok(node_state(config, runtime))
    }));
    let cluster = BallistaCluster::new_from_config(&config).await?;
    tracing::info!(%addr, "homeward scheduler listening");
    start_server(cluster, addr, Arc::new(config)).await?;
    Ok(())
}

/// Runs an executor until the process is stopped.
pub async fn executor(args: &ExecutorArgs) -> anyhow::Result<()> {
    let (host, port) = args
        .scheduler
        .rsplit_once(':')
        .and_then(|(h, p)| Some((h.to_string(), p.parse::<u16>().ok()?)))
        .with_context(|| format!("--scheduler {}: expected host:port", args.scheduler))?;
    let work_dir = match &args.work_dir {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            Some(dir.display().to_string())
        }
        None => None,
    };
    let spill = work_dir.clone();
    let registry: BallistaFunctionRegistry = if args.stock_functions {
        BallistaFunctionRegistry::default()
    } else {
        (&node_state(node_config(), Arc::new(RuntimeEnv::default()))).into()
    };
    let config = ExecutorProcessConfig {
        bind_host: args.bind_host.clone(),
        external_host: args.external_host.clone(),
        port: args.port,
        grpc_port: args.grpc_port,
        scheduler_host: host,
        scheduler_port: port,
        vcores: args.slots.unwrap_or(0),
        work_dir,
        executor_heartbeat_interval_seconds: args.heartbeat,
        memory_pool_size: args.memory_limit_mb.map(|mb| mb * 1024 * 1024),
        override_function_registry: Some(Arc::new(registry)),
        override_execution_engine: Some(Arc::new(WithoutPlanMetrics(Arc::new(
            DefaultExecutionEngine::with_client_pool(Arc::new(ConnectionPool::default())),
        )))),
        override_config_producer: Some(Arc::new(node_config)),
        override_runtime_producer: Some(Arc::new(move |config: &SessionConfig| {
            runtime_env(config, spill.as_deref())
        })),
        ..ExecutorProcessConfig::default()
    };
    tracing::info!(scheduler = %args.scheduler, port = args.port, "homeward executor starting");
    start_executor_process(Arc::new(config)).await?;
    Ok(())
}

/// Ballista's execution engine, its tasks reporting no operator metrics.
///
/// Why: Ballista 55's scheduler restricts each task's plan to the task's
/// partitions, and a `union all` arm a task never reads becomes a leaf of
/// another kind, with or without metrics. Tasks of one stage then report
/// metric lists of different lengths, the scheduler rejects the task's
/// status ("task metrics array size 80 does not equal with the stage
/// metrics array size 82") and the job never ends: `indicator_cells`, a
/// union of every indicator, hung on a project without surveys. The
/// metrics only feed the scheduler's job statistics, which Homeward does
/// not read.
struct WithoutPlanMetrics(Arc<dyn ExecutionEngine>);

impl ExecutionEngine for WithoutPlanMetrics {
    fn create_query_stage_exec(
        &self,
        job_id: ballista_core::JobId,
        stage_id: usize,
        task_id: usize,
        global_output_partition_ids: Vec<usize>,
        plan: Arc<dyn datafusion::physical_plan::ExecutionPlan>,
        work_dir: &str,
        config: &SessionConfig,
    ) -> datafusion::error::Result<Arc<dyn QueryStageExecutor>> {
        let stage = self.0.create_query_stage_exec(
            job_id,
            stage_id,
            task_id,
            global_output_partition_ids,
            plan,
            work_dir,
            config,
        )?;
        Ok(Arc::new(StageWithoutMetrics(stage)))
    }
}

/// A query stage that reports no operator metrics ([`WithoutPlanMetrics`]).
#[derive(Debug)]
struct StageWithoutMetrics(Arc<dyn QueryStageExecutor>);

impl std::fmt::Display for StageWithoutMetrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[async_trait::async_trait]
impl QueryStageExecutor for StageWithoutMetrics {
    async fn execute_query_stage(
        &self,
        task_id: usize,
        context: Arc<datafusion::execution::TaskContext>,
    ) -> datafusion::error::Result<Vec<ballista_core::serde::protobuf::ShuffleWritePartition>> {
        self.0.execute_query_stage(task_id, context).await
    }

    fn collect_plan_metrics(&self) -> Vec<datafusion::physical_plan::metrics::MetricsSet> {
        Vec::new()
    }

    fn collect_runtime_stats_reports(
        &self,
    ) -> Vec<ballista_core::serde::protobuf::RuntimeStatsReport> {
        self.0.collect_runtime_stats_reports()
    }

    fn collect_window_state_reports(
        &self,
    ) -> datafusion::error::Result<Vec<ballista_core::serde::protobuf::WindowStateReport>> {
        self.0.collect_window_state_reports()
    }

    fn collect_column_stats(&self) -> Vec<ballista_core::serde::protobuf::TaskColumnStats> {
        self.0.collect_column_stats()
    }
}

/// Connections to other executors' shuffle services, kept for reuse (as
/// Ballista's own pool, which is not public, does): without one, every
/// shuffle fetch opens a connection, and a shuffle-heavy job can run out of
/// local ports. Idle connections are closed on `evict_idle`.
#[derive(Default)]
struct ConnectionPool {
    idle: Arc<Mutex<HashMap<PoolKey, Vec<BallistaClient>>>>,
}

impl std::fmt::Debug for ConnectionPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectionPool").finish_non_exhaustive()
    }
}

type PoolKey = (String, u16, GrpcClientConfig);

#[async_trait::async_trait]
impl BallistaClientPool for ConnectionPool {
    async fn acquire(
        &self,
        host: &str,
        port: u16,
        config: &GrpcClientConfig,
        customize_endpoint: Option<Arc<BallistaConfigGrpcEndpoint>>,
    ) -> ballista_core::error::Result<PooledClient> {
        let key: PoolKey = (host.to_string(), port, config.clone());
        let idle = self
            .idle
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get_mut(&key)
            .and_then(Vec::pop);
        let client = match idle {
            Some(c) => c,
            None => {
                BallistaClient::try_new(
                    host,
                    port,
                    config.max_message_size,
                    config.use_tls,
                    customize_endpoint,
                    config.io_retries_times,
                    config.io_retry_wait_time_ms,
                    config.initial_connection_window_size,
                    config.initial_stream_window_size,
                )
                .await?
            }
        };
        let pool = Arc::clone(&self.idle);
        Ok(PooledClient::new(
            client,
            Box::new(move |c| {
                pool.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .entry(key)
                    .or_default()
                    .push(c);
            }),
        ))
    }

    async fn evict_idle(&self) {
        self.idle.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}

/// The base configuration of a node's sessions; each job's own settings
/// (the client's) come with its tasks.
fn node_config() -> SessionConfig {
    use ballista::prelude::SessionConfigExt;
    SessionConfig::new_with_ballista()
}

/// A node's session: DataFusion's default functions (array ones included),
/// and `homeward_node`.
fn node_state(config: SessionConfig, runtime: Arc<RuntimeEnv>) -> SessionState {
    use datafusion::execution::FunctionRegistry;
    let mut state = SessionStateBuilder::new()
        .with_config(config)
        .with_runtime_env(runtime)
        .with_default_features()
        .build();
    // Added to the defaults (the builder's `with_scalar_functions` would
    // replace them).
    let _ = state.register_udf(crate::context::homeward_node_udf());
    state
}

/// A node's runtime: the warehouse's object stores, and spills in
/// `spill_dir` when given.
fn runtime_env(
    _config: &SessionConfig,
    spill_dir: Option<&str>,
) -> datafusion::error::Result<Arc<RuntimeEnv>> {
    let mut builder =
        RuntimeEnvBuilder::new().with_object_store_registry(Arc::new(WarehouseStores::default()));
    if let Some(dir) = spill_dir {
        builder = builder.with_temp_file_path(dir);
    }
    Ok(Arc::new(builder.build()?))
}

/// Object stores by URL, opened on first use as `homeward` opens the
/// warehouse (credentials and endpoint from the environment), one per
/// bucket.
#[derive(Debug, Default)]
struct WarehouseStores {
    stores: RwLock<HashMap<String, Arc<dyn ObjectStore>>>,
}

impl WarehouseStores {
    /// The key of a URL's store: its scheme and bucket (`s3://bucket`).
    fn key(url: &url::Url) -> String {
        format!(
            "{}://{}",
            url.scheme(),
            &url[url::Position::BeforeHost..url::Position::AfterPort]
        )
    }
}

impl ObjectStoreRegistry for WarehouseStores {
    fn register_store(
        &self,
        url: &url::Url,
        store: Arc<dyn ObjectStore>,
    ) -> Option<Arc<dyn ObjectStore>> {
        let mut stores = self.stores.write().unwrap_or_else(|e| e.into_inner());
        stores.insert(Self::key(url), store)
    }

    fn deregister_store(&self, url: &url::Url) -> datafusion::error::Result<Arc<dyn ObjectStore>> {
        let mut stores = self.stores.write().unwrap_or_else(|e| e.into_inner());
        stores.remove(&Self::key(url)).ok_or_else(|| {
            datafusion::error::DataFusionError::Execution(format!("no object store for {url}"))
        })
    }

    fn get_store(&self, url: &url::Url) -> datafusion::error::Result<Arc<dyn ObjectStore>> {
        let key = Self::key(url);
        if let Some(store) = self
            .stores
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
        {
            return Ok(Arc::clone(store));
        }
        let store: Arc<dyn ObjectStore> = match url.scheme() {
            "file" | "" => Arc::new(LocalFileSystem::new()),
            _ => crate::storage::remote_store(url).map_err(|e| {
                datafusion::error::DataFusionError::Execution(format!(
                    "{url}: {}",
                    crate::error_text(&e)
                ))
            })?,
        };
        let mut stores = self.stores.write().unwrap_or_else(|e| e.into_inner());
        Ok(Arc::clone(stores.entry(key).or_insert(store)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_node_decodes_the_array_functions_the_stock_executor_lacks() {
        let registry: BallistaFunctionRegistry =
            (&node_state(node_config(), Arc::new(RuntimeEnv::default()))).into();
        use datafusion::execution::FunctionRegistry;
        for f in ["cardinality", "make_array", "homeward_node", "abs"] {
            assert!(registry.udf(f).is_ok(), "{f}");
        }
        assert!(
            BallistaFunctionRegistry::default()
                .udf("cardinality")
                .is_err()
        );
    }

    #[test]
    fn stores_are_one_per_bucket() {
        let key = |u: &str| WarehouseStores::key(&url::Url::parse(u).unwrap());
        assert_eq!(key("s3://wh/models/a.parquet"), "s3://wh");
        assert_eq!(key("file:///tmp/x"), "file://");
    }
}
