//! Exchange formats: the IATI file of each donor pack, checked against the
//! official 2.03 schema (`xmllint`) and codelists in `tests/standards`,
//! and read back with an XML parser of the test's own (roxmltree), value by
//! value against the pack's published values in `pack.csv`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{Project, copy_tree, files_under, repo};

const AS_OF: &str = "2026-06-30";

const IATI: &str = "\n[iati]\nreporting_org_ref = \"XM-DAC-00000\"\nreporting_org_type = \"40\"\n\
    reporting_org_name = \"Homeward test organisation\"\n\
    [iati.donors]\n\"European Union\" = \"XI-IATI-EC_INTPA\"\n";

/// The official schema and codelists, committed under `tests/standards`
/// (copied from the IATI repositories; its README says which commits).
fn standards() -> PathBuf {
    repo().join("tests/standards")
}

fn with_iati(p: &Project) {
    let path = p.path("homeward.toml");
    let config = std::fs::read_to_string(&path).unwrap();
    std::fs::write(path, config + IATI).unwrap();
}

fn iati_files(p: &Project) -> Vec<PathBuf> {
    files_under(&p.path(&format!("out/{AS_OF}/donor")))
        .into_iter()
        .filter(|f| f.ends_with("iati-activities.xml"))
        .collect()
}

/// Runs the project, then its IATI files (at least one).
fn run_for_iati_files(p: &Project) -> Vec<PathBuf> {
    let out = p.homeward(&["run", "--as-of", AS_OF]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let files = iati_files(p);
    assert!(!files.is_empty(), "no IATI file");
    files
}

/// Validates with the official schema; in CI a missing `xmllint` fails.
fn assert_schema_valid(file: &Path) {
    let schema = standards().join("iati-2.03/iati-activities-schema.xsd");
    let out = match Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&schema)
        .arg(file)
        .output()
    {
        Ok(out) => out,
        Err(e) if std::env::var_os("CI").is_none() => {
            eprintln!("xmllint not found ({e}): schema check skipped outside CI");
            return;
        }
        Err(e) => panic!("xmllint is needed in CI (libxml2-utils): {e}"),
    };
    assert!(
        out.status.success(),
        "{} does not validate:\n{}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The codes of one IATI codelist file.
fn codelist(name: &str) -> BTreeSet<String> {
    let text = std::fs::read_to_string(standards().join(format!("iati-codelists/{name}.xml")))
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let doc = roxmltree::Document::parse(&text).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("codelist-item"))
        .filter_map(|item| {
            item.children()
                .find(|c| c.has_tag_name("code"))
                .and_then(|c| c.text())
                .map(|t| t.trim().to_string())
        })
        .collect()
}

/// Every code the file uses is in its codelist.
fn assert_codes_listed(doc: &roxmltree::Document<'_>) {
    let lists: BTreeMap<&str, BTreeSet<String>> = [
        "ActivityStatus",
        "ActivityDateType",
        "OrganisationRole",
        "OrganisationType",
        "ResultType",
        "IndicatorMeasure",
        "IndicatorVocabulary",
        "UNSDG-Goals",
        "Sector",
        "SectorVocabulary",
        "Country",
        "Currency",
    ]
    .into_iter()
    .map(|n| (n, codelist(n)))
    .collect();
    let check = |list: &str, code: Option<&str>, what: &str| {
        let code = code.unwrap_or_else(|| panic!("{what} has no code"));
        assert!(
            lists[list].contains(code),
            "{what} {code:?} is not in the {list} codelist"
        );
    };
    for n in doc.descendants().filter(|n| n.is_element()) {
        match n.tag_name().name() {
            "activity-status" => check("ActivityStatus", n.attribute("code"), "activity-status"),
            "activity-date" => check("ActivityDateType", n.attribute("type"), "activity-date"),
            "participating-org" => {
                check("OrganisationRole", n.attribute("role"), "participating-org");
                if let Some(t) = n.attribute("type") {
                    check("OrganisationType", Some(t), "participating-org type");
                }
            }
            "reporting-org" => check("OrganisationType", n.attribute("type"), "reporting-org"),
            "result" => check("ResultType", n.attribute("type"), "result"),
            "indicator" => check("IndicatorMeasure", n.attribute("measure"), "indicator"),
            "reference" => {
                check(
                    "IndicatorVocabulary",
                    n.attribute("vocabulary"),
                    "reference",
                );
                assert_eq!(n.attribute("vocabulary"), Some("9"));
                check("UNSDG-Goals", n.attribute("code"), "SDG reference");
            }
            "sector" => {
                check("SectorVocabulary", n.attribute("vocabulary"), "sector");
                check("Sector", n.attribute("code"), "sector");
            }
            "recipient-country" => check("Country", n.attribute("code"), "recipient-country"),
            "value" => check("Currency", n.attribute("currency"), "budget value"),
            "iati-activity" => check(
                "Currency",
                n.attribute("default-currency"),
                "default-currency",
            ),
            _ => {}
        }
    }
}

fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, tag: &str) -> Option<roxmltree::Node<'a, 'i>> {
    n.children().find(|c| c.has_tag_name(tag))
}

