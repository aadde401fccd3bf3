use homeward::privacy::{DEMO_KEY, Pseudonymiser};

use crate::common::{Project, file_record, pick};

fn ps(id: &str) -> String {
    Pseudonymiser::new(DEMO_KEY).pseudonym(id)
}

fn setup() -> Project {
    let p = Project::temp();
    p.drop_file(
        "2026-01-10/cases.csv",
        "Case ID,Project-Code,beneficiary_type,Full Name,date_of_birth,Beneficiary_Sex,country_of_origin,host_country,return_programme,return_date,vulnerabilities,case_status,reintegration_completed_on,updated_at,notes\n\
C1,RT.1,returnee,Awa Diallo,1990-05-01,F,GN,lby,,2025-12-01,\"VOT, umc\",returned,,2026-01-10T08:00:00Z,x\n\
C2,RT.1,Returning Migrant,Jean Bah,15/07/1985,homme,sen,,VHR,01.11.2025,,Reintegration In Progress,NA,2026-01-09 10:00:00,\n\
C3,RT.2,returnee,Bad Sex,,q,GIN,,,,,returned,,2026-01-09,\n\
C5,RT.2,community member,Ami Sow,2001/2/3,,,,,,,returned,,2026-01-09,\n",
    );
    p.drop_file(
        "2026-01-10/assistance.csv",
        "assistance_id;case_id;assistance_type;status;delivered_on;amount_usd;channel;provider;updated_at\n\
A1;C1;Reception Cash;delivered;2025-12-02;1,234.50;;Team;2026-01-10\n\
A2;C1;business_setup;planned;;;referral;;2026-01-10\n\
A3;C2;medical;delivered;;10;;;2026-01-10\n\
A4;C9;medical;delivered;2025-12-20;-5;;;2026-01-10\n",
    );
    p.drop_file(
        "2026-01-17/cases.jsonl",
        "{\"case_id\": \"C1\", \"project_code\": \"RT.1\", \"beneficiary_type\": \"returnee\", \"full_name\": \"Awa Diallo\", \"country_of_origin\": \"GIN\", \"case_status\": \"reintegration_completed\", \"reintegration_completed_on\": \"2026-01-15\", \"updated_at\": \"2026-01-16T01:00:00+01:00\"}\n\
{\"case_id\": \"C4\", \"project_code\": \"RT.1\", \"beneficiary_type\": \"returnee\", \"country_of_origin\": \"GIN\", \"case_status\": \"returned\"}\n",
    );
    p
}

#[test]
fn every_version_typed_and_every_reject_placed() {
    let p = setup();
    p.pull("2026-01-31");
    let run = p.run_json("2026-01-31");

    let cases_cols = [
        "case_id",
        "project_code",
        "beneficiary_type",
        "date_of_birth",
        "sex",
        "country_of_origin",
        "host_country",
        "return_programme",
        "return_date",
        "vulnerabilities",
        "case_status",
        "reintegration_completed_on",
        "updated_at",
        "_drop_id",
        "_file",
        "_line",
    ];
    let mut cases: Vec<Vec<String>> = p
        .rows("raw/cases")
        .iter()
        .map(|r| pick(r, &cases_cols))
        .collect();
    cases.sort_by(|a, b| {
        (&a[13], a[15].parse::<u64>().unwrap()).cmp(&(&b[13], b[15].parse::<u64>().unwrap()))
    });
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let expected = vec![
        [
            vec![ps("C1")],
            s(&[
                "RT.1",
                "returnee",
                "1990-05-01",
                "F",
                "GIN",
                "LBY",
                "AVRR",
                "2025-12-01",
                "[VOT, UMC]",
                "returned",
                "",
                "2026-01-10T08:00:00Z",
                "2026-01-10",
                "2026-01-10/cases.csv",
                "2",
            ]),
        ]
        .concat(),
        [
            vec![ps("C2")],
            s(&[
                "RT.1",
                "returnee",
                "1985-07-15",
                "M",
                "SEN",
                "",
                "VHR",
                "2025-11-01",
                "",
                "reintegration_in_progress",
                "",
                "2026-01-09T10:00:00Z",
                "2026-01-10",
                "2026-01-10/cases.csv",
                "3",
            ]),
        ]
        .concat(),
        [
            vec![ps("C5")],
            s(&[
                "RT.2",
                "community_member",
                "2001-02-03",
                "U",
                "",
                "",
                "AVRR",
                "",
                "",
                "returned",
                "",
                "2026-01-09T00:00:00Z",
                "2026-01-10",
                "2026-01-10/cases.csv",
                "5",
            ]),
        ]
        .concat(),
        [
            vec![ps("C1")],
            s(&[
                "RT.1",
                "returnee",
                "",
                "U",
                "GIN",
                "",
                "AVRR",
                "",
                "",
                "reintegration_completed",
                "2026-01-15",
                "2026-01-16T00:00:00Z",
                "2026-01-17",
                "2026-01-17/cases.jsonl",
                "1",
            ]),
        ]
        .concat(),
    ];
    assert_eq!(cases, expected);

    let a_cols = [
        "assistance_id",
        "case_id",
        "assistance_type",
        "status",
        "delivered_on",
        "amount_usd",
        "channel",
        "provider",
        "updated_at",
        "_line",
    ];
    let assistance: Vec<Vec<String>> = p
        .rows("raw/assistance")
        .iter()
        .map(|r| pick(r, &a_cols))
        .collect();
    assert_eq!(
        assistance,
        vec![
            [
                s(&["A1"]),
                vec![ps("C1")],
                s(&[
                    "reception_cash",
                    "delivered",
                    "2025-12-02",
                    "1234.5",
                    "direct",
                    "Team",
                    "2026-01-10T00:00:00Z",
                    "2"
                ])
            ]
            .concat(),
            [
                s(&["A2"]),
                vec![ps("C1")],
                s(&[
                    "business_setup",
                    "planned",
                    "",
                    "",
                    "referral",
                    "",
                    "2026-01-10T00:00:00Z",
                    "3"
                ])
            ]
            .concat(),
        ]
    );

    let mut quarantine: Vec<Vec<String>> = p
        .rows("quarantine")
        .iter()
        .map(|r| pick(r, &["file", "line", "reason"]))
        .collect();
    quarantine.sort();
    assert_eq!(
        quarantine,
        vec![
            s(&["2026-01-10/assistance.csv", "4", "missing_delivered_on"]),
            s(&["2026-01-10/assistance.csv", "5", "negative_amount"]),
            s(&["2026-01-10/cases.csv", "4", "invalid_sex"]),
            s(&["2026-01-17/cases.jsonl", "2", "invalid_updated_at"]),
        ]
    );
    // Original values as text, case id pseudonymised, no name.
    let bad_sex = p
        .rows("quarantine")
        .into_iter()
        .find(|r| pick(r, &["reason"])[0] == "invalid_sex")
        .unwrap();
    let values: serde_json::Value =
        serde_json::from_str(&pick(&bad_sex, &["values_json"])[0]).unwrap();
    assert_eq!(values["sex"], "q");
    assert_eq!(values["case_id"], ps("C3").as_str());
    assert!(values.get("full_name").is_none());

    let f = file_record(&run, "2026-01-10/cases.csv");
    assert_eq!(
        (
            f["rows_read"].as_u64(),
            f["rows_loaded"].as_u64(),
            f["rows_quarantined"].as_u64()
        ),
        (Some(4), Some(3), Some(1))
    );
    assert_eq!(f["reasons"], serde_json::json!({"invalid_sex": 1}));
    assert_eq!(f["ignored_columns"], serde_json::json!(["notes"]));
    let f = file_record(&run, "2026-01-10/assistance.csv");
    assert_eq!(
        f["reasons"],
        serde_json::json!({"missing_delivered_on": 1, "negative_amount": 1})
    );
}

