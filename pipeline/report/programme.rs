//! The programme report (reports.md §1): what one page shows, computed from
//! `indicator_values` and the report models. Layout and wording live in
//! `templates/programme/report.html`.
//!
//! Programme managers see exact numbers: suppression is for donor outputs.

use chrono::NaiveDate;
use serde::Serialize;

use super::charts::{self, Bar};
use super::data::{Project, Quality, ReportData};
use super::period::Period;

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

const TILES: [&str; 5] = [
    "returnees_assisted",
    "reintegration_started",
    "reintegration_completed",
    "businesses_started",
    "rss_sustainable_rate",
];
const TRENDS: [&str; 3] = [
    "returnees_assisted",
    "reintegration_started",
    "businesses_started",
];
const PEOPLE: [&str; 3] = [
    "returnees_assisted",
    "reintegration_started",
    "reintegration_completed",
];
const SEXES: [&str; 4] = ["F", "M", "X", "U"];
const AGE_GROUPS: [&str; 6] = ["0-17", "18-24", "25-34", "35-49", "50+", "unknown"];

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
    breakdown: &str,
    title: &str,
    indicators: &[&str],
) -> BreakdownTable {
    let values = data.breakdown_values(project, period, breakdown, indicators);
    let rows = values
        .into_iter()
        .map(|v| BreakdownRow {
            cells: indicators
                .iter()
                .map(|id| data.value(id, project, period, breakdown, &v))
                .collect(),
            value: v,
        })
        .collect();
    BreakdownTable {
        breakdown: breakdown.to_string(),
        title: title.to_string(),
        columns: indicators.iter().map(|id| title_of(data, id)).collect(),
        rows,
        total: indicators
            .iter()
            .map(|id| data.value(id, project, period, "total", "total"))
            .collect(),
        note: (breakdown == "vulnerability").then(|| {
            "A person with several vulnerabilities counts under each of them, so this table does not add up to the total.".to_string()
        }),
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
    let tiles = TILES
        .iter()
        .map(|id| {
            let unit = data
                .indicator(id)
                .map_or("count".to_string(), |i| i.unit.clone());
            let value = data.value(id, p, &period.period, "total", "total");
            let prev = previous
                .as_ref()
                .and_then(|pp| data.value(id, p, &pp.period, "total", "total"));
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
                    .and_then(|q| data.value(id, p, &q.period, "total", "total")),
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
    for id in TRENDS {
        let values: Vec<f64> = months
            .iter()
            .map(|m| {
                data.value(id, p, &m.period, "total", "total")
                    .unwrap_or(0.0)
            })
            .collect();
        let title = format!("{} by month", title_of(data, id));
        let y = if id == "businesses_started" {
            "Businesses"
        } else {
            "Returnees (people)"
        };
        trends.push(Chart {
            svg: charts::trend(&title, y, &labels, &values)?,
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
        let title = format!("Case funnel as of {}", as_of.format("%-d %b %Y"));
        Some(Chart {
            svg: charts::bars(&title, "Returnee cases (people)", &bars, None, false)?,
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
        let rows = SEXES
            .iter()
            .map(|s| BreakdownRow {
                value: s.to_string(),
                cells: AGE_GROUPS.iter().map(|a| Some(cell(s, a) as f64)).collect(),
            })
            .collect();
        BreakdownTable {
            breakdown: "sex_age_group".into(),
            title: "Returnees assisted by sex and age group".into(),
            columns: AGE_GROUPS.iter().map(|a| a.to_string()).collect(),
            rows,
            total: AGE_GROUPS
                .iter()
                .map(|a| Some(SEXES.iter().map(|s| cell(s, a)).sum::<i64>() as f64))
                .collect(),
            note: None,
        }
    };
    let breakdowns = [
        ("country_of_origin", "By country of origin"),
        ("host_country", "By host country"),
        ("vulnerability", "By vulnerability"),
    ]
    .iter()
    .map(|(b, t)| breakdown_table(data, p, &period.period, b, t, &PEOPLE))
    .collect();
    let score = |dim: &str, per: &str| {
        let id = format!("rss_score_{dim}");
        data.get(&id, p, per, "total", "total")
            .map(|r| (r.value, r.denominator))
    };
    let scores = ["economic", "social", "psychosocial", "overall"]
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
    let rate = data.get("rss_sustainable_rate", p, &period.period, "total", "total");
    let bins: Vec<(f64, f64, f64)> = data
        .histogram
        .iter()
        .filter(|h| h.project_code == p && h.period == period.period)
        .map(|h| (h.bin_start, h.bin_end, h.surveys as f64))
        .collect();
    let histogram = if bins.is_empty() {
        None
    } else {
        let title = format!("Overall reintegration scores, {}", period.label());
        Some(Chart {
            svg: charts::histogram(&title, &bins, threshold)?,
            title,
        })
    };
    let businesses = vec![
        breakdown_table(
            data,
            p,
            &period.period,
            "model",
            "Businesses by model",
            &[
                "businesses_started",
                "business_members",
                "businesses_operating_rate",
            ],
        ),
        breakdown_table(
            data,
            p,
            &period.period,
            "sector",
            "Businesses by sector",
            &["businesses_started", "businesses_operating_rate"],
        ),
    ];
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
        let title = "Progress against targets".to_string();
        Some(Chart {
            svg: charts::bars(
                &title,
                "Share of target achieved (%)",
                &bars,
                Some((1.0, "Target (100%)")),
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
            .get(
                "businesses_operating_rate",
                p,
                &period.period,
                "total",
                "total",
            )
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
