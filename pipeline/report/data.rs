//! What reports are rendered from: the latest committed transform's
//! indicator cells (`indicator_values` with what disclosure control needs)
//! and report models, the catalogue, and the run log.
//! Read once, through DataFusion, into plain rows.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use anyhow::Context;
use datafusion::arrow::array::RecordBatch;
use datafusion::execution::SendableRecordBatchStream;
use datafusion::prelude::{ParquetReadOptions, SessionContext};
use futures::StreamExt;
use serde::{Deserialize, Serialize, de::DeserializeOwned};

use crate::indicators::{CellId, Indicator};
use crate::storage::Location;
use crate::warehouse::TransformManifest;
use crate::warehouse::records::{FileStatus, RunRecord, StageStatus, TestRecord, TestStatus};

/// One row of `indicator_values`. The strings are shared between rows (see
/// [`value_rows`]): a few indicators, projects, periods and breakdown values
/// repeat over hundreds of thousands of rows.
#[derive(Debug, Clone)]
pub struct ValueRow {
    pub indicator_id: Arc<str>,
    pub project_code: Arc<str>,
    pub period_type: Arc<str>,
    pub period: Arc<str>,
    pub period_start: Option<Arc<str>>,
    pub period_end: Arc<str>,
    pub breakdown: Arc<str>,
    pub breakdown_value: Arc<str>,
    pub value: f64,
    pub numerator: f64,
    pub denominator: Option<f64>,
    /// Records behind the cell (`indicator_cells`): for disclosure control.
    pub support: u64,
    /// Sums of the record keys of the numerator's and the denominator's
    /// contributors (`indicator_cells`): for disclosure control only.
    pub numerator_key: Option<i64>,
    pub denominator_key: Option<i64>,
}

/// A project as on its information page (`stg_projects`).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct Project {
    pub project_code: String,
    #[serde(default)]
    pub prima_id: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub project_type: Option<String>,
    #[serde(default)]
    pub donor: Option<String>,
    #[serde(default)]
    pub start_date: Option<String>,
    #[serde(default)]
    pub end_date: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub budget_usd: Option<f64>,
    #[serde(default)]
    pub coverage: Option<String>,
    #[serde(default)]
    pub idf_region: Option<String>,
    #[serde(default)]
    pub benefiting_countries: Option<String>,
    #[serde(default)]
    pub sdg_goals: Option<String>,
    /// False for a code used by data but absent from the reference data.
    #[serde(default)]
    pub known: bool,
}

impl Project {
    /// The SDG goal numbers, in order.
    pub fn goals(&self) -> Vec<u32> {
        let mut g: Vec<u32> = self
            .sdg_goals
            .as_deref()
            .unwrap_or("")
            .split([';', ','])
            .filter_map(|s| s.trim().parse().ok())
            .collect();
        g.sort_unstable();
        g.dedup();
        g
    }
}

/// One target with its actual (`rpt_targets`).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct TargetRow {
    pub project_code: String,
    pub indicator_id: String,
    pub period: String,
    pub period_type: String,
    pub breakdown: String,
    pub breakdown_value: String,
    #[serde(default)]
    pub baseline: Option<f64>,
    #[serde(default)]
    pub target: Option<f64>,
    #[serde(default)]
    pub actual: Option<f64>,
    #[serde(default)]
    pub achieved_ratio: Option<f64>,
}

/// One funnel stage (`rpt_funnel`).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct FunnelRow {
    pub project_code: String,
    pub stage_order: i64,
    pub stage: String,
    pub label: String,
    pub kind: String,
    pub cases: i64,
}

/// One bin of the overall score histogram (`rpt_score_histogram`).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct HistogramRow {
    pub project_code: String,
    pub period_type: String,
    pub period: String,
    pub bin: i64,
    pub bin_start: f64,
    pub bin_end: f64,
    pub surveys: i64,
}

/// Returnees assisted by sex and age group (`rpt_sex_age`).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct SexAgeRow {
    pub project_code: String,
    pub period_type: String,
    pub period: String,
    pub sex: String,
    pub age_group: String,
    pub returnees: i64,
}