#[test]
fn rejected_rows_are_in_quarantine_csv_with_column_and_value() {
    let p = setup();
    // A personal field broken: its value is not shown, nor the name.
    p.drop_file(
        "2026-01-24/cases.csv",
        "case_id,project_code,beneficiary_type,full_name,date_of_birth,country_of_origin,case_status,updated_at\n\
C7,RT.1,returnee,Secret Person,31/02/1990,GIN,returned,2026-01-24\n\
C8,RT.1,returnee,Other Person,1990-01-01,@SUM(A1),returned,2026-01-24\n",
    );
    p.pull("2026-01-31");
    let mut r = csv::Reader::from_path(p.path("out/2026-01-31/quarantine.csv")).unwrap();
    assert_eq!(
        r.headers().unwrap(),
        vec![
            "drop",
            "file",
            "line",
            "column",
            "column_number",
            "reason",
            "value",
            "message"
        ]
    );
    let mut rows: Vec<Vec<String>> = r
        .records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect();
    rows.sort();
    let row = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        rows,
        vec![
            row(&[
                "2026-01-10",
                "2026-01-10/assistance.csv",
                "4",
                "delivered_on",
                "5",
                "missing_delivered_on",
                "",
                ""
            ]),
            row(&[
                "2026-01-10",
                "2026-01-10/assistance.csv",
                "5",
                "amount_usd",
                "6",
                "negative_amount",
                "-5",
                ""
            ]),
            row(&[
                "2026-01-10",
                "2026-01-10/cases.csv",
                "4",
                "sex",
                "6",
                "invalid_sex",
                "q",
                ""
            ]),
            row(&[
                "2026-01-17",
                "2026-01-17/cases.jsonl",
                "2",
                "updated_at",
                "8",
                "invalid_updated_at",
                "",
                ""
            ]),
            row(&[
                "2026-01-24",
                "2026-01-24/cases.csv",
                "2",
                "date_of_birth",
                "5",
                "invalid_date_of_birth",
                "",
                ""
            ]),
            // A value that a spreadsheet would run is written as text.
            row(&[
                "2026-01-24",
                "2026-01-24/cases.csv",
                "3",
                "country_of_origin",
                "6",
                "invalid_country",
                "'@SUM(A1)",
                ""
            ]),
        ]
    );
    let text = std::fs::read_to_string(p.path("out/2026-01-31/quarantine.csv")).unwrap();
    for secret in [
        "Secret Person",
        "Other Person",
        "31/02/1990",
        "Awa",
        "Bad Sex",
    ] {
        assert!(!text.contains(secret), "{secret} in quarantine.csv");
    }
    // One line per quarantined row of the run.
    let run = p.run_json("2026-01-31");
    let quarantined: u64 = run["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rows_quarantined"].as_u64().unwrap())
        .sum();
    assert_eq!(rows.len() as u64, quarantined);
}