fn narrative(n: roxmltree::Node<'_, '_>, tag: &str) -> String {
    child(n, tag)
        .and_then(|t| child(t, "narrative"))
        .and_then(|t| t.text())
        .unwrap_or_default()
        .to_string()
}

/// One `actual` or `target`: (period start, period end, dimension, value).
type Observed = (String, String, Option<(String, String)>, f64);

/// An actual of the pack's period: (indicator title, dimension, value).
type Flat = (String, Option<(String, String)>, f64);

/// What an activity's results say: per indicator title, its actuals,
/// targets and baseline values.
#[derive(Default, Debug)]
struct Results {
    actuals: BTreeMap<String, Vec<Observed>>,
    targets: BTreeMap<String, Vec<Observed>>,
    baselines: BTreeMap<String, f64>,
}

fn results(activity: roxmltree::Node<'_, '_>) -> Results {
    let mut out = Results::default();
    for ind in activity
        .children()
        .filter(|c| c.has_tag_name("result"))
        .filter_map(|r| child(r, "indicator"))
    {
        let title = narrative(ind, "title");
        if let Some(b) = child(ind, "baseline") {
            let v = b.attribute("value").unwrap().parse().unwrap();
            out.baselines.insert(title.clone(), v);
        }
        for period in ind.children().filter(|c| c.has_tag_name("period")) {
            let date = |tag| {
                child(period, tag)
                    .and_then(|d| d.attribute("iso-date"))
                    .unwrap()
                    .to_string()
            };
            let (start, end) = (date("period-start"), date("period-end"));
            for o in period.children().filter(|c| c.is_element()) {
                let list = match o.tag_name().name() {
                    "actual" => &mut out.actuals,
                    "target" => &mut out.targets,
                    _ => continue,
                };
                let value: f64 = o
                    .attribute("value")
                    .expect("an actual or target always has a value")
                    .parse()
                    .expect("numeric @value");
                let dim = child(o, "dimension").map(|d| {
                    (
                        d.attribute("name").unwrap().to_string(),
                        d.attribute("value").unwrap().to_string(),
                    )
                });
                list.entry(title.clone()).or_default().push((
                    start.clone(),
                    end.clone(),
                    dim,
                    value,
                ));
            }
        }
    }
    out
}

/// The sample's projects: PRIMA id → project code, as the test reads them
/// from the committed reference data.
fn prima_ids() -> BTreeMap<String, String> {
    let mut r =
        csv::Reader::from_path(repo().join("fixtures/drops/2026-06-09/projects.csv")).unwrap();
    r.records()
        .map(|row| {
            let row = row.unwrap();
            (row[1].to_string(), row[0].to_string())
        })
        .collect()
}

