//! The distributed engine: a Ballista scheduler and an executor started in
//! this test process on 127.0.0.1, the binary's transform sent to them with
//! `engine = "ballista://localhost:PORT"`, and `indicator_values` compared
//! byte for byte with the local engine's on the same drops.

use ballista_core::serde::BallistaCodec;
use ballista_core::serde::protobuf::scheduler_grpc_client::SchedulerGrpcClient;

use std::sync::Arc;

use crate::common::{Output, Project, copy_tree, files_under};

const AS_OF: &str = "2026-05-31";

/// A client of the scheduler on `port`, once it answers. (A macro: the
/// client's type names tonic's channel, which this crate does not depend on.)
macro_rules! connect {
    ($port:expr) => {{
        let url = format!("http://localhost:{}", $port);
        let mut tries = 0;
        loop {
            match SchedulerGrpcClient::connect(url.clone()).await {
                Ok(client) => break client,
                Err(_) if tries < 50 => {
                    tries += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
                Err(e) => panic!("scheduler at {url} unreachable: {e}"),
            }
        }
    }};
}

/// Starts a scheduler (on a free port of localhost) and one executor with
/// two task slots; both live as long as the test's runtime.
async fn cluster() -> u16 {
    let addr = ballista_scheduler::standalone::new_standalone_scheduler()
        .await
        .expect("scheduler");
    let scheduler = connect!(addr.port());
    ballista_executor::new_standalone_executor(scheduler, 2, BallistaCodec::default())
        .await
        .expect("executor");
    addr.port()
}

/// A cluster configured as the stock `ballista-scheduler` and
/// `ballista-executor` binaries configure theirs: `s3://` object stores
/// built from the AWS variables of the process environment.
async fn s3_cluster() -> u16 {
    use ballista_core::object_store::{
        runtime_env_with_s3_support, session_config_with_s3_support, session_state_with_s3_support,
    };
    let addr = ballista_scheduler::standalone::new_standalone_scheduler_with_builder(
        Arc::new(session_state_with_s3_support),
        Arc::new(session_config_with_s3_support),
        BallistaCodec::default(),
    )
    .await
    .expect("scheduler");
    let scheduler = connect!(addr.port());
    let state = session_state_with_s3_support(session_config_with_s3_support()).expect("state");
    ballista_executor::new_standalone_executor_from_builder(
        scheduler,
        2,
        Arc::new(session_config_with_s3_support),
        Arc::new(runtime_env_with_s3_support),
        BallistaCodec::default(),
        (&state).into(),
    )
    .await
    .expect("executor");
    addr.port()
}

/// The project's config with `engine` set.
fn use_engine(p: &Project, engine: &str) {
    let path = p.path("homeward.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("engine = \"{engine}\"\n{text}")).unwrap();
}

/// Runs the binary off the runtime's threads, which serve the cluster.
/// A run that has not finished after five minutes is killed and reported
/// as failed (code -1) with what it logged: a hang fails the test, it does
/// not stall CI.
async fn run(p: &Project, args: &[&str]) -> Output {
    run_env(p, args, &[]).await
}

/// [`run`] with extra environment variables.
async fn run_env(p: &Project, args: &[&str], env: &[(&str, String)]) -> Output {
    let log = p.path("stderr.log");
    let mut env = env.to_vec();
    env.push(("HOMEWARD_LOG", "info,homeward=debug".into()));
    let mut cmd = p.command(args, &env);
    cmd.stderr(std::fs::File::create(&log).unwrap())
        .stdout(std::process::Stdio::null());
    let code = tokio::task::spawn_blocking(move || {
        let mut child = cmd.spawn().expect("run homeward");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(300);
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                return status.code().unwrap_or(-1);
            }
            if std::time::Instant::now() > deadline {
                child.kill().unwrap();
                child.wait().unwrap();
                return -1;
            }
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
    })
    .await
    .unwrap();
    Output {
        code,
        stdout: String::new(),
        stderr: std::fs::read_to_string(&log).unwrap_or_default(),
    }
}

