//! The donor indicator pack (reports.md §2): which packs exist, what each
//! holds (cover, logframe, SDG alignment, disaggregation, definitions,
//! methodology), with small-cell suppression decided once in
//! [`super::suppress::Decisions`], and its machine formats (CSV, HXL CSV,
//! XLSX). The HTML and PDF layouts are templates.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::charts::{self, Bar};
use super::data::{Project, ReportData, ValueRow};
use super::period::Period;
use super::programme::{Chart, target_applies};
use super::suppress::Decisions;
use crate::config::PackConfig;
use crate::indicators::Indicator;

/// A value as a donor output shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Shown {
    /// The number; `None` when hidden or unknown.
    pub value: Option<f64>,
    /// Hidden by suppression.
    pub hidden: bool,
    /// For people: `1,234`, `45.7%`, `0.76`, `<5`, or `–`.
    pub text: String,
}

impl Shown {
    /// The cell for machine formats: the number, the marker, or empty.
    pub fn machine(&self, marker: &str) -> String {
        match (self.hidden, self.value) {
            (true, _) => marker.to_string(),
            (false, Some(v)) => format!("{v}"),
            (false, None) => String::new(),
        }
    }
}

fn human(unit: &str, v: f64) -> String {
    let v = minijinja::Value::from(v);
    match unit {
        "rate" => super::filters::fmt_pct(v),
        "mean" => super::filters::fmt_score(v),
        _ => super::filters::fmt_int(v),
    }
    .unwrap_or_default()
}

/// One logframe row: a target of one of the pack's projects.
#[derive(Debug, Serialize)]
pub struct LogframeRow {
    pub project_code: String,
    pub indicator_id: String,
    pub title: String,
    pub unit: String,
    pub breakdown: String,
    pub breakdown_value: String,
    /// The target's period: `2026`, `2026-Q2`, or `project`.
    pub target_period: String,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    pub actual_period: Shown,
    pub actual_to_date: Shown,
    /// Actual of the target's own period over the target.
    pub achieved: Shown,
}

/// SDG goal of a project, with the returnees reached through it.
#[derive(Debug, Serialize)]
pub struct SdgRow {
    pub project_code: String,
    pub goal: u32,
    pub reached: Shown,
}

/// One row of a disaggregation table.
#[derive(Debug, Serialize)]
pub struct DisaggRow {
    pub project_code: String,
    pub value: String,
    pub is_total: bool,
    pub cells: Vec<Shown>,
}

/// A disaggregation table: person indicators by one breakdown.
#[derive(Debug, Serialize)]
pub struct DisaggTable {
    pub breakdown: String,
    pub title: String,
    pub indicators: Vec<String>,
    pub columns: Vec<String>,
    pub rows: Vec<DisaggRow>,
}

/// One row of the pack's long table (`pack.csv`).
#[derive(Debug, Serialize)]
pub struct LongRow {
    pub project_code: String,
    pub indicator_id: String,
    pub indicator_title: String,
    pub unit: String,
    pub period_type: String,
    pub period: String,
    pub period_start: String,
    pub period_end: String,
    pub breakdown: String,
    pub breakdown_value: String,
    pub value: Shown,
}

/// Everything one pack holds, for every format.
#[derive(Debug, Serialize)]
pub struct Pack {
    pub pack: String,
    pub donor: String,
    pub period: Period,
    pub as_of: String,
    pub run_id: String,
    pub transform_run_id: String,
    pub newest_drop: Option<String>,
    pub k: u32,
    pub marker: String,
    pub projects: Vec<Project>,
    pub logframe: Vec<LogframeRow>,
    pub sdg: Vec<SdgRow>,
    pub disaggregation: Vec<DisaggTable>,
    pub definitions: Vec<Indicator>,
    pub drops: Vec<String>,
    pub threshold: f64,
    pub charts: Vec<Chart>,
    pub long: Vec<LongRow>,
}

/// A pack to render: its name, projects and periods.
#[derive(Debug, Clone, PartialEq)]
pub struct PackSpec {
    pub pack: String,
    pub donor: String,
    pub projects: Vec<String>,
    pub periods: Vec<Period>,
}

