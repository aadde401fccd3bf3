//! Helpers: a project folder with a config, running the binary, reading Parquet.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

use datafusion::arrow::util::display::array_value_to_string;
use datafusion::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

/// A temporary project: `drops/`, `wh/`, `out/` and `homeward.toml`.
pub struct Project {
    pub dir: tempfile::TempDir,
}

/// The output of one run of the binary.
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Project {
    /// A project whose `drops/` holds `generate`d drops ending on `as_of`.
    pub fn generated(cases: usize, seed: u64, drops: usize, as_of: &str) -> Project {
        let p = Project::temp();
        homeward::generate::generate(&homeward::generate::GenerateOptions {
            cases,
            seed,
            drops,
            as_of: as_of.parse().expect("date"),
            out: p.path("drops"),
            clean: false,
            every_days: 7,
            reference_each_drop: false,
        })
        .expect("generate");
        p
    }

    pub fn temp() -> Project {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("drops")).expect("drops");
        std::fs::write(
            dir.path().join("homeward.toml"),
            format!(
                "warehouse = \"wh\"\nout = \"out\"\n[privacy]\ndemo_key = true\n[transform]\npaths = [\"{0}/sql\"]\n[report]\ntemplates = \"{0}/templates\"\n\
                 [[sources]]\nurl = \"drops\"\n[sources.aliases]\nbeneficiary_sex = \"sex\"\n",
                repo().display()
            ),
        )
        .expect("config");
        Project { dir }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Writes a file under `drops/`.
    pub fn drop_file(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        let p = self.path("drops").join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, bytes).expect("write");
    }

    pub fn homeward(&self, args: &[&str]) -> Output {
        self.homeward_env::<&str, &str>(args, &[])
    }

    /// The binary, run in the project folder, without a pseudonymisation key.
    pub fn command<K: AsRef<OsStr>, V: AsRef<OsStr>>(
        &self,
        args: &[&str],
        env: &[(K, V)],
    ) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_homeward"));
        cmd.args(args)
            .current_dir(self.dir.path())
            .env_remove("HOMEWARD_PSEUDONYM_KEY")
            .envs(env.iter().map(|(k, v)| (k, v)));
        cmd
    }

    /// Runs the binary with extra environment variables.
    pub fn homeward_env<K: AsRef<OsStr>, V: AsRef<OsStr>>(
        &self,
        args: &[&str],
        env: &[(K, V)],
    ) -> Output {
        let out = self.command(args, env).output().expect("run homeward");
        Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Renders the reports again from the same warehouse with another
    /// configuration (`config`, written as `<out>.toml`) into the output
    /// folder `out`; the report stage must succeed.
    pub fn report_with(&self, config: &str, out: &str, as_of: &str) {
        let file = format!("{out}.toml");
        std::fs::write(self.path(&file), config).expect("config");
        let run = self.homeward(&["report", "--config", &file, "--out", out, "--as-of", as_of]);
        assert_eq!(run.code, 0, "report {as_of} with {file}: {}", run.stderr);
    }

    pub fn pull(&self, as_of: &str) -> Output {
        let out = self.homeward(&["pull", "--as-of", as_of]);
        assert_eq!(out.code, 0, "pull failed: {}", out.stderr);
        out
    }

    pub fn run_json(&self, as_of: &str) -> serde_json::Value {
        self.run_json_in("out", as_of)
    }

    /// The run.json of `as_of` under the output folder `out`.
    pub fn run_json_in(&self, out: &str, as_of: &str) -> serde_json::Value {
        let text = std::fs::read_to_string(self.path(&format!("{out}/{as_of}/run.json")))
            .expect("run.json");
        serde_json::from_str(&text).expect("valid run.json")
    }

    /// Every Parquet file under `wh/<layer>`, as rows of display strings
    /// keyed by column name, in file then row order.
    pub fn rows(&self, layer: &str) -> Vec<Vec<(String, String)>> {
        let mut files = Vec::new();
        collect(&self.path("wh").join(layer), &mut files);
        files.sort();
        let mut rows = Vec::new();
        for f in files {
            rows.extend(parquet_rows(&f));
        }
        rows
    }
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "parquet") {
            out.push(p);
        }
    }
}

