//! The project's code lists: an edited `seeds/*.csv` changes what the pull
//! accepts and what the SQL counts, and a broken one names its file and line.

use crate::common::{Project, copy_tree, repo};

const AS_OF: &str = "2026-06-30";

const CASES: &str = "case_id,project_code,beneficiary_type,date_of_birth,sex,country_of_origin,host_country,return_programme,return_date,vulnerabilities,case_status,reintegration_completed_on,updated_at\n";
const ASSISTANCE: &str =
    "assistance_id,case_id,assistance_type,status,delivered_on,amount_usd,channel,updated_at\n";

/// A project whose code lists are its own copy of the shipped ones, in
/// `lists/` (set by `transform.seeds`).
fn project() -> Project {
    let p = Project::temp();
    copy_tree(&repo().join("sql/seeds"), &p.path("lists"));
    let config = format!(
        "warehouse = \"wh\"\nout = \"out\"\n[privacy]\ndemo_key = true\n\
         [transform]\npaths = [\"{0}/sql\"]\nseeds = \"lists\"\n\
         [report]\ntemplates = \"{0}/templates\"\n[[sources]]\nurl = \"drops\"\n",
        repo().display()
    );
    std::fs::write(p.path("homeward.toml"), config).unwrap();
    p
}

fn append(p: &Project, list: &str, line: &str) {
    let path = p.path(&format!("lists/{list}.csv"));
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str(line);
    std::fs::write(path, text).unwrap();
}

/// A drop with a case of a new vulnerability code (`DISP`) and a service of a
/// new assistance type (`seed_capital`), beside ones the shipped lists know.
fn drop(p: &Project, drop_id: &str, updated: &str) {
    p.drop_file(
        &format!("{drop_id}/cases.csv"),
        format!(
            "{CASES}C1,P1,returnee,1990-01-01,F,GIN,LBY,AVRR,2026-03-01,DISP;VOT,returned,,{updated}\n\
             C2,P1,returnee,1985-01-01,M,SEN,LBY,AVRR,2026-03-01,VOT,returned,,{updated}\n"
        ),
    );
    p.drop_file(
        &format!("{drop_id}/assistance.csv"),
        format!(
            "{ASSISTANCE}A1,C1,seed_capital,delivered,2026-05-10,500,,{updated}\n\
             A2,C2,reception_cash,delivered,2026-05-11,100,,{updated}\n"
        ),
    );
}

/// `(breakdown_value, value)` of one slice of `indicator_values.csv`.
fn slice(p: &Project, indicator: &str, period: &str, breakdown: &str) -> Vec<(String, f64)> {
    let path = p.path(&format!("out/{AS_OF}/indicators/indicator_values.csv"));
    let mut r = csv::Reader::from_path(path).expect("indicator_values.csv");
    let mut out: Vec<(String, f64)> = r
        .deserialize::<std::collections::HashMap<String, String>>()
        .map(|row| row.expect("row"))
        .filter(|row| {
            row["indicator_id"] == indicator
                && row["project_code"] == "ALL"
                && row["period"] == period
                && row["breakdown"] == breakdown
        })
        .map(|row| {
            (
                row["breakdown_value"].clone(),
                row["value"].parse().unwrap(),
            )
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn reasons(p: &Project) -> Vec<String> {
    let run = p.run_json(AS_OF);
    let mut out = Vec::new();
    for f in run["files"].as_array().expect("files") {
        if let Some(r) = f["reasons"].as_object() {
            for (k, n) in r {
                out.push(format!("{}:{k}={n}", f["path"].as_str().unwrap_or("")));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn an_added_assistance_type_and_vulnerability_load_and_are_counted() {
    let p = project();
    drop(&p, "2026-06-01", "2026-06-01T00:00:00Z");
    let first = p.homeward(&["run", "--as-of", AS_OF]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    // The shipped lists know neither code: both rows are quarantined.
    assert_eq!(
        reasons(&p),
        [
            "2026-06-01/assistance.csv:invalid_assistance_type=1",
            "2026-06-01/cases.csv:invalid_vulnerability=1",
        ]
    );
    assert_eq!(
        slice(&p, "assistance_delivered", "2026", "assistance_type"),
        [("reception_cash".to_string(), 1.0)]
    );

    // The programme adds both codes to its lists; the export sends the rows
    // again the next night.
    append(
        &p,
        "assistance_types",
        "seed_capital,Seed capital grant for a small business,economic,individual,8.3\n",
    );
    append(
        &p,
        "vulnerabilities",
        "DISP,Internally displaced before departure\n",
    );
    drop(&p, "2026-06-02", "2026-06-02T00:00:00Z");
    let second = p.homeward(&["run", "--as-of", AS_OF]);
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert_eq!(
        reasons(&p),
        Vec::<String>::new(),
        "tonight's files load whole"
    );
    assert_eq!(
        slice(&p, "assistance_delivered", "2026", "assistance_type"),
        [
            ("reception_cash".to_string(), 1.0),
            ("seed_capital".to_string(), 1.0)
        ]
    );
    // The new type's dimension comes from the list, through the SQL's seed.
    assert_eq!(
        slice(&p, "assistance_delivered", "2026", "dimension"),
        [
            ("economic".to_string(), 1.0),
            ("reception".to_string(), 1.0)
        ]
    );
    assert_eq!(
        slice(&p, "returnees_assisted", "2026", "vulnerability"),
        [("DISP".to_string(), 1.0), ("VOT".to_string(), 2.0)]
    );
    // A changed list is a changed plan: nothing is merged onto sums made
    // with the old lists.
    let run = p.run_json(AS_OF);
    let modes: Vec<&str> = run["models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["mode"].as_str().unwrap_or(""))
        .collect();
    assert!(!modes.contains(&"delta"), "{modes:?}");
}

#[test]
fn a_broken_code_list_is_an_error_naming_its_file_and_line() {
    let p = project();
    drop(&p, "2026-06-01", "2026-06-01T00:00:00Z");
    // Line 8: the header, six shipped codes, then this one.
    append(&p, "vulnerabilities", "vot,Victim of trafficking (again)\n");
    let out = p.homeward(&["run", "--as-of", AS_OF]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    let last = out.stderr.lines().last().unwrap_or("");
    assert!(
        last.contains("lists/vulnerabilities.csv:8: duplicate code `vot` (first on line 2)"),
        "{last}"
    );
    assert!(!p.path("wh").exists(), "nothing was written");

    std::fs::copy(
        repo().join("sql/seeds/vulnerabilities.csv"),
        p.path("lists/vulnerabilities.csv"),
    )
    .unwrap();
    append(
        &p,
        "assistance_types",
        "cash_plus,Cash plus,economy,individual,1.2\n",
    );
    let out = p.homeward(&["run", "--as-of", AS_OF]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("lists/assistance_types.csv:16: unknown dimension `economy`"),
        "{}",
        out.stderr
    );
}
