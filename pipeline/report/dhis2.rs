//! DHIS2 data value sets (`<out>/<as-of>/dhis2/<period>/dataValueSet.json`
//! and `.csv`): each indicator × breakdown value of the mapping, for each
//! mapped project, as a DHIS2 data value, from the disclosure stage's
//! published values (unless `[disclosure] covers` leaves DHIS2 out).
//!
//! The mapping is the project's own (docs/exports.md): `data_elements.csv`
//! (indicator, breakdown, value → dataElement, categoryOptionCombo and an
//! optional attributeOptionCombo) and `org_units.csv` (project → orgUnit).
//! What has no mapping is counted in `run.json`, never silently dropped.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::data::ReportData;
use super::period::Period;
use crate::disclosure::Published;
use crate::indicators::PeriodType;

/// One row of `data_elements.csv`.
#[derive(Debug, Clone, Deserialize)]
struct ElementRow {
    indicator_id: String,
    #[serde(default)]
    breakdown: String,
    #[serde(default)]
    breakdown_value: String,
    data_element: String,
    #[serde(default)]
    category_option_combo: String,
    #[serde(default)]
    attribute_option_combo: String,
}

/// One row of `org_units.csv`.
#[derive(Debug, Clone, Deserialize)]
struct OrgUnitRow {
    project_code: String,
    org_unit: String,
}

/// The project's DHIS2 mapping, read and checked.
#[derive(Debug, Clone, Default)]
pub struct Mapping {
    /// (indicator, breakdown, breakdown value) → the row.
    elements: BTreeMap<(String, String, String), ElementRow>,
    /// Project code → orgUnit.
    org_units: BTreeMap<String, String>,
}

fn read_csv<T: serde::de::DeserializeOwned>(path: &Path) -> anyhow::Result<Vec<T>> {
    let mut r = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    let mut out = Vec::new();
    for (i, row) in r.deserialize().enumerate() {
        // Line 1 is the header.
        out.push(row.map_err(|e| anyhow::anyhow!("{}:{}: {e}", path.display(), i + 2))?);
    }
    Ok(out)
}

impl Mapping {
    /// Reads `data_elements.csv` and `org_units.csv` of `dir`; a duplicate
    /// key or an empty identifier is an error naming its file and line.
    pub fn load(dir: &Path) -> anyhow::Result<Mapping> {
        let mut m = Mapping::default();
        let path = dir.join("data_elements.csv");
        for (i, mut row) in read_csv::<ElementRow>(&path)?.into_iter().enumerate() {
            let line = i + 2;
            if row.breakdown.is_empty() {
                row.breakdown = "total".into();
            }
            if row.breakdown_value.is_empty() {
                row.breakdown_value = "total".into();
            }
            anyhow::ensure!(
                !row.indicator_id.is_empty() && !row.data_element.is_empty(),
                "{}:{line}: indicator_id and data_element are required",
                path.display()
            );
            let key = (
                row.indicator_id.clone(),
                row.breakdown.clone(),
                row.breakdown_value.clone(),
            );
            anyhow::ensure!(
                !m.elements.contains_key(&key),
                "{}:{line}: {} {}={} is mapped twice",
                path.display(),
                key.0,
                key.1,
                key.2
            );
            m.elements.insert(key, row);
        }
        let path = dir.join("org_units.csv");
        for (i, row) in read_csv::<OrgUnitRow>(&path)?.into_iter().enumerate() {
            let line = i + 2;
            anyhow::ensure!(
                !row.project_code.is_empty() && !row.org_unit.is_empty(),
                "{}:{line}: project_code and org_unit are required",
                path.display()
            );
            anyhow::ensure!(
                m.org_units
                    .insert(row.project_code.clone(), row.org_unit)
                    .is_none(),
                "{}:{line}: project {} is mapped twice",
                path.display(),
                row.project_code
            );
        }
        Ok(m)
    }
}

/// One DHIS2 data value, as `/api/dataValueSets` takes it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "camelCase")]
pub struct DataValue {
    pub data_element: String,
    pub period: String,
    pub org_unit: String,
    pub category_option_combo: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub attribute_option_combo: String,
    pub value: String,
}

/// What the export did, for `run.json`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Dhis2Summary {
    /// DHIS2 period codes written.
    pub periods: Vec<String>,
    /// Data values written, over every period.
    pub values: usize,
    /// True when the values are the disclosure stage's published ones.
    pub disclosure_control: bool,
    /// Mapped cells left out because disclosure control withholds them.
    pub withheld: usize,
    /// Indicators with values in these periods and no row in the mapping.
    pub unmapped_indicators: Vec<String>,
    /// `indicator breakdown=value` of mapped indicators with values and no
    /// row for that breakdown value.
    pub unmapped_breakdowns: Vec<String>,
    /// Projects with values and no orgUnit.
    pub unmapped_projects: Vec<String>,
}

