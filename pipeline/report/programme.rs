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
use super::data::{FunnelRow, Project, Quality, ReportData, ValueRow};
use super::locale::Words;
use super::period::Period;
use crate::indicators::{CellId, PeriodType};

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
    /// Assistance tables (by dimension, type, channel); none in a layout
    /// written before them.
    #[serde(default)]
    pub assistance: Vec<TableSpec>,
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
        super::read_toml(
            &templates.join("programme").join("page.toml"),
            include_str!("../../templates/programme/page.toml"),
        )
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
    /// The value as the page's language reads it (a country's name, a
    /// vulnerability's label).
    pub label: String,
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
    pub assistance: Vec<BreakdownTable>,
    pub operating_rate: Option<f64>,
    pub targets: Vec<TargetView>,
    pub targets_chart: Option<Chart>,
    pub quality: Quality,
}

/// An indicator's title in the page's language (its id when the catalogue
/// lacks it).
fn title_of(data: &ReportData, w: Words<'_>, id: &str) -> String {
    data.indicator(id)
        .map_or_else(|| id.to_string(), |i| w.indicator_title(i))
}

/// A table of `indicators` by `breakdown`: the values the data holds for
/// the period, in byte order, then the total row.
fn breakdown_table(
    data: &ReportData,
    w: Words<'_>,
    project: &str,
    period: &str,
    spec: &TableSpec,
) -> anyhow::Result<BreakdownTable> {
    let indicators: Vec<&str> = spec.indicators.iter().map(String::as_str).collect();
    let breakdown = spec.breakdown.as_str();
    let values = data.breakdown_values(project, period, breakdown, &indicators);
    let rows = values
        .into_iter()
        .map(|v| {
            Ok(BreakdownRow {
                cells: indicators
                    .iter()
                    .map(|id| data.value(CellId::total(id, project, period).by(breakdown, &v)))
                    .collect(),
                label: w.breakdown_value(breakdown, &v)?,
                value: v,
            })
        })
        .collect::<anyhow::Result<_>>()?;
    Ok(BreakdownTable {
        breakdown: breakdown.to_string(),
        title: w.text(&spec.title, &[])?,
        columns: indicators.iter().map(|id| title_of(data, w, id)).collect(),
        rows,
        total: indicators
            .iter()
            .map(|id| data.value(CellId::total(id, project, period)))
            .collect(),
        note: spec.note.as_deref().map(|n| w.text(n, &[])).transpose()?,
    })
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

/// What every section of one page reads.
struct Sections<'a> {
    layout: &'a Layout,
    data: &'a ReportData,
    /// The page's language.
    w: Words<'a>,
    /// The project code (or `ALL`).
    p: &'a str,
    period: &'a Period,
    as_of: NaiveDate,
}

/// Builds one page.
#[allow(clippy::too_many_arguments)]
pub fn page(
    layout: &Layout,
    data: &ReportData,
    w: Words<'_>,
    project_code: &str,
    period: &Period,
    as_of: NaiveDate,
    quality: Quality,
    threshold: f64,
) -> anyhow::Result<ProgrammePage> {
    let s = Sections {
        layout,
        data,
        w,
        p: project_code,
        period,
        as_of,
    };
    let previous = period.previous();
    let current_quarter =
        Period::containing(PeriodType::Quarter, as_of).filter(|q| q.period != period.period);
    let funnel: Vec<_> = data
        .funnel
        .iter()
        .filter(|f| f.project_code == project_code)
        .cloned()
        .collect();
    let targets = s.targets();
    let rate = s.total(&layout.scores.rate);
    Ok(ProgrammePage {
        project_code: project_code.to_string(),
        project: if project_code == "ALL" {
            Project {
                project_code: "ALL".into(),
                title: Some(w.say("all-projects", &[])?),
                ..Default::default()
            }
        } else {
            data.project(project_code)
        },
        period: period.clone(),
        tiles: s.tiles(previous.as_ref(), current_quarter.as_ref()),
        previous,
        quarter_to_date: current_quarter,
        trends: s.trends()?,
        funnel_chart: s.funnel_chart(&funnel)?,
        funnel,
        sex_age: s.sex_age()?,
        breakdowns: s.tables(&layout.breakdowns)?,
        scores: s.scores(),
        sustainable_rate: rate.map(|r| r.value),
        sustainable_surveys: rate.and_then(|r| r.denominator),
        histogram: s.histogram(threshold)?,
        businesses: s.tables(&layout.businesses)?,
        assistance: s.tables(&layout.assistance)?,
        operating_rate: s.total(&layout.operating.rate).map(|r| r.value),
        targets_chart: s.targets_chart(&targets)?,
        targets,
        quality,
    })
}

