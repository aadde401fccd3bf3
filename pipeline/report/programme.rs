//! The programme report (reports.md §1): what one page shows, computed from
//! `indicator_values` and the report models. What it shows (tiles, trend
//! charts, tables, chart words) is declared in `templates/programme/page.toml`
//! ([`Layout`]); the layout and the other wording live in
//! `templates/programme/report.html`.
//!
//! Programme managers see exact numbers: suppression is for donor outputs.

use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::charts::{self, Bar};
use super::data::{Project, Quality, ReportData};
use super::period::Period;
use crate::codes::CODES;
use crate::indicators::CellId;

/// What the programme report shows: `templates/programme/page.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layout {
    /// Indicators of the headline tiles, in order.
    pub tiles: Vec<String>,
    pub trends: Trends,
    pub funnel: Axis,
    pub sex_age: SexAge,
    pub breakdowns: Vec<TableSpec>,
    pub scores: Scores,
    pub histogram: Histogram,
    pub businesses: Vec<TableSpec>,
    pub operating: Operating,
    pub targets: Targets,
}

/// The twelve-month trend charts.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trends {
    /// `{title}` is the indicator's title.
    pub title: String,
    pub x_axis: String,
    pub charts: Vec<TrendSpec>,
}

/// One trend chart.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrendSpec {
    pub indicator: String,
    pub y_axis: String,
}

/// A chart's title and the words of its value axis.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Axis {
    pub title: String,
    pub x_axis: String,
}

/// The sex by age group table (its age groups are the code list's).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SexAge {
    pub title: String,
    pub sexes: Vec<String>,
}

/// A table of indicators by one breakdown.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableSpec {
    pub breakdown: String,
    pub title: String,
    pub indicators: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// The survey score section.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scores {
    /// Dimensions shown, each the mean of `rss_score_<dimension>`.
    pub dimensions: Vec<String>,
    /// The indicator of the sustainable share.
    pub rate: String,
}

/// The score histogram's words.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Histogram {
    /// `{period}` is the period's name.
    pub title: String,
    pub x_axis: String,
    pub y_axis: String,
    /// `{threshold}` is the sustainability threshold.
    pub threshold: String,
}

/// The indicator shown beside the business tables.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Operating {
    pub rate: String,
}

/// A targets chart's words.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Targets {
    pub title: String,
    pub x_axis: String,
    /// The label of the 100 % line.
    pub line: String,
}

impl Layout {
    /// Reads `programme/page.toml` under the templates folder.
    pub fn load(templates: &Path) -> anyhow::Result<Layout> {
        super::read_toml(&templates.join("programme").join("page.toml"))
    }
}

/// One headline tile.
#[derive(Debug, Serialize)]
pub struct Tile {
    pub id: String,
    pub title: String,
    pub unit: String,
    pub value: Option<f64>,
    pub previous: Option<f64>,
    /// value − previous (percentage points × 0.01 for rates).
    pub change: Option<f64>,
    /// Relative change of a count, when the previous value is positive.
    pub change_ratio: Option<f64>,
    /// The current quarter to date, when it is not the reported period.
    pub to_date_in_quarter: Option<f64>,
}

/// One row of a breakdown table.
#[derive(Debug, Serialize)]
pub struct BreakdownRow {
    pub value: String,
    pub cells: Vec<Option<f64>>,
}

/// A breakdown table: one row per value, one column per indicator.
#[derive(Debug, Serialize)]
pub struct BreakdownTable {
    pub breakdown: String,
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<BreakdownRow>,
    pub total: Vec<Option<f64>>,
    pub note: Option<String>,
}

/// A chart, as inline SVG.
#[derive(Debug, Serialize)]
pub struct Chart {
    pub title: String,
    pub svg: String,
}

/// One survey dimension's mean score.
#[derive(Debug, Serialize)]
pub struct ScoreRow {
    pub dimension: String,
    pub mean: Option<f64>,
    pub surveys: Option<f64>,
    pub mean_to_date: Option<f64>,
    pub surveys_to_date: Option<f64>,
}