/// The DHIS2 code of a period: `2026Q2`, `202604`, `2026`.
pub fn period_code(p: &Period) -> Option<String> {
    match p.period_type {
        PeriodType::Month | PeriodType::Year => Some(p.period.replace('-', "")),
        PeriodType::Quarter => Some(p.period.replace("-Q", "Q")),
        PeriodType::ToDate => None,
    }
}

/// The periods to export: `[dhis2] periods`, or the last complete quarter
/// and year before the as-of date.
pub fn periods(
    config: &crate::config::Dhis2Settings,
    as_of: chrono::NaiveDate,
) -> anyhow::Result<Vec<Period>> {
    if config.periods.is_empty() {
        return Ok([PeriodType::Quarter, PeriodType::Year]
            .into_iter()
            .filter_map(|t| Period::last_complete(t, as_of))
            .collect());
    }
    config
        .periods
        .iter()
        .map(|p| {
            Period::parse(p)
                .ok_or_else(|| anyhow::anyhow!("dhis2.periods {p:?}: use 2026-Q2, 2026 or 2026-05"))
        })
        .collect()
}

/// The data values of one period; counts what is withheld or unmapped.
pub fn values(
    data: &ReportData,
    published: &[Published],
    mapping: &Mapping,
    period: &Period,
    summary: &mut Dhis2Summary,
) -> Vec<DataValue> {
    let Some(code) = period_code(period) else {
        return Vec::new();
    };
    let mapped_indicators: BTreeSet<&str> = mapping.elements.keys().map(|k| k.0.as_str()).collect();
    let (mut unmapped_ind, mut unmapped_bd, mut unmapped_proj) =
        (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    let mut out = Vec::new();
    for (i, r) in data.values.iter().enumerate() {
        if *r.period != *period.period {
            continue;
        }
        if !mapped_indicators.contains(&*r.indicator_id) {
            unmapped_ind.insert(r.indicator_id.to_string());
            continue;
        }
        let key = (
            r.indicator_id.to_string(),
            r.breakdown.to_string(),
            r.breakdown_value.to_string(),
        );
        let Some(element) = mapping.elements.get(&key) else {
            unmapped_bd.insert(format!("{} {}={}", key.0, key.1, key.2));
            continue;
        };
        let Some(org_unit) = mapping.org_units.get(&*r.project_code) else {
            // ALL is a mapping choice (a national orgUnit), not a gap.
            if &*r.project_code != "ALL" {
                unmapped_proj.insert(r.project_code.to_string());
            }
            continue;
        };
        let p = published[i];
        if p.is_hidden() {
            summary.withheld += 1;
            continue;
        }
        let Some(v) = p.value else { continue };
        let unit = data.indicator(&r.indicator_id).map_or("count", |i| &i.unit);
        // A published 0 of a count or sum is left out, as in pack.csv: a
        // missing value is 0 to DHIS2 too.
        if v == 0.0 && matches!(unit, "count" | "sum") {
            continue;
        }
        let v = if unit == "rate" { v * 100.0 } else { v };
        out.push(DataValue {
            data_element: element.data_element.clone(),
            period: code.clone(),
            org_unit: org_unit.clone(),
            category_option_combo: element.category_option_combo.clone(),
            attribute_option_combo: element.attribute_option_combo.clone(),
            value: super::donor::iati::number(v),
        });
    }
    out.sort();
    summary.values += out.len();
    let merge = |into: &mut Vec<String>, more: BTreeSet<String>| {
        let mut all: BTreeSet<String> = into.drain(..).collect();
        all.extend(more);
        *into = all.into_iter().collect();
    };
    merge(&mut summary.unmapped_indicators, unmapped_ind);
    merge(&mut summary.unmapped_breakdowns, unmapped_bd);
    merge(&mut summary.unmapped_projects, unmapped_proj);
    summary.periods.push(code);
    out
}

/// Writes `dataValueSet.json` and `dataValueSet.csv` (DHIS2's CSV import
/// form: the columns by position, a header row) under `dir`.
pub fn write(dir: &Path, values: &[DataValue]) -> anyhow::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let json = serde_json::to_vec_pretty(&serde_json::json!({ "dataValues": values }))?;
    let json_path = dir.join("dataValueSet.json");
    super::write_atomic(&json_path, &json)?;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "dataelement",
        "period",
        "orgunit",
        "catoptcombo",
        "attroptcombo",
        "value",
        "storedby",
        "lastupdated",
        "comment",
        "followup",
    ])?;
    for v in values {
        w.write_record([
            v.data_element.as_str(),
            &v.period,
            &v.org_unit,
            &v.category_option_combo,
            &v.attribute_option_combo,
            &v.value,
            "",
            "",
            "",
            "",
        ])?;
    }
    let csv_path = dir.join("dataValueSet.csv");
    super::write_atomic(&csv_path, &w.into_inner()?)?;
    Ok(vec![json_path, csv_path])
}