/// The packs to render: as configured, or one per donor of the projects
/// reference data, for the last complete quarter and year.
pub fn specs(
    data: &ReportData,
    configured: &[PackConfig],
    as_of: NaiveDate,
) -> anyhow::Result<Vec<PackSpec>> {
    let defaults: Vec<Period> = ["quarter", "year"]
        .iter()
        .filter_map(|t| Period::last_complete(t, as_of))
        .collect();
    let periods = |list: &[String], pack: &str| -> anyhow::Result<Vec<Period>> {
        if list.is_empty() {
            return Ok(defaults.clone());
        }
        list.iter()
            .map(|s| {
                Period::parse(s).ok_or_else(|| {
                    anyhow::anyhow!(
                        "report.packs: pack {pack:?} has period {s:?}: use 2026-Q2, 2026 or 2026-05"
                    )
                })
            })
            .collect()
    };
    let donor_projects = |donor: &str| -> Vec<String> {
        data.projects
            .iter()
            .filter(|p| p.donor.as_deref() == Some(donor))
            .map(|p| p.project_code.clone())
            .collect()
    };
    if configured.is_empty() {
        let mut by_donor: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for p in &data.projects {
            if let Some(d) = p.donor.as_deref().filter(|d| !d.trim().is_empty()) {
                by_donor
                    .entry(d.to_string())
                    .or_default()
                    .push(p.project_code.clone());
            }
        }
        return Ok(by_donor
            .into_iter()
            .map(|(donor, projects)| PackSpec {
                pack: donor.clone(),
                donor,
                projects,
                periods: defaults.clone(),
            })
            .collect());
    }
    configured
        .iter()
        .map(|c| {
            let projects = if c.projects.is_empty() {
                donor_projects(c.donor.as_deref().unwrap_or(&c.pack))
            } else {
                c.projects.clone()
            };
            let donor = c.donor.clone().unwrap_or_else(|| {
                let mut names: Vec<String> = projects
                    .iter()
                    .filter_map(|code| data.project(code).donor)
                    .collect();
                names.sort();
                names.dedup();
                if names.is_empty() {
                    c.pack.clone()
                } else {
                    names.join(", ")
                }
            });
            Ok(PackSpec {
                pack: c.pack.clone(),
                donor,
                projects,
                periods: periods(&c.periods, &c.pack)?,
            })
        })
        .collect()
}

/// The breakdowns of the disaggregation tables.
const DISAGGREGATIONS: [(&str, &str); 4] = [
    ("sex", "By sex"),
    ("age_group", "By age group"),
    ("country_of_origin", "By country of origin"),
    ("vulnerability", "By vulnerability"),
];

/// Person indicators: counts of people, broken down by sex.
fn is_person_indicator(i: &Indicator) -> bool {
    i.unit == "count" && i.breakdowns.iter().any(|b| b == "sex")
}

/// Context of the run that renders the pack.
pub struct RunInfo<'a> {
    pub as_of: NaiveDate,
    pub run_id: &'a str,
    pub k: u32,
    pub threshold: f64,
}