/// A target against its actual.
#[derive(Debug, Serialize)]
pub struct TargetView {
    pub project_code: String,
    pub indicator_id: String,
    pub title: String,
    pub unit: String,
    pub period: String,
    pub breakdown: String,
    pub breakdown_value: String,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    pub actual: Option<f64>,
    pub achieved_ratio: Option<f64>,
}

/// Everything one programme page shows.
#[derive(Debug, Serialize)]
pub struct ProgrammePage {
    pub project_code: String,
    pub project: Project,
    pub period: Period,
    pub previous: Option<Period>,
    pub quarter_to_date: Option<Period>,
    pub tiles: Vec<Tile>,
    pub trends: Vec<Chart>,
    pub funnel: Vec<super::data::FunnelRow>,
    pub funnel_chart: Option<Chart>,
    pub sex_age: BreakdownTable,
    pub breakdowns: Vec<BreakdownTable>,
    pub scores: Vec<ScoreRow>,
    pub sustainable_rate: Option<f64>,
    pub sustainable_surveys: Option<f64>,
    pub histogram: Option<Chart>,
    pub businesses: Vec<BreakdownTable>,
    pub operating_rate: Option<f64>,
    pub targets: Vec<TargetView>,
    pub targets_chart: Option<Chart>,
    pub quality: Quality,
}

fn title_of(data: &ReportData, id: &str) -> String {
    data.indicator(id)
        .map_or_else(|| id.to_string(), |i| i.title.clone())
}

/// A table of `indicators` by `breakdown`: the values the data holds for
/// the period, in byte order, then the total row.
fn breakdown_table(
    data: &ReportData,
    project: &str,
    period: &str,
    spec: &TableSpec,
) -> BreakdownTable {
    let indicators: Vec<&str> = spec.indicators.iter().map(String::as_str).collect();
    let breakdown = spec.breakdown.as_str();
    let values = data.breakdown_values(project, period, breakdown, &indicators);
    let rows = values
        .into_iter()
        .map(|v| BreakdownRow {
            cells: indicators
                .iter()
                .map(|id| data.value(CellId::total(id, project, period).by(breakdown, &v)))
                .collect(),
            value: v,
        })
        .collect();
    BreakdownTable {
        breakdown: breakdown.to_string(),
        title: spec.title.clone(),
        columns: indicators.iter().map(|id| title_of(data, id)).collect(),
        rows,
        total: indicators
            .iter()
            .map(|id| data.value(CellId::total(id, project, period)))
            .collect(),
        note: spec.note.clone(),
    }
}

/// Targets shown for a period: those of the period itself, of a period
/// holding it (its year or quarter), and of the project's whole life.
pub fn target_applies(target_period: &str, period: &Period) -> bool {
    if target_period == "project" || target_period == period.period {
        return true;
    }
    match (Period::parse(target_period), period.start) {
        (Some(t), Some(start)) => t.start.is_some_and(|s| s <= start) && period.end <= t.end,
        _ => false,
    }
}