/// The base URL of the DHIS2 instance `homeward push dhis2` posts to.
pub const URL_VAR: &str = "HOMEWARD_DHIS2_URL";
/// A personal access token (sent as `Authorization: ApiToken …`).
pub const TOKEN_VAR: &str = "HOMEWARD_DHIS2_TOKEN";
/// Basic authentication, when no token is set.
pub const USER_VAR: &str = "HOMEWARD_DHIS2_USER";
pub const PASSWORD_VAR: &str = "HOMEWARD_DHIS2_PASSWORD";

/// What DHIS2 answered to one data value set.
#[derive(Debug, Clone, Serialize)]
pub struct PushOutcome {
    pub period: String,
    pub values: usize,
    /// The import summary's status (`SUCCESS`, `WARNING`, `ERROR`).
    pub status: String,
    pub imported: u64,
    pub updated: u64,
    pub ignored: u64,
    pub deleted: u64,
}

/// POSTs each period's `dataValueSet.json` under `as_of_dir/dhis2/` (or
/// only `period`'s, a DHIS2 code) to `<HOMEWARD_DHIS2_URL>/api/dataValueSets`
/// and reads the import summaries. An HTTP error or an `ERROR` status is an
/// error; the credentials come from the environment only.
pub async fn push(as_of_dir: &Path, period: Option<&str>) -> anyhow::Result<Vec<PushOutcome>> {
    let base = std::env::var(URL_VAR)
        .map_err(|_| anyhow::anyhow!("{URL_VAR} is not set (the DHIS2 instance's base URL)"))?;
    let url = format!("{}/api/dataValueSets", base.trim_end_matches('/'));
    let dir = as_of_dir.join("dhis2");
    let mut periods: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| {
            anyhow::anyhow!(
                "{}: {e} (run `homeward report` with [dhis2] first)",
                dir.display()
            )
        })?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("dataValueSet.json").is_file())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|p| period.is_none_or(|want| want == p))
        .collect();
    periods.sort();
    anyhow::ensure!(
        !periods.is_empty(),
        "no data value set under {}{}",
        dir.display(),
        period
            .map(|p| format!(" for period {p}"))
            .unwrap_or_default()
    );
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(120))
        .build()?;
    let mut out = Vec::new();
    for p in periods {
        let path = dir.join(&p).join("dataValueSet.json");
        let body = std::fs::read(&path)?;
        let values = serde_json::from_slice::<serde_json::Value>(&body)?["dataValues"]
            .as_array()
            .map_or(0, Vec::len);
        let mut request = client
            .post(&url)
            .header("content-type", "application/json")
            .body(body);
        request = match (std::env::var(TOKEN_VAR), std::env::var(USER_VAR)) {
            (Ok(token), _) => request.header("authorization", format!("ApiToken {token}")),
            (_, Ok(user)) => request.basic_auth(user, std::env::var(PASSWORD_VAR).ok()),
            _ => request,
        };
        let response = request
            .send()
            .await
            .map_err(|e| anyhow::anyhow!("POST {url} ({p}): {e}"))?;
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        anyhow::ensure!(
            status.is_success(),
            "POST {url} ({p}): HTTP {status}: {}",
            text.chars().take(500).collect::<String>()
        );
        let summary: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
            anyhow::anyhow!("POST {url} ({p}): the answer is not an import summary: {e}")
        })?;
        // DHIS2 2.38 and later wrap the import summary in `response`.
        let s = summary.get("response").unwrap_or(&summary);
        let count = |k: &str| s["importCount"][k].as_u64().unwrap_or(0);
        let outcome = PushOutcome {
            period: p.clone(),
            values,
            status: s["status"].as_str().unwrap_or("unknown").to_string(),
            imported: count("imported"),
            updated: count("updated"),
            ignored: count("ignored"),
            deleted: count("deleted"),
        };
        anyhow::ensure!(
            outcome.status != "ERROR",
            "DHIS2 refused the data value set of {p}: {}",
            s["description"].as_str().unwrap_or(&text)
        );
        out.push(outcome);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn period_codes_are_dhis2s() {
        let code = |s| period_code(&Period::parse(s).unwrap()).unwrap();
        assert_eq!(code("2026-Q2"), "2026Q2");
        assert_eq!(code("2026-04"), "202604");
        assert_eq!(code("2026"), "2026");
    }

    #[test]
    fn a_mapping_key_twice_is_an_error_naming_the_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("data_elements.csv"),
            "indicator_id,breakdown,breakdown_value,data_element,category_option_combo\n\
             returnees_assisted,total,total,deA,cocA\n\
             returnees_assisted,,,deB,cocB\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("org_units.csv"), "project_code,org_unit\n").unwrap();
        let e = Mapping::load(dir.path()).unwrap_err().to_string();
        assert!(
            e.ends_with("data_elements.csv:3: returnees_assisted total=total is mapped twice"),
            "{e}"
        );
    }
}