fn catalogue_titles() -> BTreeMap<String, (String, String)> {
    let text = std::fs::read_to_string(repo().join("sql/indicators/catalogue.toml")).unwrap();
    let doc: toml::Value = toml::from_str(&text).unwrap();
    doc["indicator"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["title"].as_str().unwrap().to_string(),
                (
                    i["id"].as_str().unwrap().to_string(),
                    i["unit"].as_str().unwrap().to_string(),
                ),
            )
        })
        .collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-4
}

#[test]
fn iati_files_validate_and_carry_the_packs_published_values() {
    let p = Project::temp();
    copy_tree(&repo().join("fixtures/drops"), &p.path("drops"));
    with_iati(&p);
    let out = p.homeward(&["run", "--as-of", AS_OF]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let files = iati_files(&p);
    // Four donors, two periods each: one file per pack and period.
    assert_eq!(files.len(), 8, "{files:?}");
    let ids = prima_ids();
    let titles = catalogue_titles();
    let (mut hidden_left_out, mut disaggregated, mut with_baseline) = (0, 0, 0);
    for file in &files {
        assert_schema_valid(file);
        let text = std::fs::read_to_string(file).unwrap();
        let doc = roxmltree::Document::parse(&text).unwrap();
        assert_codes_listed(&doc);
        // The pack's own published values, in its long CSV.
        let mut csv = csv::Reader::from_path(file.with_file_name("pack.csv")).unwrap();
        let rows: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
        let period = file
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_str()
            .unwrap();
        let first = rows.iter().find(|r| &r[7] == period).unwrap();
        let (pstart, pend) = (first[8].to_string(), first[9].to_string());
        for activity in doc
            .descendants()
            .filter(|n| n.has_tag_name("iati-activity"))
        {
            let identifier = child(activity, "iati-identifier")
                .and_then(|n| n.text())
                .unwrap();
            let prima = identifier.strip_prefix("XM-DAC-00000-").unwrap();
            let project = &ids[prima];
            let res = results(activity);
            // Every actual of the pack's period is a published value of
            // pack.csv, and every published total, sex and age-group value
            // is an actual.
            let mut expected = Vec::new();
            for r in rows.iter().filter(|r| {
                &r[2] == project.as_str()
                    && &r[7] == period
                    && ["total", "sex", "age_group"].contains(&&r[10])
            }) {
                let title = titles
                    .iter()
                    .find(|(_, (id, _))| id == &r[3])
                    .map(|(t, _)| t.clone())
                    .unwrap();
                if r[12].is_empty() {
                    assert_eq!(&r[13], "hidden", "{r:?}");
                    hidden_left_out += 1;
                    continue;
                }
                let scale = if &r[5] == "rate" { 100.0 } else { 1.0 };
                let dim = (&r[10] != "total").then(|| (r[10].to_string(), r[11].to_string()));
                expected.push((title, dim, r[12].parse::<f64>().unwrap() * scale));
            }
            let mut got: Vec<Flat> = res
                .actuals
                .iter()
                .flat_map(|(t, list)| {
                    list.iter()
                        .filter(|(s, e, _, _)| *s == pstart && *e == pend)
                        .map(move |(_, _, d, v)| (t.clone(), d.clone(), *v))
                })
                .collect();
            disaggregated += got.iter().filter(|g| g.1.is_some()).count();
            let key = |x: &Flat| (x.0.clone(), x.1.clone());
            got.sort_by_key(key);
            expected.sort_by_key(key);
            assert_eq!(
                got.len(),
                expected.len(),
                "{identifier}: {got:?} against {expected:?}"
            );
            for (g, e) in got.iter().zip(&expected) {
                assert_eq!(key(g), key(e));
                assert!(close(g.2, e.2), "{identifier} {g:?} against {e:?}");
            }
            // Targets and baselines are the reference data's (targets.csv of
            // the sample: a project-life target of 37.8 returnees with a
            // baseline of 0; a sustainability rate of 60 % from 40 %).
            if let Some(b) = res.baselines.get("Sustainable reintegration rate") {
                assert!(close(*b, 40.0), "{b}");
                let t = &res.targets["Sustainable reintegration rate"];
                assert!(t.iter().any(|o| close(o.3, 60.0)), "{t:?}");
                with_baseline += 1;
            }
        }
        assert!(
            !text.contains("&lt;5") && !text.contains("<5"),
            "a marker in the IATI file"
        );
    }
    assert!(
        hidden_left_out > 0,
        "no hidden value in the sample's packs to leave out"
    );
    assert!(disaggregated > 0, "no disaggregated actual");
    assert!(with_baseline > 0, "no target with a baseline");
}

#[test]
fn iati_files_of_generated_data_validate() {
    let p = Project::generated(400, 7, 3, AS_OF);
    with_iati(&p);
    for file in &run_for_iati_files(&p) {
        assert_schema_valid(file);
        let text = std::fs::read_to_string(file).unwrap();
        assert_codes_listed(&roxmltree::Document::parse(&text).unwrap());
    }
}

#[test]
fn markup_in_a_title_or_donor_name_stays_text_in_the_iati_file() {
    let title = "<script>alert(1)</script> & \"><b>x</b>";
    let donor = "Donor & <i>Partners</i> \"Fund\"";
    let p = Project::temp();
    with_iati(&p);
    p.drop_file(
        "2026-06-01/projects.csv",
        format!(
            "project_code,title,donor,start_date,end_date,status,budget_usd,benefiting_countries,sdg_goals,updated_at\n\
             RT.9,\"{}\",\"{}\",2025-01-01,2027-12-31,active,1000,SEN;GIN,10,2026-06-01\n",
            title.replace('"', "\"\""),
            donor.replace('"', "\"\"")
        ),
    );
    p.drop_file(
        "2026-06-01/cases.csv",
        "case_id,project_code,beneficiary_type,sex,country_of_origin,case_status,updated_at\n\
         A1,RT.9,returnee,F,SEN,returned,2026-06-01\n",
    );
    for file in &run_for_iati_files(&p) {
        assert_schema_valid(file);
        let text = std::fs::read_to_string(file).unwrap();
        assert!(!text.contains("<script>") && !text.contains("<b>") && !text.contains("<i>"));
        let doc = roxmltree::Document::parse(&text).unwrap();
        let activity = doc
            .descendants()
            .find(|n| n.has_tag_name("iati-activity"))
            .unwrap();
        assert_eq!(narrative(activity, "title"), title);
        let funder = activity
            .children()
            .find(|c| c.has_tag_name("participating-org") && c.attribute("role") == Some("1"))
            .unwrap();
        assert_eq!(
            child(funder, "narrative").and_then(|n| n.text()),
            Some(donor)
        );
        let countries: Vec<&str> = activity
            .children()
            .filter(|c| c.has_tag_name("recipient-country"))
            .filter_map(|c| c.attribute("code"))
            .collect();
        assert_eq!(countries, ["SN", "GN"]);
    }
}

/// A stand-in for DHIS2's `/api/dataValueSets` on 127.0.0.1: answers `n`
/// POSTs with an import summary counting the values it got; returns its
/// base URL, and each request's head and JSON body.
fn dhis2_server(
    n: usize,
) -> (
    String,
    std::thread::JoinHandle<Vec<(String, serde_json::Value)>>,
) {
    use std::io::Write;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let mut got = Vec::new();
        for _ in 0..n {
            let (mut stream, _) = listener.accept().unwrap();
            let (head, body) = crate::common::read_http_request(&stream);
            let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
            let count = json["dataValues"].as_array().unwrap().len();
            let answer = format!(
                "{{\"httpStatus\":\"OK\",\"status\":\"OK\",\"response\":{{\"status\":\"SUCCESS\",\
                 \"importCount\":{{\"imported\":{count},\"updated\":0,\"ignored\":0,\"deleted\":0}}}}}}"
            );
            write!(
                stream,
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
                answer.len()
            )
            .unwrap();
            got.push((head, json));
        }
        got
    });
    (url, handle)
}

