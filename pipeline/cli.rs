//! Command-line arguments (raw, as typed) and the dispatch to the stages.
//! Validation into [`crate::config::Settings`] happens in `config.rs`.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::{Overrides, Settings};
use crate::warehouse::records::{RunStatus, StageStatus, TestStatus};

/// Homeward: nightly ETL and reports for return and reintegration programmes.
#[derive(Debug, Parser)]
#[command(name = "homeward", version, about)]
pub struct Cli {
    /// Log format on stderr.
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text, env = "HOMEWARD_LOG_FORMAT")]
    pub log_format: LogFormat,
    /// Only warnings and errors on stderr.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// More detail on stderr: -v debug, -vv trace.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    #[command(subcommand)]
    pub command: Command,
}

/// Log formats.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The nightly job: pull, transform, then render every report.
    Run(JobArgs),
    /// Pull new export drops into the warehouse (typed Parquet, quarantine, manifest).
    Pull(JobArgs),
    /// Run the SQL models, data tests and indicator_values on the warehouse.
    Transform(JobArgs),
    /// Render programme reports and donor packs from what the warehouse holds
    /// (all of them, or the ones `--pack`, `--period` and `--project` select).
    Report(ReportArgs),
    /// Say what `run` would do now, without writing anything: files to pull or
    /// skip, how each model would be built and why, the files it would write.
    Plan(PlanArgs),
    /// Check that a run would find everything in order: configuration, key,
    /// sources, warehouse, templates, SQL, fonts, lock, disk space. Exits 1
    /// when a check fails.
    Doctor(DoctorArgs),
    /// Send an export to another system: `push dhis2` POSTs the as-of
    /// date's DHIS2 data value sets to HOMEWARD_DHIS2_URL.
    Push(PushArgs),
    /// Delete the data files no retained transform or pull refers to
    /// (`[vacuum] keep_transforms`, `keep_days`); every raw version stays.
    Vacuum(VacuumArgs),
    /// Stay up and run the nightly job on a cron schedule, until SIGTERM or Ctrl-C.
    Schedule(ScheduleArgs),
    /// Write a new project folder: a config, the SQL, the templates and a README.
    Init {
        /// The folder to create (missing or empty).
        dir: PathBuf,
    },
    /// List past runs from the warehouse's run log: status, duration, rows, failures.
    Runs(RunsArgs),
    /// Write synthetic, realistic export drops for demos, tests and benchmarks.
    Generate(GenerateArgs),
    /// Render the SQL models to plain SQL files, in run order, as a full
    /// refresh would run them: to read, debug, or run on another engine.
    Compile(CompileArgs),
    /// Run a Ballista scheduler for `engine = "ballista://host:port"`, until
    /// stopped (a homeward built with `--features cluster`).
    Scheduler(SchedulerArgs),
    /// Run a Ballista executor of Homeward's SQL, connected to a `homeward
    /// scheduler`, until stopped (a homeward built with `--features cluster`).
    Executor(ExecutorArgs),
}

/// Flags of `homeward scheduler`.
#[derive(Debug, Clone, Args)]
pub struct SchedulerArgs {
    /// Address to listen on (0.0.0.0 for every interface).
    #[arg(long, default_value = "127.0.0.1")]
    pub bind_host: String,
    /// Port of the scheduler's gRPC service: the `ballista://host:PORT` of
    /// `engine`, and the executors' `--scheduler`.
    #[arg(long, default_value_t = 50050)]
    pub port: u16,
    /// The host name executors and clients reach this scheduler by.
    #[arg(long, default_value = "localhost")]
    pub external_host: String,
    /// Seconds without a heartbeat after which an executor counts as lost
    /// and its tasks are run on the others.
    #[arg(long, default_value_t = 180)]
    pub executor_timeout: u64,
}