impl Sections<'_> {
    /// The `total` row of an indicator for the page's period.
    fn total(&self, id: &str) -> Option<&ValueRow> {
        self.data
            .get(CellId::total(id, self.p, &self.period.period))
    }

    /// The headline tiles: each value, its change from the period before,
    /// and the current quarter to date.
    fn tiles(&self, previous: Option<&Period>, current_quarter: Option<&Period>) -> Vec<Tile> {
        let (data, p) = (self.data, self.p);
        self.layout
            .tiles
            .iter()
            .map(|id| {
                let unit = data
                    .indicator(id)
                    .map_or("count".to_string(), |i| i.unit.clone());
                let value = data.value(CellId::total(id, p, &self.period.period));
                let prev = previous.and_then(|pp| data.value(CellId::total(id, p, &pp.period)));
                let change = value.zip(prev).map(|(a, b)| a - b);
                Tile {
                    id: id.to_string(),
                    title: title_of(data, self.w, id),
                    change_ratio: match (change, prev, unit.as_str()) {
                        (Some(c), Some(b), "count" | "sum") if b > 0.0 => Some(c / b),
                        _ => None,
                    },
                    unit,
                    value,
                    previous: prev,
                    change,
                    to_date_in_quarter: current_quarter
                        .and_then(|q| data.value(CellId::total(id, p, &q.period))),
                }
            })
            .collect()
    }

    /// The twelve-month trend charts.
    fn trends(&self) -> anyhow::Result<Vec<Chart>> {
        let words = &self.layout.trends;
        let months = Period::last_months(self.as_of, 12);
        let labels: Vec<String> = months
            .iter()
            .map(|m| {
                m.start
                    .and_then(|s| self.w.formats().short_month(s))
                    .map(|m| self.w.chart_text(&m))
                    .unwrap_or_default()
            })
            .collect();
        let mut trends = Vec::new();
        for spec in &words.charts {
            let id = spec.indicator.as_str();
            let values: Vec<f64> = months
                .iter()
                .map(|m| {
                    self.data
                        .value(CellId::total(id, self.p, &m.period))
                        .unwrap_or(0.0)
                })
                .collect();
            let title = self
                .w
                .text(&words.title, &[("title", &title_of(self.data, self.w, id))])?;
            let (x_axis, y_axis) = (
                self.w.text(&words.x_axis, &[])?,
                self.w.text(&spec.y_axis, &[])?,
            );
            trends.push(Chart {
                svg: self.w.chart_svg(charts::trend(
                    &self.w.chart_text(&title),
                    &self.w.chart_text(&x_axis),
                    &self.w.chart_text(&y_axis),
                    &labels,
                    &values,
                )?),
                title,
            });
        }
        Ok(trends)
    }

    /// The case funnel's chart, when the project has cases.
    fn funnel_chart(&self, funnel: &[FunnelRow]) -> anyhow::Result<Option<Chart>> {
        if funnel.is_empty() {
            return Ok(None);
        }
        let bars: Vec<Bar> = funnel
            .iter()
            .map(|f| {
                Ok(Bar {
                    label: self.w.chart_text(
                        &self
                            .w
                            .say_or(&format!("funnel-stage-{}", f.stage), &f.label)?,
                    ),
                    value: Some(f.cases as f64),
                    text: self.w.formats().integer(f.cases as f64),
                    muted: f.kind != "funnel",
                })
            })
            .collect::<anyhow::Result<_>>()?;
        let words = &self.layout.funnel;
        let as_of = self.w.formats().date(self.as_of).unwrap_or_default();
        let title = self.w.text(&words.title, &[("as_of", &as_of)])?;
        let x_axis = self.w.text(&words.x_axis, &[])?;
        Ok(Some(Chart {
            svg: self.w.chart_svg(charts::bars(
                &self.w.chart_text(&title),
                &self.w.chart_text(&x_axis),
                &bars,
                None,
                false,
            )?),
            title,
        }))
    }

    /// Returnees assisted by sex and age group (`rpt_sex_age`), the age
    /// groups those of the code list.
    fn sex_age(&self) -> anyhow::Result<BreakdownTable> {
        let cell = |sex: &str, age: &str| -> i64 {
            self.data
                .sex_age
                .iter()
                .filter(|r| {
                    r.project_code == self.p
                        && r.period == self.period.period
                        && r.sex == sex
                        && r.age_group == age
                })
                .map(|r| r.returnees)
                .sum()
        };
        let ages: Vec<&str> = self.data.age_groups.iter().map(String::as_str).collect();
        let sexes = &self.layout.sex_age.sexes;
        let rows = sexes
            .iter()
            .map(|s| {
                Ok(BreakdownRow {
                    value: s.to_string(),
                    label: self.w.breakdown_value("sex", s)?,
                    cells: ages.iter().map(|a| Some(cell(s, a) as f64)).collect(),
                })
            })
            .collect::<anyhow::Result<_>>()?;
        Ok(BreakdownTable {
            breakdown: "sex".into(),
            title: self.w.text(&self.layout.sex_age.title, &[])?,
            columns: ages.iter().map(|a| a.to_string()).collect(),
            rows,
            total: ages
                .iter()
                .map(|a| Some(sexes.iter().map(|s| cell(s, a)).sum::<i64>() as f64))
                .collect(),
            note: None,
        })
    }

    /// Breakdown tables, as declared.
    fn tables(&self, specs: &[TableSpec]) -> anyhow::Result<Vec<BreakdownTable>> {
        specs
            .iter()
            .map(|spec| breakdown_table(self.data, self.w, self.p, &self.period.period, spec))
            .collect()
    }

    /// The mean score of each survey dimension, in the period and to date.
    fn scores(&self) -> Vec<ScoreRow> {
        let score = |dim: &str, per: &str| {
            let id = format!("rss_score_{dim}");
            self.data
                .get(CellId::total(&id, self.p, per))
                .map(|r| (r.value, r.denominator))
        };
        self.layout
            .scores
            .dimensions
            .iter()
            .map(|d| {
                let now = score(d, &self.period.period);
                let all = score(d, "to_date");
                ScoreRow {
                    dimension: d.to_string(),
                    mean: now.map(|s| s.0),
                    surveys: now.and_then(|s| s.1),
                    mean_to_date: all.map(|s| s.0),
                    surveys_to_date: all.and_then(|s| s.1),
                }
            })
            .collect()
    }

    /// The histogram of overall scores, when the period has scored surveys.
    fn histogram(&self, threshold: f64) -> anyhow::Result<Option<Chart>> {
        let bins: Vec<(f64, f64, f64)> = self
            .data
            .histogram
            .iter()
            .filter(|h| h.project_code == self.p && h.period == self.period.period)
            .map(|h| (h.bin_start, h.bin_end, h.surveys as f64))
            .collect();
        if bins.is_empty() {
            return Ok(None);
        }
        let words = &self.layout.histogram;
        let w = self.w;
        let title = w.text(&words.title, &[("period", &w.period(&self.period.period)?)])?;
        let line = w.text(
            &words.threshold,
            &[("threshold", &w.formats().decimal(threshold, 2))],
        )?;
        Ok(Some(Chart {
            svg: self.w.chart_svg(charts::histogram(
                &w.chart_text(&title),
                &w.chart_text(&w.text(&words.x_axis, &[])?),
                &w.chart_text(&w.text(&words.y_axis, &[])?),
                &w.chart_text(&line),
                &bins,
                threshold,
            )?),
            title,
        }))
    }

    /// The targets that apply to the period, with their actuals.
    fn targets(&self) -> Vec<TargetView> {
        let w = self.w;
        let (data, p) = (self.data, self.p);
        data.targets
            .iter()
            .filter(|t| {
                (p == "ALL" || t.project_code == p) && target_applies(&t.period, self.period)
            })
            .map(|t| TargetView {
                project_code: t.project_code.clone(),
                indicator_id: t.indicator_id.clone(),
                title: title_of(data, w, &t.indicator_id),
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
            .collect()
    }

    /// Progress against the targets, when there are any.
    fn targets_chart(&self, targets: &[TargetView]) -> anyhow::Result<Option<Chart>> {
        if targets.is_empty() {
            return Ok(None);
        }
        let w = self.w;
        let bars: Vec<Bar> = targets
            .iter()
            .map(|t| {
                let period = if t.period == "project" {
                    w.say("period-project-life", &[])?
                } else {
                    w.period(&t.period)?
                };
                let project = if self.p == "ALL" {
                    format!("{} · ", t.project_code)
                } else {
                    String::new()
                };
                Ok(Bar {
                    label: w.chart_text(&format!("{project}{} · {period}", t.title)),
                    value: t.achieved_ratio,
                    text: t
                        .achieved_ratio
                        .map_or_else(|| "–".to_string(), |r| w.formats().percent(r)),
                    muted: false,
                })
            })
            .collect::<anyhow::Result<_>>()?;
        let words = &self.layout.targets;
        let title = w.text(&words.title, &[])?;
        let line = w.text(&words.line, &[])?;
        Ok(Some(Chart {
            svg: self.w.chart_svg(charts::bars(
                &w.chart_text(&title),
                &w.chart_text(&w.text(&words.x_axis, &[])?),
                &bars,
                Some((1.0, &w.chart_text(&line))),
                true,
            )?),
            title,
        }))
    }
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
        // A templates folder from before page.toml gets the shipped one.
        let old = tempfile::tempdir().unwrap();
        assert_eq!(Layout::load(old.path()).unwrap().tiles, layout.tiles);
        std::fs::create_dir_all(old.path().join("programme")).unwrap();
        std::fs::write(old.path().join("programme/page.toml"), "tiles = 3\n").unwrap();
        let err = Layout::load(old.path()).unwrap_err().to_string();
        assert!(err.contains("page.toml:1"), "{err}");
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
