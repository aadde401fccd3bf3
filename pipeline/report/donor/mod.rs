//! The donor indicator pack (reports.md §2): which packs exist, what each
//! holds (cover, logframe, SDG alignment, disaggregation, definitions,
//! methodology), and its machine formats (CSV, HXL CSV, XLSX). The HTML
//! and PDF layouts are templates.
//!
//! Every number of a pack is a published value: decided once per cell by
//! the disclosure stage ([`crate::disclosure`]) for the whole run, and only
//! looked up here, so every table, format and pack shows the same value
//! for the same cell. Nothing here reads an exact value into a pack.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::Serialize;

mod files;
pub mod iati;

pub use files::{long_csv, xlsx};

use super::charts::{self, Bar};
use super::data::{Project, ReportData};
use super::locale::Words;
use super::period::Period;
use super::programme::{Chart, Targets, target_applies};
use crate::config::PackConfig;
use crate::disclosure::{self, Flag, Policy, Published, Unit, Utility};
use crate::indicators::{CellId, Indicator, PeriodType};

/// A value as a donor output shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Shown {
    /// The published number; `None` when hidden or unknown.
    pub value: Option<f64>,
    /// Withheld by disclosure control.
    pub hidden: bool,
    /// The observation status: `hidden`, `perturbed` or empty.
    pub flag: Flag,
    /// For people: `1,234`, `45.7%`, `0.76`, `<5`, or `–`.
    pub text: String,
}

impl Shown {
    /// The value column of machine formats: the number, or empty (hidden
    /// or unknown). Never text: the flag column says why it is empty.
    pub fn machine(&self) -> String {
        self.value.map_or_else(String::new, |v| format!("{v}"))
    }
}

/// A number for people in the pack's language: a rate as a percentage, a
/// mean with two decimals, a count or sum whole.
fn human(f: &super::locale::Formats, unit: &str, v: f64) -> String {
    match unit {
        "rate" => f.percent(v),
        "mean" => f.decimal(v, 2),
        _ => f.integer(v),
    }
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
    /// The value as the pack's language reads it.
    pub label: String,
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
    /// How the pack's numbers are protected, with its utility figures.
    pub disclosure: PackDisclosure,
    pub projects: Vec<Project>,
    pub logframe: Vec<LogframeRow>,
    pub sdg: Vec<SdgRow>,
    pub disaggregation: Vec<DisaggTable>,
    pub definitions: Vec<Indicator>,
    pub drops: Vec<String>,
    pub threshold: f64,
    pub charts: Vec<Chart>,
    pub long: Vec<LongRow>,
    /// The methodology note, one item per entry, and the note under the
    /// tables: rendered from `donor/methodology.txt` and
    /// `donor/footnote.txt` ([`word`]), the one wording of every format.
    pub methodology: Vec<String>,
    pub footnote: String,
    /// The files written for this pack and period (its methodology lists
    /// them).
    pub files: Vec<String>,
    /// Indexes (in `ReportData::values`) of the cells the pack publishes,
    /// for the run's utility figures.
    #[serde(skip)]
    pub cells: BTreeSet<usize>,
}

/// The pack's disclosure control, as its methodology states it.
#[derive(Debug, Clone, Serialize)]
pub struct PackDisclosure {
    /// `cell_key`, `suppress`, or `none` when the policy does not cover
    /// donor packs.
    pub method: String,
    pub k: u32,
    /// The magnitude noise as a fraction (0.05 for ±5 %).
    pub magnitude_noise: f64,
    /// Where the perturbation table came from.
    pub ptable: String,
    /// The largest change the perturbation table makes to a count.
    pub max_change: u64,
    /// Over the cells of this pack.
    pub utility: Utility,
}

/// A pack to render: its name, projects and periods.
#[derive(Debug, Clone, PartialEq)]
pub struct PackSpec {
    pub pack: String,
    pub donor: String,
    pub projects: Vec<String>,
    pub periods: Vec<Period>,
    /// The pack's own language; `None`: every report language.
    pub language: Option<String>,
}