/// Flags of `homeward executor`.
#[derive(Debug, Clone, Args)]
pub struct ExecutorArgs {
    /// The scheduler, as host:port.
    #[arg(long, default_value = "localhost:50050")]
    pub scheduler: String,
    /// Address to listen on (0.0.0.0 for every interface).
    #[arg(long, default_value = "127.0.0.1")]
    pub bind_host: String,
    /// The host name the scheduler and other executors reach this one by
    /// (default: the bind address).
    #[arg(long)]
    pub external_host: Option<String>,
    /// Port of the Arrow Flight service other executors fetch shuffle data from.
    #[arg(long, default_value_t = 50051)]
    pub port: u16,
    /// Port of the executor's gRPC service.
    #[arg(long, default_value_t = 50052)]
    pub grpc_port: u16,
    /// Task slots: tasks run at once (default: the machine's cores).
    #[arg(long)]
    pub slots: Option<usize>,
    /// Folder for shuffle files and spills (default: a temporary folder);
    /// one per executor, on fast local disk.
    #[arg(long)]
    pub work_dir: Option<PathBuf>,
    /// Memory the executor's tasks may use before they spill, in MiB,
    /// shared by its slots (default: most of the machine's or cgroup's
    /// memory, as Ballista decides).
    #[arg(long)]
    pub memory_limit_mb: Option<u64>,
    /// Seconds between heartbeats to the scheduler.
    #[arg(long, default_value_t = 60)]
    pub heartbeat: u64,
    /// For tests: decode tasks with the stock Ballista executor's functions
    /// only, as `ballista-executor` 55 does (the client must refuse it).
    #[arg(long, hide = true)]
    pub stock_functions: bool,
}

/// Flags of `homeward compile`.
#[derive(Debug, Args)]
pub struct CompileArgs {
    /// Configuration file.
    #[arg(long, default_value = "homeward.toml")]
    pub config: PathBuf,
    /// The as-of date the models are rendered for (default: today, UTC).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<NaiveDate>,
    /// Folder to write `NNN_<model>.sql` files into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub into: PathBuf,
}

/// Flags every job command shares; each overrides the configuration file.
#[derive(Debug, Args)]
pub struct JobArgs {
    /// Configuration file.
    #[arg(long, default_value = "homeward.toml", env = "HOMEWARD_CONFIG")]
    pub config: PathBuf,
    /// Source of drops (folder or URL), instead of the configured sources.
    #[arg(long, env = "HOMEWARD_SOURCE")]
    pub source: Option<String>,
    /// Warehouse folder or URL.
    #[arg(long, env = "HOMEWARD_WAREHOUSE")]
    pub warehouse: Option<String>,
    /// Output folder for reports and run.json.
    #[arg(long, env = "HOMEWARD_OUT")]
    pub out: Option<PathBuf>,
    /// The run's as-of date (default: today, UTC).
    #[arg(long, value_name = "YYYY-MM-DD", env = "HOMEWARD_AS_OF")]
    pub as_of: Option<NaiveDate>,
    /// Where the SQL runs: `local` or `ballista://host:port`, instead of the
    /// configured engine.
    #[arg(long, env = "HOMEWARD_ENGINE")]
    pub engine: Option<String>,
    /// Rebuild the incremental models (current versions) from the whole raw
    /// layer instead of merging the rows pulled since the last transform.
    #[arg(long)]
    pub full_refresh: bool,
}

/// Flags of `homeward report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub job: JobArgs,
    /// Only this donor pack (its `pack` name; by default one per donor,
    /// named after it). No programme report is rendered.
    #[arg(long, value_name = "NAME")]
    pub pack: Option<String>,
    /// The period to render: of the programme report, and of each pack
    /// rendered (2026-Q2, 2026 or 2026-05), instead of the configured ones.
    #[arg(long, value_name = "PERIOD")]
    pub period: Option<String>,
    /// Only this project's programme report, and the packs that include it.
    #[arg(long, value_name = "CODE")]
    pub project: Option<String>,
}

/// Flags of `homeward plan`.
#[derive(Debug, Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub job: JobArgs,
    /// Print the plan as JSON (the same fields, for machines).
    #[arg(long)]
    pub json: bool,
}