/// Builds one pack for one period.
pub fn build(
    data: &ReportData,
    spec: &PackSpec,
    period: &Period,
    run: &RunInfo<'_>,
) -> anyhow::Result<Pack> {
    let targets: Vec<_> = data
        .targets
        .iter()
        .filter(|t| spec.projects.contains(&t.project_code) && target_applies(&t.period, period))
        .collect();
    // Suppression covers every period the pack shows a value of.
    let mut periods: Vec<String> = vec![period.period.clone(), "to_date".into()];
    for t in &targets {
        let p = if t.period == "project" {
            "to_date".to_string()
        } else {
            t.period.clone()
        };
        if !periods.contains(&p) {
            periods.push(p);
        }
    }
    let decisions = Decisions::decide(data, &spec.projects, &periods, run.k);
    let marker = decisions.marker();
    let unit_of = |id: &str| {
        data.indicator(id)
            .map_or_else(|| "count".to_string(), |i| i.unit.clone())
    };
    let shown = |id: &str, project: &str, per: &str, b: &str, v: &str| -> Shown {
        let unit = unit_of(id);
        if decisions.is_hidden(id, project, per, b, v) {
            return Shown {
                value: None,
                hidden: true,
                text: marker.clone(),
            };
        }
        let value = data.value(id, project, per, b, v);
        Shown {
            value,
            hidden: false,
            text: value.map_or_else(|| "–".to_string(), |x| human(&unit, x)),
        }
    };
    let logframe: Vec<LogframeRow> = targets
        .iter()
        .map(|t| {
            let own = if t.period == "project" {
                "to_date"
            } else {
                t.period.as_str()
            };
            let own_actual = shown(
                &t.indicator_id,
                &t.project_code,
                own,
                &t.breakdown,
                &t.breakdown_value,
            );
            let achieved = if own_actual.hidden {
                Shown {
                    value: None,
                    hidden: true,
                    text: marker.clone(),
                }
            } else {
                Shown {
                    value: t.achieved_ratio,
                    hidden: false,
                    text: t
                        .achieved_ratio
                        .map_or_else(|| "–".into(), |r| human("rate", r)),
                }
            };
            LogframeRow {
                project_code: t.project_code.clone(),
                indicator_id: t.indicator_id.clone(),
                title: data
                    .indicator(&t.indicator_id)
                    .map_or_else(|| t.indicator_id.clone(), |i| i.title.clone()),
                unit: unit_of(&t.indicator_id),
                breakdown: t.breakdown.clone(),
                breakdown_value: t.breakdown_value.clone(),
                target_period: t.period.clone(),
                baseline: t.baseline,
                target: t.target,
                actual_period: shown(
                    &t.indicator_id,
                    &t.project_code,
                    &period.period,
                    &t.breakdown,
                    &t.breakdown_value,
                ),
                actual_to_date: shown(
                    &t.indicator_id,
                    &t.project_code,
                    "to_date",
                    &t.breakdown,
                    &t.breakdown_value,
                ),
                achieved,
            }
        })
        .collect();
    let projects: Vec<Project> = spec.projects.iter().map(|c| data.project(c)).collect();
    let sdg: Vec<SdgRow> = projects
        .iter()
        .flat_map(|p| {
            p.goals().into_iter().map(|g| SdgRow {
                project_code: p.project_code.clone(),
                goal: g,
                reached: shown(
                    "sdg_returnees_reached",
                    &p.project_code,
                    &period.period,
                    "sdg_goal",
                    &g.to_string(),
                ),
            })
        })
        .collect();
    let persons: Vec<&Indicator> = data
        .catalogue
        .iter()
        .filter(|i| is_person_indicator(i))
        .collect();
    let disaggregation: Vec<DisaggTable> = DISAGGREGATIONS
        .iter()
        .map(|(b, title)| {
            let inds: Vec<&&Indicator> = persons
                .iter()
                .filter(|i| i.breakdowns.iter().any(|x| x == b))
                .collect();
            let mut rows = Vec::new();
            for p in &spec.projects {
                let ids: Vec<&str> = inds.iter().map(|i| i.id.as_str()).collect();
                let values = data.breakdown_values(p, &period.period, b, &ids);
                for v in values {
                    rows.push(DisaggRow {
                        project_code: p.clone(),
                        cells: inds
                            .iter()
                            .map(|i| shown(&i.id, p, &period.period, b, &v))
                            .collect(),
                        value: v,
                        is_total: false,
                    });
                }
                rows.push(DisaggRow {
                    project_code: p.clone(),
                    value: "Total".into(),
                    is_total: true,
                    cells: inds
                        .iter()
                        .map(|i| shown(&i.id, p, &period.period, "total", "total"))
                        .collect(),
                });
            }
            DisaggTable {
                breakdown: b.to_string(),
                title: title.to_string(),
                indicators: inds.iter().map(|i| i.id.clone()).collect(),
                columns: inds.iter().map(|i| i.title.clone()).collect(),
                rows,
            }
        })
        .collect();
    let mut long_rows: Vec<&ValueRow> = data
        .values
        .iter()
        .filter(|r| {
            spec.projects.iter().any(|p| **p == *r.project_code)
                && (*r.period == period.period || &*r.period == "to_date")
        })
        .collect();
    long_rows.sort_by(|a, b| {
        (
            &a.project_code,
            &a.indicator_id,
            &a.period_type,
            &a.period,
            &a.breakdown,
            &a.breakdown_value,
        )
            .cmp(&(
                &b.project_code,
                &b.indicator_id,
                &b.period_type,
                &b.period,
                &b.breakdown,
                &b.breakdown_value,
            ))
    });
    let long = long_rows
        .iter()
        .map(|r| LongRow {
            project_code: r.project_code.to_string(),
            indicator_id: r.indicator_id.to_string(),
            indicator_title: data
                .indicator(&r.indicator_id)
                .map_or_else(String::new, |i| i.title.clone()),
            unit: unit_of(&r.indicator_id),
            period_type: r.period_type.to_string(),
            period: r.period.to_string(),
            period_start: r.period_start.as_deref().unwrap_or_default().to_string(),
            period_end: r.period_end.to_string(),
            breakdown: r.breakdown.to_string(),
            breakdown_value: r.breakdown_value.to_string(),
            value: shown(
                &r.indicator_id,
                &r.project_code,
                &r.period,
                &r.breakdown,
                &r.breakdown_value,
            ),
        })
        .collect();
    let mut shown_ids: Vec<String> = logframe.iter().map(|l| l.indicator_id.clone()).collect();
    shown_ids.extend(persons.iter().map(|i| i.id.clone()));
    if !sdg.is_empty() {
        shown_ids.push("sdg_returnees_reached".into());
    }
    let definitions = data
        .catalogue
        .iter()
        .filter(|i| shown_ids.contains(&i.id))
        .cloned()
        .collect();
    let mut charts = Vec::new();
    if !logframe.is_empty() {
        let bars: Vec<Bar> = logframe
            .iter()
            .map(|l| Bar {
                label: format!(
                    "{} · {} · {}",
                    l.project_code,
                    l.title,
                    if l.target_period == "project" {
                        "project life".to_string()
                    } else {
                        l.target_period.clone()
                    }
                ),
                value: l.achieved.value,
                text: l.achieved.text.clone(),
                muted: false,
            })
            .collect();
        let title = "Share of target achieved".to_string();
        charts.push(Chart {
            svg: charts::bars(
                &title,
                "Actual as a share of target (%)",
                &bars,
                Some((1.0, "Target (100%)")),
                true,
            )?,
            title,
        });
    }
    Ok(Pack {
        pack: spec.pack.clone(),
        donor: spec.donor.clone(),
        period: period.clone(),
        as_of: run.as_of.format("%Y-%m-%d").to_string(),
        run_id: run.run_id.to_string(),
        transform_run_id: data.transform_run_id.clone(),
        newest_drop: data.newest_drop().map(str::to_string),
        k: run.k,
        marker,
        projects,
        logframe,
        sdg,
        disaggregation,
        definitions,
        drops: data.drops.clone(),
        threshold: run.threshold,
        charts,
        long,
    })
}

