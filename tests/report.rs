//! Reports: the output layout, HTML snapshots, donor-pack disclosure
//! control checked independently against `indicator_values`, formula
//! injection, the PDF opened and
//! rasterised, markup safety, a real browser, and no personal data.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::common::{CellId, Project, copy_tree, files_under, indicator_values_csv, repo};

pub(crate) const AS_OF: &str = "2026-06-30";

/// One run of the committed sample, shared by the tests that only read it.
pub(crate) fn sample() -> &'static Project {
    static SAMPLE: OnceLock<Project> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        let p = Project::temp();
        copy_tree(&repo().join("fixtures/drops"), &p.path("drops"));
        let out = p.homeward(&["run", "--as-of", AS_OF]);
        assert_eq!(out.code, 0, "run failed: {}", out.stderr);
        p
    })
}

fn rel(p: &Project, path: &Path) -> String {
    path.strip_prefix(p.path("out"))
        .unwrap()
        .display()
        .to_string()
}

const DONORS: [&str; 4] = [
    "European Union",
    "Germany BMZ",
    "Italy MAECI",
    "United Kingdom FCDO",
];
const PROJECTS: [&str; 7] = [
    "RT.1001", "RT.1008", "RT.1015", "RT.1022", "RT.1029", "RT.1036", "RT.1043",
];

