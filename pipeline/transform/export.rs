//! What the transform hands on: rows per indicator for the run record,
//! `indicators/indicator_values.csv` under the output folder, and plan
//! profiles (`HOMEWARD_EXPLAIN`).

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use anyhow::Context;
use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, Date32Array, Float64Array, RecordBatch, StringViewArray,
};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Date32Type};
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
    // Renamed into place, as every output: `latest/` links to the file.
    let tmp = out_dir.join("explain").join(format!(".{name}.txt.tmp"));
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, &path)?;
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
            // Unsorted: write_csv sorts the rows (by ranks of their text,
            // cheaper than the query's sort of ≈ 340 k rows by text).
            let batches = ctx
                .sql("select * from indicator_values")
                .await?
                .collect()
                .await?;
            // Sorting and formatting are CPU work: off the runtime's
            // threads, which the report's queries use meanwhile.
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
    /// The `i`-th of the [`TEXT`] columns (all the text of
    /// `indicator_values`), from the sorted rows' numbers: written from the
    /// few distinct strings, not from the arrays in the rows' new order (a
    /// cache miss a cell), and each made safe for a spreadsheet once.
    Key(usize),
    /// Doubles, written as Arrow's display writes them (`ryu`), without
    /// going through `fmt`: three of its twelve columns.
    Float(&'a Float64Array),
    /// Days, each distinct one formatted once: they repeat (the periods'
    /// bounds, the as-of date), and formatting a date is most of a cell's
    /// cost.
    Days(&'a Date32Array, ArrayFormatter<'a>),
    /// Anything else, as `array_value_to_string` formats it; `true` for
    /// text (none of `indicator_values`' columns outside the key), made
    /// safe too.
    Formatted(&'a dyn Array, ArrayFormatter<'a>, bool),
}

/// A row of the CSV before sorting: its text as string numbers (in order
/// of first sight), its days, and where it is.
struct Place {
    text: [u32; 6],
    days: [Option<i32>; 2],
    batch: usize,
    row: usize,
}

/// The text columns of the CSV's order, in order.
const TEXT: [&str; 6] = [
    "indicator_id",
    "project_code",
    "period_type",
    "period",
    "breakdown",
    "breakdown_value",
];

/// The CSV's rows in order ([`csv_order`]).
struct Sorted {
    /// Each row's [`TEXT`] columns as numbers into `strings` (`u32::MAX`
    /// for null), and where the row is (batch, row).
    rows: Vec<([u32; 6], usize, usize)>,
    /// Each distinct string of the [`TEXT`] columns once (a few thousand).
    strings: Vec<String>,
}

