use std::collections::BTreeMap;

use crate::common::{Project, repo};

type Row = BTreeMap<String, String>;

fn values(p: &Project, as_of: &str) -> Vec<Row> {
    let path = p.path(&format!("out/{as_of}/indicators/indicator_values.csv"));
    let mut r = csv::Reader::from_path(path).expect("indicator_values.csv");
    r.deserialize().map(|x| x.expect("row")).collect()
}

/// Rows of one slice, as (breakdown_value, value, numerator, denominator).
fn slice(
    rows: &[Row],
    ind: &str,
    project: &str,
    period: &str,
    breakdown: &str,
) -> Vec<(String, f64, f64, Option<f64>)> {
    let mut out: Vec<_> = rows
        .iter()
        .filter(|r| {
            r["indicator_id"] == ind
                && r["project_code"] == project
                && r["period"] == period
                && r["breakdown"] == breakdown
        })
        .map(|r| {
            (
                r["breakdown_value"].clone(),
                r["value"].parse().unwrap(),
                r["numerator"].parse().unwrap(),
                r["denominator"].parse().ok(),
            )
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn counts(
    rows: &[Row],
    ind: &str,
    project: &str,
    period: &str,
    breakdown: &str,
) -> Vec<(String, f64)> {
    slice(rows, ind, project, period, breakdown)
        .into_iter()
        .map(|(k, v, n, d)| {
            assert_eq!(v, n, "{ind} {k}: a count's value is its numerator");
            assert_eq!(d, None, "{ind} {k}: a count has no denominator");
            (k, v)
        })
        .collect()
}

fn c(pairs: &[(&str, f64)]) -> Vec<(String, f64)> {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

fn close(rows: &[Row], ind: &str, project: &str, period: &str, num: f64, den: f64) {
    let s = slice(rows, ind, project, period, "total");
    assert_eq!(s.len(), 1, "{ind} {project} {period}: {s:?}");
    let (_, v, n, d) = &s[0];
    assert!(
        (n - num).abs() < 1e-9 && (d.unwrap() - den).abs() < 1e-9,
        "{ind} {project} {period}: {n}/{d:?}, want {num}/{den}"
    );
    assert!((v - num / den).abs() < 1e-9);
}

/// Points the project's configuration at the repository's models plus an `extra` folder.
fn with_model_paths(p: &Project, extra: &str) {
    let config = format!(
        "warehouse = \"wh\"\n[privacy]\ndemo_key = true\n[[sources]]\nurl = \"drops\"\n\
         [transform]\npaths = [\"{0}/sql\", \"{extra}\"]\n[report]\ntemplates = \"{0}/templates\"\n",
        repo().display()
    );
    std::fs::write(p.path("homeward.toml"), config).unwrap();
}

fn hand_made() -> Project {
    let p = Project::temp();
    let cases_header = "case_id,project_code,beneficiary_type,date_of_birth,sex,country_of_origin,host_country,return_programme,return_date,vulnerabilities,case_status,reintegration_completed_on,updated_at\n";
    p.drop_file("2026-06-01/cases.csv", format!("{cases_header}\
C1,P1,returnee,2000-02-29,F,GIN,LBY,,2026-02-28,VOT;MED,returned,,2026-06-01T00:00:00Z
C2,P1,returnee,2010-05-10,M,SEN,NER,,2026-01-15,,reintegration_completed,2026-05-20,2026-06-01T00:00:00Z
C3,P2,community_member,1980-07-01,X,,,,,,returned,,2026-06-01T00:00:00Z
C4,P2,returnee,1990-01-01,F,GIN,LBY,,2026-03-01,UMC,returned,,2026-06-01T10:00:00Z
C5,P1,returnee,,M,SEN,LBY,,2026-07-10,,returned,,2026-06-01T00:00:00Z
C6,P1,returnee,1960-03-15,,GIN,,,,,withdrawn,,2026-06-01T00:00:00Z
"));
    // C4 again: the same updated_at (the later drop wins: VHR), and a newer
    // but rejected row that must not hide it.
    p.drop_file("2026-06-15/cases.csv", format!("{cases_header}\
C4,P2,returnee,1990-01-01,F,GIN,LBY,VHR,2026-03-01,UMC,reintegration_in_progress,,2026-06-01T10:00:00Z
C4,P2,returnee,1990-01-01,q,GIN,LBY,other,2026-03-01,UMC,closed,,2026-06-20T00:00:00Z
"));
    p.drop_file(
        "2026-06-01/targets.csv",
        "project_code,indicator_id,period,baseline,target\n\
P1,returnees_assisted,project,0,8\n\
P1,returnees_assisted,2026,,5\n\
P2,businesses_started,2026-Q2,,2\n\
P2,rss_sustainable_rate,2026-Q3,0.4,0.6\n",
    );
    p.drop_file(
        "2026-06-01/projects.csv",
        "project_code,title,donor\nP1,Project one,Donor A\nP2,Project two,Donor B\n",
    );
    p.drop_file(
        "2026-06-01/assistance.csv",
        "assistance_id,case_id,assistance_type,status,delivered_on,amount_usd,channel,updated_at
A1,C1,reception_cash,delivered,2026-03-01,100,,2026-06-01
A2,C1,business_setup,delivered,2026-04-05,\"1,000.50\",,2026-06-01
A3,C1,medical,planned,,,,2026-06-01
A4,C2,psychosocial_counselling,delivered,2026-01-20,,,2026-06-01
A5,C2,education,cancelled,2026-01-25,10,,2026-06-01
A6,C3,community_project,delivered,2026-04-10,50,referral,2026-06-01
A7,C4,temporary_accommodation,delivered,2026-03-02,200,,2026-06-01
A8,C9,medical,delivered,2026-03-05,5,,2026-06-01
A9,C5,housing,delivered,2026-06-20,300,,2026-06-01
A10,C5,housing,delivered,2026-07-11,300,,2026-06-01
A11,C6,food_nutrition,delivered,2026-02-10,20,,2026-06-01
",
    );
    p.drop_file("2026-06-01/businesses.csv", "business_id,project_code,lead_case_id,model,sector,started_on,members,status,last_monitored_on,updated_at
B1,P1,C1,individual,agriculture,2026-04-20,2,operating,2026-06-10,2026-06-01
B2,P2,C4,collective,retail,2026-05-05,5,closed,2026-06-12,2026-06-01
B3,P1,C2,individual,services,,,planned,,2026-06-01
");
    let items = "econ_1,econ_2,econ_3,econ_4,econ_5,soc_1,soc_2,soc_3,soc_4,soc_5,psy_1,psy_2,psy_3,psy_4,psy_5";
    p.drop_file(
        "2026-06-15/rss.csv",
        format!(
            "survey_id,case_id,survey_date,{items},updated_at
S1,C1,2026-05-10,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,2026-06-01
S2,C1,2026-06-15,1,1,,,,3,3,3,3,3,3,3,3,3,3,2026-06-16
S3,C4,2026-06-20,5,5,5,,,1,5,3,,,4,4,4,4,4,2026-06-21
S4,C3,2026-06-20,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,2026-06-21
S5,C9,2026-06-20,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,2026-06-21
S6,C2,2026-06-25,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,2026-06-26
"
        ),
    );
    p
}

#[test]
fn hand_made_drops_give_the_hand_computed_indicators() {
    let p = hand_made();
    let out = p.homeward(&["run", "--as-of", "2026-06-30"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let rows = values(&p, "2026-06-30");

    // Returnees assisted in 2026: C1, C2, C4, C5 (June; its July service is
    // after the as-of date), C6 (withdrawn, still counts). Not C3 (community
    // member), not C9 (orphan), not planned or cancelled services.
    assert_eq!(
        counts(&rows, "returnees_assisted", "ALL", "2026", "total"),
        c(&[("total", 5.0)])
    );
    assert_eq!(
        counts(&rows, "returnees_assisted", "P1", "2026", "total"),
        c(&[("total", 4.0)])
    );
    assert_eq!(
        counts(&rows, "returnees_assisted", "P2", "2026", "total"),
        c(&[("total", 1.0)])
    );
    assert_eq!(
        counts(&rows, "returnees_assisted", "ALL", "to_date", "total"),
        c(&[("total", 5.0)])
    );
    assert_eq!(
        counts(&rows, "returnees_assisted", "ALL", "2026", "sex"),
        c(&[("F", 2.0), ("M", 2.0), ("U", 1.0)])
    );
    // C1 born 29 Feb 2000 is 25 on 28 Feb 2026 (birthday on 1 March); C3's
    // age uses its first delivered assistance; C5 has no date of birth.
    assert_eq!(
        counts(&rows, "returnees_assisted", "ALL", "2026", "age_group"),
        c(&[
            ("0-17", 1.0),
            ("25-34", 1.0),
            ("35-49", 1.0),
            ("50+", 1.0),
            ("unknown", 1.0)
        ])
    );
    // Multi-count: C1 counts under VOT and MED.
    assert_eq!(
        counts(&rows, "returnees_assisted", "ALL", "2026", "vulnerability"),
        c(&[("MED", 1.0), ("UMC", 1.0), ("VOT", 1.0), ("none", 3.0)])
    );
    // C4's tie on updated_at goes to the later drop (VHR); its newer rejected row hides nothing.
    assert_eq!(
        counts(
            &rows,
            "returnees_assisted",
            "ALL",
            "2026",
            "return_programme"
        ),
        c(&[("AVRR", 4.0), ("VHR", 1.0)])
    );
    assert_eq!(
        counts(
            &rows,
            "returnees_assisted",
            "ALL",
            "2026",
            "country_of_origin"
        ),
        c(&[("GIN", 3.0), ("SEN", 2.0)])
    );
    assert_eq!(
        counts(&rows, "returnees_assisted", "ALL", "2026-03", "total"),
        c(&[("total", 2.0)])
    );
    let march = rows
        .iter()
        .find(|r| {
            r["indicator_id"] == "returnees_assisted"
                && r["period"] == "2026-02"
                && r["project_code"] == "ALL"
        })
        .unwrap();
    assert_eq!(
        (
            march["period_type"].as_str(),
            march["period_start"].as_str(),
            march["period_end"].as_str()
        ),
        ("month", "2026-02-01", "2026-02-28")
    );

    assert_eq!(
        counts(
            &rows,
            "returnees_reception_assisted",
            "ALL",
            "2026",
            "total"
        ),
        c(&[("total", 3.0)])
    );
    assert_eq!(
        counts(
            &rows,
            "vulnerable_returnees_assisted",
            "ALL",
            "2026",
            "total"
        ),
        c(&[("total", 2.0)])
    );
    assert_eq!(
        counts(
            &rows,
            "vulnerable_returnees_assisted",
            "ALL",
            "2026",
            "vulnerability"
        ),
        c(&[("MED", 1.0), ("UMC", 1.0), ("VOT", 1.0)])
    );
    assert_eq!(
        counts(&rows, "children_assisted", "ALL", "2026", "total"),
        c(&[("total", 1.0)])
    );
    assert_eq!(
        counts(
            &rows,
            "community_members_assisted",
            "ALL",
            "2026",
            "age_group"
        ),
        c(&[("35-49", 1.0)])
    );
    assert_eq!(
        counts(
            &rows,
            "community_members_assisted",
            "P2",
            "2026-04",
            "country_of_origin"
        ),
        c(&[("unknown", 1.0)])
    );

    // Reintegration start: C2 in January (psychosocial), C1 in April (its
    // March service is reception), C5 in June (housing).
    assert_eq!(
        counts(&rows, "reintegration_started", "ALL", "2026-Q1", "total"),
        c(&[("total", 1.0)])
    );
    assert_eq!(
        counts(&rows, "reintegration_started", "ALL", "2026-Q2", "total"),
        c(&[("total", 2.0)])
    );
    assert_eq!(
        counts(&rows, "reintegration_completed", "ALL", "2026-05", "total"),
        c(&[("total", 1.0)])
    );

    assert_eq!(
        counts(&rows, "assistance_delivered", "ALL", "2026", "total"),
        c(&[("total", 7.0)])
    );
    assert_eq!(
        counts(&rows, "assistance_delivered", "ALL", "2026", "channel"),
        c(&[("direct", 6.0), ("referral", 1.0)])
    );
    assert_eq!(
        counts(&rows, "assistance_value_usd", "ALL", "2026", "total"),
        c(&[("total", 1670.5)])
    );
    assert_eq!(
        counts(&rows, "assistance_value_usd", "ALL", "2026", "dimension"), // A4 (psychosocial) was delivered with no amount: a real row of 0.
        c(&[
            ("economic", 1050.5),
            ("psychosocial", 0.0),
            ("reception", 320.0),
            ("social", 300.0)
        ])
    );

    assert_eq!(
        counts(&rows, "businesses_started", "ALL", "2026", "model"),
        c(&[("collective", 1.0), ("individual", 1.0)])
    );
    assert_eq!(
        counts(&rows, "business_members", "ALL", "2026", "total"),
        c(&[("total", 7.0)])
    );
    // Operating rate in June: 1 of 2; P2's 0 of 1 is a real row; May has no
    // monitored business, so no row (zero denominator).
    close(
        &rows,
        "businesses_operating_rate",
        "ALL",
        "2026-06",
        1.0,
        2.0,
    );
    close(
        &rows,
        "businesses_operating_rate",
        "P2",
        "2026-06",
        0.0,
        1.0,
    );
    assert!(
        slice(
            &rows,
            "businesses_operating_rate",
            "ALL",
            "2026-05",
            "total"
        )
        .is_empty()
    );

    // Surveys: C3 is a community member and C9 an orphan; neither counts.
    assert_eq!(
        counts(&rows, "rss_surveyed", "ALL", "2026-06", "total"),
        c(&[("total", 3.0)])
    );
    // June keeps C1's S2, whose economic score is null (2 of 5 answered):
    // no fall-back to May's S1. C4: 3 of 5 answered, scored. C2: all 3s.
    close(&rows, "rss_score_economic", "ALL", "2026-06", 1.5, 2.0);
    close(&rows, "rss_score_economic", "ALL", "2026-Q2", 1.5, 2.0);
    close(&rows, "rss_score_economic", "ALL", "2026-05", 1.0, 1.0);
    close(
        &rows,
        "rss_score_social",
        "ALL",
        "2026-06",
        0.5 + 0.275 / 0.65 + 0.5,
        3.0,
    );
    close(&rows, "rss_score_psychosocial", "ALL", "2026-06", 1.75, 3.0);
    let c4_overall = 0.4 * 1.0 + 0.3 * (0.275 / 0.65) + 0.3 * 0.75;
    close(
        &rows,
        "rss_score_overall",
        "ALL",
        "2026-06",
        c4_overall + 0.5,
        2.0,
    );
    // C2's overall is exactly the threshold 0.5: sustainable.
    close(&rows, "rss_sustainable_rate", "ALL", "2026-06", 2.0, 2.0);
    close(&rows, "rss_sustainable_rate", "P1", "2026-06", 1.0, 1.0);

    // SDG: goals and targets of the delivered types; no total row.
    assert_eq!(
        counts(&rows, "sdg_returnees_reached", "ALL", "2026", "sdg_goal"),
        c(&[("10", 1.0), ("11", 2.0), ("2", 1.0), ("3", 1.0), ("8", 1.0)])
    );
    assert!(slice(&rows, "sdg_returnees_reached", "ALL", "2026", "total").is_empty());

    // Targets against actuals: P1 reached 4 returnees (to date and in 2026),
    // P2 started 1 business in Q2; no survey in Q3, so no actual.
    let mut targets: Vec<Vec<String>> = p
        .rows("models/marts/rpt_targets")
        .iter()
        .map(|r| {
            crate::common::pick(
                r,
                &[
                    "project_code",
                    "indicator_id",
                    "period",
                    "baseline",
                    "target",
                    "actual",
                    "achieved_ratio",
                ],
            )
        })
        .collect();
    targets.sort();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        targets,
        vec![
            s(&["P1", "returnees_assisted", "2026", "", "5.0", "4.0", "0.8"]),
            s(&[
                "P1",
                "returnees_assisted",
                "project",
                "0.0",
                "8.0",
                "4.0",
                "0.5"
            ]),
            s(&[
                "P2",
                "businesses_started",
                "2026-Q2",
                "",
                "2.0",
                "1.0",
                "0.5"
            ]),
            s(&[
                "P2",
                "rss_sustainable_rate",
                "2026-Q3",
                "0.4",
                "0.6",
                "",
                ""
            ]),
        ]
    );

    // Data tests: the orphan assistance and survey are reported, not fatal.
    let run = p.run_json("2026-06-30");
    let test = |n: &str| {
        run["tests"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == n)
            .unwrap_or_else(|| panic!("no test {n}"))
            .clone()
    };
    assert_eq!(
        (
            test("assistance_case_exists")["status"].as_str(),
            test("assistance_case_exists")["failing_rows"].as_u64()
        ),
        (Some("warn"), Some(1))
    );
    assert_eq!(test("rss_case_exists")["failing_rows"], 1);
    assert_eq!(test("return_date_not_future")["failing_rows"], 1);
    assert_eq!(test("project_exists")["status"], "pass");
    assert!(
        run["models"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["name"] == "indicator_values"
                && m["rows"].as_u64() == Some(rows.len() as u64))
    );
}

#[test]
fn generated_data_keeps_the_invariants() {
    let p = Project::temp();
    homeward::generate::generate(&homeward::generate::GenerateOptions {
        cases: 150,
        seed: 5,
        drops: 4,
        as_of: "2026-06-30".parse().unwrap(),
        out: p.path("drops"),
        clean: false,
        every_days: 7,
        reference_each_drop: false,
    })
    .unwrap();
    let out = p.homeward(&["run", "--as-of", "2026-06-30"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let rows = values(&p, "2026-06-30");
    let mut total: BTreeMap<(String, String, String), f64> = BTreeMap::new();
    let mut by_sex: BTreeMap<(String, String, String), f64> = BTreeMap::new();
    let mut by_project: BTreeMap<String, f64> = BTreeMap::new();
    for r in &rows {
        let key = (
            r["indicator_id"].clone(),
            r["project_code"].clone(),
            r["period"].clone(),
        );
        let v: f64 = r["value"].parse().unwrap();
        match r["breakdown"].as_str() {
            "total" => {
                total.insert(key, v);
            }
            "sex" => {
                *by_sex.entry(key).or_default() += v;
            }
            _ => {}
        }
        if r["indicator_id"] == "returnees_assisted"
            && r["breakdown"] == "total"
            && r["project_code"] != "ALL"
        {
            *by_project.entry(r["period"].clone()).or_default() += v;
        }
        if !r["denominator"].is_empty() {
            assert!((0.0..=1.0).contains(&v), "rate or score out of 0-1: {r:?}");
        }
    }
    let persons = [
        "returnees_assisted",
        "returnees_reception_assisted",
        "reintegration_started",
        "reintegration_completed",
        "rss_surveyed",
        "children_assisted",
        "community_members_assisted",
    ];
    assert!(!by_sex.is_empty());
    for (k, v) in &by_sex {
        if persons.contains(&k.0.as_str()) {
            assert_eq!(
                Some(v),
                total.get(k),
                "sex breakdown of {k:?} does not add up to the total"
            );
        }
    }
    for (period, sum) in &by_project {
        let all = total[&(
            "returnees_assisted".to_string(),
            "ALL".to_string(),
            period.clone(),
        )];
        assert_eq!(*sum, all, "projects do not add up to ALL in {period}");
    }
}

#[test]
fn an_extra_indicator_needs_only_sql_and_a_catalogue_entry() {
    let p = hand_made();
    with_model_paths(
        &p,
        &repo().join("tests/extra_indicator").display().to_string(),
    );
    let out = p.homeward(&["run", "--as-of", "2026-06-30"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let rows = values(&p, "2026-06-30");
    // C1…C6 are current cases, all last updated in June 2026.
    assert_eq!(
        counts(&rows, "cases_registered", "ALL", "2026-06", "total"),
        c(&[("total", 6.0)])
    );
    assert_eq!(
        counts(&rows, "cases_registered", "P2", "2026", "total"),
        c(&[("total", 2.0)])
    );
}

#[test]
fn plan_errors_name_the_file_before_reading_data() {
    let p = hand_made();
    let models = p.path("models");
    std::fs::create_dir_all(models.join("marts")).unwrap();
    std::fs::write(
        models.join("marts/broken.sql"),
        "select *\nfrom {{ ref('no_such_model') }}\n",
    )
    .unwrap();
    with_model_paths(&p, "models");
    let out = p.homeward(&["transform", "--as-of", "2026-06-30"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("broken.sql:2") && out.stderr.contains("no_such_model"),
        "{}",
        out.stderr
    );

    std::fs::write(
        models.join("marts/broken.sql"),
        "select * from {{ ref('loop_b') }}",
    )
    .unwrap();
    std::fs::write(
        models.join("marts/loop_b.sql"),
        "select * from {{ ref('broken') }}",
    )
    .unwrap();
    let out = p.homeward(&["transform", "--as-of", "2026-06-30"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("cycle") && out.stderr.contains("loop_b.sql"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_failing_error_test_publishes_nothing() {
    let p = hand_made();
    let extra = p.path("models");
    std::fs::create_dir_all(extra.join("tests")).unwrap();
    std::fs::write(extra.join("tests/no_withdrawn_cases.sql"), "-- severity: error\nselect case_id from {{ ref('stg_cases') }} where case_status = 'withdrawn'\n").unwrap();
    with_model_paths(&p, "models");
    let out = p.homeward(&["run", "--as-of", "2026-06-30"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("no_withdrawn_cases"), "{}", out.stderr);
    let run = p.run_json("2026-06-30");
    assert_eq!(run["status"], "failed");
    let t = run["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "no_withdrawn_cases")
        .unwrap()
        .clone();
    assert_eq!(
        (t["status"].as_str(), t["failing_rows"].as_u64()),
        (Some("fail"), Some(1))
    );
    assert!(
        !p.path("out/2026-06-30/indicators/indicator_values.csv")
            .exists()
    );
    assert!(
        !p.path("wh/_manifests/transform").exists(),
        "no transform manifest was committed"
    );
}
