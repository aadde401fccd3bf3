//! The pack's IATI file (`iati-activities.xml`, IATI activity standard
//! 2.03): one `iati-activity` per project of the pack, with its results.
//!
//! Built from the [`Pack`] alone, so its numbers are the pack's published
//! values, decided by the disclosure stage: a hidden cell has no value and
//! its `actual` is left out (IATI is public, and `@value` is a number).
//! This module picks the codes; the markup is the template
//! `donor/iati-activities.xml`. Codes come from the IATI codelists
//! (docs/exports.md lists each mapping).

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::{LogframeRow, Pack};
use crate::codes::Codes;
use crate::config::IatiConfig;
use crate::indicators::Indicator;
use crate::report::data::Project;
use crate::report::period::Period;

/// The breakdowns written as result `dimension`s.
const DIMENSIONS: [&str; 2] = ["sex", "age_group"];

/// Everything the template writes.
#[derive(Debug, Serialize)]
pub struct IatiFile {
    /// `generated-datetime`: the as-of date at midnight UTC, so that
    /// rendering the same run again gives the same bytes.
    pub generated: String,
    pub activities: Vec<Activity>,
}

/// An organisation as IATI names it.
#[derive(Debug, Serialize)]
pub struct Org {
    /// Its IATI organisation identifier, when known.
    pub r#ref: Option<String>,
    /// Its OrganisationType code, when known.
    pub r#type: Option<String>,
    pub name: String,
}

/// One `iati-activity`: a project of the pack.
#[derive(Debug, Serialize)]
pub struct Activity {
    pub identifier: String,
    pub reporting_org: Org,
    pub title: String,
    pub description: String,
    /// `participating-org` role 1 (Funding).
    pub funder: Option<Org>,
    /// ActivityStatus code.
    pub status: String,
    /// (ActivityDateType code, ISO date).
    pub dates: Vec<(String, String)>,
    /// (alpha-2 code, percentage).
    pub countries: Vec<(String, String)>,
    /// DAC 5-digit purpose code (SectorVocabulary 1).
    pub sector: String,
    pub budget: Option<Budget>,
    pub results: Vec<IatiResult>,
}

/// The project's budget over its life, in US dollars.
#[derive(Debug, Serialize)]
pub struct Budget {
    pub start: String,
    pub end: String,
    pub value: String,
}

/// One `result`, with its one indicator.
#[derive(Debug, Serialize)]
pub struct IatiResult {
    /// ResultType code.
    pub r#type: String,
    pub title: String,
    pub description: String,
    /// IndicatorMeasure code: 1 (unit) or 2 (percentage).
    pub measure: String,
    pub ascending: bool,
    /// SDG goals, as `reference` codes of IndicatorVocabulary 9.
    pub sdg_goals: Vec<u32>,
    pub baseline: Option<Baseline>,
    pub periods: Vec<IatiPeriod>,
}

/// An indicator's baseline.
#[derive(Debug, Serialize)]
pub struct Baseline {
    pub year: i32,
    pub iso_date: Option<String>,
    pub value: String,
}

/// One reporting period of an indicator, with its targets and actuals.
#[derive(Debug, Serialize)]
pub struct IatiPeriod {
    pub start: String,
    pub end: String,
    pub targets: Vec<Observation>,
    pub actuals: Vec<Observation>,
}

/// A `target` or `actual`: a value, for a disaggregation or the total.
#[derive(Debug, Clone, Serialize)]
pub struct Observation {
    pub value: String,
    /// (name, value) of each `dimension`.
    pub dimensions: Vec<(String, String)>,
}

/// The IATI file of one pack.
pub fn build(
    pack: &Pack,
    catalogue: &[Indicator],
    config: &IatiConfig,
    codes: &Codes,
    as_of: NaiveDate,
) -> IatiFile {
    IatiFile {
        generated: format!("{}T00:00:00Z", as_of.format("%Y-%m-%d")),
        activities: pack
            .projects
            .iter()
            .map(|p| activity(pack, p, catalogue, config, codes, as_of))
            .collect(),
    }
}