/// The order of `ReportData::values`.
fn cell_order(c: CellId<'_>) -> [&str; 5] {
    [c.indicator, c.project, c.period, c.breakdown, c.value]
}

impl ValueRow {
    /// This row's cell.
    pub fn cell(&self) -> CellId<'_> {
        CellId {
            indicator: &self.indicator_id,
            project: &self.project_code,
            period: &self.period,
            breakdown: &self.breakdown,
            value: &self.breakdown_value,
        }
    }
}

/// Everything a report needs, read from the warehouse.
#[derive(Debug, Default)]
pub struct ReportData {
    /// The run whose transform is reported.
    pub transform_run_id: String,
    /// Every cell, ordered by [`CellId`] (indicator, project, period,
    /// breakdown, breakdown value; text in byte order): a cell is found by
    /// binary search, and disclosure control breaks ties in this order.
    pub values: Vec<ValueRow>,
    /// (project, period, breakdown) → indexes in `values`, so tables do not
    /// scan every row.
    by_breakdown: HashMap<[Arc<str>; 3], Vec<usize>>,
    pub catalogue: Vec<Indicator>,
    /// Every project: the reference data, then codes only seen in data.
    pub projects: Vec<Project>,
    pub targets: Vec<TargetRow>,
    pub funnel: Vec<FunnelRow>,
    pub histogram: Vec<HistogramRow>,
    pub sex_age: Vec<SexAgeRow>,
    /// Every drop id ever pulled, in order.
    pub drops: Vec<String>,
    /// Past runs from the warehouse's run log, oldest first.
    pub runs: Vec<RunRecord>,
    /// The project's age groups, in order (its `age_groups.csv`).
    pub age_groups: Vec<String>,
}

impl ReportData {
    /// The index in `values` of one cell, if produced.
    pub fn position(&self, cell: CellId<'_>) -> Option<usize> {
        self.values
            .binary_search_by(|r| cell_order(r.cell()).cmp(&cell_order(cell)))
            .ok()
    }

    /// The row of one cell, if produced.
    pub fn get(&self, cell: CellId<'_>) -> Option<&ValueRow> {
        self.position(cell).map(|i| &self.values[i])
    }

    /// A cell's value as reports show it: a missing count or sum row is 0
    /// (indicators.md lets the table omit them), a missing rate or mean is
    /// unknown.
    pub fn value(&self, cell: CellId<'_>) -> Option<f64> {
        match self.get(cell) {
            Some(r) => Some(r.value),
            None => match self.indicator(cell.indicator).map(|i| i.unit.as_str()) {
                Some("rate") | Some("mean") => None,
                _ => Some(0.0),
            },
        }
    }

    /// The breakdown values that `indicators` have for a project, period
    /// and breakdown, in byte order.
    pub fn breakdown_values(
        &self,
        project: &str,
        period: &str,
        breakdown: &str,
        indicators: &[&str],
    ) -> Vec<String> {
        let key = [project, period, breakdown].map(Arc::from);
        let mut values: Vec<String> = self
            .by_breakdown
            .get(&key)
            .into_iter()
            .flatten()
            .map(|&i| &self.values[i])
            .filter(|r| indicators.contains(&&*r.indicator_id))
            .map(|r| r.breakdown_value.to_string())
            .collect();
        values.sort();
        values.dedup();
        values
    }