/// The columns of `pack.csv` and their HXL hashtags.
const LONG_COLUMNS: [(&str, &str); 13] = [
    ("pack", "#meta+pack"),
    ("donor", "#org+funder"),
    ("project_code", "#activity+code"),
    ("indicator_id", "#indicator+code"),
    ("indicator_title", "#indicator+name"),
    ("unit", "#indicator+unit"),
    ("period_type", "#date+period+type"),
    ("period", "#date+period"),
    ("period_start", "#date+start"),
    ("period_end", "#date+end"),
    ("breakdown", "#indicator+breakdown"),
    ("breakdown_value", "#indicator+breakdown+value"),
    ("value", "#indicator+value+num"),
];

/// `pack.csv` (and, with `hxl`, `pack.hxl.csv`): one row per value of the
/// pack's projects for the period and to date, suppressed.
pub fn long_csv(pack: &Pack, hxl: bool) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(LONG_COLUMNS.iter().map(|c| c.0))?;
    if hxl {
        w.write_record(LONG_COLUMNS.iter().map(|c| c.1))?;
    }
    for r in &pack.long {
        w.write_record([
            pack.pack.as_str(),
            pack.donor.as_str(),
            &r.project_code,
            &r.indicator_id,
            &r.indicator_title,
            &r.unit,
            &r.period_type,
            &r.period,
            &r.period_start,
            &r.period_end,
            &r.breakdown,
            &r.breakdown_value,
            &r.value.machine(&pack.marker),
        ])?;
    }
    Ok(w.into_inner()?)
}

