//! The distributed engine as a team deploys it (docs/operations.md): a
//! `homeward scheduler` and two `homeward executor`s started as separate
//! processes on 127.0.0.1, each executor with its own work folder, the
//! warehouse on the S3-compatible server of `tests/s3.rs`, and `homeward
//! run` with `engine = "ballista://127.0.0.1:PORT"`. Every run's
//! `indicator_values` is compared byte for byte with the local engine's on
//! the same drops.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{Output, Project, copy_tree, files_under};
use crate::s3::S3Server;

const AS_OF: &str = "2026-05-31";
const WAREHOUSE: &str = "s3://warehouse/nightly";

/// A free port of 127.0.0.1 (free when asked: the process that binds it
/// comes a moment later).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

fn wait_for_port(port: u16, what: &str, log: &Path) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "{what} did not start: {}",
            std::fs::read_to_string(log).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A scheduler and executors, each a process of the binary under test,
/// stopped when dropped. They get the S3 server's variables, as a team's
/// nodes get the warehouse's credentials from their environment.
struct Cluster {
    dir: PathBuf,
    port: u16,
    env: Vec<(&'static str, String)>,
    scheduler: Child,
    executors: Vec<Option<Child>>,
}

impl Cluster {
    /// `executors` executors of two task slots each. A lost executor is
    /// noticed after ten seconds without a heartbeat (every two).
    fn start(dir: &Path, executors: usize, env: &[(&'static str, String)]) -> Cluster {
        Cluster::start_with(dir, executors, env, &[])
    }

    /// As [`Cluster::start`], with `extra` flags for every executor.
    fn start_with(
        dir: &Path,
        executors: usize,
        env: &[(&'static str, String)],
        extra: &[&str],
    ) -> Cluster {
        std::fs::create_dir_all(dir).unwrap();
        let port = free_port();
        let log = dir.join("scheduler.log");
        let scheduler = node(
            &[
                "scheduler",
                "--port",
                &port.to_string(),
                "--executor-timeout",
                "10",
            ],
            env,
            &log,
        );
        wait_for_port(port, "the scheduler", &log);
        let mut cluster = Cluster {
            dir: dir.to_path_buf(),
            port,
            env: env.to_vec(),
            scheduler,
            executors: Vec::new(),
        };
        for _ in 0..executors {
            cluster.add_executor(extra);
        }
        cluster
    }

    /// Starts one more executor, in its own work folder.
    fn add_executor(&mut self, extra: &[&str]) {
        let i = self.executors.len();
        let (flight, grpc) = (free_port(), free_port());
        let work = self.dir.join(format!("executor-{i}"));
        let log = self.dir.join(format!("executor-{i}.log"));
        let mut args = vec![
            "executor".to_string(),
            "--scheduler".into(),
            format!("127.0.0.1:{}", self.port),
            "--port".into(),
            flight.to_string(),
            "--grpc-port".into(),
            grpc.to_string(),
            "--slots".into(),
            "2".into(),
            "--work-dir".into(),
            work.display().to_string(),
            "--heartbeat".into(),
            "2".into(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let child = node(&args, &self.env, &log);
        wait_for_port(flight, "an executor", &log);
        self.executors.push(Some(child));
    }

    fn engine(&self) -> String {
        format!("ballista://127.0.0.1:{}", self.port)
    }

    /// SIGKILL: the executor vanishes without a word to the scheduler.
    fn kill_executor(&mut self, i: usize) {
        if let Some(mut c) = self.executors[i].take() {
            c.kill().unwrap();
            c.wait().unwrap();
        }
    }

    /// The tasks executor `i` ran, from its log.
    fn tasks_run_by(&self, i: usize) -> usize {
        std::fs::read_to_string(self.dir.join(format!("executor-{i}.log")))
            .unwrap_or_default()
            .matches("Execute task")
            .count()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        for c in self.executors.iter_mut().flatten() {
            let _ = c.kill();
            let _ = c.wait();
        }
        let _ = self.scheduler.kill();
        let _ = self.scheduler.wait();
    }
}

/// A node process, its log in `log`.
fn node(args: &[&str], env: &[(&'static str, String)], log: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_homeward"))
        .args(args)
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .env("HOMEWARD_LOG", "info")
        .stdout(std::fs::File::create(log.with_extension("out")).unwrap())
        .stderr(std::fs::File::create(log).unwrap())
        .spawn()
        .expect("start a cluster node")
}

/// The project's config with `engine` set.
fn use_engine(p: &Project, engine: &str) {
    let path = p.path("homeward.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("engine = \"{engine}\"\n{text}")).unwrap();
}

/// Starts `homeward` with `args`; its log goes to `stderr.log`.
fn spawn(p: &Project, args: &[&str], env: &[(&'static str, String)]) -> Child {
    let mut env = env.to_vec();
    env.push(("HOMEWARD_LOG", "info,homeward=debug".into()));
    p.command(args, &env)
        .stderr(std::fs::File::create(p.path("stderr.log")).unwrap())
        .stdout(Stdio::null())
        .spawn()
        .expect("run homeward")
}

/// Waits for a run started by [`spawn`]; one still running after five
/// minutes is killed and reported as failed (code -1): a hang fails the
/// test, it does not stall CI.
fn wait(p: &Project, mut child: Child) -> Output {
    let deadline = Instant::now() + Duration::from_secs(300);
    let code = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.code().unwrap_or(-1);
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            child.wait().unwrap();
            break -1;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    Output {
        code,
        stdout: String::new(),
        stderr: std::fs::read_to_string(p.path("stderr.log")).unwrap_or_default(),
    }
}

fn run(p: &Project, args: &[&str], env: &[(&'static str, String)]) -> Output {
    wait(p, spawn(p, args, env))
}

/// The project's drop folders, in order.
fn drop_folders(p: &Project) -> Vec<PathBuf> {
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

/// The local engine's values for a generated project.
fn local_values(local: &Project) -> String {
    let out = local.homeward(&["run", "--as-of", AS_OF]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    values(local)
}

/// s3s-fs, or the test's end (skipped loudly outside CI, failed in CI).
fn s3_server_bin() -> Option<PathBuf> {
    let bin = crate::s3::s3s_fs();
    if bin.is_none() {
        assert!(
            std::env::var("CI").is_err(),
            "s3s-fs is not installed; .ci/run installs it"
        );
        eprintln!("SKIPPED: s3s-fs not found (see tests/s3.rs)");
    }
    bin
}

/// Committed transforms in the warehouse folder `wh`.
fn transforms(wh: &Path) -> usize {
    std::fs::read_dir(wh.join("_manifests/transform"))
        .map(|d| d.count())
        .unwrap_or(0)
}

/// Two nights and a full refresh on a cluster of three processes, the
/// warehouse on S3: the local engine's values each time, and both
/// executors did work.
#[test]
fn a_scheduler_and_two_executors_give_the_local_engines_values_on_s3() {
    let Some(bin) = s3_server_bin() else { return };
    let local = Project::generated(150, 11, 3, AS_OF);
    let expected = local_values(&local);
    assert!(expected.lines().count() > 1000, "{}", expected.len());

    let p = Project::temp();
    let buckets = p.path("s3");
    std::fs::create_dir_all(buckets.join("warehouse")).unwrap();
    let server = S3Server::start(bin, &buckets);
    let env = server.env();
    let cluster = Cluster::start(&p.path("cluster"), 2, &env);
    use_engine(&p, &cluster.engine());
    let args = ["run", "--as-of", AS_OF, "--warehouse", WAREHOUSE];

    // Night one: the first two drops (a full build); night two: the third
    // (new versions merged into the current-state tables on the cluster).
    let drops = drop_folders(&local);
    assert_eq!(drops.len(), 3);
    for d in &drops[..2] {
        copy_tree(d, &p.path("drops").join(d.file_name().unwrap()));
    }
    let out = run(&p, &args, &env);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        values(&p) != expected,
        "the third drop must change the values"
    );
    copy_tree(
        &drops[2],
        &p.path("drops").join(drops[2].file_name().unwrap()),
    );
    let out = run(&p, &args, &env);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        values(&p) == expected,
        "indicator_values from the cluster differ from the local engine's"
    );
    let models = p.run_json(AS_OF)["models"].as_array().unwrap().clone();
    assert!(
        models
            .iter()
            .any(|m| m["name"] == "cur_cases" && m["mode"] == "incremental"),
        "{models:?}"
    );

    let mut refresh = args.to_vec();
    refresh.push("--full-refresh");
    let out = run(&p, &refresh, &env);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        values(&p) == expected,
        "a full refresh on the cluster differs from the local engine"
    );
    // The executors wrote the models into the bucket, not beside the project.
    let written = files_under(&buckets.join("warehouse/nightly/models"));
    assert!(written.iter().any(|f| f.to_string_lossy().contains("ind_")));
    assert!(!p.path("wh").exists());
    for i in 0..2 {
        assert!(cluster.tasks_run_by(i) > 0, "executor {i} ran no task");
    }
}

/// An executor killed with SIGKILL in the middle of a transform: the run
/// either finishes on the other executor or fails with exit 2 and commits
/// no transform; the rerun gives the local engine's values.
#[test]
fn an_executor_killed_mid_transform_loses_nothing() {
    let Some(bin) = s3_server_bin() else { return };
    let local = Project::generated(150, 12, 2, AS_OF);
    let expected = local_values(&local);

    let p = Project::temp();
    copy_tree(&local.path("drops"), &p.path("drops"));
    let buckets = p.path("s3");
    std::fs::create_dir_all(buckets.join("warehouse")).unwrap();
    let server = S3Server::start(bin, &buckets);
    let env = server.env();
    let mut cluster = Cluster::start(&p.path("cluster"), 2, &env);
    use_engine(&p, &cluster.engine());
    let args = ["run", "--as-of", AS_OF, "--warehouse", WAREHOUSE];

    let child = spawn(&p, &args, &env);
    // Mid-transform: some models built, most not.
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        let log = std::fs::read_to_string(p.path("stderr.log")).unwrap_or_default();
        if log.matches("model built").count() >= 5 {
            break;
        }
        assert!(Instant::now() < deadline, "no model built: {log}");
        std::thread::sleep(Duration::from_millis(50));
    }
    cluster.kill_executor(0);
    let out = wait(&p, child);
    match out.code {
        0 => assert!(values(&p) == expected, "finished, with other values"),
        2 => assert_eq!(
            transforms(&buckets.join("warehouse/nightly")),
            0,
            "a failed run committed a transform"
        ),
        code => panic!("exit {code}: {}", out.stderr),
    }
    eprintln!("the run with a killed executor exited {}", out.code);

    let out = run(&p, &args, &env);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        values(&p) == expected,
        "the rerun after a lost executor differs from the local engine"
    );
}

/// An executor that cannot decode Homeward's functions (the stock Ballista
/// 55 executor's, imitated by a hidden flag) is refused before any model,
/// in words that say what to run instead; nothing is committed.
#[test]
fn an_executor_without_homewards_functions_is_refused_in_words() {
    let p = Project::generated(30, 3, 1, AS_OF);
    let cluster = Cluster::start_with(&p.path("cluster"), 1, &[], &["--stock-functions"]);
    use_engine(&p, &cluster.engine());
    let out = run(&p, &["run", "--as-of", AS_OF], &[]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("cannot run Homeward's SQL")
            && out.stderr.contains("homeward executor"),
        "{}",
        out.stderr
    );
    assert_eq!(transforms(&p.path("wh")), 0);
}

/// A project whose drops have never carried businesses or surveys: their
/// inputs are empty tables in every model that reads them. With Ballista's
/// adaptive planner on, the cluster never finished `ind_rss_surveyed` (an
/// unnest over an empty input). The full build must finish with the local
/// engine's values. (A local warehouse: one machine shares its folders.)
#[test]
fn entities_without_any_file_build_on_the_cluster() {
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
    let p = Project::temp();
    copy_tree(&local.path("drops"), &p.path("drops"));
    let expected = local_values(&local);
    let cluster = Cluster::start(&p.path("cluster"), 1, &[]);
    use_engine(&p, &cluster.engine());
    let out = run(&p, &["run", "--as-of", AS_OF], &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        values(&p) == expected,
        "indicator_values from the cluster differ from the local engine's"
    );
}

#[test]
fn an_unreachable_scheduler_fails_the_transform_and_commits_nothing() {
    let p = Project::generated(30, 3, 1, AS_OF);
    let port = free_port();
    use_engine(&p, &format!("ballista://127.0.0.1:{port}"));
    let out = run(&p, &["run", "--as-of", AS_OF], &[]);
    assert_ne!(out.code, 0);
    assert!(
        out.stderr.contains(&format!("127.0.0.1:{port}")),
        "{}",
        out.stderr
    );
    // The pull committed; no transform did.
    assert!(p.path("wh/_manifests/pull").read_dir().unwrap().count() > 0);
    assert_eq!(transforms(&p.path("wh")), 0);
}