    /// The rows of `projects` in `periods`, each once, grouped by
    /// indicator. Found by binary search, as the rows of one indicator,
    /// project and period are adjacent in cell order: each pack takes a few
    /// thousand of ≈ 340 k rows at 1 M cases, and scanning them all for
    /// each of eight packs was a visible part of the report stage.
    pub fn rows_of(&self, projects: &[String], periods: &[&str]) -> Vec<&ValueRow> {
        let mut projects: Vec<&str> = projects.iter().map(String::as_str).collect();
        projects.sort_unstable();
        projects.dedup();
        let mut periods = periods.to_vec();
        periods.sort_unstable();
        periods.dedup();
        // The first three fields of `cell_order`, which sorts the rows.
        fn prefix(r: &ValueRow) -> [&str; 3] {
            let [indicator, project, period, ..] = cell_order(r.cell());
            [indicator, project, period]
        }
        let mut rows = Vec::new();
        let mut start = 0;
        while let Some(first) = self.values.get(start) {
            let indicator: &str = &first.indicator_id;
            let end =
                start + self.values[start..].partition_point(|r| &*r.indicator_id <= indicator);
            let of_indicator = &self.values[start..end];
            for project in &projects {
                for period in &periods {
                    let key = [indicator, *project, *period];
                    let from = of_indicator.partition_point(|r| prefix(r) < key);
                    let to = of_indicator.partition_point(|r| prefix(r) <= key);
                    rows.extend(&of_indicator[from..to]);
                }
            }
            start = end;
        }
        rows
    }

    /// The catalogue entry of an indicator.
    pub fn indicator(&self, id: &str) -> Option<&Indicator> {
        self.catalogue.iter().find(|i| i.id == id)
    }

    /// The newest drop id: the data's freshness.
    pub fn newest_drop(&self) -> Option<&str> {
        self.drops.last().map(String::as_str)
    }

    /// The project's reference data (or a stub for an unknown code).
    pub fn project(&self, code: &str) -> Project {
        self.projects
            .iter()
            .find(|p| p.project_code == code)
            .cloned()
            .unwrap_or_else(|| Project {
                project_code: code.to_string(),
                ..Default::default()
            })
    }
}

/// A report query's result, batch by batch.
async fn batches(ctx: &SessionContext, sql: &str) -> anyhow::Result<SendableRecordBatchStream> {
    let df = ctx
        .sql(sql)
        .await
        .with_context(|| format!("report query failed: {sql}"))?;
    Ok(df.execute_stream().await?)
}

/// Collects a query's rows as `T`, through Arrow's JSON writer (nulls are
/// left out, so `Option` fields default to `None`), one batch at a time: the
/// JSON text of a whole table is never held.
async fn rows<T: DeserializeOwned>(ctx: &SessionContext, sql: &str) -> anyhow::Result<Vec<T>> {
    let mut stream = batches(ctx, sql).await?;
    let mut out = Vec::new();
    let mut buf = Vec::new();
    while let Some(batch) = stream.next().await {
        let batch: RecordBatch = batch?;
        if batch.num_rows() == 0 {
            continue;
        }
        buf.clear();
        {
            let mut w = datafusion::arrow::json::ArrayWriter::new(&mut buf);
            w.write(&batch)?;
            w.finish()?;
        }
        out.extend(serde_json::from_slice::<Vec<T>>(&buf)?);
    }
    Ok(out)
}

