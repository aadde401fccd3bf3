//! Planning: discover the SQL models, render each once with a recording
//! `ref()` / `source()`, build the dependency graph and order it. Every
//! unknown reference and every cycle is reported, with its file and line,
//! before any data is read.
//!
//! Invariants: a model's name is its file stem, unique across the model
//! folders; there is no order list anywhere but the SQL itself.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use minijinja::{Environment, UndefinedBehavior, Value};

use crate::config::Settings;
use crate::indicators::Indicator;
use crate::warehouse::previous_table;

/// One SQL model.
#[derive(Debug, Clone)]
pub struct Model {
    pub name: String,
    pub path: PathBuf,
    /// Folder below the model root: `staging`, `intermediate`, `indicators`, …
    pub layer: String,
    /// The SQL of a build from its inputs.
    pub sql: String,
    pub refs: BTreeSet<String>,
    /// Every source (`raw_*`, `new_*`, `seed_*`) the full SQL reads.
    pub sources: BTreeSet<String>,
    /// How runs build and keep it, with the settings that go with that.
    pub kind: Kind,
}

/// A model's `config(…)`: how runs build and keep it (README, Incremental
/// models and Delta runs). One type, so that settings that do not go
/// together cannot be written: a `unique_key` belongs to an incremental
/// model, `measures` to a summed one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// Rebuilt from its inputs (the default, `materialized='table'`).
    Table,
    /// `config(delta='rows')`: rebuilt, and each row depends only on the
    /// rows of one case, so a delta run computes it for some cases alone.
    PerCase,
    /// `config(delta='sum', measures=[…], support=…)`: every measure column
    /// is a sum over cases, grouped by the other columns; `support` is the
    /// measure that counts the rows behind a group (a group whose support
    /// sums to 0 no longer exists). A delta run adds tonight's difference
    /// to its previous result.
    Sum {
        measures: Vec<String>,
        support: String,
    },
    /// `config(materialized='incremental', …)`: kept from run to run and
    /// merged with the rows pulled since.
    Incremental(Incremental),
}

/// An incremental model's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incremental {
    /// Its SQL rendered with `is_incremental()` true: the rows that the new
    /// raw rows (`source('new', …)`) change in its previous result
    /// (`this`). Run only when a previous result of the same SQL exists.
    pub sql: String,
    /// The sources that `sql` reads: with no new rows in any of its `new_*`
    /// sources, the previous result is the result.
    pub sources: BTreeSet<String>,
    /// `unique_key=…`: each changed row replaces the previous row of its
    /// key. Without one the rows are added.
    pub unique_key: Option<UniqueKey>,
}

/// The key of an incremental model's rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UniqueKey {
    pub column: String,
    /// `case_column=…`: the case each row belongs to. With it the model is
    /// a current-state table, merged first in a delta run.
    pub case_column: Option<String>,
}

impl Model {
    /// The model as errors name it: its file and name.
    pub fn describe(&self) -> String {
        format!("{}: model {}", self.path.display(), self.name)
    }

    /// The warehouse folder its runs' files go under
    /// ([`warehouse::model_home`]).
    pub fn home(&self) -> String {
        crate::warehouse::model_home(&self.layer, &self.name, self.is_current_state())
    }

    /// Its incremental settings, if it is incremental.
    pub fn incremental(&self) -> Option<&Incremental> {
        match &self.kind {
            Kind::Incremental(i) => Some(i),
            _ => None,
        }
    }

    /// The column of its `unique_key`, if it has one.
    pub fn unique_key(&self) -> Option<&str> {
        self.incremental()
            .and_then(|i| i.unique_key.as_ref())
            .map(|k| k.column.as_str())
    }

    /// For a current-state table: its key and case columns.
    pub fn current_state(&self) -> Option<(&str, &str)> {
        let key = self.incremental()?.unique_key.as_ref()?;
        Some((key.column.as_str(), key.case_column.as_deref()?))
    }

    /// A current-state table, merged first in a delta run.
    pub fn is_current_state(&self) -> bool {
        self.current_state().is_some()
    }

    /// A model a delta run computes over the touched cases (per case or
    /// summed).
    pub fn is_delta(&self) -> bool {
        matches!(self.kind, Kind::PerCase | Kind::Sum { .. })
    }

    /// The `new_*` sources its incremental SQL reads.
    pub fn new_sources(&self) -> impl Iterator<Item = &String> {
        self.incremental()
            .into_iter()
            .flat_map(|i| &i.sources)
            .filter(|s| s.starts_with("new_"))
    }
}

