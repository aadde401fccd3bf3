//! What the transform hands on: rows per indicator for the run record,
//! `indicators/indicator_values.csv` under the output folder, and plan
//! profiles (`HOMEWARD_EXPLAIN`).

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use anyhow::Context;
use datafusion::arrow::array::{Array, AsArray, Date32Array, RecordBatch, StringArray};
use datafusion::arrow::datatypes::DataType;
use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions, array_value_to_string};
use datafusion::prelude::SessionContext;

use crate::indicators::INDICATOR_COLUMNS;

/// Rows of `indicator_values` per indicator.
pub async fn rows_per_indicator(ctx: &SessionContext) -> anyhow::Result<BTreeMap<String, u64>> {
    let counts = ctx
        .sql("select indicator_id, count(*) as n from indicator_values group by indicator_id")
        .await?
        .collect()
        .await?;
    let mut out = BTreeMap::new();
    for b in &counts {
        for r in 0..b.num_rows() {
            out.insert(
                array_value_to_string(b.column(0), r)?,
                array_value_to_string(b.column(1), r)?.parse().unwrap_or(0),
            );
        }
    }
    Ok(out)
}

/// Profiles one model for `HOMEWARD_EXPLAIN=model,...`: runs its query
/// under `EXPLAIN ANALYZE` (an extra run, results discarded) and writes the
/// plan with each operator's rows, time and memory to
/// `<out>/<as-of>/explain/<model>.txt`.
pub async fn explain_analyze(
    ctx: &SessionContext,
    name: &str,
    sql: &str,
    out_dir: &Path,
) -> anyhow::Result<()> {
    let batches = ctx
        .sql(&format!("explain analyze {sql}"))
        .await?
        .collect()
        .await
        .with_context(|| format!("explain analyze of model {name} failed"))?;
    let text = datafusion::arrow::util::pretty::pretty_format_batches(&batches)?.to_string();
    let path = out_dir.join("explain").join(format!("{name}.txt"));
    std::fs::create_dir_all(out_dir.join("explain"))?;
    std::fs::write(&path, text)?;
    tracing::info!(model = name, path = %path.display(), "plan profiled");
    Ok(())
}

/// `indicators/indicator_values.csv` being written ([`CsvExport::start`]).
/// It only reads the committed `indicator_values`, so in a `run` it is
/// written beside the report stage (which reads the same commit) instead
/// of before it: on two cores the sort and formatting of ≈ 340 k rows took
/// 0.35–0.43 s of a 1 M-case night on one core while the other waited.
#[derive(Debug)]
pub struct CsvExport(tokio::task::JoinHandle<anyhow::Result<PathBuf>>);

impl CsvExport {
    /// Starts writing the CSV from `ctx`'s `indicator_values`.
    pub fn start(ctx: &SessionContext, out_dir: &Path) -> CsvExport {
        let (ctx, out_dir) = (ctx.clone(), out_dir.to_path_buf());
        CsvExport(tokio::spawn(async move {
            let clock = std::time::Instant::now();
            let sql = "select * from indicator_values order by indicator_id, project_code, period_type, period, \
                       period_start asc nulls first, period_end, breakdown, breakdown_value";
            let batches = ctx.sql(sql).await?.collect().await?;
            // Formatting is CPU work: off the runtime's threads, which the
            // report's queries use meanwhile.
            let queried = clock.elapsed().as_secs_f64();
            let path = tokio::task::spawn_blocking(move || write_csv(&batches, &out_dir)).await?;
            tracing::debug!(
                query_seconds = queried,
                seconds = clock.elapsed().as_secs_f64(),
                "indicator_values.csv written"
            );
            path
        }))
    }

    /// Waits for the file.
    pub async fn finish(self) -> anyhow::Result<()> {
        let clock = std::time::Instant::now();
        self.0
            .await
            .context("writing indicator_values.csv stopped")?
            .context("cannot write indicators/indicator_values.csv")?;
        tracing::debug!(
            seconds = clock.elapsed().as_secs_f64(),
            "waited for indicator_values.csv"
        );
        Ok(())
    }
}

/// How one column's cells are written by [`write_csv`].
enum Cells<'a> {
    /// Text, borrowed from the array and made safe for a spreadsheet.
    Text(&'a StringArray),
    /// Days, each distinct one formatted once: they repeat (the periods'
    /// bounds, the as-of date), and formatting a date is most of a cell's
    /// cost.
    Days(&'a Date32Array, ArrayFormatter<'a>),
    /// Anything else, as `array_value_to_string` formats it; `true` for
    /// text of another layout, made safe too.
    Formatted(&'a dyn Array, ArrayFormatter<'a>, bool),
}