/// Flags of `homeward doctor`.
#[derive(Debug, Args)]
pub struct DoctorArgs {
    #[command(flatten)]
    pub job: JobArgs,
    /// Print the checks as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Flags of `homeward vacuum`.
#[derive(Debug, Args)]
pub struct VacuumArgs {
    #[command(flatten)]
    pub job: JobArgs,
    /// List what would be deleted and its size; delete nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Print the outcome as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Where `homeward push` sends to.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PushTarget {
    /// DHIS2's `/api/dataValueSets`.
    Dhis2,
}

/// Flags of `homeward push`.
#[derive(Debug, Args)]
pub struct PushArgs {
    /// The system to send to.
    pub target: PushTarget,
    #[command(flatten)]
    pub job: JobArgs,
    /// Only this period's set (its DHIS2 code: 2026Q2, 202604, 2026).
    #[arg(long, value_name = "PERIOD")]
    pub period: Option<String>,
    /// Print the import summaries as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Flags of `homeward schedule`.
#[derive(Debug, Args)]
pub struct ScheduleArgs {
    #[command(flatten)]
    pub job: JobArgs,
    /// Cron expression: 5 fields (`"0 2 * * *"`) or 6 with seconds first
    /// (default: `[schedule] cron`).
    #[arg(long)]
    pub cron: Option<String>,
    /// IANA time zone of the expression (default: `[schedule] timezone`, UTC).
    #[arg(long)]
    pub timezone: Option<String>,
    /// Stop after this many scheduled times (default: run until stopped).
    #[arg(long, value_name = "N")]
    pub runs: Option<u64>,
}

/// Flags of `homeward runs`.
#[derive(Debug, Args)]
pub struct RunsArgs {
    /// Configuration file.
    #[arg(long, default_value = "homeward.toml")]
    pub config: PathBuf,
    /// Warehouse folder or URL.
    #[arg(long)]
    pub warehouse: Option<String>,
    /// Show the newest N runs.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Number of cases.
    #[arg(long, default_value_t = 200)]
    pub cases: usize,
    /// Random seed: the same seed gives the same bytes.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Number of drops (ending on the as-of date, `--every` days apart).
    #[arg(long, default_value_t = 4)]
    pub drops: usize,
    /// Date of the last drop.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<NaiveDate>,
    /// Folder to write the drops into.
    #[arg(long)]
    pub out: PathBuf,
    /// Plain, valid CSV only (for benchmarks); otherwise every accepted
    /// spelling and a known number of rejects per reason code.
    #[arg(long)]
    pub clean: bool,
    /// Days between drops (7: weekly; 1: a nightly export).
    #[arg(long, default_value_t = 7, value_name = "DAYS")]
    pub every: u32,
    /// Re-send the projects and targets as a full snapshot in every drop, as
    /// a nightly export does (otherwise only the first drop has them).
    #[arg(long)]
    pub reference_each_drop: bool,
    /// Also write what a pull must report (per file and reason) to this JSON file.
    #[arg(long)]
    pub expected: Option<PathBuf>,
}

impl JobArgs {
    fn overrides(&self) -> Overrides {
        Overrides {
            source: self.source.clone(),
            warehouse: self.warehouse.clone(),
            out: self.out.clone(),
            as_of: self.as_of,
            engine: self.engine.clone(),
            full_refresh: self.full_refresh,
            without_key: false,
        }
    }