/// A named SQL assertion: a query returning the failing rows.
#[derive(Debug, Clone)]
pub struct Assertion {
    pub name: String,
    pub path: PathBuf,
    pub sql: String,
    pub severity: Severity,
}

/// What a failing data test does to the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warn,
    Error,
}

/// The models in run order, and the assertions.
#[derive(Debug)]
pub struct Plan {
    pub models: Vec<Model>,
    pub assertions: Vec<Assertion>,
}

/// A planning problem with its place.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error("{file}:{line}: {message}")]
    At {
        file: String,
        line: usize,
        message: String,
    },
    #[error("{0}")]
    Other(String),
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out)?;
        } else {
            out.push(p);
        }
    }
    Ok(())
}

/// Line (1-based) of the first occurrence of `needle` in `text`.
fn line_of(text: &str, needle: &str) -> usize {
    text.find(needle)
        .map_or(1, |i| text[..i].matches('\n').count() + 1)
}

/// A model file found on disk: name, path and layer.
pub type Found = (String, PathBuf, String);

/// The `.sql` files of the model folders, except macros; `tests/` holds
/// assertions.
pub fn discover(roots: &[PathBuf]) -> Result<(Vec<Found>, Vec<PathBuf>), PlanError> {
    let mut models = Vec::new();
    let mut tests = Vec::new();
    let mut seen: BTreeMap<String, PathBuf> = BTreeMap::new();
    for root in roots {
        let mut files = Vec::new();
        walk(root, &mut files).map_err(|e| {
            PlanError::Other(format!("{}: cannot read model folder: {e}", root.display()))
        })?;
        for f in files {
            if f.extension().is_none_or(|e| e != "sql") {
                continue;
            }
            let rel = f.strip_prefix(root).unwrap_or(&f);
            let layer = rel
                .components()
                .next()
                .map(|c| c.as_os_str().to_string_lossy().to_string())
                .unwrap_or_default();
            if layer == "macros" {
                continue;
            }
            if layer == "tests" {
                tests.push(f);
                continue;
            }
            let name = f
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default();
            if let Some(first) = seen.insert(name.clone(), f.clone()) {
                return Err(PlanError::At {
                    file: f.display().to_string(),
                    line: 1,
                    message: format!("model name `{name}` is already used by {}", first.display()),
                });
            }
            models.push((name, f, layer));
        }
    }
    Ok((models, tests))
}

/// Builds the template environment for SQL: strict undefined values, macros
/// loadable from each root's `macros/` folder, and the given globals.
pub fn sql_environment(
    roots: &[PathBuf],
    globals: &BTreeMap<String, Value>,
) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    let roots = roots.to_vec();
    env.set_loader(move |name| {
        for root in &roots {
            let p = root.join(name);
            if p.is_file() {
                return std::fs::read_to_string(&p).map(Some).map_err(|e| {
                    minijinja::Error::new(
                        minijinja::ErrorKind::InvalidOperation,
                        format!("{}: {e}", p.display()),
                    )
                });
            }
        }
        Ok(None)
    });
    for (k, v) in globals {
        env.add_global(k.clone(), v.clone());
    }
    env
}

/// A rendered model: its SQL, the models it refers to, and whether it asked
/// to be incremental.
struct Rendered {
    sql: String,
    recorded: Recorded,
}

/// What rendering a model recorded.
#[derive(Debug, Default)]
struct Recorded {
    /// The names `ref()` was called with.
    refs: BTreeSet<String>,
    /// The tables `source()` stood for (`raw_cases`, …).
    sources: BTreeSet<String>,
    /// What its `config(…)` declared.
    config: Config,
}

/// A model's `config(…)` before its incremental SQL is rendered.
#[derive(Debug, Clone, Default)]
enum Config {
    #[default]
    Table,
    PerCase,
    Sum {
        measures: Vec<String>,
        support: String,
    },
    Incremental(Option<UniqueKey>),
}