/// The packs to render: as configured, or one per donor of the projects
/// reference data, for the last complete quarter and year.
pub fn specs(
    data: &ReportData,
    configured: &[PackConfig],
    as_of: NaiveDate,
) -> anyhow::Result<Vec<PackSpec>> {
    let defaults: Vec<Period> = [PeriodType::Quarter, PeriodType::Year]
        .into_iter()
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
                language: None,
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
                language: c.language.clone(),
            })
        })
        .collect()
}

/// What a pack shows beside the logframe: `templates/donor/pack.toml`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackLayout {
    /// The disaggregation tables, in order.
    pub disaggregations: Vec<Disaggregation>,
    pub targets: Targets,
}

/// One disaggregation table: a breakdown and its title.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Disaggregation {
    pub breakdown: String,
    pub title: String,
}

impl PackLayout {
    /// Reads `donor/pack.toml` under the templates folder.
    pub fn load(templates: &std::path::Path) -> anyhow::Result<PackLayout> {
        super::read_toml(
            &templates.join("donor").join("pack.toml"),
            include_str!("../../../templates/donor/pack.toml"),
        )
    }
}

/// Person indicators: counts of people, broken down by sex.
fn is_person_indicator(i: &Indicator) -> bool {
    i.unit == "count" && i.breakdowns.iter().any(|b| b == "sex")
}

/// Context of the run that renders the pack.
pub struct RunInfo<'a> {
    pub layout: &'a PackLayout,
    pub as_of: NaiveDate,
    pub run_id: &'a str,
    pub threshold: f64,
    pub policy: &'a Policy,
    /// Whether the policy covers donor packs.
    pub covered: bool,
    /// Every cell's published value, in the order of `ReportData::values`
    /// ([`publish`]).
    pub published: &'a [Published],
}

/// The disclosure stage's decision for every cell of `indicator_values`,
/// in its order: taken once per run, before any pack is built.
pub fn publish(data: &ReportData, policy: &Policy, covered: bool) -> Vec<Published> {
    let cell = |r: &crate::report::data::ValueRow, group: Option<String>| disclosure::Cell {
        group,
        unit: Unit::of(unit_name(data, &r.indicator_id)),
        value: r.value,
        numerator: r.numerator,
        denominator: r.denominator,
        support: r.support,
        numerator_key: r.numerator_key,
        denominator_key: r.denominator_key,
    };
    if let Some(each) = disclosure::alone(policy, covered) {
        // Each cell on its own: no order, and no list of ≈ 340 k cells
        // made first (at 1 M cases, allocating it was most of this step).
        return data.values.iter().map(|r| each(&cell(r, None))).collect();
    }
    // Suppression breaks ties between partners in this order.
    let mut order: Vec<usize> = (0..data.values.len()).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&data.values[a], &data.values[b]);
        (
            &a.indicator_id,
            &a.project_code,
            &a.period,
            &a.breakdown,
            &a.breakdown_value,
        )
            .cmp(&(
                &b.indicator_id,
                &b.project_code,
                &b.period,
                &b.breakdown,
                &b.breakdown_value,
            ))
    });
    // Only suppression reads the breakdown groups: no key string per cell
    // for the other methods.
    let grouped = covered && policy.method == disclosure::Method::Suppress;
    let cells: Vec<disclosure::Cell> = order
        .iter()
        .map(|&i| {
            let r = &data.values[i];
            let group = (grouped && &*r.breakdown != "total").then(|| {
                format!(
                    "{}\u{1f}{}\u{1f}{}\u{1f}{}",
                    r.indicator_id, r.project_code, r.period, r.breakdown
                )
            });
            cell(r, group)
        })
        .collect();
    let decided = disclosure::decide(policy, &cells, covered);
    let mut out = vec![Published::hidden(); data.values.len()];
    for (i, p) in order.into_iter().zip(decided) {
        out[i] = p;
    }
    out
}

/// The catalogue unit of an indicator (`count` when unknown).
fn unit_name<'a>(data: &'a ReportData, id: &str) -> &'a str {
    data.indicator(id).map_or("count", |i| i.unit.as_str())
}

