//! `homeward generate`: synthetic, realistic export drops, deterministic for
//! a seed.
//!
//! Every case has its own random stream (seed, case index), so a later drop
//! can regenerate an earlier case and emit a new version of it without
//! holding all cases in memory. Without `clean`, the drops use every reading
//! rule and accepted spelling of the contract and inject a known number of
//! rows for every reason code; [`Expected`] records what a pull must find.

mod write;

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::Context;
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

// Synthetic drops use the shipped code lists: the generator has no project.
use crate::codes::SHIPPED_CODES as CODES;
use write::{Style, TableWriter, V};

/// What to generate.
#[derive(Debug, Clone)]
pub struct GenerateOptions {
    pub cases: usize,
    pub seed: u64,
    pub drops: usize,
    pub as_of: NaiveDate,
    pub out: PathBuf,
    /// Plain, valid CSV only (for benchmarks).
    pub clean: bool,
    /// Days between drops: 7 (weekly) or 1 (nightly). New versions of
    /// earlier cases per drop scale with it (a twentieth of the cases a week).
    pub every_days: u32,
    /// Every drop re-sends the reference data (projects, targets) as a full
    /// snapshot, as a nightly export does; otherwise only the first has it.
    pub reference_each_drop: bool,
}

/// What a pull of the generated drops must report for one file.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, PartialEq)]
pub struct ExpectedFile {
    /// `pulled` or `rejected`.
    pub status: String,
    pub rows_read: u64,
    pub rows_loaded: u64,
    pub rows_quarantined: u64,
    pub reasons: BTreeMap<String, u64>,
}

/// The generator's own account of what it wrote.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct Expected {
    /// By path relative to the output folder.
    pub files: BTreeMap<String, ExpectedFile>,
    /// Rows per reason code over all files.
    pub reasons: BTreeMap<String, u64>,
    /// Paths that a pull must report as ignored.
    pub ignored: Vec<String>,
}

const ORIGINS: &[&str] = &[
    "GIN", "NGA", "SEN", "MLI", "GMB", "CIV", "AFG", "IRQ", "ETH", "SOM", "BGD", "PAK",
];
const HOSTS: &[&str] = &[
    "LBY", "NER", "MAR", "TUR", "DEU", "ITA", "GRC", "YEM", "DZA", "TUN",
];
const FIRST: &[&str] = &[
    "Aïcha",
    "Mamadou",
    "Fatoumata",
    "José",
    "Ibrahima",
    "Mariam",
    "Oumar",
    "Hélène",
    "Ahmad",
    "Leïla",
    "Kofi",
    "Amina",
    "Sékou",
    "Zainab",
    "Françoise",
    "Yusuf",
];
const LAST: &[&str] = &[
    "Diallo", "Traoré", "Camara", "Koné", "Ndiaye", "Okafor", "Haidari", "Bâ", "Sow", "Mensah",
    "Rahimi", "Touré",
];
const DONORS: &[&str] = &[
    "European Union",
    "United Kingdom FCDO",
    "Germany BMZ",
    "Italy MAECI",
];
const PROVIDERS: &[&str] = &[
    "Programme team",
    "Red Crescent",
    "Local NGO partner",
    "Ministry of Labour",
    "Health centre",
];

fn rng_for(seed: u64, stream: u64, index: u64) -> ChaCha8Rng {
    let mut r = ChaCha8Rng::seed_from_u64(seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    r.set_stream(index);
    r
}

fn pick<'a, T>(r: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[r.random_range(0..items.len())]
}

fn day_between(r: &mut ChaCha8Rng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let span = (to - from).num_days().max(0);
    from + Duration::days(r.random_range(0..=span))
}

fn at(r: &mut ChaCha8Rng, day: NaiveDate) -> NaiveDateTime {
    // One in five at midnight, so a bare ISO date is a faithful spelling.
    if r.random_bool(0.2) {
        day.and_time(NaiveTime::MIN)
    } else {
        day.and_hms_opt(
            r.random_range(6..20),
            r.random_range(0..60),
            r.random_range(0..60),
        )
        .expect("valid time")
    }
}

/// The plan of drops: ids and dates.
struct Plan {
    opts: GenerateOptions,
    drop_ids: Vec<String>,
    drop_dates: Vec<NaiveDate>,
    projects: Vec<String>,
    start: NaiveDate,
}

