//! Incremental models: reuse, merging into parts, and compaction (README,
//! Incremental models).
//!
//! An incremental model is kept in parts, oldest first: the first is a
//! full build or a compaction, each later one the rows a night changed,
//! which replace the earlier rows of their `unique_key`. Reading the model
//! reads the view of its parts (`materialise.sql`, `parts`).
//!
//! Invariant: a part is never rewritten; a compaction writes a new folder
//! and the record of the run that did it names it.

use datafusion::prelude::SessionContext;

use super::plan::Model;
use super::tables::{self, Written, register_parts, register_record};
use super::{Built, Run};
use crate::context::HashJoins;
use crate::storage::Location;
use crate::warehouse::records::{BuildMode, ModelRecord, Part};
use crate::warehouse::{self, previous_table};

/// An incremental model's parts are rewritten as one folder (a major
/// compaction) when the parts after the first hold more than
/// 1/`COMPACT_SHARE` of its rows: a read and a rewrite of the whole table,
/// what a nightly merge cost before parts (about 2 s for the four tables at
/// 1 M cases). Before that, when there are more than `COMPACT_PARTS`, the
/// later parts are merged into one (a minor compaction, reading only them):
/// each part adds an anti join to every read of the table, about 0.1 s a
/// night per part at 1 M cases (benches/nights.sh).
const COMPACT_SHARE: u64 = 10;
const COMPACT_PARTS: usize = 4;

/// An incremental model without cases (reference data: `stg_projects`,
/// `stg_targets`, re-sent whole every night) of at most this many rows,
/// its parts together, is compacted whenever that is due, and its
/// compaction is not the night's one major compaction: rewriting it takes
/// milliseconds.
const SMALL_TABLE: u64 = 100_000;

/// What [`keep_parts`] may do with a model's parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compaction {
    /// Rewrite them as one folder (a run that is not a delta run reads the
    /// whole table, through sort-merge joins that would sort the view's
    /// anti joins).
    Major,
    /// A major compaction if due, else a minor one if due.
    IfDue,
    /// At most a minor one: another table had its major compaction in this
    /// run (one a night keeps every night's cost near the usual).
    MinorOnly,
}

/// The major compactions done so far in a run.
#[derive(Debug, Default)]
pub struct Compactions {
    majors: usize,
}

impl Compactions {
    /// What the next model may have.
    fn allowed(&self, delta_run: bool) -> Compaction {
        match (delta_run, self.majors) {
            (false, _) => Compaction::Major,
            (true, 0) => Compaction::IfDue,
            (true, _) => Compaction::MinorOnly,
        }
    }
}