fn activity(
    pack: &Pack,
    p: &Project,
    catalogue: &[Indicator],
    config: &IatiConfig,
    codes: &Codes,
    as_of: NaiveDate,
) -> Activity {
    let start = p.start_date.as_deref().and_then(parse_date);
    let end = p.end_date.as_deref().and_then(parse_date);
    let status = p.status.as_deref().unwrap_or("").to_ascii_lowercase();
    let mut dates = Vec::new();
    if let Some(s) = start {
        // 2 actual start, 1 planned start.
        dates.push((if s <= as_of { "2" } else { "1" }.into(), iso(s)));
    }
    if let Some(e) = end {
        // 4 actual end once completed, 3 planned end before.
        let done = status == "completed" && e <= as_of;
        dates.push((if done { "4" } else { "3" }.into(), iso(e)));
    }
    let mut alpha2: Vec<String> = p
        .benefiting_countries
        .as_deref()
        .unwrap_or("")
        .split([';', ','])
        .filter_map(|c| codes.alpha2(c).map(str::to_string))
        .collect();
    alpha2.dedup();
    let donor = p.donor.clone().unwrap_or_else(|| pack.donor.clone());
    let results = catalogue
        .iter()
        .filter_map(|ind| result(pack, ind, &p.project_code, start, end))
        .collect();
    Activity {
        identifier: config
            .identifiers
            .get(&p.project_code)
            .cloned()
            .unwrap_or_else(|| {
                let local = p.prima_id.clone().unwrap_or_else(|| p.project_code.clone());
                format!("{}-{local}", config.reporting_org_ref)
            }),
        reporting_org: Org {
            r#ref: Some(config.reporting_org_ref.clone()),
            r#type: Some(config.reporting_org_type.clone()),
            name: config.reporting_org_name.clone(),
        },
        title: p.title.clone().unwrap_or_else(|| p.project_code.clone()),
        description: description(p),
        funder: (!donor.is_empty()).then(|| Org {
            r#ref: config.donors.get(&donor).cloned(),
            r#type: None,
            name: donor,
        }),
        status: match status.as_str() {
            "pipeline" => "1",
            "completed" => "4",
            _ => "2",
        }
        .into(),
        dates,
        countries: shares(&alpha2),
        sector: config.sector.clone(),
        budget: match (start, end, p.budget_usd) {
            (Some(s), Some(e), Some(v)) if s <= e => Some(Budget {
                start: iso(s),
                end: iso(e),
                value: number(v),
            }),
            _ => None,
        },
        results,
    }
}

fn description(p: &Project) -> String {
    let mut parts = vec![format!("Project {}", p.project_code)];
    if let Some(t) = p.project_type.as_deref().filter(|t| !t.is_empty()) {
        parts.push(t.to_string());
    }
    if let Some(c) = p.coverage.as_deref().filter(|c| !c.is_empty()) {
        parts.push(format!("{c} coverage"));
    }
    if let Some(r) = p.idf_region.as_deref().filter(|r| !r.is_empty()) {
        parts.push(r.to_string());
    }
    parts.join(", ") + "."
}

/// Equal shares of 100 with two decimals, the last taking the rounding, so
/// that they add up to 100 as IATI's rules ask.
fn shares(countries: &[String]) -> Vec<(String, String)> {
    let n = countries.len();
    let each = if n == 0 {
        0.0
    } else {
        (10_000.0 / n as f64).floor() / 100.0
    };
    countries
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let share = if i + 1 == n {
                100.0 - each * (n - 1) as f64
            } else {
                each
            };
            (c.clone(), number(share))
        })
        .collect()
}