/// The project's drop folders, in order.
fn drop_folders(p: &Project) -> Vec<std::path::PathBuf> {
    let mut drops: Vec<_> = std::fs::read_dir(p.path("drops"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() && p.file_name().unwrap().to_string_lossy().starts_with("20"))
        .collect();
    drops.sort();
    drops
}

fn values(p: &Project) -> String {
    std::fs::read_to_string(p.path(&format!("out/{AS_OF}/indicators/indicator_values.csv")))
        .unwrap()
}

/// A runtime for the in-process cluster. Its threads get a large stack: the
/// scheduler and executor recurse through the plans of the larger models
/// (deeply nested unions and CTEs), which overflows the default 2 MiB in a
/// debug build.
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_stack_size(64 * 1024 * 1024)
        .enable_all()
        .build()
        .expect("runtime")
}

#[test]
fn ballista_gives_the_local_engines_indicator_values() {
    runtime().block_on(async { tokio::spawn(same_values_as_local()).await.unwrap() });
}

async fn same_values_as_local() {
    let local = Project::generated(150, 11, 3, AS_OF);
    let out = run(&local, &["run", "--as-of", AS_OF]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let expected = values(&local);
    assert!(expected.lines().count() > 1000, "{}", expected.len());

    // The cluster gets the first two drops, then the third on a second
    // night: a full build, then an incremental one (new versions merged
    // into the current-state tables on the cluster).
    let port = cluster().await;
    let distributed = Project::temp();
    use_engine(&distributed, &format!("ballista://localhost:{port}"));
    let drops = drop_folders(&local);
    assert_eq!(drops.len(), 3);
    for d in &drops[..2] {
        copy_tree(d, &distributed.path("drops").join(d.file_name().unwrap()));
    }
    let out = run(&distributed, &["run", "--as-of", AS_OF]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let first_night = values(&distributed);
    assert!(
        first_night != expected,
        "the third drop must change the values"
    );

    copy_tree(
        &drops[2],
        &distributed
            .path("drops")
            .join(drops[2].file_name().unwrap()),
    );
    let out = run(&distributed, &["run", "--as-of", AS_OF]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        values(&distributed) == expected,
        "indicator_values from Ballista differ from the local engine's"
    );
    let run_json = distributed.run_json(AS_OF);
    let models = run_json["models"].as_array().unwrap();
    assert!(models.len() > 20);
    assert!(models.iter().all(|m| m["status"] == "succeeded"));
    // Entities with new rows were merged on the cluster; an entity whose
    // new file was rejected (the generator's last drop has one) kept its
    // previous current-state table.
    let cur: Vec<(&str, &str)> = models
        .iter()
        .filter(|m| m["name"].as_str().unwrap().starts_with("cur_"))
        .map(|m| (m["name"].as_str().unwrap(), m["mode"].as_str().unwrap()))
        .collect();
    assert_eq!(cur.len(), 4);
    assert!(cur.contains(&("cur_cases", "incremental")), "{cur:?}");
    assert!(
        cur.iter()
            .all(|(_, m)| *m == "incremental" || *m == "reused"),
        "{cur:?}"
    );
}

#[test]
fn ballista_with_the_warehouse_on_s3_gives_the_local_engines_indicator_values() {
    let Some(bin) = crate::s3::s3s_fs() else {
        assert!(
            std::env::var("CI").is_err(),
            "s3s-fs is not installed; .ci/run installs it"
        );
        eprintln!("SKIPPED: s3s-fs not found (see tests/s3.rs)");
        return;
    };
    runtime().block_on(async { tokio::spawn(s3_warehouse(bin)).await.unwrap() });
}

/// The deployment docs/operations.md describes: `homeward` and the
/// executors reach one `s3://` warehouse, each with its own AWS variables.
/// Two nights (a full build, then new versions merged on the cluster).
async fn s3_warehouse(bin: std::path::PathBuf) {
    let local = Project::generated(80, 21, 2, AS_OF);
    let out = run(&local, &["run", "--as-of", AS_OF]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let expected = values(&local);
    assert!(expected.lines().count() > 100, "{}", expected.len());

    let distributed = Project::temp();
    let buckets = distributed.path("s3");
    std::fs::create_dir_all(buckets.join("warehouse")).unwrap();
    let server = crate::s3::S3Server::start(bin, &buckets);
    // The in-process scheduler and executor read the process environment,
    // as the stock binaries do theirs. Only the AWS variables are set, and
    // every test that talks to S3 passes its own to its child processes.
    for (k, v) in server.env().iter().filter(|(k, _)| k.starts_with("AWS_")) {
        // SAFETY: Rust's own readers of the environment take the lock that
        // set_var takes; no C code of this test process reads AWS_*.
        unsafe { std::env::set_var(k, v) };
    }
    let port = s3_cluster().await;
    use_engine(&distributed, &format!("ballista://localhost:{port}"));
    let drops = drop_folders(&local);
    assert_eq!(drops.len(), 2);
    let args = [
        "run",
        "--as-of",
        AS_OF,
        "--warehouse",
        "s3://warehouse/nightly",
    ];
    for d in &drops {
        copy_tree(d, &distributed.path("drops").join(d.file_name().unwrap()));
        let out = run_env(&distributed, &args, &server.env()).await;
        assert_eq!(out.code, 0, "{}", out.stderr);
    }
    assert!(
        values(&distributed) == expected,
        "indicator_values from Ballista on S3 differ from the local engine's"
    );
    // The cluster wrote the models into the bucket, not beside the project.
    let written = files_under(&buckets.join("warehouse/nightly/models"));
    assert!(
        written.iter().any(|f| f.to_string_lossy().contains("ind_")),
        "no indicator model in the bucket"
    );
    assert!(!distributed.path("wh").exists());
}

#[test]
fn entities_without_any_file_build_on_ballista() {
    runtime().block_on(async { tokio::spawn(missing_entities()).await.unwrap() });
}

/// A project whose drops have never carried businesses or surveys: their
/// inputs are empty tables in every model that reads them. With Ballista's
/// adaptive planner on, the cluster never finished `ind_rss_surveyed` (an
/// unnest over an empty input); with the data tests on the cluster, one
/// over an empty model hung now and then (they now run in `homeward`). The
/// full build must finish with the local engine's values.
async fn missing_entities() {
    let local = Project::generated(60, 5, 1, AS_OF);
    let mut removed = 0;
    for f in files_under(&local.path("drops")) {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("businesses") || name.starts_with("rss") {
            std::fs::remove_file(&f).unwrap();
            removed += 1;
        }
    }
    assert!(removed >= 2, "{removed}");
    let distributed = Project::temp();
    copy_tree(&local.path("drops"), &distributed.path("drops"));
    let out = run(&local, &["run", "--as-of", AS_OF]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let expected = values(&local);
    assert!(expected.lines().count() > 100, "{}", expected.len());

    let port = cluster().await;
    use_engine(&distributed, &format!("ballista://localhost:{port}"));
    let out = run(&distributed, &["run", "--as-of", AS_OF]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        values(&distributed) == expected,
        "indicator_values from Ballista differ from the local engine's"
    );
}

#[test]
fn an_unreachable_scheduler_fails_the_transform_and_commits_nothing() {
    runtime().block_on(async { tokio::spawn(unreachable_scheduler()).await.unwrap() });
}

async fn unreachable_scheduler() {
    let p = Project::generated(30, 3, 1, AS_OF);
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    use_engine(&p, &format!("ballista://127.0.0.1:{port}"));
    let out = run(&p, &["run", "--as-of", AS_OF]).await;
    assert_ne!(out.code, 0);
    assert!(
        out.stderr.contains(&format!("127.0.0.1:{port}")),
        "{}",
        out.stderr
    );
    // The pull committed; no transform did.
    assert!(p.path("wh/_manifests/pull").read_dir().unwrap().count() > 0);
    assert!(
        !p.path("wh/_manifests/transform").exists()
            || p.path("wh/_manifests/transform")
                .read_dir()
                .unwrap()
                .count()
                == 0
    );
}
