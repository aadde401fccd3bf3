use std::io::Write;

use crate::common::{Project, file_record};

#[test]
fn hostile_files_are_rejected_and_the_run_goes_on() {
    let p = Project::temp();
    let d = "2026-02-01";
    p.drop_file(&format!("{d}/cases.csv"), b"");
    p.drop_file(
        &format!("{d}/assistance.csv"),
        "assistance_id,case_id,assistance_type,status,updated_at\n",
    );
    let mut noise: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    noise[100] = 0;
    p.drop_file(&format!("{d}/businesses.csv"), &noise);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(b"survey_id,case_id,survey_date,updated_at\n")
        .unwrap();
    for i in 0..2000 {
        gz.write_all(format!("S{i},C{i},2026-01-0{},2026-01-20\n", 1 + i % 9).as_bytes())
            .unwrap();
    }
    let gz = gz.finish().unwrap();
    p.drop_file(&format!("{d}/rss.csv.gz"), &gz[..gz.len() / 2]);
    p.drop_file(
        &format!("{d}/projects.xlsx"),
        "project_code,title\nRT.1,Not a workbook\n",
    );
    let long = "x".repeat(1 << 20);
    p.drop_file(
        "2026-02-08/cases.csv",
        format!(
            "case_id,project_code,beneficiary_type,country_of_origin,admin1,case_status,updated_at\n\
             C1,RT.1,returnee,GIN,{long},returned,2026-02-08\n\
             C2,RT.1,returnee,GIN,\"=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\",returned,2026-02-08\n\
             C3,RT.1,returnee,GIN,<script>alert(1)</script>,returned,2026-02-08\n"
        ),
    );

    let out = p.pull("2026-02-28");
    let run = p.run_json("2026-02-28");
    // Files rejected as a whole warn (`[alerts] rejected_file`).
    crate::common::assert_warned_for_rejected_files(&run);

    let rejected = |path: &str, reason: &str, rows: u64| {
        let f = file_record(&run, path);
        assert_eq!(f["status"], "rejected", "{path}");
        assert_eq!(f["rows_read"], rows, "{path}");
        assert_eq!(f["rows_quarantined"], rows, "{path}");
        assert_eq!(f["rows_loaded"], 0, "{path}");
        assert!(
            f["reasons"].get(reason).is_some(),
            "{path}: {}",
            f["reasons"]
        );
        let err = f["error"].as_str().unwrap_or_default().to_string();
        assert!(err.starts_with(path), "error names the file: {err}");
        assert!(out.stderr.contains(path), "log names {path}");
        err
    };
    assert!(rejected(&format!("{d}/cases.csv"), "unreadable_file", 0).contains("empty"));
    rejected(&format!("{d}/businesses.csv"), "unreadable_file", 0);
    let err = rejected(
        &format!("{d}/rss.csv.gz"),
        "unreadable_file",
        file_record(&run, &format!("{d}/rss.csv.gz"))["rows_read"]
            .as_u64()
            .unwrap(),
    );
    assert!(
        err.contains("line "),
        "truncated gzip names the line: {err}"
    );
    assert!(
        file_record(&run, &format!("{d}/rss.csv.gz"))["rows_read"]
            .as_u64()
            .unwrap()
            > 0
    );
    assert!(rejected(&format!("{d}/projects.xlsx"), "unreadable_file", 0).contains("XLSX"));

    // A header-only file is a valid, empty delta.
    let f = file_record(&run, &format!("{d}/assistance.csv"));
    assert_eq!(
        (f["status"].as_str(), f["rows_read"].as_u64()),
        (Some("pulled"), Some(0))
    );

    // The 1 MB line and the markup are loaded as text, verbatim.
    let f = file_record(&run, "2026-02-08/cases.csv");
    assert_eq!(
        (f["rows_read"].as_u64(), f["rows_loaded"].as_u64()),
        (Some(3), Some(3))
    );
    let admin1: Vec<String> = p
        .rows("raw/cases")
        .iter()
        .map(|r| crate::common::pick(r, &["admin1"])[0].clone())
        .collect();
    assert!(admin1.contains(&long));
    assert!(admin1.contains(&"=HYPERLINK(\"http://x\",\"click\")".to_string()));
    assert!(admin1.contains(&"<script>alert(1)</script>".to_string()));
}

#[test]
fn no_key_no_run() {
    let p = Project::temp();
    std::fs::write(
        p.path("homeward.toml"),
        "warehouse = \"wh\"\n[[sources]]\nurl = \"drops\"\n",
    )
    .unwrap();
    let out = p.homeward(&["pull"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("HOMEWARD_PSEUDONYM_KEY"),
        "{}",
        out.stderr
    );
    assert!(!p.path("wh").exists(), "nothing written without a key");
}

#[test]
fn config_errors_name_key_file_and_line() {
    let p = Project::temp();
    std::fs::write(
        p.path("homeward.toml"),
        "warehouse = \"wh\"\nwarehuose = \"x\"\n",
    )
    .unwrap();
    let out = p.homeward(&["pull"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("homeward.toml:2:1") && out.stderr.contains("warehuose"),
        "{}",
        out.stderr
    );
}

#[test]
fn the_run_report_escapes_markup_and_exists_for_failed_runs() {
    let p = Project::temp();
    p.drop_file("2026-03-01/<script>alert(1)<_script>.csv", "x\n1\n");
    p.drop_file("2026-03-01/cases.csv", "case_id,project_code,beneficiary_type,country_of_origin,case_status,updated_at\nC1,P1,returnee,GIN,returned,2026-03-01\n");
    p.pull("2026-03-31");
    let html = std::fs::read_to_string(p.path("out/2026-03-31/run.html")).unwrap();
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;_script&gt;.csv"),
        "the file name is shown as text"
    );
    assert!(!html.contains("<script>"), "no markup from data");
    // minijinja escapes `/` too: the path shows as text in a browser.
    assert!(
        html.contains("2026-03-01&#x2f;cases.csv") && html.contains("succeeded"),
        "{html}"
    );

    // A failing run (the source folder is gone) still gets its report.
    std::fs::remove_dir_all(p.path("drops")).unwrap();
    let out = p.homeward(&["pull", "--as-of", "2026-04-30"]);
    assert_eq!(out.code, 2);
    let html = std::fs::read_to_string(p.path("out/2026-04-30/run.html")).unwrap();
    assert!(
        html.contains("This run failed") && html.contains("no such folder"),
        "{html}"
    );
}

#[test]
fn an_excel_unicode_text_export_is_read() {
    // Excel's "Unicode text": UTF-16LE with a byte-order mark, tab-separated.
    let text = "case_id\tproject_code\tbeneficiary_type\tsex\tcountry_of_origin\tcase_status\tupdated_at\r\n\
                C1\tP1\treturnee\tF\tCIV\treturned\t2026-06-01\r\n\
                C2\tP1\treturnee\tM\tEGY\treturned\t2026-06-01\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let p = Project::temp();
    p.drop_file("2026-06-01/cases.csv", bytes);
    p.pull("2026-06-01");
    let run = p.run_json("2026-06-01");
    let f = file_record(&run, "2026-06-01/cases.csv");
    assert_eq!(f["status"], "pulled", "{f}");
    assert_eq!(f["encoding"], "utf16le", "{f}");
    assert_eq!(f["rows_loaded"], 2, "{f}");
}