/// Utility figures over some cells (indexes in `ReportData::values`).
pub fn utility(data: &ReportData, run: &RunInfo<'_>, cells: &BTreeSet<usize>) -> Utility {
    let mut u = Utility::new(run.policy, run.covered);
    for &i in cells {
        let r = &data.values[i];
        u.add(
            Unit::of(unit_name(data, &r.indicator_id)),
            Some(r.value),
            &run.published[i],
        );
    }
    u
}

/// Builds one pack for one period.
pub fn build(
    data: &ReportData,
    spec: &PackSpec,
    period: &Period,
    run: &RunInfo<'_>,
    w: Words<'_>,
) -> anyhow::Result<Pack> {
    let b = PackBuilder {
        data,
        spec,
        period,
        run,
        w,
        marker: run.policy.marker(),
        used: RefCell::new(BTreeSet::new()),
    };
    let logframe = b.logframe();
    let projects: Vec<Project> = spec.projects.iter().map(|c| data.project(c)).collect();
    let sdg = b.sdg(&projects);
    let persons: Vec<&Indicator> = data
        .catalogue
        .iter()
        .filter(|i| is_person_indicator(i))
        .collect();
    let disaggregation = b.disaggregation(&persons)?;
    let long = b.long();
    let mut shown_ids: Vec<String> = logframe.iter().map(|l| l.indicator_id.clone()).collect();
    shown_ids.extend(persons.iter().map(|i| i.id.clone()));
    if !sdg.is_empty() {
        shown_ids.push("sdg_returnees_reached".into());
    }
    // In the pack's language: the catalogue's translation, if any.
    let definitions = data
        .catalogue
        .iter()
        .filter(|i| shown_ids.contains(&i.id))
        .map(|i| Indicator {
            title: i.title_in(&w.locale.tag).to_string(),
            definition: i.definition_in(&w.locale.tag).to_string(),
            ..i.clone()
        })
        .collect();
    let charts = b.targets_chart(&logframe)?.into_iter().collect();
    let cells = b.used.into_inner();
    Ok(Pack {
        pack: spec.pack.clone(),
        donor: spec.donor.clone(),
        period: period.clone(),
        as_of: run.as_of.format("%Y-%m-%d").to_string(),
        run_id: run.run_id.to_string(),
        transform_run_id: data.transform_run_id.clone(),
        newest_drop: data.newest_drop().map(str::to_string),
        k: run.policy.k,
        marker: b.marker,
        disclosure: PackDisclosure {
            method: if run.covered {
                run.policy.method.name().to_string()
            } else {
                "none".to_string()
            },
            k: run.policy.k,
            magnitude_noise: run.policy.magnitude_noise,
            ptable: run.policy.ptable.source.clone(),
            max_change: run.policy.ptable.max_change(),
            utility: utility(data, run, &cells),
        },
        projects,
        logframe,
        sdg,
        disaggregation,
        definitions,
        drops: data.drops.clone(),
        threshold: run.threshold,
        charts,
        long,
        methodology: Vec::new(),
        footnote: String::new(),
        files: Vec::new(),
        cells,
    })
}

/// What every part of one pack reads, and the cells it has shown so far.
struct PackBuilder<'a> {
    data: &'a ReportData,
    spec: &'a PackSpec,
    period: &'a Period,
    run: &'a RunInfo<'a>,
    /// The pack's language.
    w: Words<'a>,
    /// The mark of a withheld cell.
    marker: String,
    /// Indexes in `ReportData::values` of the cells shown (for the utility
    /// figures).
    used: RefCell<BTreeSet<usize>>,
}