/// The repository's root, read when the test runs rather than compiled in:
/// clones that share one target folder (CI's cache) may reuse a test binary
/// built from another clone, whose compile-time path may no longer exist.
pub fn repo() -> PathBuf {
    PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo test sets CARGO_MANIFEST_DIR"),
    )
}

pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("readable folder").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The run warned, and only because files were rejected as a whole
/// (`[alerts] rejected_file = "warn"`, the default).
pub fn assert_warned_for_rejected_files(run: &serde_json::Value) {
    assert_eq!(run["status"], "warned");
    assert!(
        run["alerts"]
            .as_array()
            .expect("alerts")
            .iter()
            .all(|a| a["check"] == "rejected_file"),
        "{}",
        run["alerts"]
    );
}

/// Reads one HTTP/1.1 request from a test server's connection: the head
/// (request line and headers) and the body of `content-length` bytes.
pub fn read_http_request(stream: &std::net::TcpStream) -> (String, Vec<u8>) {
    use std::io::{BufRead, BufReader, Read};
    let mut reader = BufReader::new(stream.try_clone().expect("clone the stream"));
    let (mut head, mut length) = (String::new(), 0usize);
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).expect("a request line");
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = v.trim().parse().expect("a content length");
        }
        head.push_str(&line);
        if line == "\r\n" || line.is_empty() {
            break;
        }
    }
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body).expect("the body");
    (head, body)
}

/// Copies a folder tree.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read dir").flatten() {
        let p = e.path();
        let dest = to.join(e.file_name());
        if p.is_dir() {
            copy_tree(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).expect("copy");
        }
    }
}

/// Every Parquet file below a folder.
pub fn parquet_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    collect(dir, &mut out);
    out
}

/// A Parquet file's rows as display strings (null is empty).
pub fn parquet_rows(path: &Path) -> Vec<Vec<(String, String)>> {
    let file = std::fs::File::open(path).expect("open parquet");
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .expect("parquet")
        .build()
        .expect("reader");
    let mut rows = Vec::new();
    for batch in reader {
        let batch = batch.expect("batch");
        for r in 0..batch.num_rows() {
            let row = batch
                .schema()
                .fields()
                .iter()
                .zip(batch.columns())
                .map(|(f, c)| {
                    let v = if c.is_null(r) {
                        String::new()
                    } else {
                        array_value_to_string(c, r).expect("display")
                    };
                    (f.name().clone(), v)
                })
                .collect();
            rows.push(row);
        }
    }
    rows
}

/// Picks columns of a row, in the order asked.
pub fn pick(row: &[(String, String)], cols: &[&str]) -> Vec<String> {
    cols.iter()
        .map(|c| {
            row.iter()
                .find(|(n, _)| n == c)
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| panic!("no column {c}"))
        })
        .collect()
}

/// The file record of `path` in a run.json.
pub fn file_record<'a>(run: &'a serde_json::Value, path: &str) -> &'a serde_json::Value {
    run["files"]
        .as_array()
        .expect("files")
        .iter()
        .find(|f| f["path"] == path)
        .unwrap_or_else(|| panic!("no record for {path}"))
}

/// (indicator, project, period, breakdown, breakdown value): one cell.
pub type CellId = (String, String, String, String, String);

/// An `indicator_values.csv` as cell → value: the exact values, which
/// tests compare published outputs with.
pub fn indicator_values_csv(path: &Path) -> std::collections::HashMap<CellId, f64> {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = std::collections::HashMap::new();
    for rec in r.records() {
        let rec = rec.expect("indicator_values row");
        out.insert(
            (
                rec[0].to_string(),
                rec[1].to_string(),
                rec[3].to_string(),
                rec[6].to_string(),
                rec[7].to_string(),
            ),
            rec[8].parse::<f64>().expect("value"),
        );
    }
    out
}