    fn settings(&self) -> anyhow::Result<Settings> {
        Ok(Settings::resolve(&self.config, self.overrides())?)
    }
}

/// Logs on stderr: `-q`/`-v` first, then `HOMEWARD_LOG`, then `info`.
/// Colour only on a terminal (and not with `NO_COLOR`): a log file or a
/// journal gets plain text.
fn init_logs(format: LogFormat, quiet: bool, verbose: u8) {
    use std::io::IsTerminal;
    let level = match (quiet, verbose) {
        (true, _) => Some("warn"),
        (false, 0) => None,
        (false, 1) => Some("debug"),
        (false, _) => Some("trace"),
    };
    // usvg (Typst's SVG reader) warns of a missing glyph each time it
    // shapes a label with a face that lacks some of its letters, and the
    // right-to-left charts shape each label with both faces on purpose
    // (`Words::chart_svg`): hundreds of false alarms per Arabic pack.
    let quiet_usvg = |l: &str| tracing_subscriber::EnvFilter::new(format!("{l},usvg=error"));
    let filter = match level {
        Some(l) => quiet_usvg(l),
        None => tracing_subscriber::EnvFilter::try_from_env("HOMEWARD_LOG")
            .unwrap_or_else(|_| quiet_usvg("info")),
    };
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(colour)
        .with_target(false);
    let _ = match format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

/// Exit codes: 0 success (also `warned`), 1 the run finished but failed (a
/// data test or an alert of level error), 2 error,
/// 3 stopped by SIGTERM or Ctrl-C between stages.
pub async fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logs(cli.log_format, cli.quiet, cli.verbose);
    match run(cli).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("homeward: {}", crate::error_text(&e));
            ExitCode::from(2)
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Run(args) => job(&args, crate::Job::Run).await,
        Command::Pull(args) => job(&args, crate::Job::Pull).await,
        Command::Transform(args) => job(&args, crate::Job::Transform).await,
        Command::Report(args) => {
            let select = crate::config::Selection {
                pack: args.pack.clone(),
                period: args.period.clone(),
                project: args.project.clone(),
            };
            job_with(&args.job, crate::Job::Report, select).await
        }
        Command::Runs(args) => runs(&args).await,
        Command::Doctor(args) => {
            let checks = crate::doctor::doctor(&args.job.config, args.job.overrides()).await;
            if args.json {
                println!("{}", serde_json::to_string_pretty(&checks)?);
            } else {
                print!("{}", crate::doctor::text(&checks));
            }
            let failed = checks
                .iter()
                .any(|c| c.outcome == crate::doctor::Outcome::Fail);
            Ok(if failed {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Push(args) => {
            let settings = Settings::resolve(
                &args.job.config,
                Overrides {
                    without_key: true,
                    ..args.job.overrides()
                },
            )?;
            let dir = settings
                .out
                .join(settings.as_of.format("%Y-%m-%d").to_string());
            let PushTarget::Dhis2 = args.target;
            let outcomes = crate::report::dhis2::push(&dir, args.period.as_deref()).await?;
            if args.json {
                println!("{}", serde_json::to_string_pretty(&outcomes)?);
            } else {
                for o in &outcomes {
                    println!(
                        "{}: {} values sent; {} imported, {} updated, {} ignored, {} deleted ({})",
                        o.period, o.values, o.imported, o.updated, o.ignored, o.deleted, o.status
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Vacuum(args) => {
            let plan = crate::vacuum::vacuum(&args.job.settings()?, args.dry_run).await?;
            if args.json {
                println!("{}", serde_json::to_string_pretty(&plan)?);
            } else {
                print!("{}", plan.text(args.dry_run));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Plan(args) => {
            let plan = crate::run_plan::plan(&args.job.settings()?).await?;
            if args.json {
                println!("{}", serde_json::to_string_pretty(&plan)?);
            } else {
                print!("{}", plan.text());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Compile(args) => {
            let settings = Settings::resolve(
                &args.config,
                Overrides {
                    as_of: args.as_of,
                    ..Overrides::default()
                },
            )?;
            let files = crate::transform::compile(&settings, &args.into)?;
            eprintln!("wrote {} models to {}", files.len(), args.into.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Schedule(args) => schedule(&args).await,
        Command::Scheduler(args) => cluster_node(cluster_node::scheduler(&args)).await,
        Command::Executor(args) => cluster_node(cluster_node::executor(&args)).await,
        Command::Init { dir } => {
            let n = crate::init::init(&dir)?;
            eprintln!(
                "wrote {n} files to {}: edit homeward.toml, put drops in {}/drops, set HOMEWARD_PSEUDONYM_KEY, then `homeward run`",
                dir.display(),
                dir.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Generate(args) => {
            let opts = crate::generate::GenerateOptions {
                cases: args.cases,
                seed: args.seed,
                drops: args.drops,
                as_of: args
                    .as_of
                    .unwrap_or_else(|| chrono::Utc::now().date_naive()),
                out: args.out.clone(),
                clean: args.clean,
                every_days: args.every,
                reference_each_drop: args.reference_each_drop,
            };
            let expected =
                tokio::task::spawn_blocking(move || crate::generate::generate(&opts)).await??;
            if let Some(path) = &args.expected {
                std::fs::write(path, serde_json::to_vec_pretty(&expected)?)?;
            }
            let rows: u64 = expected.files.values().map(|f| f.rows_read).sum();
            eprintln!(
                "generated {} files, {rows} rows in {}",
                expected.files.len(),
                args.out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

#[cfg(feature = "cluster")]
use crate::cluster as cluster_node;

/// Without the `cluster` feature the node commands say how to get them.
#[cfg(not(feature = "cluster"))]
mod cluster_node {
    use super::{ExecutorArgs, SchedulerArgs};

    const MISSING: &str = "this homeward was built without the `cluster` feature: build the \
        cluster's nodes with `cargo install --path . --features cluster` (docs/operations.md)";

    pub async fn scheduler(_: &SchedulerArgs) -> anyhow::Result<()> {
        anyhow::bail!("homeward scheduler: {MISSING}")
    }

    pub async fn executor(_: &ExecutorArgs) -> anyhow::Result<()> {
        anyhow::bail!("homeward executor: {MISSING}")
    }
}

/// Runs a cluster node until it stops (an error, or the process is
/// stopped).
async fn cluster_node(
    node: impl std::future::Future<Output = anyhow::Result<()>>,
) -> anyhow::Result<ExitCode> {
    node.await?;
    Ok(ExitCode::SUCCESS)
}

/// Prints the newest runs of the run log, newest first. Needs no
/// pseudonymisation key: it reads only run records.
async fn runs(args: &RunsArgs) -> anyhow::Result<ExitCode> {
    let file = crate::config::ConfigFile::load(&args.config)?;
    let (spec, from) = match &args.warehouse {
        Some(w) => (w.clone(), std::env::current_dir()?),
        None => (
            file.warehouse.clone(),
            crate::config::config_dir(&args.config),
        ),
    };
    let wh = crate::storage::Location::open(&spec, &from, false)?;
    let records = crate::warehouse::read_recent_runs(&wh, |read| read.len() >= args.limit).await?;
    println!(
        "{:<30} {:<9} {:<10} {:<9} {:>9} {:>10} {:>10} {:>11}  failure",
        "run_id", "command", "as_of", "status", "seconds", "rows_read", "loaded", "quarantined"
    );
    for r in records.iter().rev().take(args.limit) {
        let seconds = match (
            chrono::DateTime::parse_from_rfc3339(&r.started_at),
            r.finished_at
                .as_deref()
                .map(chrono::DateTime::parse_from_rfc3339),
        ) {
            (Ok(a), Some(Ok(b))) => format!("{:.1}", (b - a).num_milliseconds() as f64 / 1000.0),
            _ => "-".into(),
        };
        let failure = r
            .stages
            .iter()
            .find(|s| s.status == StageStatus::Failed)
            .map(|s| format!("{}: {}", s.name, s.error.as_deref().unwrap_or("")))
            .or_else(|| r.error.clone())
            .unwrap_or_default();
        let failure = failure.lines().next().unwrap_or("").to_string();
        println!(
            "{:<30} {:<9} {:<10} {:<9} {:>9} {:>10} {:>10} {:>11}  {}",
            r.run_id,
            r.command,
            r.as_of,
            r.status,
            seconds,
            r.totals.rows_read,
            r.totals.rows_loaded,
            r.totals.rows_quarantined,
            failure
        );
    }
    Ok(ExitCode::SUCCESS)
}

async fn schedule(args: &ScheduleArgs) -> anyhow::Result<ExitCode> {
    let settings = args.job.settings()?;
    let cfg = &settings.schedule;
    let expression = args
        .cron
        .clone()
        .or_else(|| cfg.cron.clone())
        .ok_or_else(|| {
            anyhow::anyhow!(
                "no schedule: pass --cron \"0 2 * * *\" or set [schedule] cron in the configuration"
            )
        })?;
    let timezone = args.timezone.as_deref().unwrap_or(&cfg.timezone);
    let opts = crate::schedule::ScheduleOptions {
        schedule: crate::schedule::Schedule::parse(&expression, timezone)?,
        retries: cfg.retries,
        backoff: std::time::Duration::from_secs(cfg.retry_backoff_seconds),
        max_runs: args.runs,
        as_of: args.job.as_of,
    };
    crate::stop::install_signal_handlers();
    let out = crate::schedule::schedule(&settings, &opts).await?;
    eprintln!(
        "schedule: {} scheduled runs, {} attempts{}",
        out.times,
        out.attempts,
        if crate::stop::stop_requested() {
            ", stopped by a signal"
        } else {
            ""
        }
    );
    // Stopped by a signal is the normal way to stop a service; with --runs,
    // the last run's result is the exit status.
    Ok(match out.last_succeeded {
        Some(false) if !crate::stop::stop_requested() => ExitCode::from(2),
        _ => ExitCode::SUCCESS,
    })
}

async fn job(args: &JobArgs, job: crate::Job) -> anyhow::Result<ExitCode> {
    job_with(args, job, crate::config::Selection::default()).await
}

/// A job command on a selection of the reports.
async fn job_with(
    args: &JobArgs,
    job: crate::Job,
    select: crate::config::Selection,
) -> anyhow::Result<ExitCode> {
    let mut settings = args.settings()?;
    settings.select = select;
    crate::stop::install_signal_handlers();
    let record = crate::run_job(&settings, job).await?;
    let t = &record.totals;
    let run_json = settings.out.join(&record.as_of).join("run.json");
    if matches!(job, crate::Job::Pull | crate::Job::Run) {
        eprintln!(
            "pull: {} files pulled, {} skipped, {} rejected; {} rows read, {} loaded, {} quarantined",
            t.files_pulled,
            t.files_skipped,
            t.files_rejected,
            t.rows_read,
            t.rows_loaded,
            t.rows_quarantined
        );
    }
    if !record.models.is_empty() {
        let warned = record
            .tests
            .iter()
            .filter(|t| t.status == TestStatus::Warn)
            .count();
        let failed = record
            .tests
            .iter()
            .filter(|t| t.status == TestStatus::Fail)
            .count();
        let rows: u64 = record.indicators.values().sum();
        eprintln!(
            "transform: {} models, {} data tests ({warned} warned, {failed} failed), {rows} indicator rows",
            record.models.len(),
            record.tests.len()
        );
    }
    if !record.reports.is_empty() {
        eprintln!(
            "report: {} files in {}",
            record.reports.len(),
            settings.out.join(&record.as_of).display()
        );
    }
    eprintln!(
        "{} {}: {}",
        record.command,
        record.status,
        run_json.display()
    );
    // Finished but failed: a data test of severity error, or an alert at
    // level error (everything the run did is committed).
    match (&record.error, record.tests_failed || record.alerts_failed) {
        (Some(e), _) if record.status == RunStatus::Stopped => {
            eprintln!("homeward: {e}");
            Ok(ExitCode::from(3))
        }
        (Some(e), true) => {
            eprintln!("homeward: {e}");
            Ok(ExitCode::from(1))
        }
        (Some(e), false) => anyhow::bail!("{e}"),
        (None, _) => Ok(ExitCode::SUCCESS),
    }
}