/// A percent-encoded path, decoded (`%20` → space).
fn percent_decode(h: &str) -> String {
    let mut out = Vec::new();
    let b = h.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            out.push(u8::from_str_radix(&h[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// The `href`s of a page, decoded.
fn links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(percent_decode)
        .collect()
}

#[test]
fn the_index_links_every_output_and_says_how_fresh_the_data_is() {
    let p = sample();
    for folder in [AS_OF, "latest"] {
        let dir = p.path("out").join(folder);
        let html = std::fs::read_to_string(dir.join("index.html")).unwrap();
        let linked: Vec<String> = links(&html);
        for l in &linked {
            assert!(
                dir.join(l).is_file(),
                "{folder}/index.html links {l}, which is missing"
            );
        }
        // Every file of the folder but the page itself is linked.
        for f in files_under(&dir) {
            let r = f.strip_prefix(&dir).unwrap().display().to_string();
            if r != "index.html" {
                assert!(linked.contains(&r), "{folder}/index.html does not link {r}");
            }
        }
        // The as-of date and the newest drop with its age.
        assert!(
            html.contains("30 Jun 2026") || html.contains("2026-06-30"),
            "{html}"
        );
        assert!(
            html.contains("Newest drop 2026-06-30 (0 days before the as-of date)"),
            "{html}"
        );
    }
}

#[test]
fn run_writes_every_file_of_the_output_layout_and_latest() {
    let p = sample();
    let mut expected = vec![
        format!("{AS_OF}/indicators/indicator_values.csv"),
        format!("{AS_OF}/run.json"),
        format!("{AS_OF}/run.html"),
        format!("{AS_OF}/index.html"),
        format!("{AS_OF}/quarantine.csv"),
        format!("{AS_OF}/programme/ALL.html"),
    ];
    for code in PROJECTS {
        expected.push(format!("{AS_OF}/programme/{code}.html"));
    }
    // No packs configured: one per donor, last complete quarter and year.
    for donor in DONORS {
        for period in ["2026-Q2", "2025"] {
            for ext in ["pdf", "html", "csv", "hxl.csv", "xlsx"] {
                expected.push(format!("{AS_OF}/donor/{donor}/{period}/pack.{ext}"));
            }
        }
    }
    let mut found: Vec<String> = files_under(&p.path("out").join(AS_OF))
        .iter()
        .map(|f| rel(p, f))
        .collect();
    found.sort();
    expected.sort();
    assert_eq!(found, expected);
    // latest/ holds the same files, byte for byte.
    for f in &expected {
        let latest = f.replacen(AS_OF, "latest", 1);
        assert_eq!(
            std::fs::read(p.path("out").join(f)).unwrap(),
            std::fs::read(p.path("out").join(&latest)).unwrap(),
            "{latest} differs"
        );
    }
    // run.json lists every report file with its size.
    let run = p.run_json(AS_OF);
    let reports = run["reports"].as_array().unwrap();
    // Not the run's own files: run.json, run.html, index.html,
    // quarantine.csv, indicator_values.csv.
    assert_eq!(reports.len(), expected.len() - 5);
    for r in reports {
        let path = p.path("out").join(r["path"].as_str().unwrap());
        assert_eq!(
            r["size"].as_u64().unwrap(),
            std::fs::metadata(path).unwrap().len()
        );
    }
    let stages: Vec<&str> = run["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(stages, ["pull", "transform", "report"]);
}

/// Replaces what changes from run to run: run ids, times and durations,
/// and charts (by a digest, so a chart change still shows).
pub(crate) fn redact(text: &str) -> String {
    use sha2::Digest;
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("<svg ") {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find("</svg>")
            .map_or(rest.len(), |e| start + e + 6);
        let digest = sha2::Sha256::digest(&rest.as_bytes()[start..end]);
        out.push_str(&format!("<svg sha256=\"{}\"/>", &hex::encode(digest)[..16]));
        rest = &rest[end..];
    }
    out.push_str(rest);
    let chars: Vec<char> = out.chars().collect();
    let mut res = String::with_capacity(out.len());
    let mut i = 0;
    let is = |i: usize, n: usize, f: fn(char) -> bool| {
        (i..i + n).all(|j| chars.get(j).is_some_and(|c| f(*c)))
    };
    while i < chars.len() {
        // Run id: 20261124T191249073Z-8dbe9d32
        if is(i, 8, |c| c.is_ascii_digit())
            && chars.get(i + 8) == Some(&'T')
            && is(i + 9, 9, |c| c.is_ascii_digit())
            && chars.get(i + 18) == Some(&'Z')
            && chars.get(i + 19) == Some(&'-')
            && is(i + 20, 8, |c| c.is_ascii_hexdigit())
        {
            res.push_str("[run_id]");
            i += 28;
            continue;
        }
        res.push(chars[i]);
        i += 1;
    }
    // Durations ("0.3 s") and clock times ("24 Nov 2026 19:12 UTC").
    let mut lines = Vec::new();
    for line in res.lines() {
        let mut l = line.to_string();
        if l.contains(" s</td>") || l.contains(" UTC") {
            l = l
                .split('>')
                .map(|part| {
                    if part.ends_with(" s</td") {
                        "[duration]</td".to_string()
                    } else {
                        part.to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join(">");
            if l.contains(" UTC") {
                l = "[times]".into();
            }
        }
        lines.push(l);
    }
    lines.join("\n")
}

#[test]
fn html_outputs_match_their_snapshots() {
    let p = sample();
    let dir = p.path("out").join(AS_OF);
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(repo().join("tests/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for f in files_under(&dir) {
            let name = rel(p, &f);
            if !name.ends_with(".html") || name.ends_with("run.html") {
                continue;
            }
            let key = name
                .trim_start_matches(&format!("{AS_OF}/"))
                .replace(['/', ' '], "_");
            insta::assert_snapshot!(key, redact(&std::fs::read_to_string(&f).unwrap()));
        }
        // The run report, without its per-file report sizes and timings.
        let run = std::fs::read_to_string(dir.join("run.html")).unwrap();
        let cut = run.find("<h2>Reports written</h2>").unwrap_or(run.len());
        insta::assert_snapshot!("run.html", redact(&run[..cut]));
    });
}

/// The sample's `indicator_values.csv`: cell → exact value.
fn indicator_values(p: &Project) -> HashMap<CellId, f64> {
    indicator_values_csv(&p.path(&format!("out/{AS_OF}/indicators/indicator_values.csv")))
}

/// The published cells of a pack's CSV: (indicator, project, period,
/// breakdown, value) → (unit, value or None when hidden, obs_status).
type PackCells = BTreeMap<CellId, (String, Option<f64>, String)>;

/// Reads a pack's CSV, checking that every value is a number or empty.
fn pack_cells(text: &str) -> PackCells {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();
    let (ind, proj, per, bd, bv, unit, val, flag) = (
        col("indicator_id"),
        col("project_code"),
        col("period"),
        col("breakdown"),
        col("breakdown_value"),
        col("unit"),
        col("value"),
        col("obs_status"),
    );
    let mut out = BTreeMap::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        let v = (!rec[val].is_empty()).then(|| {
            rec[val]
                .parse::<f64>()
                .unwrap_or_else(|_| panic!("not a number: {:?}", &rec[val]))
        });
        out.insert(
            (
                rec[ind].to_string(),
                rec[proj].to_string(),
                rec[per].to_string(),
                rec[bd].to_string(),
                rec[bv].to_string(),
            ),
            (rec[unit].to_string(), v, rec[flag].to_string()),
        );
    }
    out
}

/// An independent check of a suppressed pack: no count from 1 to k−1, no
/// hidden cell recoverable from its breakdown's total, every number shown
/// equal to `indicator_values`.
fn check_suppressed(cells: &PackCells, values: &HashMap<CellId, f64>, k: f64) -> (usize, usize) {
    let mut groups: BTreeMap<(String, String, String, String), usize> = BTreeMap::new();
    let mut totals_hidden: HashMap<(String, String, String), bool> = HashMap::new();
    let (mut shown, mut hidden) = (0, 0);
    for (key, (unit, v, flag)) in cells {
        let is_count = matches!(unit.as_str(), "count" | "sum");
        let Some(v) = v else {
            assert_eq!(flag, "hidden", "{key:?}");
            hidden += 1;
            if key.3 == "total" {
                totals_hidden.insert((key.0.clone(), key.1.clone(), key.2.clone()), true);
            } else if is_count {
                *groups
                    .entry((key.0.clone(), key.1.clone(), key.2.clone(), key.3.clone()))
                    .or_default() += 1;
            }
            continue;
        };
        assert_eq!(flag, "", "{key:?}: a shown value of suppression is exact");
        shown += 1;
        if is_count {
            assert!(!(*v > 0.0 && *v < k), "small count shown: {key:?} = {v}");
        }
        let expected = values.get(key).copied().unwrap_or(0.0);
        assert!(
            (v - expected).abs() < 1e-9,
            "{key:?}: pack shows {v}, indicator_values has {expected}"
        );
    }
    for ((i, pr, pe, b), h) in &groups {
        if *h == 1 {
            assert!(
                totals_hidden.contains_key(&(i.clone(), pr.clone(), pe.clone())),
                "{i} {pr} {pe} {b}: one hidden cell and a shown total"
            );
        }
    }
    (shown, hidden)
}

/// An independent check of a cell-key pack: every value flagged, no count
/// from 1 to k−1, counts within the table's largest change of the exact
/// value, sums within the magnitude noise, rates between 0 and 1.
fn check_perturbed(cells: &PackCells, values: &HashMap<CellId, f64>) -> (usize, usize, usize) {
    let (mut shown, mut hidden, mut changed) = (0, 0, 0);
    for (key, (unit, v, flag)) in cells {
        let Some(v) = v else {
            assert_eq!(flag, "hidden", "{key:?}");
            assert_ne!(
                unit, "count",
                "{key:?}: a count is perturbed, never withheld"
            );
            hidden += 1;
            continue;
        };
        assert_eq!(flag, "perturbed", "{key:?}");
        shown += 1;
        let exact = values.get(key).copied().unwrap_or(0.0);
        if (v - exact).abs() > 1e-9 {
            changed += 1;
        }
        match unit.as_str() {
            "count" => {
                assert!(!(*v > 0.0 && *v < 5.0), "small count shown: {key:?} = {v}");
                assert!((v - exact).abs() <= 5.0, "{key:?}: {v} for {exact}");
                assert_eq!(*v, v.round(), "{key:?}");
            }
            "sum" => assert!(
                (v - exact).abs() <= 0.05 * exact + 0.5,
                "{key:?}: {v} for {exact}"
            ),
            "rate" => assert!((0.0..=1.0).contains(v), "{key:?}: {v}"),
            _ => {}
        }
    }
    (shown, hidden, changed)
}

/// The XLSX Data sheet holds the CSV's rows: numbers in `value`, the flag
/// beside it.
fn check_xlsx_data(xlsx: &Path, csv_text: &str) {
    use calamine::{Data, Reader, open_workbook_auto};
    let mut wb = open_workbook_auto(xlsx).unwrap();
    let sheets = wb.sheet_names();
    for s in [
        "Cover",
        "Logframe",
        "SDG alignment",
        "By sex",
        "By age group",
        "Definitions",
        "Methodology",
        "Data",
    ] {
        assert!(sheets.iter().any(|n| n == s), "no sheet {s}");
    }
    let data = wb.worksheet_range("Data").unwrap();
    let csv_rows: Vec<Vec<String>> = csv::Reader::from_reader(csv_text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    assert_eq!(data.height() - 1, csv_rows.len());
    for (row, expected) in data.rows().skip(1).zip(&csv_rows) {
        match &row[12] {
            Data::Float(f) => assert_eq!(Some(*f), expected[12].parse::<f64>().ok()),
            Data::Empty => assert_eq!(expected[12], ""),
            other => panic!("the Data sheet's value is not a number: {other:?}"),
        }
        assert_eq!(row[13].to_string(), expected[13]);
    }
}

#[test]
fn every_donor_output_is_protected_and_consistent() {
    let p = sample();
    let values = indicator_values(p);
    let (mut shown, mut hidden, mut changed) = (0, 0, 0);
    for f in files_under(&p.path("out").join(AS_OF).join("donor")) {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        if name != "pack.csv" {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        let (s, h, c) = check_perturbed(&pack_cells(&text), &values);
        assert!(s > 0, "{} shows nothing", f.display());
        (shown, hidden, changed) = (shown + s, hidden + h, changed + c);
        // The HXL file is the same table with a hashtag row.
        let hxl = std::fs::read_to_string(f.with_file_name("pack.hxl.csv")).unwrap();
        let mut lines: Vec<&str> = hxl.lines().collect();
        let tags = lines.remove(1);
        assert!(tags.starts_with("#meta+pack,#org+funder,#activity+code,#indicator+code"));
        assert!(tags.contains("#date+start") && tags.ends_with("#indicator+value+num,#status+obs"));
        assert_eq!(lines.join("\n"), text.trim_end());
        check_xlsx_data(&f.with_file_name("pack.xlsx"), &text);
        // The HTML explains the method under its tables and states it.
        let html = std::fs::read_to_string(f.with_file_name("pack.html")).unwrap();
        assert!(html.contains("cell-key method"), "{}", f.display());
        assert!(html.contains("totals need not equal the sum of their rows"));
    }
    assert!(
        shown > 0 && changed > 0,
        "the sample must exercise perturbation"
    );
    // run.json states the method and its utility over every pack.
    let run = p.run_json(AS_OF);
    let d = &run["disclosure"];
    assert_eq!(d["method"], "cell_key");
    assert_eq!(d["k"], 5);
    assert!(d["cells"].as_u64().unwrap() >= (shown + hidden) as u64 / 2);
    assert!(d["changed"].as_u64().unwrap() > 0);
    let share = d["changed_share"].as_f64().unwrap();
    assert!(share > 0.0 && share < 1.0, "{share}");
    assert!(d["max_abs_diff"].as_f64().unwrap() <= 5.0);
}

#[test]
fn suppression_remains_available_and_hides_small_cells() {
    let p = sample();
    let config = std::fs::read_to_string(p.path("homeward.toml")).unwrap();
    p.report_with(
        &format!("{config}\n[disclosure]\nmethod = \"suppress\"\n"),
        "out-suppress",
        AS_OF,
    );
    let values = indicator_values(p);
    let mut hidden_total = 0;
    for f in files_under(&p.path("out-suppress").join(AS_OF).join("donor")) {
        if f.file_name().is_none_or(|n| n != "pack.csv") {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        let (shown, hidden) = check_suppressed(&pack_cells(&text), &values, 5.0);
        assert!(shown > 0, "{} shows nothing", f.display());
        hidden_total += hidden;
        check_xlsx_data(&f.with_file_name("pack.xlsx"), &text);
        // The human formats carry the readable mark.
        let html = std::fs::read_to_string(f.with_file_name("pack.html")).unwrap();
        assert!(html.contains("&lt;5"));
        assert!(html.contains("small-cell suppression"));
    }
    assert!(hidden_total > 0, "the sample must exercise suppression");
    assert_eq!(
        p.run_json_in("out-suppress", AS_OF)["disclosure"]["method"],
        "suppress"
    );
}

#[test]
fn no_csv_cell_runs_as_a_spreadsheet_formula() {
    let donor = "=HYPERLINK(\"http://example.org/x\",\"click\")";
    let title = "@SUM(1+1)";
    let p = one_project_run(title, donor);
    let mut checked = 0;
    for f in files_under(&p.path("out").join(AS_OF)) {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        if !name.ends_with(".csv") {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.as_bytes());
        for rec in r.records() {
            for cell in rec.unwrap().iter() {
                let danger = cell.starts_with(['=', '+', '@', '\t', '\r'])
                    || (cell.starts_with('-') && cell.parse::<f64>().is_err());
                assert!(!danger, "{name}: {cell:?} would run as a formula");
            }
        }
        if name == "pack.csv" {
            assert!(text.contains("'=HYPERLINK("), "{text}");
            checked += 1;
        }
    }
    assert!(checked > 0, "no pack.csv written");
    // XLSX cells are strings, never formulas.
    let xlsx = files_under(&p.path("out").join(AS_OF).join("donor"))
        .into_iter()
        .find(|f| f.extension().is_some_and(|e| e == "xlsx"))
        .unwrap();
    use calamine::{Reader, open_workbook_auto};
    let mut wb = open_workbook_auto(&xlsx).unwrap();
    let cover = wb.worksheet_range("Cover").unwrap();
    assert!(cover.cells().any(|(_, _, c)| *c == donor));
    let formulas = wb.worksheet_formula("Cover").unwrap();
    assert!(
        formulas.cells().all(|(_, _, f)| f.is_empty()),
        "a formula in the XLSX"
    );
}

/// Opens a PDF with lopdf: its page count and its text. lopdf 0.38's CMap
/// parser knows neither the PostScript comment lines nor the `/CMapVersion`
/// and `/WMode` entries that Typst writes in each ToUnicode CMap (both
/// valid), so those lines are removed before text is extracted.
fn pdf_text(bytes: &[u8]) -> (lopdf::Document, String) {
    let mut doc = lopdf::Document::load_mem(bytes).expect("a readable PDF");
    for obj in doc.objects.values_mut() {
        if let lopdf::Object::Stream(s) = obj {
            let Ok(content) = s.decompressed_content() else {
                continue;
            };
            if !content.windows(9).any(|w| w == b"begincmap") {
                continue;
            }
            let text = String::from_utf8_lossy(&content);
            let kept: Vec<&str> = text
                .lines()
                .filter(|l| {
                    !l.starts_with('%')
                        && !l.starts_with("/CMapVersion")
                        && !l.starts_with("/WMode")
                })
                .collect();
            s.set_plain_content(kept.join("\n").into_bytes());
        }
    }
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let text = doc.extract_text(&pages).expect("the PDF's text");
    (doc, text)
}

#[test]
fn the_pdf_is_a4_with_contents_page_numbers_and_the_logframe() {
    let p = sample();
    let path = p.path(&format!(
        "out/{AS_OF}/donor/European Union/2026-Q2/pack.pdf"
    ));
    let (doc, text) = pdf_text(&std::fs::read(&path).unwrap());
    let pages = doc.get_pages();
    // Cover, contents, then six sections, each starting a page.
    assert!(pages.len() >= 8, "{} pages", pages.len());
    let first = *pages.values().next().unwrap();
    let b: Vec<f32> = doc
        .get_dictionary(first)
        .and_then(|d| d.get(b"MediaBox"))
        .and_then(|o| o.as_array())
        .expect("a MediaBox")
        .iter()
        .map(|n| n.as_float().expect("a number"))
        .collect();
    assert!(
        (b[2] - 595.28).abs() < 1.0 && (b[3] - 841.89).abs() < 1.0,
        "not A4: {b:?}"
    );
    for needle in [
        "Contents",
        "Logframe",
        "Returnees assisted",
        "Project life",
        "Baseline",
        "Achieved",
        "Methodology",
        "SDG alignment",
    ] {
        assert!(text.contains(needle), "the PDF has no {needle:?}");
    }
    assert!(
        text.contains(&format!("2 / {}", pages.len())),
        "no page numbers"
    );
    // Rasterise for people to look at, where poppler is installed.
    let out_dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("pack-pages");
    std::fs::create_dir_all(&out_dir).unwrap();
    match Command::new("pdftoppm")
        .args(["-r", "60", "-png"])
        .arg(&path)
        .arg(out_dir.join("page"))
        .status()
    {
        Ok(s) => {
            assert!(s.success());
            let pngs = std::fs::read_dir(&out_dir).unwrap().count();
            assert!(pngs >= pages.len(), "pdftoppm wrote {pngs} pages");
            eprintln!("PDF pages rasterised in {}", out_dir.display());
        }
        Err(_) if std::env::var("CI").is_ok() => panic!("pdftoppm is missing in CI"),
        Err(_) => eprintln!("pdftoppm not installed: the PDF was not rasterised"),
    }
}

/// A project RT.9 with this title and donor, one case and one service,
/// run for the sample's as-of date.
fn one_project_run(title: &str, donor: &str) -> Project {
    let p = Project::temp();
    p.drop_file(
        "2026-06-01/projects.csv",
        format!(
            "project_code,title,donor,sdg_goals,updated_at\nRT.9,\"{}\",\"{}\",10,2026-06-01\n",
            title.replace('"', "\"\""),
            donor.replace('"', "\"\"")
        ),
    );
    p.drop_file(
        "2026-06-01/cases.csv",
        "case_id,project_code,beneficiary_type,sex,country_of_origin,case_status,updated_at\n\
         A1,RT.9,returnee,F,SEN,returned,2026-06-01\n",
    );
    p.drop_file(
        "2026-06-01/assistance.csv",
        "assistance_id,case_id,assistance_type,status,delivered_on,updated_at\n\
         S1,A1,reception_cash,delivered,2026-05-02,2026-06-01\n",
    );
    let out = p.homeward(&["run", "--as-of", AS_OF]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    p
}

#[test]
fn markup_in_titles_and_donor_names_stays_text_in_every_format() {
    let title = "<script>alert(1)</script> & \"><img onerror=alert(2)>";
    let donor = "\"><img onerror=alert(3)> #set page(\"a5\")";
    let p = one_project_run(title, donor);
    let html =
        std::fs::read_to_string(p.path(&format!("out/{AS_OF}/programme/RT.9.html"))).unwrap();
    assert!(!html.contains("<script>alert") && !html.contains("<img onerror"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"));
    let pack_dir = p
        .path(&format!("out/{AS_OF}/donor"))
        .join("\"><img onerror=alert(3)> #set page(\"a5\")")
        .join("2026-Q2");
    let pack = std::fs::read_to_string(pack_dir.join("pack.html")).unwrap();
    assert!(!pack.contains("<img onerror") && pack.contains("&lt;img onerror=alert(3)&gt;"));
    let (_, text) = pdf_text(&std::fs::read(pack_dir.join("pack.pdf")).unwrap());
    assert!(
        text.contains("<script>alert(1)</script>"),
        "title missing as text"
    );
    assert!(
        text.contains("#set page(\"a5\")"),
        "donor name missing as text"
    );
    use calamine::{Reader, open_workbook_auto};
    let mut wb = open_workbook_auto(pack_dir.join("pack.xlsx")).unwrap();
    let cover = wb.worksheet_range("Cover").unwrap();
    let cells: Vec<String> = cover.cells().map(|(_, _, c)| c.to_string()).collect();
    assert!(
        cells.iter().any(|c| c == title),
        "title missing from the XLSX"
    );
    assert!(
        cells.iter().any(|c| c == donor),
        "donor missing from the XLSX"
    );
}

pub(crate) fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser"].into_iter().find(|b| {
        Command::new(b)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// Headless Chromium with a new empty profile (kept alive by the caller)
/// and without the background connections this closed network refuses.
pub(crate) fn headless(bin: &str, profile: &tempfile::TempDir) -> Command {
    let mut cmd = Command::new(bin);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ])
    .arg(format!("--user-data-dir={}", profile.path().display()));
    cmd
}

/// Loads a page headless; returns the console messages and writes a screenshot.
pub(crate) fn load_in_browser(bin: &str, page: &Path, shot: &Path) -> Vec<String> {
    let profile = tempfile::tempdir().unwrap();
    let out = headless(bin, &profile)
        .args([
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1200,2400",
        ])
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("run chromium");
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| {
            l.contains("CONSOLE")
                || l.contains("Failed to load resource")
                || l.contains("ERR_FILE_NOT_FOUND")
        })
        .map(str::to_string)
        .collect()
}

/// Every `src=` or stylesheet link must be a file beside the page; the
/// reports are self-contained, so there should be none at all.
pub(crate) fn missing_resources(page: &Path) -> Vec<String> {
    let html = std::fs::read_to_string(page).unwrap();
    let mut bad = Vec::new();
    for attr in ["src=\"", "<link ", "url(", "href=\"http", "@import"] {
        for (i, _) in html.match_indices(attr) {
            // A font embedded in the page (right-to-left pages) is no file.
            if html[i..].starts_with("url(data:") {
                continue;
            }
            bad.push(html[i..(i + 60).min(html.len())].to_string());
        }
    }
    for (i, _) in html.match_indices("href=\"") {
        let target: String = html[i + 6..].chars().take_while(|c| *c != '"').collect();
        if target.starts_with('#') {
            continue;
        }
        if !page.with_file_name(percent_decode(&target)).exists() {
            bad.push(format!("href to missing {target}"));
        }
    }
    bad
}

#[test]
fn every_html_page_loads_in_a_real_browser_without_errors() {
    let Some(bin) = chromium() else {
        assert!(std::env::var("CI").is_err(), "chromium is missing in CI");
        eprintln!("SKIPPED: chromium is not installed (apt-get install chromium)");
        return;
    };
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    // The check itself: a page with a script error is caught.
    let probe = tempfile::tempdir().unwrap();
    let bad = probe.path().join("bad.html");
    std::fs::write(
        &bad,
        "<!doctype html><img src=\"missing.png\"><script>undefinedFn()</script>",
    )
    .unwrap();
    assert!(!load_in_browser(bin, &bad, &probe.path().join("bad.png")).is_empty());
    assert!(!missing_resources(&bad).is_empty());
    let p = sample();
    let mut pages = 0;
    for f in files_under(&p.path("out").join(AS_OF)) {
        if f.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let name = rel(p, &f).replace(['/', ' '], "_");
        let shot = shots.join(format!("{name}.png"));
        let console = load_in_browser(bin, &f, &shot);
        assert!(console.is_empty(), "{name}: {console:?}");
        assert!(
            missing_resources(&f).is_empty(),
            "{name}: {:?}",
            missing_resources(&f)
        );
        assert!(
            std::fs::metadata(&shot).is_ok_and(|m| m.len() > 1000),
            "{name}: no screenshot"
        );
        pages += 1;
    }
    // The index, the run report, 8 programme pages, 8 packs.
    assert_eq!(pages, 1 + 1 + 8 + 8);
    eprintln!("screenshots in {}", shots.display());
}

#[test]
fn no_output_holds_a_name_a_date_of_birth_or_a_raw_case_id() {
    let p = sample();
    // What the sample's case files hold, from every drop and format.
    let mut names = Vec::new();
    let mut ids = Vec::new();
    let mut births = Vec::new();
    for f in files_under(&repo().join("fixtures/drops")) {
        let n = f.file_name().unwrap().to_string_lossy().to_lowercase();
        if n == "cases.csv" {
            let mut r = csv::ReaderBuilder::new()
                .flexible(true)
                .from_path(&f)
                .unwrap();
            let h: Vec<String> = r
                .headers()
                .unwrap()
                .iter()
                .map(|s| s.trim().to_lowercase().replace([' ', '-'], "_"))
                .collect();
            for rec in r.records().flatten() {
                for (i, v) in rec.iter().enumerate() {
                    let v = v.trim();
                    // Placeholders for "no value" are not personal data.
                    if v.len() < 4
                        || ["null", "none", "n/a", "unknown"].contains(&v.to_lowercase().as_str())
                    {
                        continue;
                    }
                    match h.get(i).map(String::as_str) {
                        Some("full_name") => names.push(v.to_string()),
                        Some("case_id") => ids.push(v.to_string()),
                        Some("date_of_birth") => births.push(v.to_string()),
                        _ => {}
                    }
                }
            }
        }
    }
    assert!(names.len() > 50 && ids.len() > 50 && births.len() > 50);
    let mut text = String::new();
    let mut cover_dates = std::collections::HashSet::new();
    for f in files_under(&p.path("out")) {
        let bytes = std::fs::read(&f).unwrap();
        match f.extension().and_then(|e| e.to_str()) {
            Some("pdf") => text.push_str(&pdf_text(&bytes).1),
            Some("xlsx") => {
                use calamine::{Reader, open_workbook_auto};
                let mut wb = open_workbook_auto(&f).unwrap();
                for s in wb.sheet_names() {
                    for (_, _, c) in wb.worksheet_range(&s).unwrap().cells() {
                        if s == "Cover" {
                            cover_dates.insert(c.to_string());
                        }
                        text.push_str(&c.to_string());
                        text.push('\n');
                    }
                }
            }
            _ => text.push_str(&String::from_utf8_lossy(&bytes)),
        }
        text.push('\n');
    }
    for n in &names {
        assert!(!text.contains(n.as_str()), "a name leaked into the outputs");
    }
    for id in &ids {
        // Whole tokens only: "C0000012" must not match inside a longer id.
        let found = text.match_indices(id.as_str()).any(|(i, _)| {
            let before = text[..i].chars().next_back();
            let after = text[i + id.len()..].chars().next();
            !before.is_some_and(|c| c.is_ascii_alphanumeric())
                && !after.is_some_and(|c| c.is_ascii_alphanumeric())
        });
        assert!(!found, "raw case id {id} leaked into the outputs");
    }
    // Dates of birth in the formats the drops use; ISO dates that are also
    // period bounds or project dates are not personal and are skipped.
    let mut checked = 0;
    for b in &births {
        if let Ok(d) = chrono::NaiveDate::parse_from_str(b, "%Y-%m-%d") {
            use chrono::Datelike;
            let bound = d.day() == 1 || d.succ_opt().is_some_and(|n| n.day() == 1);
            if bound || cover_dates.contains(b.as_str()) {
                continue;
            }
        }
        checked += 1;
        assert!(!text.contains(b.as_str()), "a date of birth ({b}) leaked");
    }
    assert!(checked > 50);
}

#[test]
fn report_renders_only_the_selected_pack_period_or_project() {
    let p = Project::temp();
    copy_tree(&repo().join("fixtures/drops"), &p.path("drops"));
    let out = p.homeward(&["run", "--as-of", AS_OF]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let listed = |out: &str| -> Vec<String> {
        let dir = p.path(out).join(AS_OF);
        let mut f: Vec<String> = files_under(&dir)
            .iter()
            .map(|f| f.strip_prefix(&dir).unwrap().display().to_string())
            .filter(|f| f.starts_with("donor/") || f.starts_with("programme/"))
            .collect();
        f.sort();
        f
    };
    // One pack, for a period that is not configured: only its files.
    let sel = p.homeward(&[
        "report",
        "--as-of",
        AS_OF,
        "--out",
        "sel",
        "--pack",
        "European Union",
        "--period",
        "2026-Q1",
    ]);
    assert_eq!(sel.code, 0, "{}", sel.stderr);
    let want: Vec<String> = [
        "pack.csv",
        "pack.html",
        "pack.hxl.csv",
        "pack.pdf",
        "pack.xlsx",
    ]
    .iter()
    .map(|f| format!("donor/European Union/2026-Q1/{f}"))
    .collect();
    assert_eq!(listed("sel"), want);
    // A project: its programme page, and the packs that include it.
    let sel = p.homeward(&[
        "report",
        "--as-of",
        AS_OF,
        "--out",
        "proj",
        "--project",
        "RT.1001",
    ]);
    assert_eq!(sel.code, 0, "{}", sel.stderr);
    let files = listed("proj");
    assert!(
        files.contains(&"programme/RT.1001.html".to_string()),
        "{files:?}"
    );
    assert_eq!(
        files.iter().filter(|f| f.starts_with("programme/")).count(),
        1
    );
    let packs: std::collections::BTreeSet<&str> = files
        .iter()
        .filter_map(|f| f.strip_prefix("donor/")?.split('/').next())
        .collect();
    assert_eq!(packs.len(), 1, "{files:?}");
    // Selecting again into the full folder keeps the other reports there.
    let before = listed("out");
    let again = p.homeward(&["report", "--as-of", AS_OF, "--project", "RT.1001"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(listed("out"), before);
    // An unknown pack names the ones there are.
    let bad = p.homeward(&["report", "--as-of", AS_OF, "--pack", "Nobody"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("no such pack") && bad.stderr.contains("European Union"),
        "{}",
        bad.stderr
    );
}