/// What an incremental model builds on in this run.
pub enum Base<'r> {
    /// Nothing: it is built from its inputs (so is every other model).
    None,
    /// Its previous result is this run's: nothing pulled since for it.
    Reuse(&'r ModelRecord),
    /// Its previous result, merged with the rows pulled since.
    Merge(&'r ModelRecord),
}

/// What `model` builds on: its previous result when it is incremental and
/// the previous transform built it with the same SQL.
pub fn base<'r>(run: &'r Run<'_>, model: &Model, built: &Built) -> Base<'r> {
    let (Some(_), Some(previous)) = (model.incremental(), run.previous_record(model)) else {
        return Base::None;
    };
    // Nothing pulled since, or nothing for this model's new-row sources
    // (and every model it refers to reused): the previous result is this
    // one.
    let nothing_new = run.since == run.pull_seq
        || (model.new_sources().all(|s| run.sources.empty.contains(s))
            && model
                .refs
                .iter()
                .all(|r| built.get(r).is_some_and(|m| m.mode == BuildMode::Reused)));
    if nothing_new {
        Base::Reuse(previous)
    } else {
        Base::Merge(previous)
    }
}

/// Keeps the previous result as this run's (compacted if due).
pub async fn reuse(
    run: &Run<'_>,
    model: &Model,
    previous: &ModelRecord,
    built: &mut Built,
) -> anyhow::Result<ModelRecord> {
    tracing::info!(model = %model.name, "model reused: no new rows for it");
    let record = ModelRecord {
        mode: BuildMode::Reused,
        ..previous.clone()
    };
    keep(run, model, record, built).await
}

/// Merges the rows pulled since into the previous result: the model's
/// incremental SQL gives the changed rows, which become its newest part.
pub async fn merge(
    run: &Run<'_>,
    model: &Model,
    previous: &ModelRecord,
    built: &mut Built,
) -> anyhow::Result<ModelRecord> {
    register_previous(run, model, previous).await?;
    let written = merge_changes(run, model).await?;
    merged(run, model, previous, written, built).await
}

/// Registers a merged model's previous result as `<model>__previous`, the
/// table its incremental SQL reads.
pub async fn register_previous(
    run: &Run<'_>,
    model: &Model,
    previous: &ModelRecord,
) -> anyhow::Result<()> {
    register_record(
        &run.ctx,
        run.wh,
        &previous_table(&model.name),
        previous,
        model,
    )
    .await
}

/// Writes a merged model's changed rows (its incremental SQL over
/// `<model>__previous` and the rows pulled since): its newest part.
async fn merge_changes(run: &Run<'_>, model: &Model) -> anyhow::Result<Written> {
    let sql = &model
        .incremental()
        .expect("a merged model is incremental")
        .sql;
    run.profile(model, sql).await?;
    let rel = warehouse::changes_folder(&model.home(), run.run_id);
    // A merge joins the previous result (millions of rows) to the keys
    // of tonight's rows (thousands): a hash join builds on the small
    // side and never sorts the large one, where the session's
    // sort-merge joins sorted both and ran out of the pool at 1 M cases.
    let _joins = HashJoins::prefer(&run.ctx);
    tables::write(&run.ctx, run.wh, &model.describe(), sql, rel).await
}

/// A merged model's record: its previous parts and the changed rows
/// `written`, compacted as the run allows, and registered as the model.
pub async fn merged(
    run: &Run<'_>,
    model: &Model,
    previous: &ModelRecord,
    written: Written,
    built: &mut Built,
) -> anyhow::Result<ModelRecord> {
    let mut parts = previous.all_parts();
    if written.rows > 0 {
        parts.push(Part {
            path: written.rel.clone(),
            rows: written.rows,
        });
    }
    let record = ModelRecord {
        path: parts[0].path.clone(),
        parts,
        ..run.record(model, BuildMode::Incremental, written.rows, written.rel)
    };
    keep(run, model, record, built).await
}

/// [`keep_parts`] with the compaction this run allows, counting a major one.
async fn keep(
    run: &Run<'_>,
    model: &Model,
    record: ModelRecord,
    built: &mut Built,
) -> anyhow::Result<ModelRecord> {
    let small = !model.is_current_state()
        && record.all_parts().iter().map(|p| p.rows).sum::<u64>() <= SMALL_TABLE;
    let allowed = match built.compactions.allowed(built.delta_run) {
        Compaction::MinorOnly if small => Compaction::IfDue,
        allowed => allowed,
    };
    let (record, major) = keep_parts(&run.ctx, run.wh, model, record, run.run_id, allowed).await?;
    built.compactions.majors += usize::from(major && !small);
    Ok(record)
}

/// Registers an incremental model's result (`record`, in parts) as
/// `model.name` and returns its record, compacted as `compaction` allows
/// and the parts call for (see [`COMPACT_SHARE`]), with its rows counted;
/// and whether it had a major compaction.
pub async fn keep_parts(
    ctx: &SessionContext,
    wh: &Location,
    model: &Model,
    record: ModelRecord,
    run_id: &str,
    compaction: Compaction,
) -> anyhow::Result<(ModelRecord, bool)> {
    let parts = record.all_parts();
    if let [only] = parts.as_slice() {
        let record = ModelRecord {
            path: only.path.clone(),
            rows: only.rows,
            parts: Vec::new(),
            ..record
        };
        register_record(ctx, wh, &model.name, &record, model).await?;
        return Ok((record, false));
    }
    register_record(ctx, wh, &model.name, &record, model).await?;
    let later: u64 = parts[1..].iter().map(|p| p.rows).sum();
    let major = match compaction {
        Compaction::Major => true,
        Compaction::IfDue => later.saturating_mul(COMPACT_SHARE) > parts[0].rows,
        Compaction::MinorOnly => false,
    };
    let minor = !major && parts.len() > COMPACT_PARTS;
    // The parts' anti joins build on the later (small) parts.
    let _joins = HashJoins::prefer(ctx);
    let record = if major {
        let rel = warehouse::model_folder(&model.home(), run_id);
        let what = format!("{} (compacting {} parts)", model.describe(), parts.len());
        let sql = format!("select * from {}", model.name);
        let written = tables::write(ctx, wh, &what, &sql, rel).await?;
        tables::register_written(ctx, wh, &model.name, &written).await?;
        tracing::info!(model = %model.name, parts = parts.len(), rows = written.rows, "compacted");
        return Ok((
            ModelRecord {
                path: written.rel,
                rows: written.rows,
                parts: Vec::new(),
                ..record
            },
            true,
        ));
    } else if minor {
        // The later parts as one: only they are read and written.
        // (Later parts always have rows: a night without changes adds none.)
        let changes = warehouse::changes_table(&model.name);
        let later = &parts[1..];
        register_parts(ctx, wh, &changes, model.unique_key(), later).await?;
        let rel = warehouse::merged_folder(&model.home(), run_id);
        let what = format!("{} (merging {} parts)", model.describe(), later.len());
        let sql = format!("select * from {changes}");
        let written = tables::write(ctx, wh, &what, &sql, rel).await?;
        tracing::info!(model = %model.name, parts = later.len(), rows = written.rows, "later parts merged");
        let parts = vec![
            parts[0].clone(),
            Part {
                path: written.rel,
                rows: written.rows,
            },
        ];
        let record = ModelRecord { parts, ..record };
        register_record(ctx, wh, &model.name, &record, model).await?;
        record
    } else {
        record
    };
    let rows = tables::count(ctx, &model.name).await?;
    Ok((ModelRecord { rows, ..record }, false))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use datafusion::arrow::util::display::array_value_to_string;

    use super::*;
    use crate::transform::plan::{Incremental, Kind, UniqueKey};
    use crate::warehouse::records::StageStatus;

    /// The parts view over the first `n` of `t__part0..2`.
    fn parts_sql(key: Option<&str>, n: usize) -> String {
        let tables: Vec<String> = (0..n).map(|i| warehouse::part_table("t", i)).collect();
        super::super::sql::parts(&tables, key)
    }

    /// `t__part0..2` as in-memory tables of (id, v).
    async fn parts(rows: [&str; 3]) -> SessionContext {
        let ctx = SessionContext::new();
        for (i, values) in rows.iter().enumerate() {
            ctx.sql(&format!(
                "create table t__part{i} as select * from (values {values}) as v(id, v)"
            ))
            .await
            .unwrap();
        }
        ctx
    }

    async fn rows(ctx: &SessionContext, sql: &str) -> Vec<String> {
        let batches = ctx
            .sql(&format!("select id || ':' || v from ({sql}) order by 1"))
            .await
            .unwrap()
            .collect()
            .await
            .unwrap();
        let mut out = Vec::new();
        for b in &batches {
            for r in 0..b.num_rows() {
                out.push(array_value_to_string(b.column(0), r).unwrap());
            }
        }
        out
    }

    #[tokio::test]
    async fn a_later_part_replaces_the_rows_of_its_key() {
        let ctx = parts([
            "('a', 1), ('b', 1), ('c', 1)",
            "('b', 2), ('d', 2)",
            "('b', 3), ('c', 3)",
        ])
        .await;
        assert_eq!(
            rows(&ctx, &parts_sql(Some("id"), 3)).await,
            ["a:1", "b:3", "c:3", "d:2"]
        );
        // Two parts: only the second replaces.
        assert_eq!(
            rows(&ctx, &parts_sql(Some("id"), 2)).await,
            ["a:1", "b:2", "c:1", "d:2"]
        );
    }

    #[tokio::test]
    async fn without_a_key_parts_add_rows() {
        let ctx = parts(["('a', 1)", "('a', 2)", "('b', 3)"]).await;
        assert_eq!(rows(&ctx, &parts_sql(None, 3)).await, ["a:1", "a:2", "b:3"]);
    }

    /// A warehouse in a temporary folder, a session that reads it, and a
    /// model `t` keyed by `id` whose parts are the given queries' rows.
    async fn model_in_parts(
        queries: &[&str],
    ) -> (
        tempfile::TempDir,
        Location,
        SessionContext,
        Model,
        ModelRecord,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let wh = Location::open(dir.path().to_str().unwrap(), dir.path(), true).unwrap();
        let ctx = SessionContext::new();
        wh.register(&ctx).unwrap();
        let mut parts = Vec::new();
        for (i, sql) in queries.iter().enumerate() {
            let rel = format!("t/part{i}/");
            let written = tables::write(&ctx, &wh, "a part", sql, rel).await.unwrap();
            parts.push(Part {
                path: written.rel,
                rows: written.rows,
            });
        }
        let model = Model {
            name: "t".into(),
            path: "t.sql".into(),
            layer: "current".into(),
            sql: queries[0].into(),
            refs: BTreeSet::new(),
            sources: BTreeSet::new(),
            kind: Kind::Incremental(Incremental {
                sql: String::new(),
                sources: BTreeSet::new(),
                unique_key: Some(UniqueKey {
                    column: "id".into(),
                    case_column: None,
                }),
            }),
        };
        let record = ModelRecord {
            name: "t".into(),
            layer: "current".into(),
            status: StageStatus::Succeeded,
            rows: 0,
            seconds: 0.0,
            path: parts[0].path.clone(),
            sql_hash: String::new(),
            mode: BuildMode::Incremental,
            reason: String::new(),
            parts,
        };
        (dir, wh, ctx, model, record)
    }

    /// `n` rows `1`…`n` with v = 0.
    fn base(n: usize) -> String {
        format!("select cast(value as varchar) as id, 0 as v from generate_series(1, {n})")
    }

    /// 1,000 rows, then six nights of changes: one row changed, key 7
    /// changed, one new key.
    fn nights() -> Vec<String> {
        let mut q = vec![base(1000)];
        for night in 1..=6 {
            q.push(format!(
                "select * from (values ('{night}', {night}), ('7', {night}), ('n{night}', {night})) as c(id, v)"
            ));
        }
        q
    }

    #[tokio::test]
    async fn past_four_parts_the_later_ones_are_merged_and_the_table_is_unchanged() {
        let queries = nights();
        // Six nights of 3 rows on 1,000: not due for a major compaction.
        let q: Vec<&str> = queries.iter().map(String::as_str).collect();
        let (_dir, wh, ctx, model, record) = model_in_parts(&q).await;
        assert!(
            register_parts(&ctx, &wh, "t", Some("id"), &record.parts)
                .await
                .unwrap()
        );
        let before = rows(&ctx, "select * from t").await;
        let (kept, major) = keep_parts(&ctx, &wh, &model, record, "r", Compaction::IfDue)
            .await
            .unwrap();
        assert!(!major);
        assert_eq!(kept.parts.len(), 2, "{:?}", kept.parts);
        // Key 7 changed every night: one row for it in the merged part.
        assert_eq!(kept.parts[1].rows, 6 + 1 + 6);
        assert_eq!(kept.rows, 1006);
        assert_eq!(rows(&ctx, "select * from t").await, before);
        assert!(before.contains(&"7:6".to_string()) && before.contains(&"1:1".to_string()));
    }

    #[tokio::test]
    async fn a_major_compaction_is_one_folder_and_only_one_a_run() {
        let queries = nights();
        let q: Vec<&str> = queries[..3].iter().map(String::as_str).collect();
        // Three parts are not many, and 6 changed rows on 1,000 are not due.
        let (_dir, wh, ctx, model, record) = model_in_parts(&q).await;
        let (kept, major) = keep_parts(&ctx, &wh, &model, record.clone(), "r", Compaction::IfDue)
            .await
            .unwrap();
        assert!(!major);
        assert_eq!((kept.parts.len(), kept.rows), (3, 1002));
        // A run that is not a delta run rewrites them whatever their size.
        let (kept, major) = keep_parts(&ctx, &wh, &model, record, "r2", Compaction::Major)
            .await
            .unwrap();
        assert!(major);
        assert!(kept.parts.is_empty());
        assert_eq!(
            (kept.rows, kept.path.as_str()),
            (1002, "models/current/t/run_id=r2/")
        );
        assert!(
            rows(&ctx, "select * from t")
                .await
                .contains(&"7:2".to_string())
        );
        // Due (12 changed rows on 5), but another table had tonight's major
        // compaction: its five parts become two; alone, it is compacted.
        let small = base(5);
        let q = [
            small.as_str(),
            &queries[1],
            &queries[1],
            &queries[1],
            &queries[1],
        ];
        let (_dir, wh, ctx, model, record) = model_in_parts(&q).await;
        let (kept, major) = keep_parts(
            &ctx,
            &wh,
            &model,
            record.clone(),
            "r",
            Compaction::MinorOnly,
        )
        .await
        .unwrap();
        assert!(!major);
        assert_eq!((kept.parts.len(), kept.rows), (2, 7));
        let (kept, major) = keep_parts(&ctx, &wh, &model, record, "r3", Compaction::IfDue)
            .await
            .unwrap();
        assert!(major && kept.parts.is_empty());
        assert_eq!(
            rows(&ctx, "select * from t").await,
            ["1:1", "2:0", "3:0", "4:0", "5:0", "7:1", "n1:1"]
        );
    }
}