/// Reads indicator cells from a query over `indicator_cells`, one batch at
/// a time, storing each distinct string once (at 1 M cases the table has
/// ≈ 330 k rows but only a few thousand distinct strings), and returns them
/// ordered by [`CellId`] (text in byte order). The rows are sorted here, by
/// the ranks of their interned strings, rather than by the query: that
/// compares numbers instead of text (indicators::byte_order_ranks).
async fn value_rows(
    ctx: &SessionContext,
    sql: &str,
    expected_rows: u64,
) -> anyhow::Result<Vec<ValueRow>> {
    use datafusion::arrow::array::{Array, AsArray};
    use datafusion::arrow::compute::cast;
    use datafusion::arrow::datatypes::{DataType, Date32Type, Float64Type, Int64Type};
    let mut stream = batches(ctx, sql).await?;
    // Each distinct string once, with its number in order of first sight.
    let mut pool: HashMap<Arc<str>, u32> = HashMap::new();
    let mut strings: Vec<Arc<str>> = Vec::new();
    // The last string of each column: rows of one indicator come grouped,
    // so columns often repeat the row before's value, found without
    // hashing.
    let mut last: [Option<(Arc<str>, u32)>; 8] = Default::default();
    // Dates as ISO text, formatted once per distinct day (a few hundred).
    let mut dates: HashMap<i32, Arc<str>> = HashMap::new();
    let mut date = |day: i32| -> Arc<str> {
        Arc::clone(dates.entry(day).or_insert_with(|| iso_date(day).into()))
    };
    let mut intern = |column: usize, s: &str| -> (Arc<str>, u32) {
        if let Some((a, id)) = &last[column]
            && **a == *s
        {
            return (Arc::clone(a), *id);
        }
        let (a, id) = match pool.get_key_value(s) {
            Some((a, id)) => (Arc::clone(a), *id),
            None => {
                let a: Arc<str> = Arc::from(s);
                let id = u32::try_from(strings.len()).unwrap_or(u32::MAX);
                pool.insert(Arc::clone(&a), id);
                strings.push(Arc::clone(&a));
                (a, id)
            }
        };
        last[column] = Some((Arc::clone(&a), id));
        (a, id)
    };
    // Sized from the manifest's row count: growing by doubling would leave
    // up to half of the largest allocation unused.
    let capacity = usize::try_from(expected_rows).unwrap_or(0);
    let mut out = Vec::with_capacity(capacity);
    // Each row's cell as the numbers of its five strings.
    let mut cells: Vec<[u32; 5]> = Vec::with_capacity(capacity);
    while let Some(batch) = stream.next().await {
        let batch: RecordBatch = batch?;
        // Each column cast to the type read below, so the downcasts hold.
        let columns = crate::indicators::INDICATOR_COLUMNS[..11]
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let c = batch
                    .column_by_name(name)
                    .with_context(|| format!("indicator_values has no column {name}"))?;
                // Text as views, as DataFusion reads it: casting views
                // to `Utf8` would copy every string.
                let to = match i {
                    4 | 5 => DataType::Date32,
                    0..8 => DataType::Utf8View,
                    _ => DataType::Float64,
                };
                Ok(cast(c, &to)?)
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let [ind, proj, ptype, period, _, _, bd, bv] =
            std::array::from_fn(|i| columns[i].as_string_view_opt());
        let [start, end] = [4, 5].map(|i| columns[i].as_primitive::<Date32Type>());
        let [ind, proj, ptype, period, bd, bv] = [ind, proj, ptype, period, bd, bv]
            .map(|c| c.context("indicator_cells: a text column is not text"));
        let (ind, proj, ptype, period, bd, bv) = (ind?, proj?, ptype?, period?, bd?, bv?);
        let [value, num, den] =
            std::array::from_fn(|i| columns[8 + i].as_primitive::<Float64Type>());
        let keys = ["support", "numerator_key", "denominator_key"]
            .iter()
            .map(|name| {
                let c = batch
                    .column_by_name(name)
                    .with_context(|| format!("indicator_cells has no column {name}"))?;
                Ok(cast(c, &DataType::Int64)?)
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let [support, nkey, dkey] = std::array::from_fn(|i| keys[i].as_primitive::<Int64Type>());
        for i in 0..batch.num_rows() {
            let (indicator_id, ind_n) = intern(0, ind.value(i));
            let (project_code, proj_n) = intern(1, proj.value(i));
            let (period, period_n) = intern(3, period.value(i));
            let (breakdown, bd_n) = intern(6, bd.value(i));
            let (breakdown_value, bv_n) = intern(7, bv.value(i));
            cells.push([ind_n, proj_n, period_n, bd_n, bv_n]);
            out.push(ValueRow {
                indicator_id,
                project_code,
                period_type: intern(2, ptype.value(i)).0,
                period,
                period_start: start.is_valid(i).then(|| date(start.value(i))),
                period_end: date(end.value(i)),
                breakdown,
                breakdown_value,
                value: value.value(i),
                numerator: num.value(i),
                denominator: den.is_valid(i).then(|| den.value(i)),
                support: u64::try_from(support.value(i)).unwrap_or(0),
                numerator_key: nkey.is_valid(i).then(|| nkey.value(i)),
                denominator_key: dkey.is_valid(i).then(|| dkey.value(i)),
            });
        }
    }
    let ranks = crate::indicators::byte_order_ranks(&strings);
    let mut order: Vec<([u32; 5], usize)> = cells
        .into_iter()
        .enumerate()
        .map(|(i, cell)| (cell.map(|n| ranks[n as usize]), i))
        .collect();
    // Cells are unique: the index breaks no tie, and the order does not
    // depend on how the query's partitions interleaved the rows.
    order.sort_unstable();
    crate::indicators::permute(&mut out, order.into_iter().map(|(_, i)| i).collect());
    Ok(out)
}

/// An Arrow `Date32` (days since 1970-01-01) as `YYYY-MM-DD`, as SQL's
/// cast to text writes it.
fn iso_date(day: i32) -> String {
    // Days from 0001-01-01 (chrono's day 1) to 1970-01-01.
    const EPOCH_FROM_CE: i32 = 719_163;
    day.checked_add(EPOCH_FROM_CE)
        .and_then(chrono::NaiveDate::from_num_days_from_ce_opt)
        .map_or_else(|| day.to_string(), |d| d.format("%Y-%m-%d").to_string())
}

/// The models reports read.
const MODELS: [&str; 6] = [
    "indicator_cells",
    "stg_projects",
    "rpt_targets",
    "rpt_funnel",
    "rpt_score_histogram",
    "rpt_sex_age",
];

/// Reads the latest transform committed for `as_of`.
pub async fn load(
    wh: &Location,
    catalogue: Vec<Indicator>,
    as_of: &str,
    memory_limit: usize,
) -> anyhow::Result<ReportData> {
    let manifests = crate::warehouse::readable_transforms(wh).await?;
    let manifest: &TransformManifest = match manifests.iter().rev().find(|m| m.as_of == as_of) {
        Some(m) => m,
        None => {
            let known: BTreeSet<&str> = manifests.iter().map(|m| m.as_of.as_str()).collect();
            anyhow::bail!(
                "the warehouse {} has no readable transform for as-of {as_of} (it has: {}; `homeward vacuum` removes old ones); run `homeward transform --as-of {as_of}` first",
                wh.url,
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.into_iter().collect::<Vec<_>>().join(", ")
                }
            );
        }
    };
    let ctx = crate::context::session(memory_limit)?;
    wh.register(&ctx)?;
    for name in MODELS {
        let model = manifest
            .models
            .iter()
            .find(|m| m.name == name)
            .with_context(|| {
                format!(
                    "transform {} has no model {name}: the SQL folder must define it",
                    manifest.run_id
                )
            })?;
        if model.rows == 0 {
            // An empty model wrote no file; the queries below skip it.
            continue;
        }
        let df = ctx
            .read_parquet(wh.table_url(&model.path), ParquetReadOptions::default())
            .await?;
        ctx.register_table(name, df.into_view())?;
    }
    let mut data = ReportData {
        transform_run_id: manifest.run_id.clone(),
        catalogue,
        ..Default::default()
    };
    let count_of = |name: &str| {
        manifest
            .models
            .iter()
            .find(|m| m.name == name)
            .map_or(0, |m| m.rows)
    };
    if count_of("indicator_cells") > 0 {
        data.values = value_rows(
            &ctx,
            "select indicator_id, project_code, period_type, period, \
             period_start, period_end, \
             breakdown, breakdown_value, value, numerator, denominator, \
             support, numerator_key, denominator_key \
             from indicator_cells",
            count_of("indicator_cells"),
        )
        .await?;
    }
    for (i, r) in data.values.iter().enumerate() {
        // Shared strings: the key costs three reference counts, not three
        // copies per row.
        let key = [&r.project_code, &r.period, &r.breakdown].map(Arc::clone);
        data.by_breakdown.entry(key).or_default().push(i);
    }
    if count_of("stg_projects") > 0 {
        data.projects = rows(
            &ctx,
            "select project_code, cast(prima_id as varchar) as prima_id, title, project_type, donor, \
             cast(start_date as varchar) as start_date, cast(end_date as varchar) as end_date, status, \
             cast(budget_usd as double) as budget_usd, coverage, idf_region, \
             array_to_string(benefiting_countries, ';') as benefiting_countries, \
             array_to_string(sdg_goals, ';') as sdg_goals, true as known \
             from stg_projects order by project_code",
        )
        .await?;
    }
    let known: BTreeSet<String> = data
        .projects
        .iter()
        .map(|p| p.project_code.clone())
        .collect();
    let seen: BTreeSet<String> = data
        .values
        .iter()
        .map(|v| v.project_code.to_string())
        .filter(|c| c != "ALL" && !known.contains(c))
        .collect();
    data.projects.extend(seen.into_iter().map(|c| Project {
        project_code: c,
        ..Default::default()
    }));
    if count_of("rpt_targets") > 0 {
        data.targets = rows(
            &ctx,
            "select project_code, indicator_id, period, period_type, breakdown, breakdown_value, \
             cast(baseline as double) as baseline, cast(target as double) as target, actual, achieved_ratio \
             from rpt_targets order by project_code, indicator_id, period, breakdown, breakdown_value",
        )
        .await?;
    }
    if count_of("rpt_funnel") > 0 {
        data.funnel = rows(
            &ctx,
            "select * from rpt_funnel order by project_code, stage_order",
        )
        .await?;
    }
    if count_of("rpt_score_histogram") > 0 {
        data.histogram = rows(
            &ctx,
            "select * from rpt_score_histogram order by project_code, period, bin",
        )
        .await?;
    }
    if count_of("rpt_sex_age") > 0 {
        data.sex_age = rows(&ctx, "select * from rpt_sex_age").await?;
    }
    let pulls = crate::warehouse::pull_manifests(wh).await?;
    let drops: BTreeSet<String> = pulls
        .iter()
        .flat_map(|m| &m.files)
        .map(|f| f.drop_id.clone())
        .collect();
    data.drops = drops.into_iter().collect();
    // The data-quality panel counts the runs since the last one that
    // rendered reports, and shows the tests of the transform reported.
    data.runs =
        crate::warehouse::read_recent_runs(wh, |read| enough_runs(read, &data.transform_run_id))
            .await?;
    Ok(data)
}

/// Whether the run records read so far (newest first) hold what
/// [`Quality::from_runs`] reads: a run that rendered reports (the panel
/// counts the runs after it), and the run of the reported transform (its
/// tests), or a run older than it (run ids begin with the start time).
fn enough_runs(newest_first: &[RunRecord], transform_run: &str) -> bool {
    let reported = newest_first.iter().any(rendered_reports);
    let transform = newest_first
        .last()
        .is_some_and(|r| r.run_id.as_str() <= transform_run);
    reported && transform
}

/// Whether a run's report stage succeeded: the panel counts the runs after
/// the last such run.
fn rendered_reports(r: &RunRecord) -> bool {
    r.stages
        .iter()
        .any(|s| s.name == "report" && s.status == StageStatus::Succeeded)
}

/// Counts of a run log, for the data-quality panel.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Quality {
    /// Runs counted: since the last run that rendered reports.
    pub runs: usize,
    pub files_pulled: u64,
    pub files_rejected: u64,
    pub rows_loaded: u64,
    pub rows_quarantined: u64,
    /// Reason codes, most frequent first.
    pub top_reasons: Vec<(String, u64)>,
    /// Data tests of the reported transform that warned or failed.
    pub tests: Vec<TestRecord>,
    /// Failing rows of the orphan tests.
    pub orphans: BTreeMap<String, u64>,
    pub newest_drop: Option<String>,
    /// Days from the newest drop to the as-of date, when the drop id is a date.
    pub newest_drop_age_days: Option<i64>,
}