/// The order of the CSV's rows (indicators.md: by the first eight columns,
/// text in byte order, null `period_start` first; a null elsewhere last, as
/// SQL's ascending order puts it). Text compares by the rank of each
/// distinct string (`indicators::byte_order_ranks`). The rows keep their
/// strings' numbers, so the text is written from the few distinct strings
/// instead of from the arrays in the rows' new order (a cache miss a
/// cell).
fn csv_order(batches: &[RecordBatch]) -> anyhow::Result<Sorted> {
    const DAYS: [&str; 2] = ["period_start", "period_end"];
    let column = |b: &RecordBatch, name: &str, to: &DataType| -> anyhow::Result<ArrayRef> {
        let c = b
            .column_by_name(name)
            .with_context(|| format!("indicator_values has no column {name}"))?;
        Ok(cast(c, to)?)
    };
    // Each batch's key columns, as text (views or not: borrowed) and days
    // (casting a column that has the type already does not copy it).
    let typed = batches
        .iter()
        .map(|b| {
            let text = TEXT.map(|c| column(b, c, &DataType::Utf8View));
            let days = DAYS.map(|c| column(b, c, &DataType::Date32));
            let text: Vec<ArrayRef> = text.into_iter().collect::<anyhow::Result<_>>()?;
            let days: Vec<ArrayRef> = days.into_iter().collect::<anyhow::Result<_>>()?;
            Ok((text, days))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    // Each distinct string numbered in order of first sight; a null is
    // `u32::MAX`, after every string.
    let mut ids: HashMap<&str, u32> = HashMap::new();
    let mut strings: Vec<&str> = Vec::new();
    let mut places: Vec<Place> = Vec::new();
    // Each column's last string and number: the rows of one indicator come
    // together, so a column mostly repeats the row before's value, found
    // without hashing.
    let mut last: [Option<(&str, u32)>; 6] = [None; 6];
    for (b, (text, days)) in typed.iter().enumerate() {
        let text: [&StringViewArray; 6] = std::array::from_fn(|i| text[i].as_string_view());
        let days: [&Date32Array; 2] = std::array::from_fn(|i| days[i].as_primitive::<Date32Type>());
        for r in 0..batches[b].num_rows() {
            let id: [u32; 6] = std::array::from_fn(|i| {
                let c = text[i];
                if c.is_null(r) {
                    return u32::MAX;
                }
                let s = c.value(r);
                if let Some((prev, id)) = last[i]
                    && prev == s
                {
                    return id;
                }
                let id = *ids.entry(s).or_insert_with(|| {
                    strings.push(s);
                    u32::try_from(strings.len() - 1).unwrap_or(u32::MAX)
                });
                last[i] = Some((s, id));
                id
            });
            let day = days.map(|c| c.is_valid(r).then(|| c.value(r)));
            places.push(Place {
                text: id,
                days: day,
                batch: b,
                row: r,
            });
        }
    }
    let ranks = crate::indicators::byte_order_ranks(&strings);
    let rank = |id: u32| ranks.get(id as usize).copied().unwrap_or(u32::MAX);
    let mut order: Vec<_> = places
        .into_iter()
        .map(|p| {
            let ([ind, proj, ptype, period, bd, bv], [start, end]) = (p.text, p.days);
            (
                [ind, proj, ptype, period].map(rank),
                // `None` sorts first: a null period_start first, as the
                // contract asks; a null period_end (none is) last.
                start,
                end.map_or((1, 0), |d| (0, d)),
                [bd, bv].map(rank),
                p.batch,
                p.row,
                p.text,
            )
        })
        .collect();
    order.sort_unstable();
    Ok(Sorted {
        rows: order.into_iter().map(|k| (k.6, k.4, k.5)).collect(),
        strings: strings.into_iter().map(String::from).collect(),
    })
}

/// Writes `indicators/indicator_values.csv` from `batches`, sorted by the
/// first eight columns ([`csv_order`]), atomically.
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
    let mut float = ryu::Buffer::new();
    let mut days: HashMap<i32, String> = HashMap::new();
    let sorted = csv_order(batches)?;
    // The key's text, each distinct string made safe once: text from the
    // data (project codes, breakdown values) must not run as a formula in
    // a spreadsheet.
    let safe: Vec<_> = sorted
        .strings
        .iter()
        .map(|s| crate::csv_safe::text(s))
        .collect();
    let columns: Vec<Vec<Cells>> = batches
        .iter()
        .map(|b| {
            INDICATOR_COLUMNS
                .iter()
                .map(|c| {
                    if let Some(i) = TEXT.iter().position(|t| t == c) {
                        return Ok(Cells::Key(i));
                    }
                    let col = b.column(b.schema().index_of(c)?).as_ref();
                    let formatter = || ArrayFormatter::try_new(col, &options);
                    Ok(match col.data_type() {
                        DataType::Float64 => Cells::Float(col.as_primitive()),
                        DataType::Date32 => Cells::Days(col.as_primitive(), formatter()?),
                        other => Cells::Formatted(
                            col,
                            formatter()?,
                            matches!(
                                other,
                                DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8
                            ),
                        ),
                    })
                })
                .collect::<anyhow::Result<Vec<_>>>()
        })
        .collect::<anyhow::Result<_>>()?;
    for (key, b, r) in sorted.rows {
        for column in &columns[b] {
            match column {
                Cells::Key(i) => match safe.get(key[*i] as usize) {
                    Some(text) => w.write_field(text.as_bytes())?,
                    None => w.write_field([])?,
                },
                Cells::Float(a) if a.is_valid(r) => {
                    w.write_field(float.format(a.value(r)).as_bytes())?;
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
                    std::fmt::Write::write_fmt(&mut cell, format_args!("{}", formatter.value(r)))?;
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
    w.flush()?;
    drop(w);
    let path = dir.join("indicator_values.csv");
    std::fs::rename(&tmp, &path)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use datafusion::arrow::array::StringArray;
    use datafusion::arrow::datatypes::{Field, Schema};

    use super::*;

    /// `columns` as a batch of `indicator_values`' columns, in order.
    fn batch_of(columns: Vec<ArrayRef>) -> RecordBatch {
        let fields: Vec<Field> = INDICATOR_COLUMNS
            .iter()
            .zip(&columns)
            .map(|(name, c)| Field::new(*name, c.data_type().clone(), true))
            .collect();
        RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).unwrap()
    }

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
        batch_of(columns)
    }

    #[test]
    fn the_csv_writes_text_days_numbers_and_nulls_as_before_with_formulas_made_text() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_csv(&[batch()], dir.path()).unwrap();
        let text = std::fs::read_to_string(path).unwrap();
        // "=HYPERLINK…" sorts before "ALL" in byte order.
        let rows = [
            "returnees_assisted,\"'=HYPERLINK(\"\"x\"\")\",to_date,to_date,,2026-07-01,total,'-1,0.125,1.0,8.0,2026-07-01",
            "returnees_assisted,ALL,month,2026-05,2026-05-01,2026-05-31,sex,\"female, \"\"f\"\"\",375.0,375.0,,2026-07-01",
        ];
        let expected = format!("{}\n{}\n", INDICATOR_COLUMNS.join(","), rows.join("\n"));
        assert_eq!(text, expected);
    }

    #[test]
    fn text_read_as_views_writes_the_same_file() {
        // DataFusion reads Parquet text as `Utf8View`; the tests' batches
        // are `Utf8`. Both must give the same bytes.
        let plain = batch();
        let views: Vec<ArrayRef> = plain
            .columns()
            .iter()
            .map(|c| match c.data_type() {
                DataType::Utf8 => cast(c, &DataType::Utf8View).unwrap(),
                _ => Arc::clone(c),
            })
            .collect();
        assert!(views.iter().any(|c| c.data_type() == &DataType::Utf8View));
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let plain = std::fs::read(write_csv(&[plain], a.path()).unwrap()).unwrap();
        let views = std::fs::read(write_csv(&[batch_of(views)], b.path()).unwrap()).unwrap();
        assert_eq!(
            String::from_utf8(views).unwrap(),
            String::from_utf8(plain).unwrap()
        );
    }

    /// A row of one indicator and project: (period_type, period,
    /// period_start, breakdown, breakdown_value, value).
    type Row<'a> = (&'a str, &'a str, Option<i32>, &'a str, &'a str, f64);

    fn rows(cells: &[Row<'_>]) -> RecordBatch {
        let n = cells.len();
        let text = |f: &dyn Fn(usize) -> String| {
            Arc::new(StringArray::from((0..n).map(f).collect::<Vec<_>>())) as ArrayRef
        };
        let columns: Vec<ArrayRef> = vec![
            text(&|_| "returnees_assisted".into()),
            text(&|_| "ALL".into()),
            text(&|i| cells[i].0.into()),
            text(&|i| cells[i].1.into()),
            Arc::new(Date32Array::from(
                cells.iter().map(|c| c.2).collect::<Vec<_>>(),
            )),
            Arc::new(Date32Array::from(vec![20635; n])),
            text(&|i| cells[i].3.into()),
            text(&|i| cells[i].4.into()),
            Arc::new(Float64Array::from(
                cells.iter().map(|c| c.5).collect::<Vec<_>>(),
            )),
            Arc::new(Float64Array::from(vec![1.0; n])),
            Arc::new(Float64Array::from(vec![None::<f64>; n])),
            Arc::new(Date32Array::from(vec![20635; n])),
        ];
        batch_of(columns)
    }

    #[test]
    fn the_csv_is_sorted_by_the_first_eight_columns_across_batches() {
        // Out of order and split over two batches: period_type before
        // period (the quarter after the months, though "2025-Q4" is before
        // "2026-01"), text in byte order ("F" before "f"), a null
        // period_start before a date.
        let first = rows(&[
            ("quarter", "2025-Q4", Some(20362), "total", "total", 1.0),
            ("month", "2026-02", Some(20485), "sex", "female", 2.0),
            ("month", "2026-02", Some(20485), "sex", "F", 3.0),
        ]);
        let second = rows(&[
            ("month", "2026-01", Some(20454), "total", "total", 4.0),
            ("month", "2026-01", None, "total", "total", 5.0),
            ("month", "2026-02", Some(20485), "age_group", "18-25", 6.0),
        ]);
        let dir = tempfile::tempdir().unwrap();
        let path = write_csv(&[first, second], dir.path()).unwrap();
        let values: Vec<String> = std::fs::read_to_string(path)
            .unwrap()
            .lines()
            .skip(1)
            .map(|l| l.split(',').nth(8).unwrap().to_string())
            .collect();
        assert_eq!(values, ["5.0", "4.0", "6.0", "3.0", "2.0", "1.0"]);
    }
}