/// One indicator's result for a project, when the pack holds a published
/// value or a target of it.
/// `start` and `end` are the project's dates.
fn result(
    pack: &Pack,
    ind: &Indicator,
    project: &str,
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
) -> Option<IatiResult> {
    let percent = ind.unit == "rate";
    let scale = |v: f64| number(if percent { v * 100.0 } else { v });
    let targets: Vec<&LogframeRow> = pack
        .logframe
        .iter()
        .filter(|l| l.project_code == project && l.indicator_id == ind.id)
        .collect();
    let dims = |breakdown: &str, value: &str| {
        if breakdown == "total" {
            vec![]
        } else {
            vec![(breakdown.to_string(), value.to_string())]
        }
    };
    let period = &pack.period;
    let mut own = IatiPeriod {
        start: iso(period.start.unwrap_or(period.end)),
        end: iso(period.end),
        targets: Vec::new(),
        actuals: pack
            .long
            .iter()
            .filter(|r| {
                r.project_code == project
                    && r.indicator_id == ind.id
                    && r.period == period.period
                    && (r.breakdown == "total" || DIMENSIONS.contains(&r.breakdown.as_str()))
            })
            .filter_map(|r| {
                Some(Observation {
                    value: scale(r.value.value?),
                    dimensions: dims(&r.breakdown, &r.breakdown_value),
                })
            })
            .collect(),
    };
    let mut others: Vec<IatiPeriod> = Vec::new();
    for t in &targets {
        let Some(target) = t.target else { continue };
        let observed = Observation {
            value: scale(target),
            dimensions: dims(&t.breakdown, &t.breakdown_value),
        };
        if t.target_period == period.period {
            own.targets.push(observed);
            continue;
        }
        // A target of another span (the project's life, a year): a period
        // of its own, with the published actual to date for the project's
        // life.
        let (s, e, actual) = if t.target_period == "project" {
            let (Some(s), Some(e)) = (start, end) else {
                continue;
            };
            let actual = t.actual_to_date.value.map(|v| Observation {
                value: scale(v),
                dimensions: dims(&t.breakdown, &t.breakdown_value),
            });
            (s, e, actual)
        } else {
            let Some(per) = Period::parse(&t.target_period) else {
                continue;
            };
            let Some(s) = per.start else { continue };
            (s, per.end, None)
        };
        let (s, e) = (iso(s), iso(e));
        match others.iter_mut().find(|o| o.start == s && o.end == e) {
            Some(o) => {
                o.targets.push(observed);
                o.actuals.extend(actual);
            }
            None => others.push(IatiPeriod {
                start: s,
                end: e,
                targets: vec![observed],
                actuals: actual.into_iter().collect(),
            }),
        }
    }
    if own.targets.is_empty() && own.actuals.is_empty() && others.is_empty() {
        return None;
    }
    let baseline = targets
        .iter()
        .find(|t| t.breakdown == "total" && t.baseline.is_some())
        .and_then(|t| {
            let year = start.map_or(period.end.year(), |s| s.year());
            Some(Baseline {
                year,
                iso_date: start.map(iso),
                value: scale(t.baseline?),
            })
        });
    // The total first, then each disaggregation.
    own.actuals.sort_by_key(|o| !o.dimensions.is_empty());
    let mut periods: Vec<IatiPeriod> = others;
    if !own.targets.is_empty() || !own.actuals.is_empty() {
        periods.push(own);
    }
    periods.sort_by(|a, b| (&a.start, &a.end).cmp(&(&b.start, &b.end)));
    Some(IatiResult {
        r#type: match ind.result.as_str() {
            "outcome" => "2",
            "impact" => "3",
            _ => "1",
        }
        .into(),
        title: ind.title.clone(),
        description: ind.definition.clone(),
        measure: if percent { "2" } else { "1" }.into(),
        ascending: ind.higher_is_better,
        sdg_goals: ind.sdg_goals.clone(),
        baseline,
        periods,
    })
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

/// A number as IATI's `@value` takes it: plain decimal, at most six
/// places, no exponent (`37.800000000000004` is `37.8`).
pub fn number(v: f64) -> String {
    let r = (v * 1e6).round() / 1e6;
    let s = format!("{r:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_plain_decimals() {
        assert_eq!(number(37.800000000000004), "37.8");
        assert_eq!(number(15.0), "15");
        assert_eq!(number(56.41025641), "56.410256");
        assert_eq!(number(4_000_000.0), "4000000");
        assert_eq!(number(-0.0), "0");
    }

    #[test]
    fn country_shares_add_up_to_100() {
        let three: Vec<String> = ["GN", "ML", "SN"].map(String::from).into();
        let s = shares(&three);
        assert_eq!(
            s.iter().map(|(_, p)| p.as_str()).collect::<Vec<_>>(),
            ["33.33", "33.33", "33.34"]
        );
        assert_eq!(shares(&three[..1])[0].1, "100");
    }
}