impl Quality {
    /// The panel: pulls since the last report (the current run included),
    /// the tests of the transform reported.
    pub fn from_runs(
        data: &ReportData,
        current: Option<&RunRecord>,
        as_of: chrono::NaiveDate,
    ) -> Quality {
        let mut since: Vec<&RunRecord> = Vec::new();
        for r in data.runs.iter().rev() {
            if current.is_some_and(|c| c.run_id == r.run_id) {
                continue;
            }
            if rendered_reports(r) {
                break;
            }
            since.push(r);
        }
        since.extend(current);
        let mut q = Quality {
            runs: since.len(),
            ..Default::default()
        };
        let mut reasons: BTreeMap<String, u64> = BTreeMap::new();
        for r in &since {
            for f in &r.files {
                match f.status {
                    FileStatus::Pulled => q.files_pulled += 1,
                    FileStatus::Rejected => q.files_rejected += 1,
                    FileStatus::Skipped => {}
                }
                q.rows_loaded += f.rows_loaded;
                q.rows_quarantined += f.rows_quarantined;
                for (k, v) in &f.reasons {
                    *reasons.entry(k.clone()).or_default() += v;
                }
            }
        }
        let mut reasons: Vec<(String, u64)> = reasons.into_iter().collect();
        reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        reasons.truncate(5);
        q.top_reasons = reasons;
        let transform_run = data
            .runs
            .iter()
            .find(|r| r.run_id == data.transform_run_id)
            .or(current.filter(|c| c.run_id == data.transform_run_id));
        if let Some(r) = transform_run {
            for t in &r.tests {
                if t.name.ends_with("_case_exists") || t.name == "project_exists" {
                    q.orphans.insert(t.name.clone(), t.failing_rows);
                }
                if t.status != TestStatus::Pass {
                    q.tests.push(t.clone());
                }
            }
        }
        q.newest_drop = data.newest_drop().map(str::to_string);
        q.newest_drop_age_days = q
            .newest_drop
            .as_deref()
            .and_then(|d| d.get(..10))
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .map(|d| (as_of - d).num_days());
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::warehouse::records::StageRecord;

    #[test]
    fn dates_read_as_days_print_as_sql_prints_them() {
        assert_eq!(iso_date(0), "1970-01-01");
        assert_eq!(iso_date(20_635), "2026-07-01");
        assert_eq!(iso_date(-1), "1969-12-31");
    }

    #[tokio::test]
    async fn cells_are_read_in_cell_order_whatever_order_the_table_has() {
        // Two unsorted partitions of `indicator_cells`: byte order puts
        // "2026-12" before "2026-Q1" and "BE01" before "be01".
        let ctx = SessionContext::new();
        ctx.sql(
            "create table indicator_cells as select * from (values \
             ('b', 'ALL', 'quarter', '2026-Q1', date '2026-01-01', date '2026-03-31', 'total', 'total', 1.0, 1.0, cast(null as double), 1, 1, cast(null as bigint)), \
             ('a', 'be01', 'month', '2026-12', date '2026-12-01', date '2026-12-31', 'sex', 'male', 2.0, 2.0, null, 2, 2, null), \
             ('a', 'BE01', 'to_date', 'to_date', null, date '2026-07-01', 'total', 'total', 3.0, 3.0, null, 3, 3, null), \
             ('a', 'be01', 'month', '2026-12', date '2026-12-01', date '2026-12-31', 'sex', 'female', 4.0, 4.0, null, 4, 4, null), \
             ('a', 'be01', 'quarter', '2026-Q1', date '2026-01-01', date '2026-03-31', 'total', 'total', 5.0, 5.0, null, 5, 5, null) \
             ) as t(indicator_id, project_code, period_type, period, period_start, period_end, \
             breakdown, breakdown_value, value, numerator, denominator, support, numerator_key, denominator_key)",
        )
        .await
        .unwrap()
        .collect()
        .await
        .unwrap();
        let rows = value_rows(
            &ctx,
            "select * from indicator_cells where value < 3 union all \
             select * from indicator_cells where value >= 3",
            5,
        )
        .await
        .unwrap();
        let values: Vec<f64> = rows.iter().map(|r| r.value).collect();
        assert_eq!(values, [3.0, 4.0, 2.0, 5.0, 1.0]);
        let data = ReportData {
            values: rows,
            ..Default::default()
        };
        let cell = CellId::total("a", "be01", "2026-Q1");
        assert_eq!(data.get(cell).map(|r| r.value), Some(5.0));
        assert_eq!(data.get(cell.by("sex", "female")).map(|r| r.value), None);
    }

    #[test]
    fn the_rows_of_projects_and_periods_are_those_a_scan_finds() {
        // Every combination of three indicators, projects, periods and
        // breakdown values, in cell order; "BE01" sorts before "be01".
        let mut values = Vec::new();
        for ind in ["a", "b", "c"] {
            for proj in ["ALL", "BE01", "be01"] {
                for period in ["2025", "2026-Q1", "to_date"] {
                    for value in ["female", "male"] {
                        let text = |s: &str| -> Arc<str> { Arc::from(s) };
                        values.push(ValueRow {
                            indicator_id: text(ind),
                            project_code: text(proj),
                            period_type: text("year"),
                            period: text(period),
                            period_start: None,
                            period_end: text("2026-07-01"),
                            breakdown: text("sex"),
                            breakdown_value: text(value),
                            value: values.len() as f64,
                            numerator: 0.0,
                            denominator: None,
                            support: 0,
                            numerator_key: None,
                            denominator_key: None,
                        });
                    }
                }
            }
        }
        let data = ReportData {
            values,
            ..Default::default()
        };
        let projects = ["be01", "ALL", "be01", "XX"].map(String::from);
        let found: Vec<f64> = data
            .rows_of(&projects, &["to_date", "2025", "to_date"])
            .iter()
            .map(|r| r.value)
            .collect();
        let scanned: Vec<f64> = data
            .values
            .iter()
            .filter(|r| ["ALL", "be01"].contains(&&*r.project_code))
            .filter(|r| ["2025", "to_date"].contains(&&*r.period))
            .map(|r| r.value)
            .collect();
        assert_eq!(found.len(), 24);
        assert_eq!(found, scanned);
        assert!(data.rows_of(&[], &["2025"]).is_empty());
    }

    fn run(id: &str, reported: bool) -> RunRecord {
        let mut r = RunRecord::start(id, "run", "2026-06-30".into(), String::new());
        if reported {
            r.stages.push(StageRecord {
                name: "report".into(),
                status: StageStatus::Succeeded,
                seconds: 0.0,
                error: None,
            });
        }
        r
    }

    #[test]
    fn the_run_log_is_read_until_the_last_report_and_the_reported_transform() {
        // Newest first: a run without a report, then one that reported.
        let (r3, r2, r1) = (run("3", false), run("2", true), run("1", true));
        // The transform reported is the newest run's: the last report ends it.
        assert!(!enough_runs(std::slice::from_ref(&r3), "3"));
        assert!(enough_runs(&[r3.clone(), r2.clone()], "3"));
        // The transform is older than the last report: read on to its run.
        assert!(!enough_runs(&[r3.clone(), r2.clone()], "1"));
        assert!(enough_runs(&[r3.clone(), r2.clone(), r1.clone()], "1"));
        // What is read gives the panel the whole log gives: a log of four
        // runs, read newest first as `read_recent_runs` does.
        let mut r1 = r1;
        r1.tests.push(TestRecord {
            name: "rss_case_exists".into(),
            status: TestStatus::Warn,
            failing_rows: 2,
        });
        let log = vec![run("0", true), r1, r2, r3];
        for transform in ["1", "3"] {
            let mut read: Vec<RunRecord> = Vec::new();
            for r in log.iter().rev() {
                if enough_runs(&read, transform) {
                    break;
                }
                read.push(r.clone());
            }
            read.reverse();
            assert!(read.len() < log.len(), "the oldest run is never read");
            let panel = |runs: &[RunRecord]| {
                let data = ReportData {
                    runs: runs.to_vec(),
                    transform_run_id: transform.into(),
                    ..Default::default()
                };
                let day = chrono::NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
                let q = Quality::from_runs(&data, None, day);
                (q.runs, q.files_pulled, q.tests.len())
            };
            assert_eq!(panel(&read), panel(&log));
            // The reported transform's warned test is found when it is r1's.
            assert_eq!(panel(&read).2, usize::from(transform == "1"));
        }
    }
}