/// Writes `indicators/indicator_values.csv` from `batches`, which are
/// sorted by the first eight columns (text in byte order, null
/// `period_start` first), atomically.
fn write_csv(batches: &[RecordBatch], out_dir: &Path) -> anyhow::Result<PathBuf> {
    let dir = out_dir.join("indicators");
    std::fs::create_dir_all(&dir)?;
    let tmp = dir.join(".indicator_values.csv.tmp");
    let mut w = csv::Writer::from_path(&tmp)?;
    w.write_record(INDICATOR_COLUMNS)?;
    // The formatting of `array_value_to_string`, with one formatter per
    // column and batch rather than one per cell (at 1 M cases the export
    // formats 4 M cells; building a formatter for each was most of its
    // time).
    let options = FormatOptions::default().with_display_error(true);
    let mut cell = String::new();
    let mut days: HashMap<i32, String> = HashMap::new();
    for b in batches {
        let columns: Vec<Cells> = INDICATOR_COLUMNS
            .iter()
            .map(|c| {
                let col = b.column(b.schema().index_of(c)?).as_ref();
                let formatter = || ArrayFormatter::try_new(col, &options);
                Ok(match col.data_type() {
                    DataType::Utf8 => Cells::Text(col.as_string::<i32>()),
                    DataType::Date32 => Cells::Days(col.as_primitive(), formatter()?),
                    other => Cells::Formatted(
                        col,
                        formatter()?,
                        matches!(other, DataType::Utf8View | DataType::LargeUtf8),
                    ),
                })
            })
            .collect::<anyhow::Result<_>>()?;
        for r in 0..b.num_rows() {
            for column in &columns {
                match column {
                    Cells::Text(a) if a.is_valid(r) => {
                        // Text from the data (project codes, breakdown
                        // values) must not run as a formula in a
                        // spreadsheet.
                        w.write_field(crate::csv_safe::text(a.value(r)).as_bytes())?;
                    }
                    Cells::Days(a, formatter) if a.is_valid(r) => {
                        let text = match days.entry(a.value(r)) {
                            Entry::Occupied(e) => e.into_mut(),
                            Entry::Vacant(e) => e.insert(formatter.value(r).try_to_string()?),
                        };
                        w.write_field(text.as_bytes())?;
                    }
                    Cells::Formatted(a, formatter, text) if a.is_valid(r) => {
                        cell.clear();
                        std::fmt::Write::write_fmt(
                            &mut cell,
                            format_args!("{}", formatter.value(r)),
                        )?;
                        let safe = if *text {
                            crate::csv_safe::text(&cell)
                        } else {
                            std::borrow::Cow::Borrowed(cell.as_str())
                        };
                        w.write_field(safe.as_bytes())?;
                    }
                    _ => w.write_field([])?,
                }
            }
            // An empty record ends the row of the fields written above.
            w.write_record(None::<&[u8]>)?;
        }
    }
    w.flush()?;
    drop(w);
    let path = dir.join("indicator_values.csv");
    std::fs::rename(&tmp, &path)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use datafusion::arrow::array::{ArrayRef, Float64Array};
    use datafusion::arrow::datatypes::{Field, Schema};

    use super::*;

    /// A batch of `indicator_values`' columns: text, days and numbers,
    /// with nulls, a repeated day and text that a spreadsheet would run.
    fn batch() -> RecordBatch {
        let text = |v: [Option<&str>; 2]| Arc::new(StringArray::from(v.to_vec())) as ArrayRef;
        let days = |v: [Option<i32>; 2]| Arc::new(Date32Array::from(v.to_vec())) as ArrayRef;
        let numbers = |v: [Option<f64>; 2]| Arc::new(Float64Array::from(v.to_vec())) as ArrayRef;
        let columns: Vec<ArrayRef> = vec![
            text([Some("returnees_assisted"), Some("returnees_assisted")]),
            text([Some("ALL"), Some("=HYPERLINK(\"x\")")]),
            text([Some("month"), Some("to_date")]),
            text([Some("2026-05"), Some("to_date")]),
            days([Some(20574), None]),
            days([Some(20604), Some(20635)]),
            text([Some("sex"), Some("total")]),
            text([Some("female, \"f\""), Some("-1")]),
            numbers([Some(375.0), Some(0.125)]),
            numbers([Some(375.0), Some(1.0)]),
            numbers([None, Some(8.0)]),
            days([Some(20635), Some(20635)]),
        ];
        let fields: Vec<Field> = INDICATOR_COLUMNS
            .iter()
            .zip(&columns)
            .map(|(name, c)| Field::new(*name, c.data_type().clone(), true))
            .collect();
        RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).unwrap()
    }

    #[test]
    fn the_csv_writes_text_days_numbers_and_nulls_as_before_with_formulas_made_text() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_csv(&[batch(), batch()], dir.path()).unwrap();
        let text = std::fs::read_to_string(path).unwrap();
        let rows = [
            "returnees_assisted,ALL,month,2026-05,2026-05-01,2026-05-31,sex,\"female, \"\"f\"\"\",375.0,375.0,,2026-07-01",
            "returnees_assisted,\"'=HYPERLINK(\"\"x\"\")\",to_date,to_date,,2026-07-01,total,'-1,0.125,1.0,8.0,2026-07-01",
        ];
        let expected = format!(
            "{}\n{}\n",
            INDICATOR_COLUMNS.join(","),
            [rows, rows].concat().join("\n")
        );
        assert_eq!(text, expected);
    }
}