/// Builds one page.
pub fn page(
    layout: &Layout,
    data: &ReportData,
    project_code: &str,
    period: &Period,
    as_of: NaiveDate,
    quality: Quality,
    threshold: f64,
) -> anyhow::Result<ProgrammePage> {
    let p = project_code;
    let previous = period.previous();
    let current_quarter =
        Period::containing("quarter", as_of).filter(|q| q.period != period.period);
    let tiles = layout
        .tiles
        .iter()
        .map(|id| {
            let unit = data
                .indicator(id)
                .map_or("count".to_string(), |i| i.unit.clone());
            let value = data.value(CellId::total(id, p, &period.period));
            let prev = previous
                .as_ref()
                .and_then(|pp| data.value(CellId::total(id, p, &pp.period)));
            let change = value.zip(prev).map(|(a, b)| a - b);
            Tile {
                id: id.to_string(),
                title: title_of(data, id),
                change_ratio: match (change, prev, unit.as_str()) {
                    (Some(c), Some(b), "count" | "sum") if b > 0.0 => Some(c / b),
                    _ => None,
                },
                unit,
                value,
                previous: prev,
                change,
                to_date_in_quarter: current_quarter
                    .as_ref()
                    .and_then(|q| data.value(CellId::total(id, p, &q.period))),
            }
        })
        .collect();
    let months = Period::last_months(as_of, 12);
    let labels: Vec<String> = months
        .iter()
        .map(|m| {
            m.start
                .map_or_else(String::new, |s| s.format("%b %y").to_string())
        })
        .collect();
    let mut trends = Vec::new();
    for spec in &layout.trends.charts {
        let id = spec.indicator.as_str();
        let values: Vec<f64> = months
            .iter()
            .map(|m| data.value(CellId::total(id, p, &m.period)).unwrap_or(0.0))
            .collect();
        let title = layout.trends.title.replace("{title}", &title_of(data, id));
        trends.push(Chart {
            svg: charts::trend(
                &title,
                &layout.trends.x_axis,
                &spec.y_axis,
                &labels,
                &values,
            )?,
            title,
        });
    }
    let funnel: Vec<_> = data
        .funnel
        .iter()
        .filter(|f| f.project_code == p)
        .cloned()
        .collect();
    let funnel_chart = if funnel.is_empty() {
        None
    } else {
        let bars: Vec<Bar> = funnel
            .iter()
            .map(|f| Bar {
                label: f.label.clone(),
                value: Some(f.cases as f64),
                text: super::filters::fmt_int(minijinja::Value::from(f.cases)).unwrap_or_default(),
                muted: f.kind != "funnel",
            })
            .collect();
        let title = layout
            .funnel
            .title
            .replace("{as_of}", &as_of.format("%-d %b %Y").to_string());
        Some(Chart {
            svg: charts::bars(&title, &layout.funnel.x_axis, &bars, None, false)?,
            title,
        })
    };
    let sex_age = {
        let cell = |sex: &str, age: &str| -> i64 {
            data.sex_age
                .iter()
                .filter(|r| {
                    r.project_code == p
                        && r.period == period.period
                        && r.sex == sex
                        && r.age_group == age
                })
                .map(|r| r.returnees)
                .sum()
        };
        let ages: Vec<&str> = CODES
            .age_groups
            .iter()
            .map(|g| g.age_group.as_str())
            .collect();
        let sexes = &layout.sex_age.sexes;
        let rows = sexes
            .iter()
            .map(|s| BreakdownRow {
                value: s.to_string(),
                cells: ages.iter().map(|a| Some(cell(s, a) as f64)).collect(),
            })
            .collect();
        BreakdownTable {
            breakdown: "sex_age_group".into(),
            title: layout.sex_age.title.clone(),
            columns: ages.iter().map(|a| a.to_string()).collect(),
            rows,
            total: ages
                .iter()
                .map(|a| Some(sexes.iter().map(|s| cell(s, a)).sum::<i64>() as f64))
                .collect(),
            note: None,
        }
    };
    let breakdowns = layout
        .breakdowns
        .iter()
        .map(|spec| breakdown_table(data, p, &period.period, spec))
        .collect();
    let score = |dim: &str, per: &str| {
        let id = format!("rss_score_{dim}");
        data.get(CellId::total(&id, p, per))
            .map(|r| (r.value, r.denominator))
    };
    let scores = layout
        .scores
        .dimensions
        .iter()
        .map(|d| {
            let now = score(d, &period.period);
            let all = score(d, "to_date");
            ScoreRow {
                dimension: d.to_string(),
                mean: now.map(|s| s.0),
                surveys: now.and_then(|s| s.1),
                mean_to_date: all.map(|s| s.0),
                surveys_to_date: all.and_then(|s| s.1),
            }
        })
        .collect();
    let rate = data.get(CellId::total(&layout.scores.rate, p, &period.period));
    let bins: Vec<(f64, f64, f64)> = data
        .histogram
        .iter()
        .filter(|h| h.project_code == p && h.period == period.period)
        .map(|h| (h.bin_start, h.bin_end, h.surveys as f64))
        .collect();
    let histogram = if bins.is_empty() {
        None
    } else {
        let words = &layout.histogram;
        let title = words.title.replace("{period}", &period.label());
        let line = words
            .threshold
            .replace("{threshold}", &format!("{threshold:.2}"));
        Some(Chart {
            svg: charts::histogram(
                &title,
                &words.x_axis,
                &words.y_axis,
                &line,
                &bins,
                threshold,
            )?,
            title,
        })
    };
    let businesses = layout
        .businesses
        .iter()
        .map(|spec| breakdown_table(data, p, &period.period, spec))
        .collect();
    let targets: Vec<TargetView> = data
        .targets
        .iter()
        .filter(|t| (p == "ALL" || t.project_code == p) && target_applies(&t.period, period))
        .map(|t| TargetView {
            project_code: t.project_code.clone(),
            indicator_id: t.indicator_id.clone(),
            title: title_of(data, &t.indicator_id),
            unit: data
                .indicator(&t.indicator_id)
                .map_or("count".into(), |i| i.unit.clone()),
            period: t.period.clone(),
            breakdown: t.breakdown.clone(),
            breakdown_value: t.breakdown_value.clone(),
            baseline: t.baseline,
            target: t.target,
            actual: t.actual,
            achieved_ratio: t.achieved_ratio,
        })
        .collect();
    let targets_chart = if targets.is_empty() {
        None
    } else {
        let bars: Vec<Bar> = targets
            .iter()
            .map(|t| Bar {
                label: format!(
                    "{}{} · {}",
                    if p == "ALL" {
                        format!("{} · ", t.project_code)
                    } else {
                        String::new()
                    },
                    t.title,
                    super::filters::period_label(minijinja::Value::from(
                        if t.period == "project" {
                            "project life".to_string()
                        } else {
                            t.period.clone()
                        }
                    ))
                ),
                value: t.achieved_ratio,
                text: super::filters::fmt_pct(minijinja::Value::from(t.achieved_ratio))
                    .unwrap_or_default(),
                muted: false,
            })
            .collect();
        let title = layout.targets.title.clone();
        Some(Chart {
            svg: charts::bars(
                &title,
                &layout.targets.x_axis,
                &bars,
                Some((1.0, &layout.targets.line)),
                true,
            )?,
            title,
        })
    };
    Ok(ProgrammePage {
        project_code: p.to_string(),
        project: if p == "ALL" {
            Project {
                project_code: "ALL".into(),
                title: Some("All projects".into()),
                ..Default::default()
            }
        } else {
            data.project(p)
        },
        period: period.clone(),
        previous,
        quarter_to_date: current_quarter,
        tiles,
        trends,
        funnel,
        funnel_chart,
        sex_age,
        breakdowns,
        scores,
        sustainable_rate: rate.map(|r| r.value),
        sustainable_surveys: rate.and_then(|r| r.denominator),
        histogram,
        businesses,
        operating_rate: data
            .get(CellId::total(&layout.operating.rate, p, &period.period))
            .map(|r| r.value),
        targets,
        targets_chart,
        quality,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_page_declares_what_the_report_shows() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let layout = Layout::load(&root).unwrap();
        assert_eq!(layout.tiles.len(), 5);
        assert_eq!(layout.trends.charts.len(), 3);
        assert!(layout.breakdowns.iter().any(|b| b.note.is_some()));
    }

    #[test]
    fn targets_of_the_period_its_year_and_the_project_apply() {
        let q2 = Period::parse("2026-Q2").unwrap();
        assert!(target_applies("project", &q2));
        assert!(target_applies("2026-Q2", &q2));
        assert!(target_applies("2026", &q2));
        assert!(!target_applies("2026-Q1", &q2));
        assert!(!target_applies("2025", &q2));
        assert!(!target_applies("2026-05", &q2));
    }
}
