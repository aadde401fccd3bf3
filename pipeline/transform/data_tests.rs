//! Data tests: declarative ones in a TOML file beside each model
//! (`stg_cases.toml`: not_null, unique, accepted_values, relationships), and
//! SQL assertions in `tests/` that return the failing rows. Each has a
//! severity; a failing `error` test stops the run before anything is published.

use serde::Deserialize;

use super::plan::{Plan, Severity};
use crate::warehouse::records::{TestRecord, TestStatus};
use datafusion::prelude::SessionContext;

/// A `[[tests]]` entry of a model's TOML file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ColumnTest {
    column: String,
    name: Option<String>,
    #[serde(default)]
    not_null: bool,
    #[serde(default)]
    unique: bool,
    accepted_values: Option<Vec<String>>,
    relationships: Option<Relationship>,
    #[serde(default = "error")]
    severity: Severity,
}

fn error() -> Severity {
    Severity::Error
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Relationship {
    model: String,
    column: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TestFile {
    #[serde(default)]
    tests: Vec<ColumnTest>,
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// (name, SQL returning failing rows, severity) of a model's declared tests.
fn declared(
    model: &str,
    path: &std::path::Path,
) -> anyhow::Result<Vec<(String, String, Severity)>> {
    let toml_path = path.with_extension("toml");
    if !toml_path.is_file() {
        return Ok(vec![]);
    }
    let text = std::fs::read_to_string(&toml_path)?;
    let file: TestFile = toml::from_str(&text).map_err(|e| {
        let line = e.span().map_or(1, |s| {
            text[..s.start.min(text.len())].matches('\n').count() + 1
        });
        anyhow::anyhow!("{}:{line}: {}", toml_path.display(), e.message())
    })?;
    let mut out = Vec::new();
    for t in file.tests {
        let c = &t.column;
        let named = |kind: &str| {
            t.name
                .clone()
                .unwrap_or_else(|| format!("{model}.{c}.{kind}"))
        };
        if t.not_null {
            out.push((
                named("not_null"),
                format!("select * from {model} where {c} is null"),
                t.severity,
            ));
        }
        if t.unique {
            out.push((
                named("unique"),
                format!(
                    "select {c} from {model} where {c} is not null group by {c} having count(*) > 1"
                ),
                t.severity,
            ));
        }
        if let Some(values) = &t.accepted_values {
            let list = values
                .iter()
                .map(|v| quote(v))
                .collect::<Vec<_>>()
                .join(", ");
            out.push((
                named("accepted_values"),
                format!("select * from {model} where {c} is not null and {c} not in ({list})"),
                t.severity,
            ));
        }
        if let Some(r) = &t.relationships {
            out.push((
                named("relationships"),
                format!("select a.* from {model} a left anti join {} b on a.{c} = b.{} where a.{c} is not null", r.model, r.column),
                t.severity,
            ));
        }
    }
    Ok(out)
}

/// Runs every test; returns the records and the names of failed `error` tests.
pub async fn run(
    ctx: &SessionContext,
    plan: &Plan,
) -> anyhow::Result<(Vec<TestRecord>, Vec<String>)> {
    let mut all = Vec::new();
    for m in &plan.models {
        all.extend(declared(&m.name, &m.path)?);
    }
    for a in &plan.assertions {
        all.push((a.name.clone(), a.sql.clone(), a.severity));
    }
    let mut records = Vec::new();
    let mut failed = Vec::new();
    for (name, sql, severity) in all {
        tracing::debug!(test = %name, "data test started");
        let count_sql = format!("select count(*) as n from ({sql}) as failing");
        let batches = ctx
            .sql(&count_sql)
            .await
            .map_err(|e| anyhow::anyhow!("data test {name}: {e}"))?
            .collect()
            .await
            .map_err(|e| anyhow::anyhow!("data test {name}: {e}"))?;
        let n: u64 = batches
            .first()
            .filter(|b| b.num_rows() > 0)
            .and_then(|b| {
                datafusion::arrow::util::display::array_value_to_string(b.column(0), 0).ok()
            })
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let status = match (n, severity) {
            (0, _) => TestStatus::Pass,
            (_, Severity::Warn) => TestStatus::Warn,
            (_, Severity::Error) => {
                failed.push(name.clone());
                TestStatus::Fail
            }
        };
        if n > 0 {
            tracing::warn!(test = %name, failing_rows = n, "data test {status}");
        }
        records.push(TestRecord {
            name,
            status,
            failing_rows: n,
        });
    }
    Ok((records, failed))
}