impl PackBuilder<'_> {
    fn unit_of(&self, id: &str) -> String {
        unit_name(self.data, id).to_string()
    }

    /// A published value as the pack shows it.
    fn shown_of(&self, unit: &str, p: Published) -> Shown {
        Shown {
            value: p.value,
            hidden: p.is_hidden(),
            flag: p.flag,
            text: if p.is_hidden() {
                self.marker.clone()
            } else {
                p.value
                    .map_or_else(|| "–".to_string(), |x| human(self.w.formats(), unit, x))
            },
        }
    }

    /// A cell's published value (decided once for the run), or what an
    /// absent cell publishes.
    fn shown(&self, cell: CellId<'_>) -> Shown {
        let unit = self.unit_of(cell.indicator);
        let published = match self.data.position(cell) {
            Some(i) => {
                self.used.borrow_mut().insert(i);
                self.run.published[i]
            }
            None => disclosure::absent(self.run.policy, Unit::of(&unit), self.run.covered),
        };
        self.shown_of(&unit, published)
    }

    /// One row per target of the pack's projects that applies to the
    /// period.
    fn logframe(&self) -> Vec<LogframeRow> {
        let (data, period) = (self.data, self.period);
        data.targets
            .iter()
            .filter(|t| {
                self.spec.projects.contains(&t.project_code) && target_applies(&t.period, period)
            })
            .map(|t| {
                let own = if t.period == "project" {
                    "to_date"
                } else {
                    t.period.as_str()
                };
                let cell = |period| CellId {
                    indicator: &t.indicator_id,
                    project: &t.project_code,
                    period,
                    breakdown: &t.breakdown,
                    value: &t.breakdown_value,
                };
                let own_actual = self.shown(cell(own));
                // From the published actual, so that a donor can recompute it.
                let achieved = if own_actual.hidden {
                    self.shown_of("rate", Published::hidden())
                } else {
                    let ratio = match (own_actual.value, t.target) {
                        (Some(a), Some(target)) if target != 0.0 => Some(a / target),
                        _ => None,
                    };
                    self.shown_of(
                        "rate",
                        Published {
                            value: ratio,
                            flag: own_actual.flag,
                        },
                    )
                };
                LogframeRow {
                    project_code: t.project_code.clone(),
                    indicator_id: t.indicator_id.clone(),
                    title: data
                        .indicator(&t.indicator_id)
                        .map_or_else(|| t.indicator_id.clone(), |i| self.w.indicator_title(i)),
                    unit: self.unit_of(&t.indicator_id),
                    breakdown: t.breakdown.clone(),
                    breakdown_value: t.breakdown_value.clone(),
                    target_period: t.period.clone(),
                    baseline: t.baseline,
                    target: t.target,
                    actual_period: self.shown(cell(&period.period)),
                    actual_to_date: self.shown(cell("to_date")),
                    achieved,
                }
            })
            .collect()
    }

    /// Returnees reached per SDG goal of each project.
    fn sdg(&self, projects: &[Project]) -> Vec<SdgRow> {
        projects
            .iter()
            .flat_map(|p| {
                p.goals().into_iter().map(|g| SdgRow {
                    project_code: p.project_code.clone(),
                    goal: g,
                    reached: self.shown(CellId {
                        indicator: "sdg_returnees_reached",
                        project: &p.project_code,
                        period: &self.period.period,
                        breakdown: "sdg_goal",
                        value: &g.to_string(),
                    }),
                })
            })
            .collect()
    }

    /// The disaggregation tables of `pack.toml`: every person indicator
    /// that has the breakdown, per project, then the project's total.
    fn disaggregation(&self, persons: &[&Indicator]) -> anyhow::Result<Vec<DisaggTable>> {
        let (per, w) = (&self.period.period, self.w);
        self.run
            .layout
            .disaggregations
            .iter()
            .map(|d| {
                let b = d.breakdown.as_str();
                let inds: Vec<&Indicator> = persons
                    .iter()
                    .copied()
                    .filter(|i| i.breakdowns.iter().any(|x| x == b))
                    .collect();
                let ids: Vec<&str> = inds.iter().map(|i| i.id.as_str()).collect();
                let mut rows = Vec::new();
                for p in &self.spec.projects {
                    for v in self.data.breakdown_values(p, per, b, &ids) {
                        let cells: Vec<Shown> = inds
                            .iter()
                            .map(|i| self.shown(CellId::total(&i.id, p, per).by(b, &v)))
                            .collect();
                        // A row of published zeros is left out, as a row with
                        // no one in it is: otherwise its presence would say that
                        // a perturbed 0 stands for someone.
                        if cells.iter().all(|c| c.value == Some(0.0)) {
                            continue;
                        }
                        rows.push(DisaggRow {
                            project_code: p.clone(),
                            cells,
                            label: w.breakdown_value(b, &v)?,
                            value: v,
                            is_total: false,
                        });
                    }
                    rows.push(DisaggRow {
                        project_code: p.clone(),
                        value: "Total".into(),
                        label: w.say("table-total", &[])?,
                        is_total: true,
                        cells: inds
                            .iter()
                            .map(|i| self.shown(CellId::total(&i.id, p, per)))
                            .collect(),
                    });
                }
                Ok(DisaggTable {
                    breakdown: b.to_string(),
                    title: w.text(&d.title, &[])?,
                    indicators: inds.iter().map(|i| i.id.clone()).collect(),
                    columns: inds.iter().map(|i| w.indicator_title(i)).collect(),
                    rows,
                })
            })
            .collect()
    }

    /// Every published cell of the pack's projects for the period and to
    /// date, in one long table (pack.csv, the XLSX data sheet).
    fn long(&self) -> Vec<LongRow> {
        let data = self.data;
        let periods = [self.period.period.as_str(), "to_date"];
        let mut rows = data.rows_of(&self.spec.projects, &periods);
        rows.sort_by(|a, b| {
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
        rows.iter()
            .map(|r| LongRow {
                project_code: r.project_code.to_string(),
                indicator_id: r.indicator_id.to_string(),
                indicator_title: data
                    .indicator(&r.indicator_id)
                    .map_or_else(String::new, |i| i.title.clone()),
                unit: self.unit_of(&r.indicator_id),
                period_type: r.period_type.to_string(),
                period: r.period.to_string(),
                period_start: r.period_start.as_deref().unwrap_or_default().to_string(),
                period_end: r.period_end.to_string(),
                breakdown: r.breakdown.to_string(),
                breakdown_value: r.breakdown_value.to_string(),
                value: self.shown(r.cell()),
            })
            // A published 0 of a count or sum is left out, as indicator_values
            // leaves out the cells with no one in them (indicators.md: a missing
            // row is 0): a row shown as 0 would tell that someone is there.
            .filter(|l: &LongRow| {
                !(l.value.value == Some(0.0) && matches!(l.unit.as_str(), "count" | "sum"))
            })
            .collect()
    }

    /// The share of each target achieved, when the pack has targets.
    fn targets_chart(&self, logframe: &[LogframeRow]) -> anyhow::Result<Option<Chart>> {
        if logframe.is_empty() {
            return Ok(None);
        }
        let w = self.w;
        let bars: Vec<Bar> = logframe
            .iter()
            .map(|l| {
                let period = if l.target_period == "project" {
                    w.say("period-project-life", &[])?
                } else {
                    w.period(&l.target_period)?
                };
                Ok(Bar {
                    label: w.chart_text(&format!("{} · {} · {period}", l.project_code, l.title)),
                    value: l.achieved.value,
                    text: l.achieved.text.clone(),
                    muted: false,
                })
            })
            .collect::<anyhow::Result<_>>()?;
        let words = &self.run.layout.targets;
        let w = self.w;
        let title = w.text(&words.title, &[])?;
        Ok(Some(Chart {
            svg: self.w.chart_svg(charts::bars(
                &w.chart_text(&title),
                &w.chart_text(&w.text(&words.x_axis, &[])?),
                &bars,
                Some((1.0, &w.chart_text(&w.text(&words.line, &[])?))),
                true,
            )?),
            title,
        }))
    }
}

/// Fills in the pack's wording from its templates: the methodology note
/// (`donor/methodology.txt`, one item per line) and the tables' footnote
/// (`donor/footnote.txt`).
pub fn word(pack: &mut Pack, env: &minijinja::Environment<'_>, lang: &str) -> anyhow::Result<()> {
    let ctx = minijinja::context! { pack => &*pack, lang => lang };
    let methodology = env.get_template("donor/methodology.txt")?.render(&ctx)?;
    let footnote = env.get_template("donor/footnote.txt")?.render(&ctx)?;
    pack.methodology = methodology
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    pack.footnote = footnote.trim().to_string();
    Ok(())
}