/// Reads `config(…)`'s arguments into one kind, refusing settings that do
/// not go together.
fn parse_config(kwargs: &minijinja::value::Kwargs) -> Result<Config, minijinja::Error> {
    let invalid =
        |msg: &str| minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, msg.to_string());
    let how: Option<String> = kwargs.get("materialized")?;
    let delta: Option<String> = kwargs.get("delta")?;
    let unique_key: Option<String> = kwargs.get("unique_key")?;
    let case_column: Option<String> = kwargs.get("case_column")?;
    let measures: Option<Vec<String>> = kwargs.get("measures")?;
    let support: Option<String> = kwargs.get("support")?;
    kwargs.assert_all_used()?;
    let incremental = match how.as_deref() {
        None | Some("table") => false,
        Some("incremental") => true,
        Some(other) => {
            return Err(invalid(&format!(
                "materialized='{other}': use 'table' or 'incremental'"
            )));
        }
    };
    if !incremental && (unique_key.is_some() || case_column.is_some()) {
        return Err(invalid(
            "unique_key=… and case_column=… belong to materialized='incremental'",
        ));
    }
    if delta.as_deref() != Some("sum") && (measures.is_some() || support.is_some()) {
        return Err(invalid("measures=[…] and support=… belong to delta='sum'"));
    }
    match (delta.as_deref(), incremental) {
        (None, false) => Ok(Config::Table),
        (None, true) => {
            if case_column.is_some() && unique_key.is_none() {
                return Err(invalid("case_column=… needs unique_key=…"));
            }
            Ok(Config::Incremental(unique_key.map(|column| UniqueKey {
                column,
                case_column,
            })))
        }
        (Some(_), true) => Err(invalid(
            "delta=… is for models rebuilt from their inputs; an incremental model is merged",
        )),
        (Some("rows"), false) => Ok(Config::PerCase),
        (Some("sum"), false) => match (measures, support) {
            (Some(measures), Some(support)) if measures.contains(&support) => {
                Ok(Config::Sum { measures, support })
            }
            _ => Err(invalid(
                "delta='sum' needs measures=[…] and support=… (one of the measures)",
            )),
        },
        (Some(other), false) => Err(invalid(&format!("delta='{other}': use 'rows' or 'sum'"))),
    }
}

/// Renders a template, recording the models it refers to. `incremental` is
/// what `is_incremental()` answers.
fn render(
    env: &Environment<'static>,
    path: &Path,
    text: &str,
    incremental: bool,
) -> Result<Rendered, PlanError> {
    // One recorder: what `ref()`, `source()` and `config()` saw.
    let recorder: Arc<Mutex<Recorded>> = Arc::default();
    let mut env = env.clone();
    let r = recorder.clone();
    env.add_function("ref", move |name: String| -> String {
        r.lock().expect("not poisoned").refs.insert(name.clone());
        name
    });
    let r = recorder.clone();
    env.add_function("source", move |layer: String, entity: String| -> String {
        let name = crate::warehouse::source_table(&layer, &entity);
        r.lock().expect("not poisoned").sources.insert(name.clone());
        name
    });
    let r = recorder.clone();
    env.add_function(
        "config",
        move |kwargs: minijinja::value::Kwargs| -> Result<String, minijinja::Error> {
            r.lock().expect("not poisoned").config = parse_config(&kwargs)?;
            Ok(String::new())
        },
    );
    env.add_function("is_incremental", move || incremental);
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let sql = env
        .render_str(text, minijinja::context! { this => previous_table(&stem) })
        .map_err(|e| PlanError::At {
            file: path.display().to_string(),
            line: e.line().unwrap_or(1),
            message: format!("cannot render: {e}"),
        })?;
    let recorded = std::mem::take(&mut *recorder.lock().expect("not poisoned"));
    Ok(Rendered { sql, recorded })
}