/// `pack.xlsx`: one sheet per table. Text is always written as text (never
/// a formula); a hidden cell holds the marker as text.
pub fn xlsx(pack: &Pack) -> anyhow::Result<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook, Worksheet};
    let bold = Format::new().set_bold();
    let mut wb = Workbook::new();
    let text = |ws: &mut Worksheet, r: u32, c: u16, s: &str| -> anyhow::Result<()> {
        ws.write_string(r, c, s)?;
        Ok(())
    };
    let num = |ws: &mut Worksheet, r: u32, c: u16, v: Option<f64>| -> anyhow::Result<()> {
        if let Some(v) = v {
            ws.write_number(r, c, v)?;
        }
        Ok(())
    };
    let shown =
        |ws: &mut Worksheet, r: u32, c: u16, s: &Shown, marker: &str| -> anyhow::Result<()> {
            if s.hidden {
                ws.write_string(r, c, marker)?;
            } else if let Some(v) = s.value {
                ws.write_number(r, c, v)?;
            }
            Ok(())
        };
    let header = |ws: &mut Worksheet, cols: &[&str]| -> anyhow::Result<()> {
        for (i, c) in cols.iter().enumerate() {
            ws.write_string_with_format(0, i as u16, *c, &bold)?;
        }
        Ok(())
    };
    {
        let ws = wb.add_worksheet().set_name("Cover")?;
        let lines: Vec<(&str, String)> = vec![
            ("Donor", pack.donor.clone()),
            ("Pack", pack.pack.clone()),
            (
                "Period",
                format!(
                    "{} ({} to {})",
                    pack.period.period,
                    pack.period.start.map_or(String::new(), |d| d.to_string()),
                    pack.period.end
                ),
            ),
            ("As of", pack.as_of.clone()),
            ("Newest drop", pack.newest_drop.clone().unwrap_or_default()),
            ("Run", pack.run_id.clone()),
            (
                "Small cells",
                format!(
                    "counts from 1 to {} are shown as {}",
                    pack.k - 1,
                    pack.marker
                ),
            ),
        ];
        for (i, (k, v)) in lines.iter().enumerate() {
            ws.write_string_with_format(i as u32, 0, *k, &bold)?;
            text(ws, i as u32, 1, v)?;
        }
        let top = lines.len() as u32 + 1;
        let cols = [
            "project_code",
            "prima_id",
            "title",
            "project_type",
            "donor",
            "start_date",
            "end_date",
            "status",
            "budget_usd",
            "coverage",
            "idf_region",
            "benefiting_countries",
            "sdg_goals",
        ];
        for (i, c) in cols.iter().enumerate() {
            ws.write_string_with_format(top, i as u16, *c, &bold)?;
        }
        for (n, p) in pack.projects.iter().enumerate() {
            let r = top + 1 + n as u32;
            let fields = [
                Some(p.project_code.clone()),
                p.prima_id.clone(),
                p.title.clone(),
                p.project_type.clone(),
                p.donor.clone(),
                p.start_date.clone(),
                p.end_date.clone(),
                p.status.clone(),
            ];
            for (i, f) in fields.iter().enumerate() {
                text(ws, r, i as u16, f.as_deref().unwrap_or(""))?;
            }
            num(ws, r, 8, p.budget_usd)?;
            let rest = [
                p.coverage.clone(),
                p.idf_region.clone(),
                p.benefiting_countries.clone(),
                p.sdg_goals.clone(),
            ];
            for (i, f) in rest.iter().enumerate() {
                text(ws, r, 9 + i as u16, f.as_deref().unwrap_or(""))?;
            }
        }
    }
    {
        let ws = wb.add_worksheet().set_name("Logframe")?;
        header(
            ws,
            &[
                "project_code",
                "indicator_id",
                "indicator",
                "breakdown",
                "breakdown_value",
                "target_period",
                "baseline",
                "target",
                "actual_period",
                "actual_to_date",
                "achieved_ratio",
            ],
        )?;
        for (n, l) in pack.logframe.iter().enumerate() {
            let r = n as u32 + 1;
            for (i, s) in [
                &l.project_code,
                &l.indicator_id,
                &l.title,
                &l.breakdown,
                &l.breakdown_value,
                &l.target_period,
            ]
            .iter()
            .enumerate()
            {
                text(ws, r, i as u16, s)?;
            }
            num(ws, r, 6, l.baseline)?;
            num(ws, r, 7, l.target)?;
            shown(ws, r, 8, &l.actual_period, &pack.marker)?;
            shown(ws, r, 9, &l.actual_to_date, &pack.marker)?;
            shown(ws, r, 10, &l.achieved, &pack.marker)?;
        }
    }
    {
        let ws = wb.add_worksheet().set_name("SDG alignment")?;
        header(ws, &["project_code", "sdg_goal", "returnees_reached"])?;
        for (n, s) in pack.sdg.iter().enumerate() {
            let r = n as u32 + 1;
            text(ws, r, 0, &s.project_code)?;
            ws.write_number(r, 1, f64::from(s.goal))?;
            shown(ws, r, 2, &s.reached, &pack.marker)?;
        }
    }
    for t in &pack.disaggregation {
        let ws = wb.add_worksheet().set_name(&t.title)?;
        let mut cols = vec!["project_code", t.breakdown.as_str()];
        cols.extend(t.indicators.iter().map(String::as_str));
        header(ws, &cols)?;
        for (n, row) in t.rows.iter().enumerate() {
            let r = n as u32 + 1;
            text(ws, r, 0, &row.project_code)?;
            text(ws, r, 1, &row.value)?;
            for (i, c) in row.cells.iter().enumerate() {
                shown(ws, r, 2 + i as u16, c, &pack.marker)?;
            }
        }
    }
    {
        let ws = wb.add_worksheet().set_name("Definitions")?;
        header(
            ws,
            &[
                "indicator_id",
                "title",
                "definition",
                "unit",
                "sdg_goals",
                "breakdowns",
            ],
        )?;
        for (n, i) in pack.definitions.iter().enumerate() {
            let r = n as u32 + 1;
            let goals = i
                .sdg_goals
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(";");
            for (c, s) in [
                &i.id,
                &i.title,
                &i.definition,
                &i.unit,
                &goals,
                &i.breakdowns.join(";"),
            ]
            .iter()
            .enumerate()
            {
                text(ws, r, c as u16, s)?;
            }
        }
    }
    {
        let ws = wb.add_worksheet().set_name("Methodology")?;
        let lines = methodology_lines(pack);
        for (i, l) in lines.iter().enumerate() {
            text(ws, i as u32, 0, l)?;
        }
    }
    {
        let ws = wb.add_worksheet().set_name("Data")?;
        header(ws, &LONG_COLUMNS.iter().map(|c| c.0).collect::<Vec<_>>())?;
        for (n, l) in pack.long.iter().enumerate() {
            let r = n as u32 + 1;
            let cells = [
                &pack.pack,
                &pack.donor,
                &l.project_code,
                &l.indicator_id,
                &l.indicator_title,
                &l.unit,
                &l.period_type,
                &l.period,
                &l.period_start,
                &l.period_end,
                &l.breakdown,
                &l.breakdown_value,
            ];
            for (c, s) in cells.iter().enumerate() {
                text(ws, r, c as u16, s)?;
            }
            shown(ws, r, 12, &l.value, &pack.marker)?;
        }
    }
    Ok(wb.save_to_buffer()?)
}

/// The methodology note as plain lines (the XLSX sheet; the HTML and PDF
/// templates word it themselves from the same fields).
fn methodology_lines(pack: &Pack) -> Vec<String> {
    vec![
        format!("As of {}: records placed after this date are not counted.", pack.as_of),
        format!("Data: the case-management export drops {}.", pack.drops.join(", ")),
        "Each record counts in its current version (greatest updated_at, then the later drop, then the later line).".into(),
        "People are counted once per indicator and period (distinct cases); periods are computed directly, never added up.".into(),
        format!(
            "Small cells: counts from 1 to {} are shown as {}; when a breakdown has one such cell, its smallest other non-zero cell is hidden too; rates and means over fewer than {} people are hidden.",
            pack.k - 1,
            pack.marker,
            pack.k
        ),
        format!("Sustainable reintegration: an overall survey score of at least {}.", pack.threshold),
        format!("Run {}; indicators of run {}.", pack.run_id, pack.transform_run_id),
    ]
}
