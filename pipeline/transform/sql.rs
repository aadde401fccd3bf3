//! The SQL the transform writes to keep models (the parts view, the sum
//! combine of a delta run, the touched cases and the restriction to them),
//! rendered from one template of macros, `materialise.sql`.
//!
//! Invariant: every such query comes from that template; the Rust side
//! only gathers the table and column names it needs.

use std::sync::LazyLock;

use minijinja::{Environment, Value};
use serde::Serialize;

use crate::warehouse::TOUCHED_TABLE;

static ENV: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.add_filter("quoted", |s: String| format!("\"{s}\""));
    env.add_template("materialise.sql", include_str!("materialise.sql"))
        .expect("materialise.sql is a valid template");
    env
});

/// Calls one macro of `materialise.sql`.
fn call(name: &str, args: &[Value]) -> String {
    let tmpl = ENV
        .get_template("materialise.sql")
        .expect("materialise.sql is registered");
    tmpl.render_captured(())
        .and_then(|rendered| rendered.state().call_macro(name, args))
        .unwrap_or_else(|e| panic!("materialise.sql, macro {name}: {e:#}"))
}

/// The rows that `tables` (a model's parts, oldest first) make together:
/// with a `key`, a later part replaces the rows of its keys.
pub fn parts(tables: &[String], key: Option<&str>) -> String {
    call("parts", &[Value::from_serialize(tables), Value::from(key)])
}

/// One column of a summed model.
#[derive(Debug, Serialize)]
pub struct Column {
    pub name: String,
    /// A measure is summed; the other columns are the group.
    pub measure: bool,
}

/// A summed model's result in a delta run: `previous` + `new` − `old`,
/// group by group, without the groups whose `support` sums to 0.
pub fn combine(previous: &str, new: &str, old: &str, columns: &[Column], support: &str) -> String {
    call(
        "combine",
        &[
            Value::from(previous),
            Value::from(new),
            Value::from(old),
            Value::from_serialize(columns),
            Value::from(support),
        ],
    )
}

/// One part of the touched-cases query.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Touched {
    /// Records of `table` dated between two as-of dates (`lo` < date ≤ `hi`).
    Window {
        table: String,
        case_column: String,
        dates: Vec<String>,
        lo: String,
        hi: String,
    },
    /// The case of every row pulled since (`new`).
    New { new: String, case_column: String },
    /// The case each record of `new` belonged to in `previous`.
    Before {
        previous: String,
        new: String,
        case_column: String,
        key: String,
    },
}

/// The touched cases (column `case_id`), distinct and not null.
pub fn touched(branches: &[Touched]) -> String {
    call("touched", &[Value::from_serialize(branches)])
}

/// The rows of `table` that belong to the touched cases ([`TOUCHED_TABLE`]).
pub fn restrict(table: &str, case_column: &str) -> String {
    call(
        "restrict",
        &[
            Value::from(table),
            Value::from(case_column),
            Value::from(TOUCHED_TABLE),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_later_part_hides_the_keys_it_holds() {
        let t = ["t__part0", "t__part1", "t__part2"].map(String::from);
        assert_eq!(
            parts(&t, Some("id")),
            "select p.* from t__part0 p left anti join (select id from t__part1 union all select id from t__part2) l on p.id = l.id \
             union all select p.* from t__part1 p left anti join (select id from t__part2) l on p.id = l.id \
             union all select * from t__part2"
        );
        assert_eq!(
            parts(&t[..2], None),
            "select * from t__part0 union all select * from t__part1"
        );
    }

    #[test]
    fn no_touched_cases_is_an_empty_query() {
        assert_eq!(
            touched(&[]),
            "select cast(null as varchar) as case_id where false"
        );
        let sql = touched(&[
            Touched::New {
                new: "new_cases".into(),
                case_column: "case_id".into(),
            },
            Touched::Window {
                table: "cur".into(),
                case_column: "case_id".into(),
                dates: vec!["a_on".into(), "b_on".into()],
                lo: "2026-05-31".into(),
                hi: "2026-06-30".into(),
            },
        ]);
        assert_eq!(
            sql,
            "select distinct case_id from (select case_id as case_id from new_cases union all \
             select case_id as case_id from cur where (a_on > date '2026-05-31' and a_on <= date '2026-06-30') \
             or (b_on > date '2026-05-31' and b_on <= date '2026-06-30')) t where case_id is not null"
        );
        assert_eq!(
            restrict("cur", "case_id"),
            "select r.* from delta_touched t right semi join cur r on r.case_id = t.case_id"
        );
    }
}