/// Discovers, renders and orders the models. `sources` are the tables that
/// exist before any model runs (raw layer, seeds).
pub fn plan(
    roots: &[PathBuf],
    globals: &BTreeMap<String, Value>,
    sources: &BTreeSet<String>,
) -> Result<Plan, PlanError> {
    let (found, test_files) = discover(roots)?;
    let env = sql_environment(roots, globals);
    let names: BTreeSet<String> = found.iter().map(|(n, _, _)| n.clone()).collect();
    let mut models: BTreeMap<String, Model> = BTreeMap::new();
    let mut problems = Vec::new();
    for (name, path, layer) in found {
        let text = std::fs::read_to_string(&path)
            .map_err(|e| PlanError::Other(format!("{}: {e}", path.display())))?;
        let full = render(&env, &path, &text, false)?;
        let kind = match full.recorded.config {
            Config::Table => Kind::Table,
            Config::PerCase => Kind::PerCase,
            Config::Sum { measures, support } => Kind::Sum { measures, support },
            Config::Incremental(unique_key) => {
                let r = render(&env, &path, &text, true)?;
                Kind::Incremental(Incremental {
                    sql: r.sql,
                    sources: r.recorded.sources,
                    unique_key,
                })
            }
        };
        let (sql, refs, all_sources) = (full.sql, full.recorded.refs, full.recorded.sources);
        for r in &refs {
            if !names.contains(r) && !sources.contains(r) {
                problems.push(format!(
                    "{}:{}: unknown reference ref('{r}'): no model or source of that name",
                    path.display(),
                    line_of(&text, r)
                ));
            }
        }
        let refs = refs.into_iter().filter(|r| names.contains(r)).collect();
        models.insert(
            name.clone(),
            Model {
                name,
                path,
                layer,
                sql,
                refs,
                sources: all_sources,
                kind,
            },
        );
    }
    if !problems.is_empty() {
        return Err(PlanError::Other(problems.join("\n")));
    }
    let order = topo_order(&models)?;
    let mut assertions = Vec::new();
    for path in test_files {
        let text = std::fs::read_to_string(&path)
            .map_err(|e| PlanError::Other(format!("{}: {e}", path.display())))?;
        let Rendered { sql, recorded } = render(&env, &path, &text, false)?;
        let refs = recorded.refs;
        for r in &refs {
            if !names.contains(r) && !sources.contains(r) {
                return Err(PlanError::At {
                    file: path.display().to_string(),
                    line: line_of(&text, r),
                    message: format!("unknown reference ref('{r}')"),
                });
            }
        }
        let severity = if text
            .lines()
            .next()
            .is_some_and(|l| l.contains("severity: error"))
        {
            Severity::Error
        } else {
            Severity::Warn
        };
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        assertions.push(Assertion {
            name,
            path,
            sql,
            severity,
        });
    }
    Ok(Plan {
        models: order.into_iter().map(|n| models[&n].clone()).collect(),
        assertions,
    })
}

/// Globals every SQL template sees.
pub fn globals(settings: &Settings, catalogue: &[Indicator]) -> BTreeMap<String, Value> {
    let mut g = BTreeMap::new();
    g.insert(
        "as_of".into(),
        Value::from(settings.as_of.format("%Y-%m-%d").to_string()),
    );
    g.insert("threshold".into(), Value::from(settings.threshold));
    // `local` or `ballista`: m.aggregate() plans one aggregation with
    // grouping sets locally, and a union of one per breakdown on a cluster
    // (grouping sets beside an unnest over an empty input never finished on
    // Ballista 55); staging.sql's changed_versions() ranks each key's
    // versions on a cluster, where its local sort and lag gave other rows.
    g.insert(
        "engine".into(),
        Value::from(match settings.engine {
            crate::config::Engine::Local => "local",
            crate::config::Engine::Ballista { .. } => "ballista",
        }),
    );
    g.insert(
        "record_key_salt".into(),
        Value::from(settings.pseudonyms.record_key_salt()),
    );
    let items: Vec<BTreeMap<&str, Value>> = settings
        .rss_items
        .iter()
        .map(|i| {
            BTreeMap::from([
                ("item", Value::from(i.item.clone())),
                ("dimension", Value::from(i.dimension.clone())),
                ("weight", Value::from(i.weight)),
            ])
        })
        .collect();
    g.insert("rss_items".into(), Value::from_serialize(&items));
    let dims: Vec<BTreeMap<&str, Value>> = settings
        .rss_dimensions
        .iter()
        .map(|(d, w)| {
            BTreeMap::from([
                ("dimension", Value::from(d.clone())),
                ("weight", Value::from(*w)),
            ])
        })
        .collect();
    g.insert("rss_dimensions".into(), Value::from_serialize(&dims));
    g.insert("indicators".into(), Value::from_serialize(catalogue));
    g.insert(
        "age_groups".into(),
        Value::from_serialize(&settings.codes.age_groups),
    );
    g
}

/// SHA-256 of each model's rendered SQL, by model name.
pub fn sql_hashes(plan: &Plan, codes: &crate::codes::Codes) -> BTreeMap<String, String> {
    use sha2::Digest;
    plan.models
        .iter()
        .map(|m| {
            let mut h = sha2::Sha256::new();
            h.update(m.sql.as_bytes());
            // A code list the model reads is part of what it computes: an
            // incremental model is not merged onto rows made with another.
            for seed in &codes.seeds {
                if m.sources.contains(&crate::warehouse::seed_table(seed.name)) {
                    h.update([0]);
                    h.update(seed.text.as_bytes());
                }
            }
            (m.name.clone(), hex::encode(h.finalize()))
        })
        .collect()
}