#[test]
fn dhis2_sets_use_only_mapped_identifiers_carry_published_values_and_reach_the_server() {
    let p = Project::temp();
    copy_tree(&repo().join("fixtures/drops"), &p.path("drops"));
    std::fs::create_dir_all(p.path("dhis2")).unwrap();
    std::fs::write(
        p.path("dhis2/data_elements.csv"),
        "indicator_id,breakdown,breakdown_value,data_element,category_option_combo,attribute_option_combo\n\
         returnees_assisted,total,total,DE_RET,COC_TOTAL,\n\
         returnees_assisted,sex,F,DE_RET,COC_F,\n\
         returnees_assisted,sex,M,DE_RET,COC_M,\n\
         rss_sustainable_rate,,,DE_RSS,COC_TOTAL,AOC_EU\n\
         business_members,total,total,DE_BM,COC_TOTAL,\n",
    )
    .unwrap();
    std::fs::write(
        p.path("dhis2/org_units.csv"),
        "project_code,org_unit\nRT.1001,OU_1001\nRT.1008,OU_1008\n",
    )
    .unwrap();
    let path = p.path("homeward.toml");
    let config = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        config + "\n[dhis2]\nmapping = \"dhis2\"\nperiods = [\"2026-Q2\", \"2026-04\"]\n",
    )
    .unwrap();
    let out = p.homeward(&["run", "--as-of", AS_OF]);
    assert_eq!(out.code, 0, "{}", out.stderr);

    // run.json lists what has no mapping.
    let run = p.run_json(AS_OF);
    let d = &run["dhis2"];
    assert_eq!(d["periods"], serde_json::json!(["2026Q2", "202604"]));
    assert_eq!(d["disclosure_control"], true);
    let unmapped: Vec<&str> = d["unmapped_indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(unmapped.contains(&"businesses_started"), "{unmapped:?}");
    assert!(!unmapped.contains(&"returnees_assisted"));
    let projects = d["unmapped_projects"].as_array().unwrap();
    assert!(projects.iter().any(|v| v == "RT.1015"), "{projects:?}");
    assert!(
        d["unmapped_breakdowns"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v
                .as_str()
                .unwrap()
                .starts_with("returnees_assisted age_group=")),
        "{d}"
    );

    // The quarter's set holds only mapped identifiers, and its values are
    // the published ones of the packs (pack.csv of each project's pack).
    let set_path = p.path(&format!("out/{AS_OF}/dhis2/2026Q2/dataValueSet.json"));
    let set: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&set_path).unwrap()).unwrap();
    let values = set["dataValues"].as_array().unwrap();
    assert!(!values.is_empty());
    let mut published: BTreeMap<(String, String, String, String), (String, String)> =
        BTreeMap::new();
    for f in files_under(&p.path(&format!("out/{AS_OF}/donor")))
        .into_iter()
        .filter(|f| f.ends_with("2026-Q2/pack.csv"))
    {
        let mut r = csv::Reader::from_path(f).unwrap();
        for row in r.records().map(Result::unwrap) {
            if &row[7] == "2026-Q2" {
                published.insert(
                    (row[2].into(), row[3].into(), row[10].into(), row[11].into()),
                    (row[12].into(), row[13].into()),
                );
            }
        }
    }
    let de = |indicator: &str, b: &str, v: &str| -> (&'static str, &'static str) {
        match (indicator, b, v) {
            ("returnees_assisted", "total", "total") => ("DE_RET", "COC_TOTAL"),
            ("returnees_assisted", "sex", "F") => ("DE_RET", "COC_F"),
            ("returnees_assisted", "sex", "M") => ("DE_RET", "COC_M"),
            ("rss_sustainable_rate", "total", "total") => ("DE_RSS", "COC_TOTAL"),
            ("business_members", "total", "total") => ("DE_BM", "COC_TOTAL"),
            _ => unreachable!(),
        }
    };
    let mut expected = BTreeSet::new();
    let mut hidden = 0;
    for ((project, indicator, b, v), (value, flag)) in &published {
        let org = match project.as_str() {
            "RT.1001" => "OU_1001",
            "RT.1008" => "OU_1008",
            _ => continue,
        };
        if !matches!(
            (indicator.as_str(), b.as_str(), v.as_str()),
            ("returnees_assisted", "total" | "sex", _)
                | ("rss_sustainable_rate" | "business_members", "total", _)
        ) || (b == "sex" && !["F", "M"].contains(&v.as_str()))
        {
            continue;
        }
        if value.is_empty() {
            assert_eq!(flag, "hidden");
            hidden += 1;
            continue;
        }
        let (element, coc) = de(indicator, b, v);
        let n: f64 = value.parse().unwrap();
        let n = if indicator == "rss_sustainable_rate" {
            n * 100.0
        } else {
            n
        };
        expected.insert((
            element.to_string(),
            org.to_string(),
            coc.to_string(),
            format!("{:.4}", n),
        ));
    }
    let got: BTreeSet<(String, String, String, String)> = values
        .iter()
        .map(|v| {
            assert_eq!(v["period"], "2026Q2");
            let aoc = v.get("attributeOptionCombo").and_then(|a| a.as_str());
            if v["dataElement"] == "DE_RSS" {
                assert_eq!(aoc, Some("AOC_EU"));
            } else {
                assert_eq!(aoc, None);
            }
            let n: f64 = v["value"].as_str().unwrap().parse().unwrap();
            (
                v["dataElement"].as_str().unwrap().to_string(),
                v["orgUnit"].as_str().unwrap().to_string(),
                v["categoryOptionCombo"].as_str().unwrap().to_string(),
                format!("{n:.4}"),
            )
        })
        .collect();
    assert_eq!(got, expected);
    // A withheld value is left out: the sample's business members of
    // RT.1001 are fewer than k records.
    assert!(hidden > 0, "no withheld value among the mapped cells");
    assert!(d["withheld"].as_u64().unwrap() >= hidden);
    // The CSV form holds the same values, by position.
    let mut r = csv::Reader::from_path(set_path.with_extension("csv")).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), values.len());
    assert!(
        rows.iter()
            .all(|r| &r[1] == "2026Q2" && r[0].starts_with("DE_"))
    );

    // `homeward push dhis2` sends exactly the sets, with the token.
    let month: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(p.path(&format!("out/{AS_OF}/dhis2/202604/dataValueSet.json")))
            .unwrap(),
    )
    .unwrap();
    let (url, server) = dhis2_server(2);
    let out = p.homeward_env(
        &["push", "dhis2", "--as-of", AS_OF],
        &[
            ("HOMEWARD_DHIS2_URL", url.as_str()),
            ("HOMEWARD_DHIS2_TOKEN", "d2pat_test"),
        ],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let received = server.join().unwrap();
    assert!(
        received[0].0.starts_with("POST /api/dataValueSets "),
        "{}",
        received[0].0
    );
    assert!(
        received[0]
            .0
            .to_ascii_lowercase()
            .contains("authorization: apitoken d2pat_test")
    );
    // In period order: 202604, then 2026Q2.
    assert_eq!(received[0].1, month);
    assert_eq!(received[1].1, set);
    assert!(
        out.stdout.contains(&format!(
            "2026Q2: {} values sent; {} imported",
            values.len(),
            values.len()
        )),
        "{}",
        out.stdout
    );
    // `homeward plan` lists the sets a run would write.
    let plan = p.homeward(&["plan", "--as-of", AS_OF, "--json"]);
    assert_eq!(plan.code, 0, "{}", plan.stderr);
    let plan: serde_json::Value = serde_json::from_str(&plan.stdout).unwrap();
    let outputs = plan["outputs"].as_array().unwrap();
    for f in ["2026Q2/dataValueSet.json", "202604/dataValueSet.csv"] {
        assert!(
            outputs.iter().any(|o| o == &format!("{AS_OF}/dhis2/{f}")),
            "{f} not in {outputs:?}"
        );
    }
    // Without the URL it says what is missing.
    let out = p.homeward(&["push", "dhis2", "--as-of", AS_OF]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("HOMEWARD_DHIS2_URL"), "{}", out.stderr);
}