impl Plan {
    fn new(opts: &GenerateOptions) -> Plan {
        let drops = opts.drops.max(1);
        let step = opts.every_days.max(1) as usize;
        let mut drop_ids = Vec::new();
        let mut drop_dates = Vec::new();
        for k in 0..drops {
            let d = opts.as_of - Duration::days((step * (drops - 1 - k)) as i64);
            let suffix = match (opts.clean, k) {
                (false, 1) => "T0200",
                (false, 2) => "-rerun",
                _ => "",
            };
            drop_ids.push(format!("{}{suffix}", d.format("%Y-%m-%d")));
            drop_dates.push(d);
        }
        let n_projects = (opts.cases / 40).clamp(3, 12);
        let projects = (0..n_projects)
            .map(|i| format!("RT.{}", 1001 + i * 7))
            .collect();
        Plan {
            opts: opts.clone(),
            drop_ids,
            drop_dates,
            projects,
            start: opts.as_of - Duration::days(3 * 365),
        }
    }

    fn drop_of_case(&self, i: usize) -> usize {
        i * self.drop_ids.len() / self.opts.cases.max(1)
    }
}

/// One case and everything that hangs off it, as first exported.
struct CaseData {
    case: Vec<(&'static str, V)>,
    assistance: Vec<Vec<(&'static str, V)>>,
    business: Option<Vec<(&'static str, V)>>,
    surveys: Vec<Vec<(&'static str, V)>>,
}

fn case_id(i: usize) -> String {
    format!("C{:07}", i + 1)
}

const SEX_SPELLINGS: &[(&str, &[&str])] = &[
    (
        "F",
        &[
            "F", "f", "female", "woman", "femme", "féminin", "feminin", "Female",
        ],
    ),
    ("M", &["M", "m", "male", "man", "homme", "masculin", "Male"]),
    ("X", &["X", "x", "other", "non-binary", "undisclosed"]),
    ("U", &["U", "u", "unknown"]),
];

fn spelled(r: &mut ChaCha8Rng, clean: bool, canonical: &str, variants: &[&str]) -> String {
    if clean || variants.is_empty() {
        canonical.to_string()
    } else {
        pick(r, variants).to_string()
    }
}

fn country(r: &mut ChaCha8Rng, clean: bool, iso3: &str) -> String {
    if clean {
        return iso3.to_string();
    }
    let iso2 = CODES
        .countries
        .iter()
        .find(|(k, v)| k.len() == 2 && v.as_str() == iso3)
        .map(|(k, _)| k.clone())
        .unwrap_or_else(|| iso3.to_string());
    match r.random_range(0..4) {
        0 => iso3.to_string(),
        1 => iso2,
        2 => iso3.to_lowercase(),
        _ => iso2.to_lowercase(),
    }
}

fn make_case(plan: &Plan, i: usize) -> CaseData {
    let clean = plan.opts.clean;
    let r = &mut rng_for(plan.opts.seed, 1, i as u64);
    let k = plan.drop_of_case(i);
    let drop_date = plan.drop_dates[k];
    let id = case_id(i);
    let project = pick(r, &plan.projects).clone();
    let returnee = r.random_bool(0.85);
    let return_date = returnee.then(|| day_between(r, plan.start, drop_date - Duration::days(10)));
    let anchor =
        return_date.unwrap_or_else(|| day_between(r, plan.start, drop_date - Duration::days(10)));
    let age = match r.random_range(0..10) {
        0 | 1 => r.random_range(0..18),
        2..=4 => r.random_range(18..25),
        5..=7 => r.random_range(25..35),
        8 => r.random_range(35..50),
        _ => r.random_range(50..75),
    };
    let dob =
        (!r.random_bool(0.05)).then(|| anchor - Duration::days(age * 365 + r.random_range(0..365)));
    let sex_roll = r.random_range(0..100);
    let (sex, spellings) = SEX_SPELLINGS[match sex_roll {
        0..=47 => 0,
        48..=95 => 1,
        96..=97 => 2,
        _ => 3,
    }];
    let sex = if !clean && sex == "U" && r.random_bool(0.5) {
        V::Null
    } else {
        V::Text(spelled(r, clean, sex, spellings))
    };
    let origin = *pick(r, ORIGINS);
    let host = *pick(r, HOSTS);
    let programme = match r.random_range(0..20) {
        0..=15 => {
            if !clean && r.random_bool(0.3) {
                V::Null
            } else {
                V::Text(spelled(r, clean, "AVRR", &["AVRR", "avrr"]))
            }
        }
        16..=18 => V::Text(spelled(r, clean, "VHR", &["VHR", "vhr"])),
        _ => V::Text("other".into()),
    };
    let mut vulns: Vec<&str> = Vec::new();
    if r.random_bool(0.25) {
        for _ in 0..r.random_range(1..=2) {
            let v = pick(r, &CODES.vulnerabilities).as_str();
            if !vulns.contains(&v) {
                vulns.push(v);
            }
        }
    }
    let vulns_text = if vulns.is_empty() {
        V::Null
    } else if clean {
        V::Text(vulns.join(";"))
    } else {
        match r.random_range(0..3) {
            0 => V::Text(vulns.join(";")),
            1 => V::Text(
                vulns
                    .iter()
                    .map(|v| v.to_lowercase())
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            _ => V::Text(format!(" {} ;", vulns.join(" ; "))),
        }
    };
    // Assistance, from the return (or first contact) onwards.
    let mut assistance = Vec::new();
    let n_assist = r.random_range(1..=7);
    let mut first_delivered: Option<NaiveDate> = None;
    let mut has_business = false;
    let mut reint_started = false;
    for j in 0..n_assist {
        let t = if j == 0 && returnee {
            &CODES.assistance_types[0]
        } else {
            pick(r, &CODES.assistance_types)
        };
        if t.code == "business_setup" {
            has_business = true;
        }
        let day = if j == 0 {
            anchor
        } else {
            day_between(r, anchor, drop_date)
        };
        let status = match r.random_range(0..100) {
            0..=79 => "delivered",
            80..=91 => "planned",
            _ => "cancelled",
        };
        let delivered_on = (status == "delivered").then_some(day);
        if let Some(d) = delivered_on {
            first_delivered = Some(first_delivered.map_or(d, |f: NaiveDate| f.min(d)));
            if ["economic", "social", "psychosocial"].contains(&t.dimension.as_str()) {
                reint_started = true;
            }
        }
        let amount = match t.dimension.as_str() {
            "reception" => V::Num(
                (r.random_range(50..400) as f64) + if r.random_bool(0.5) { 0.5 } else { 0.0 },
            ),
            "economic" => V::Num(r.random_range(300..3500) as f64 + 0.25),
            _ if r.random_bool(0.5) => V::Null,
            _ => V::Num(r.random_range(20..900) as f64),
        };
        let upd = at(r, delivered_on.unwrap_or(day).min(drop_date));
        assistance.push(vec![
            ("assistance_id", V::Text(format!("A{:07}-{}", i + 1, j + 1))),
            ("case_id", V::Text(id.clone())),
            (
                "assistance_type",
                V::Text(if clean || r.random_bool(0.7) {
                    t.code.clone()
                } else {
                    t.code.replace('_', " ").to_uppercase()
                }),
            ),
            (
                "status",
                V::Text(if clean || r.random_bool(0.8) {
                    status.into()
                } else {
                    status.to_uppercase()
                }),
            ),
            ("delivered_on", delivered_on.map_or(V::Null, V::Date)),
            ("amount_usd", amount),
            (
                "channel",
                if !clean && r.random_bool(0.3) {
                    V::Null
                } else {
                    V::Text(
                        if r.random_bool(0.8) {
                            "direct"
                        } else {
                            "referral"
                        }
                        .into(),
                    )
                },
            ),
            ("provider", V::Text(pick(r, PROVIDERS).to_string())),
            ("updated_at", V::Ts(upd)),
        ]);
    }
    let days_back = (drop_date - anchor).num_days();
    let (status, completed_on) = if r.random_bool(0.03) {
        ("withdrawn", None)
    } else if !returnee {
        ("reintegration_in_progress", None)
    } else if days_back > 300 && reint_started && r.random_bool(0.6) {
        let done = day_between(r, anchor + Duration::days(180), drop_date);
        if r.random_bool(0.2) {
            ("closed", Some(done))
        } else {
            ("reintegration_completed", Some(done))
        }
    } else if reint_started {
        ("reintegration_in_progress", None)
    } else {
        ("returned", None)
    };
    let status_text = if clean {
        status.to_string()
    } else {
        match r.random_range(0..3) {
            0 => status.to_string(),
            1 => status.replace('_', " "),
            _ => status.replace('_', " ").to_uppercase(),
        }
    };
    let name = format!("{} {}", pick(r, FIRST), pick(r, LAST));
    let lag = Duration::days(r.random_range(0..5));
    let case_updated = at(r, drop_date - lag);
    let btype = if returnee {
        spelled(
            r,
            clean,
            "returnee",
            &[
                "returnee",
                "Returnee",
                "migrant",
                "returning migrant",
                "Returning Migrant",
            ],
        )
    } else {
        spelled(
            r,
            clean,
            "community_member",
            &[
                "community_member",
                "community",
                "community member",
                "Community Member",
            ],
        )
    };
    let case = vec![
        ("case_id", V::Text(id.clone())),
        ("project_code", V::Text(project.clone())),
        ("beneficiary_type", V::Text(btype)),
        ("full_name", V::Text(name)),
        ("date_of_birth", dob.map_or(V::Null, V::Date)),
        ("sex", sex),
        (
            "country_of_origin",
            if returnee || r.random_bool(0.7) {
                V::Text(country(r, clean, origin))
            } else {
                V::Null
            },
        ),
        (
            "host_country",
            if returnee {
                V::Text(country(r, clean, host))
            } else {
                V::Null
            },
        ),
        ("return_programme", programme),
        (
            "admin1",
            V::Text(format!("Region {}", r.random_range(1..=8))),
        ),
        ("return_date", return_date.map_or(V::Null, V::Date)),
        ("vulnerabilities", vulns_text),
        ("case_status", V::Text(status_text)),
        (
            "reintegration_completed_on",
            completed_on.map_or(V::Null, V::Date),
        ),
        ("updated_at", V::Ts(case_updated)),
    ];
    let business = (has_business && returnee).then(|| {
        let started = first_delivered
            .map(|d| d + Duration::days(r.random_range(10..90)))
            .filter(|d| *d <= drop_date);
        let bstatus = if started.is_none() {
            "planned"
        } else if r.random_bool(0.8) {
            "operating"
        } else {
            "closed"
        };
        let monitored = started.map(|s| day_between(r, s, drop_date));
        vec![
            ("business_id", V::Text(format!("B{:07}", i + 1))),
            ("project_code", V::Text(project.clone())),
            ("lead_case_id", V::Text(id.clone())),
            (
                "model",
                V::Text(
                    pick(r, &["individual", "individual", "collective", "community"]).to_string(),
                ),
            ),
            (
                "sector",
                if !clean && r.random_bool(0.1) {
                    V::Null
                } else {
                    V::Text(
                        pick(
                            r,
                            &[
                                "agriculture",
                                "livestock",
                                "retail",
                                "services",
                                "manufacturing",
                                "transport",
                                "other",
                            ],
                        )
                        .to_string(),
                    )
                },
            ),
            ("started_on", started.map_or(V::Null, V::Date)),
            (
                "members",
                if !clean && r.random_bool(0.2) {
                    V::Null
                } else {
                    V::Int(r.random_range(1..=6))
                },
            ),
            ("status", V::Text(bstatus.into())),
            ("last_monitored_on", monitored.map_or(V::Null, V::Date)),
            (
                "updated_at",
                V::Ts(at(r, monitored.unwrap_or(drop_date).min(drop_date))),
            ),
        ]
    });
    let mut surveys = Vec::new();
    if returnee && days_back > 90 && r.random_bool(0.5) {
        for s in 0..r.random_range(1..=2) {
            let day = day_between(r, anchor + Duration::days(90), drop_date);
            let mut row = vec![
                ("survey_id", V::Text(format!("S{:07}-{}", i + 1, s + 1))),
                ("case_id", V::Text(id.clone())),
                ("survey_date", V::Date(day)),
            ];
            let base = r.random_range(1..=5i64);
            for item in ITEM_NAMES.iter() {
                let a = if r.random_bool(0.08) {
                    V::Null
                } else {
                    V::Int((base + r.random_range(-1..=1)).clamp(1, 5))
                };
                row.push((*item, a));
            }
            row.push(("updated_at", V::Ts(at(r, day))));
            surveys.push(row);
        }
    }
    CaseData {
        case,
        assistance,
        business,
        surveys,
    }
}

/// Survey item names as `'static` column names, made once (rows hold
/// `&'static str` keys; leaking per row would grow with the data).
static ITEM_NAMES: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
    CODES
        .rss_items
        .iter()
        .map(|i| &*i.item.clone().leak())
        .collect()
});

/// A later version of case `i`, exported in drop `k`: it moves on.
fn update_case(plan: &Plan, i: usize, k: usize) -> Vec<(&'static str, V)> {
    let mut row = make_case(plan, i).case;
    let r = &mut rng_for(plan.opts.seed, 2, (i as u64) << 16 | k as u64);
    let day = plan.drop_dates[k];
    let done = day - Duration::days(r.random_range(0..5));
    set(
        &mut row,
        "case_status",
        V::Text("reintegration_completed".into()),
    );
    set(&mut row, "reintegration_completed_on", V::Date(done));
    set(&mut row, "updated_at", V::Ts(at(r, day)));
    row
}

fn set(row: &mut [(&'static str, V)], col: &str, v: V) {
    if let Some(c) = row.iter_mut().find(|(n, _)| *n == col) {
        c.1 = v;
    }
}

/// Corrupts a valid row so that it breaks exactly the rule of `reason`.
fn corrupt(entity: &str, row: &mut Vec<(&'static str, V)>, reason: &str) {
    let t = |s: &str| V::Text(s.to_string());
    let (col, v) = match (entity, reason) {
        ("cases", "missing_case_id") => ("case_id", V::Null),
        ("cases", "missing_project_code") | ("businesses", "missing_project_code") => {
            ("project_code", V::Null)
        }
        (_, "reserved_project_code") => ("project_code", t("ALL")),
        ("cases", "invalid_beneficiary_type") => ("beneficiary_type", t("tourist")),
        ("cases", "invalid_date_of_birth") => ("date_of_birth", t("31/02/1990")),
        ("cases", "invalid_sex") => ("sex", t("maybe")),
        ("cases", "missing_country_of_origin") => {
            set(row, "beneficiary_type", t("returnee"));
            ("country_of_origin", V::Null)
        }
        ("cases", "invalid_country") => ("host_country", t("XX")),
        ("cases", "invalid_return_programme") => ("return_programme", t("EXPRESS")),
        ("cases", "invalid_return_date") => ("return_date", t("sometime")),
        ("cases", "invalid_vulnerability") => ("vulnerabilities", t("VOT;ZZZ")),
        ("cases", "invalid_case_status") => ("case_status", t("lost")),
        ("cases", "missing_completion_date") => {
            set(row, "case_status", t("reintegration_completed"));
            ("reintegration_completed_on", V::Null)
        }
        ("cases", "invalid_date") => ("reintegration_completed_on", t("2026-13-40")),
        (_, "invalid_updated_at") => ("updated_at", t("yesterday")),
        ("assistance", "missing_assistance_id") => ("assistance_id", V::Null),
        ("assistance", "missing_case_id") | ("rss", "missing_case_id") => ("case_id", V::Null),
        ("assistance", "invalid_assistance_type") => ("assistance_type", t("cash")),
        ("assistance", "invalid_status") => ("status", t("done")),
        ("assistance", "missing_delivered_on") => {
            set(row, "status", t("delivered"));
            ("delivered_on", V::Null)
        }
        ("assistance", "invalid_date") => ("delivered_on", t("32/01/2026")),
        ("assistance", "negative_amount") => ("amount_usd", t("-50")),
        ("assistance", "invalid_amount") => ("amount_usd", t("USD 12")),
        ("assistance", "invalid_channel") => ("channel", t("post")),
        ("businesses", "missing_business_id") => ("business_id", V::Null),
        ("businesses", "missing_case_id") => ("lead_case_id", V::Null),
        ("businesses", "invalid_business_model") => ("model", t("solo")),
        ("businesses", "invalid_sector") => ("sector", t("mining")),
        ("businesses", "invalid_date") => ("started_on", t("01.13.2025")),
        ("businesses", "invalid_members") => ("members", t("0")),
        ("businesses", "invalid_business_status") => ("status", t("paused")),
        ("rss", "missing_survey_id") => ("survey_id", V::Null),
        ("rss", "invalid_survey_date") => ("survey_date", t("spring")),
        ("rss", "invalid_rss_answer") => ("econ_3", t("7")),
        ("projects", "missing_key") => ("project_code", V::Null),
        ("projects", "invalid_date") => ("start_date", t("2024-02-30")),
        ("projects", "invalid_number") => ("budget_usd", t("about a million")),
        ("targets", "missing_key") => ("indicator_id", V::Null),
        ("targets", "invalid_number") => ("target", t("lots")),
        _ => unreachable!("no corruption for {entity}/{reason}"),
    };
    set(row, col, v);
}

/// Reason codes injected per entity.
const INJECT: &[(&str, &[&str])] = &[
    (
        "cases",
        &[
            "missing_case_id",
            "missing_project_code",
            "reserved_project_code",
            "invalid_beneficiary_type",
            "invalid_date_of_birth",
            "invalid_sex",
            "missing_country_of_origin",
            "invalid_country",
            "invalid_return_programme",
            "invalid_return_date",
            "invalid_vulnerability",
            "invalid_case_status",
            "missing_completion_date",
            "invalid_date",
            "invalid_updated_at",
        ],
    ),
    (
        "assistance",
        &[
            "missing_assistance_id",
            "missing_case_id",
            "invalid_assistance_type",
            "invalid_status",
            "missing_delivered_on",
            "invalid_date",
            "negative_amount",
            "invalid_amount",
            "invalid_channel",
            "invalid_updated_at",
        ],
    ),
    (
        "businesses",
        &[
            "missing_business_id",
            "missing_project_code",
            "reserved_project_code",
            "missing_case_id",
            "invalid_business_model",
            "invalid_sector",
            "invalid_date",
            "invalid_members",
            "invalid_business_status",
            "invalid_updated_at",
        ],
    ),
    (
        "rss",
        &[
            "missing_survey_id",
            "missing_case_id",
            "invalid_survey_date",
            "invalid_rss_answer",
            "invalid_updated_at",
        ],
    ),
    (
        "projects",
        &[
            "missing_key",
            "reserved_project_code",
            "invalid_date",
            "invalid_number",
        ],
    ),
    ("targets", &["missing_key", "invalid_number"]),
];

fn projects_rows(plan: &Plan) -> Vec<Vec<(&'static str, V)>> {
    let r = &mut rng_for(plan.opts.seed, 3, 0);
    plan.projects
        .iter()
        .enumerate()
        .map(|(p, code)| {
            let start = plan.start - Duration::days(r.random_range(0..200));
            vec![
                ("project_code", V::Text(code.clone())),
                ("prima_id", V::Text(format!("{}", 100200 + p * 13))),
                (
                    "title",
                    V::Text(format!(
                        "Sustainable reintegration of returnees, phase {}",
                        p + 1
                    )),
                ),
                (
                    "project_type",
                    V::Text(
                        if p % 3 == 2 {
                            "Community stabilization"
                        } else {
                            "Return and reintegration"
                        }
                        .into(),
                    ),
                ),
                (
                    "donor",
                    V::Text(
                        DONORS[p % DONORS.len().min(plan.projects.len().div_ceil(2).max(2))].into(),
                    ),
                ),
                ("start_date", V::Date(start)),
                (
                    "end_date",
                    V::Date(plan.opts.as_of + Duration::days(365 + r.random_range(0..365))),
                ),
                ("status", V::Text("active".into())),
                (
                    "budget_usd",
                    V::Num((r.random_range(5..60) * 100_000) as f64),
                ),
                (
                    "coverage",
                    V::Text(if p % 4 == 3 { "regional" } else { "national" }.into()),
                ),
                (
                    "idf_region",
                    V::Text(
                        pick(
                            r,
                            &[
                                "West and Central Africa",
                                "Middle East and North Africa",
                                "Asia and the Pacific",
                            ],
                        )
                        .to_string(),
                    ),
                ),
                (
                    "benefiting_countries",
                    V::Text(format!(
                        "{};{}",
                        ORIGINS[p % ORIGINS.len()],
                        ORIGINS[(p + 3) % ORIGINS.len()]
                    )),
                ),
                (
                    "sdg_goals",
                    V::Text(pick(r, &["1;8;10", "8;10", "3;10;16", "10"]).to_string()),
                ),
                (
                    "updated_at",
                    V::Ts(plan.drop_dates[0].and_time(NaiveTime::MIN)),
                ),
            ]
        })
        .collect()
}

fn targets_rows(plan: &Plan) -> Vec<Vec<(&'static str, V)>> {
    let year = plan.opts.as_of.format("%Y").to_string();
    let per_project = (plan.opts.cases / plan.projects.len()).max(4) as f64;
    let mut rows = Vec::new();
    for code in &plan.projects {
        for (ind, period, target, baseline) in [
            (
                "returnees_assisted",
                "project",
                per_project * 0.9,
                V::Num(0.0),
            ),
            (
                "returnees_assisted",
                year.as_str(),
                (per_project * 0.35).round(),
                V::Null,
            ),
            (
                "businesses_started",
                "project",
                (per_project * 0.15).round(),
                V::Num(0.0),
            ),
            ("rss_sustainable_rate", "project", 0.6, V::Num(0.4)),
        ] {
            rows.push(vec![
                ("project_code", V::Text(code.clone())),
                ("indicator_id", V::Text(ind.into())),
                ("period", V::Text(period.into())),
                ("breakdown", V::Text("total".into())),
                ("breakdown_value", V::Text("total".into())),
                ("baseline", baseline),
                ("target", V::Num(target)),
                (
                    "updated_at",
                    V::Ts(plan.drop_dates[0].and_time(NaiveTime::MIN)),
                ),
            ]);
        }
    }
    rows
}

/// Formats of each entity in drop `k` (messy mode), by rotation.
fn format_of(entity: &str, k: usize) -> (&'static str, Style) {
    use write::Delim::*;
    let csv = |delim, bom, crlf, cp1252| {
        (
            "csv",
            Style {
                delim,
                bom,
                crlf,
                cp1252,
                header_variant: k % 4,
            },
        )
    };
    let other = |ext| {
        (
            ext,
            Style {
                delim: Comma,
                bom: false,
                crlf: false,
                cp1252: false,
                header_variant: k % 4,
            },
        )
    };
    match (entity, k % 4) {
        ("cases", 0) => csv(Comma, true, true, false),
        ("cases", 1) => csv(Semicolon, false, false, true),
        ("cases", 2) => other("jsonl"),
        ("cases", _) => other("xlsx"),
        ("assistance", 0) => other("csv.gz"),
        ("assistance", 1) => csv(Tab, false, true, false),
        ("assistance", 2) => other("xlsx"),
        ("assistance", _) => other("jsonl"),
        ("businesses", 0) => csv(Comma, false, false, false),
        ("businesses", 1) => other("jsonl"),
        ("businesses", 2) => other("xlsx"),
        ("businesses", _) => other("csv.gz"),
        ("rss", 0) => other("jsonl"),
        ("rss", 1) => csv(Semicolon, true, false, false),
        ("rss", 2) => csv(Comma, false, true, false),
        ("rss", _) => other("xlsx"),
        (_, _) => csv(Comma, false, false, false),
    }
}

/// Writes the drops and returns what a pull must find.
pub fn generate(opts: &GenerateOptions) -> anyhow::Result<Expected> {
    let plan = Plan::new(opts);
    let clean = opts.clean;
    std::fs::create_dir_all(&opts.out)
        .with_context(|| format!("cannot create {}", opts.out.display()))?;
    let mut expected = Expected::default();
    let drops = plan.drop_ids.len();
    let last = drops - 1;
    // Row-level rejects go to drops other than the one whose businesses file
    // misses a column; each reason gets 1 to 3 rows.
    let mut inject: BTreeMap<(usize, &str), Vec<&str>> = BTreeMap::new();
    if !clean {
        let r = &mut rng_for(opts.seed, 4, 0);
        for (entity, reasons) in INJECT {
            for reason in *reasons {
                let reference = matches!(*entity, "projects" | "targets");
                for _ in 0..r.random_range(1..=3) {
                    let k = if reference {
                        0
                    } else if *entity == "businesses" && drops > 1 {
                        r.random_range(0..last)
                    } else {
                        r.random_range(0..drops)
                    };
                    inject.entry((k, entity)).or_default().push(reason);
                }
            }
        }
    }
    let updates_per_drop = (opts.cases * opts.every_days.max(1) as usize / 140).max(1);
    for k in 0..drops {
        let dir = opts.out.join(&plan.drop_ids[k]);
        std::fs::create_dir_all(&dir)?;
        let mut writers: BTreeMap<&str, TableWriter> = BTreeMap::new();
        for entity in ["cases", "assistance", "businesses", "rss"] {
            let (ext, mut style) = if clean {
                ("csv", Style::plain())
            } else {
                format_of(entity, k)
            };
            let missing =
                (!clean && entity == "businesses" && k == last && drops > 1).then_some("status");
            if clean {
                style.header_variant = 0;
            }
            let rel = format!("{}/{entity}.{ext}", plan.drop_ids[k]);
            writers.insert(
                entity,
                TableWriter::new(&opts.out, &rel, entity, style, missing, clean)?,
            );
        }
        if k == 0 || opts.reference_each_drop {
            for (entity, rows) in [
                ("projects", projects_rows(&plan)),
                ("targets", targets_rows(&plan)),
            ] {
                let style = if clean {
                    Style::plain()
                } else {
                    Style {
                        header_variant: 1,
                        ..Style::plain()
                    }
                };
                let rel = format!("{}/{entity}.csv", plan.drop_ids[k]);
                let mut w = TableWriter::new(&opts.out, &rel, entity, style, None, clean)?;
                for row in rows {
                    w.row(&row, None)?;
                }
                for reason in inject.get(&(k, entity)).cloned().unwrap_or_default() {
                    let mut row = if entity == "projects" {
                        projects_rows(&plan)[0].clone()
                    } else {
                        targets_rows(&plan)[0].clone()
                    };
                    corrupt(entity, &mut row, reason);
                    w.row(&row, Some(reason))?;
                }
                w.finish(&mut expected)?;
            }
        }
        let range = (0..opts.cases).filter(|i| plan.drop_of_case(*i) == k);
        for i in range {
            let data = make_case(&plan, i);
            writers
                .get_mut("cases")
                .expect("writer")
                .row(&data.case, None)?;
            for a in &data.assistance {
                writers
                    .get_mut("assistance")
                    .expect("writer")
                    .row(a, None)?;
            }
            if let Some(b) = &data.business {
                writers
                    .get_mut("businesses")
                    .expect("writer")
                    .row(b, None)?;
            }
            for s in &data.surveys {
                writers.get_mut("rss").expect("writer").row(s, None)?;
            }
        }
        // New versions of earlier cases.
        if k > 0 {
            let r = &mut rng_for(opts.seed, 5, k as u64);
            let first_of_drop = (0..opts.cases)
                .find(|i| plan.drop_of_case(*i) == k)
                .unwrap_or(opts.cases);
            if first_of_drop > 0 {
                for _ in 0..updates_per_drop {
                    let i = r.random_range(0..first_of_drop);
                    writers
                        .get_mut("cases")
                        .expect("writer")
                        .row(&update_case(&plan, i, k), None)?;
                }
            }
        }
        // Injected rejects: corrupted copies of a valid row of this drop.
        for entity in ["cases", "assistance", "businesses", "rss"] {
            for (n, reason) in inject
                .get(&(k, entity))
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .enumerate()
            {
                let base = make_case(&plan, (k * 7919 + n * 31) % opts.cases.max(1));
                let mut row = match entity {
                    "cases" => base.case,
                    "assistance" => base.assistance[0].clone(),
                    "businesses" => base.business.unwrap_or_else(|| {
                        let mut b = make_business_fallback(&plan);
                        set(&mut b, "business_id", V::Text(format!("BX{n}")));
                        b
                    }),
                    _ => base
                        .surveys
                        .first()
                        .cloned()
                        .unwrap_or_else(|| rss_fallback(&plan, k)),
                };
                corrupt(entity, &mut row, reason);
                writers
                    .get_mut(entity)
                    .expect("writer")
                    .row(&row, Some(reason))?;
            }
        }
        for (_, w) in writers {
            w.finish(&mut expected)?;
        }
        if !clean && k == 1.min(last) && drops > 1 {
            // A second cases file in one drop: rejected as a whole.
            let rel = format!("{}/cases.jsonl", plan.drop_ids[k]);
            let mut w = TableWriter::new(&opts.out, &rel, "cases", Style::plain(), None, clean)?;
            w.reject_all("duplicate_entity_file");
            for i in 0..3.min(opts.cases) {
                w.row(&make_case(&plan, i).case, None)?;
            }
            w.finish(&mut expected)?;
        }
    }
    if !clean {
        // Things a pull must ignore and report, and a file it cannot read.
        let last_dir = &plan.drop_ids[last];
        std::fs::write(
            opts.out.join("README.txt"),
            "Exports from the case-management system.\n",
        )?;
        std::fs::create_dir_all(opts.out.join("notes"))?;
        std::fs::write(opts.out.join("notes/cases.csv"), "case_id\nnot-a-drop\n")?;
        std::fs::write(
            opts.out.join(last_dir).join("comments.csv"),
            "note\nignored\n",
        )?;
        expected.ignored = vec![
            "README.txt".into(),
            "notes/".into(),
            format!("{last_dir}/comments.csv"),
        ];
        let rel = format!("{last_dir}/targets.xlsx");
        std::fs::write(
            opts.out.join(&rel),
            "project_code,indicator_id\nRT.1001,returnees_assisted\n",
        )?;
        expected.files.insert(
            rel,
            ExpectedFile {
                status: "rejected".into(),
                reasons: BTreeMap::from([("unreadable_file".to_string(), 0)]),
                ..Default::default()
            },
        );
    }
    let mut totals: BTreeMap<String, u64> = BTreeMap::new();
    for f in expected.files.values() {
        for (k, v) in &f.reasons {
            *totals.entry(k.clone()).or_default() += v;
        }
    }
    expected.reasons = totals;
    Ok(expected)
}

fn make_business_fallback(plan: &Plan) -> Vec<(&'static str, V)> {
    vec![
        ("business_id", V::Text("BX".into())),
        ("project_code", V::Text(plan.projects[0].clone())),
        ("lead_case_id", V::Text(case_id(0))),
        ("model", V::Text("individual".into())),
        ("sector", V::Text("retail".into())),
        ("started_on", V::Date(plan.drop_dates[0])),
        ("members", V::Int(2)),
        ("status", V::Text("operating".into())),
        ("last_monitored_on", V::Null),
        (
            "updated_at",
            V::Ts(plan.drop_dates[0].and_time(NaiveTime::MIN)),
        ),
    ]
}

fn rss_fallback(plan: &Plan, k: usize) -> Vec<(&'static str, V)> {
    let mut row = vec![
        ("survey_id", V::Text(format!("SX{k}"))),
        ("case_id", V::Text(case_id(0))),
        ("survey_date", V::Date(plan.drop_dates[k])),
    ];
    for item in ITEM_NAMES.iter() {
        row.push((*item, V::Int(3)));
    }
    row.push((
        "updated_at",
        V::Ts(plan.drop_dates[k].and_time(NaiveTime::MIN)),
    ));
    row
}