/// Kahn's algorithm over sorted names, so the order is deterministic. A
/// cycle is reported with the files of the models on it.
fn topo_order(models: &BTreeMap<String, Model>) -> Result<Vec<String>, PlanError> {
    let mut remaining: BTreeMap<&str, BTreeSet<&str>> = models
        .iter()
        .map(|(n, m)| (n.as_str(), m.refs.iter().map(String::as_str).collect()))
        .collect();
    let mut order = Vec::new();
    loop {
        let ready: Vec<&str> = remaining
            .iter()
            .filter(|(_, deps)| deps.is_empty())
            .map(|(n, _)| *n)
            .collect();
        if ready.is_empty() {
            break;
        }
        for n in ready {
            remaining.remove(n);
            order.push(n.to_string());
            for deps in remaining.values_mut() {
                deps.remove(n);
            }
        }
    }
    if remaining.is_empty() {
        return Ok(order);
    }
    // Walk the dependencies from one stuck model until a name repeats.
    let mut path: Vec<&str> = vec![remaining.keys().next().copied().unwrap_or_default()];
    loop {
        let last = path[path.len() - 1];
        let next = remaining[last].iter().next().copied().unwrap_or(last);
        if let Some(i) = path.iter().position(|p| *p == next) {
            let cycle: Vec<&str> = path[i..].to_vec();
            let first = &models[cycle[0]];
            let files: Vec<String> = cycle
                .iter()
                .map(|n| format!("{n} ({})", models[*n].path.display()))
                .collect();
            return Err(PlanError::At {
                file: first.path.display().to_string(),
                line: 1,
                message: format!(
                    "cycle between models: {} -> {}",
                    files.join(" -> "),
                    cycle[0]
                ),
            });
        }
        path.push(next);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (p, text) in files {
            let path = dir.path().join(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    fn plan_of(dir: &tempfile::TempDir) -> Result<Plan, PlanError> {
        let sources = BTreeSet::from(["raw_cases".to_string()]);
        plan(&[dir.path().to_path_buf()], &BTreeMap::new(), &sources)
    }

    #[test]
    fn order_comes_from_the_sql() {
        let d = project(&[
            ("marts/b.sql", "select * from {{ ref('a') }}"),
            (
                "staging/a.sql",
                "select * from {{ source('raw', 'cases') }}",
            ),
            (
                "indicators/c.sql",
                "select * from {{ ref('b') }} join {{ ref('a') }} using (x)",
            ),
        ]);
        let p = plan_of(&d).unwrap();
        let names: Vec<&str> = p.models.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["a", "b", "c"]);
        assert!(p.models[0].sql.contains("raw_cases"));
    }

    #[test]
    fn unknown_reference_names_file_and_line() {
        let d = project(&[("staging/a.sql", "select 1\nfrom {{ ref('nope') }}")]);
        let err = plan_of(&d).unwrap_err().to_string();
        assert!(err.contains("a.sql:2:") && err.contains("nope"), "{err}");
    }

    #[test]
    fn cycle_names_the_files() {
        let d = project(&[
            ("x/a.sql", "select * from {{ ref('b') }}"),
            ("x/b.sql", "select * from {{ ref('a') }}"),
            ("x/c.sql", "select 1"),
        ]);
        let err = plan_of(&d).unwrap_err().to_string();
        assert!(
            err.contains("cycle") && err.contains("a.sql") && err.contains("b.sql"),
            "{err}"
        );
    }

    #[test]
    fn settings_that_do_not_go_together_are_refused() {
        for bad in [
            "{{ config(unique_key='id') }}select 1",
            "{{ config(materialized='incremental', delta='rows') }}select 1",
            "{{ config(delta='rows', measures=['n'], support='n') }}select 1",
            "{{ config(materialized='incremental', case_column='c') }}select 1",
            "{{ config(delta='sum', measures=['n'], support='m') }}select 1",
        ] {
            let d = project(&[("x/a.sql", bad)]);
            assert!(plan_of(&d).is_err(), "{bad}");
        }
        let d = project(&[(
            "x/a.sql",
            "{{ config(materialized='incremental', unique_key='id', case_column='c') }}select 1",
        )]);
        let p = plan_of(&d).unwrap();
        assert_eq!(p.models[0].current_state(), Some(("id", "c")));
        let d = project(&[(
            "x/a.sql",
            "{{ config(materialized='incremental', unique_key='id') }}select 1",
        )]);
        let p = plan_of(&d).unwrap();
        assert_eq!(
            (p.models[0].unique_key(), p.models[0].is_current_state()),
            (Some("id"), false)
        );
    }

    #[test]
    fn duplicate_names_are_refused() {
        let d = project(&[("x/a.sql", "select 1"), ("y/a.sql", "select 2")]);
        assert!(
            plan_of(&d)
                .unwrap_err()
                .to_string()
                .contains("already used")
        );
    }
}
