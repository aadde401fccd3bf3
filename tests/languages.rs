//! Reports in the languages of the field (docs/languages.md): the sample's
//! programme reports rendered in English, French and Arabic from one
//! warehouse, snapshot-tested, and the Arabic page checked in a real
//! browser: right to left, in the shipped Arabic font, without errors.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::common::*;
use crate::report::{
    AS_OF, chromium, headless, load_in_browser, missing_resources, redact, sample,
};

/// The sample's reports again, with `languages = ["en", "fr", "ar"]`,
/// into `out-lang/`.
fn languages() -> &'static Project {
    static DONE: OnceLock<()> = OnceLock::new();
    let p = sample();
    DONE.get_or_init(|| {
        let config = std::fs::read_to_string(p.path("homeward.toml")).unwrap();
        let config = config.replacen(
            "[report]\n",
            "[report]\nlanguages = [\"en\", \"fr\", \"ar\"]\n",
            1,
        );
        p.report_with(&config, "out-lang", AS_OF);
    });
    p
}

fn page(p: &Project, rel: &str) -> PathBuf {
    p.path("out-lang").join(AS_OF).join(rel)
}

#[test]
fn every_programme_report_is_written_in_each_language_and_listed() {
    let p = languages();
    let default = files_under(&page(p, "programme"));
    let names = |folder: &str| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(page(p, folder))
            .unwrap()
            .flatten()
            .filter(|e| e.path().is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    let english = names("programme");
    assert_eq!(english.len(), 8, "{english:?}");
    assert_eq!(names("programme/fr"), english);
    assert_eq!(names("programme/ar"), english);
    assert_eq!(default.len(), 24);
    // run.json lists each language's files.
    let run = p.run_json_in("out-lang", AS_OF);
    let listed: Vec<&str> = run["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["path"].as_str().unwrap())
        .collect();
    for f in &default {
        let r = f
            .strip_prefix(p.path("out-lang"))
            .unwrap()
            .display()
            .to_string();
        assert!(
            listed.contains(&r.as_str()),
            "{r} not in run.json: {listed:?}"
        );
    }
    // The page's language links go to its versions.
    let fr = std::fs::read_to_string(page(p, "programme/fr/ALL.html")).unwrap();
    assert!(fr.starts_with("<!doctype html>\n<html lang=\"fr\" dir=\"ltr\">"));
    assert!(fr.contains("href=\"../ALL.html\" hreflang=\"en\""), "{fr}");
    assert!(fr.contains("href=\"../ar/ALL.html\" hreflang=\"ar\""));
    // Nothing was missing: no warning.
    let warnings = run["warnings"].as_array().unwrap();
    assert!(
        !warnings
            .iter()
            .any(|w| w.as_str().unwrap().contains("report language")),
        "{warnings:?}"
    );
}

#[test]
fn french_and_arabic_reports_match_their_snapshots() {
    let p = languages();
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(repo().join("tests/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for lang in ["fr", "ar"] {
            for name in ["ALL.html", "RT.1001.html"] {
                let text =
                    std::fs::read_to_string(page(p, &format!("programme/{lang}/{name}"))).unwrap();
                // The embedded font is 650 kB of base64: its presence is
                // checked below, not its bytes.
                let text = cut_font(&text);
                insta::assert_snapshot!(format!("programme_{lang}_{name}"), redact(&text));
            }
        }
    });
}

/// The page without the data of its embedded fonts.
fn cut_font(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find("base64,") {
        out.push_str(&rest[..i + 7]);
        let end = rest[i..].find(')').map_or(rest.len(), |e| i + e);
        out.push('…');
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn french_numbers_and_dates_follow_the_french_locale() {
    let p = languages();
    let fr = std::fs::read_to_string(page(p, "programme/fr/ALL.html")).unwrap();
    // CLDR French: decimal comma, a no-break space before %, full month.
    assert!(fr.contains("Situation au 30 juin 2026"), "no French date");
    assert!(fr.contains("T2 2026"), "no French quarter");
    let pct = regex_like(&fr, ",", "\u{a0}%");
    assert!(pct, "no French percentage (56,4 %)");
    assert!(!fr.contains("Headlines"), "English left on the French page");
    assert!(fr.contains("Chiffres clés"));
    // The catalogue's French titles.
    assert!(fr.contains("Rapatriés assistés"));
    let ar = std::fs::read_to_string(page(p, "programme/ar/ALL.html")).unwrap();
    assert!(ar.contains("أبرز الأرقام"));
    assert!(ar.contains("العائدون الذين تلقّوا المساعدة"));
}

/// Whether `text` has a digit, `sep`, a digit, then `suffix`.
fn regex_like(text: &str, sep: &str, suffix: &str) -> bool {
    text.match_indices(suffix).any(|(i, _)| {
        let before: Vec<char> = text[..i].chars().rev().take(6).collect();
        let s: String = before.into_iter().rev().collect();
        s.contains(sep) && s.chars().last().is_some_and(|c| c.is_ascii_digit())
    })
}

#[test]
fn the_arabic_page_is_right_to_left_in_the_shipped_arabic_font() {
    let p = languages();
    let ar = page(p, "programme/ar/ALL.html");
    let html = std::fs::read_to_string(&ar).unwrap();
    assert!(html.contains("<html lang=\"ar\" dir=\"rtl\">"));
    assert!(html.contains("font-family: \"Noto Sans Arabic\""));
    // Every Arabic character of the page has a glyph in the shipped font.
    let font = std::fs::read(repo().join("fonts/NotoSansArabic-Regular.ttf")).unwrap();
    let face = ttf_parser::Face::parse(&font, 0).unwrap();
    let arabic: std::collections::BTreeSet<char> = html
        .chars()
        .filter(|c| ('\u{600}'..='\u{6ff}').contains(c))
        .collect();
    assert!(arabic.len() > 20, "{} Arabic letters", arabic.len());
    let missing: Vec<char> = arabic
        .iter()
        .copied()
        .filter(|c| face.glyph_index(*c).is_none())
        .collect();
    assert!(missing.is_empty(), "no glyph for {missing:?}");

    let Some(bin) = chromium() else {
        assert!(std::env::var("CI").is_err(), "chromium is missing in CI");
        eprintln!("SKIPPED: chromium is not installed (apt-get install chromium)");
        return;
    };
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    for lang in ["fr", "ar"] {
        let f = page(p, &format!("programme/{lang}/ALL.html"));
        let shot = shots.join(format!("programme_{lang}_ALL.png"));
        let console = load_in_browser(bin, &f, &shot);
        assert!(console.is_empty(), "{lang}: {console:?}");
        assert!(
            missing_resources(&f).is_empty(),
            "{:?}",
            missing_resources(&f)
        );
        assert!(std::fs::metadata(&shot).is_ok_and(|m| m.len() > 1000));
    }
    // What the browser computed: the document's direction, and the Arabic
    // faces it loaded (a face loads only when the page's text uses it).
    let seen = in_browser(bin, &ar);
    assert_eq!(seen["dir"], "rtl", "{seen}");
    assert_eq!(seen["lang"], "ar", "{seen}");
    let faces: Vec<&str> = seen["arabic_faces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(faces.contains(&"loaded"), "Arabic font not used: {seen}");
    assert!(
        seen["body_font"]
            .as_str()
            .unwrap()
            .starts_with("\"Noto Sans Arabic\""),
        "{seen}"
    );
    eprintln!("screenshots in {}", shots.display());
}

/// Loads `page` in a frame of a probe page and returns what the browser
/// computed for it, as JSON.
fn in_browser(bin: &str, page: &Path) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let probe = dir.path().join("probe.html");
    std::fs::write(
        &probe,
        format!(
            r#"<!doctype html><body><iframe id="f" src="file://{}" width="1200" height="2000"></iframe>
<script>
document.getElementById("f").onload = async () => {{
  const d = document.getElementById("f").contentDocument;
  await d.fonts.ready;
  const faces = [...d.fonts].filter(f => f.family.replaceAll('"', '') === "Noto Sans Arabic").map(f => f.status);
  const out = {{
    dir: getComputedStyle(d.documentElement).direction,
    lang: d.documentElement.lang,
    arabic_faces: faces,
    body_font: getComputedStyle(d.body).fontFamily,
  }};
  document.body.setAttribute("data-seen", JSON.stringify(out));
}};
</script></body>"#,
            page.display()
        ),
    )
    .unwrap();
    let profile = tempfile::tempdir().unwrap();
    let out = headless(bin, &profile)
        .args([
            // The probe reads its frame: both are files.
            "--allow-file-access-from-files",
            "--virtual-time-budget=10000",
            "--dump-dom",
        ])
        .arg(format!("file://{}", probe.display()))
        .output()
        .expect("run chromium");
    let dom = String::from_utf8_lossy(&out.stdout);
    let start = dom.find("data-seen=\"").expect("the probe ran") + 11;
    let end = start + dom[start..].find('"').unwrap();
    let json = dom[start..end]
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    serde_json::from_str(&json).unwrap()
}

#[test]
fn a_message_missing_in_a_language_is_shown_in_english_and_warned() {
    let p = sample();
    let templates = p.path("templates-partial");
    copy_tree(&repo().join("templates"), &templates);
    let fr = templates.join("locales/fr/homeward.ftl");
    let text: String = std::fs::read_to_string(&fr)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("funnel-heading ="))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&fr, text).unwrap();
    let config = std::fs::read_to_string(p.path("homeward.toml"))
        .unwrap()
        .replacen(
            &format!("templates = \"{}/templates\"", repo().display()),
            "templates = \"templates-partial\"\nlanguages = [\"fr\"]",
            1,
        );
    p.report_with(&config, "out-partial", AS_OF);
    // French alone: the default language, at the default paths.
    let html = std::fs::read_to_string(p.path(&format!("out-partial/{AS_OF}/programme/ALL.html")))
        .unwrap();
    assert!(html.contains("<html lang=\"fr\""));
    assert!(html.contains("<h2>Case funnel</h2>"), "not in English");
    assert!(html.contains("<h2>Tendances sur les 12 derniers mois</h2>"));
    let run = p.run_json_in("out-partial", AS_OF);
    let warnings: Vec<&str> = run["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    assert!(
        warnings.contains(
            &"report language fr: 1 message(s) missing, shown in English: funnel-heading"
        ),
        "{warnings:?}"
    );
}

#[test]
fn packs_are_written_in_each_language_for_people_and_once_for_machines() {
    let p = languages();
    let dir = page(p, "donor/European Union/2026-Q2");
    for f in [
        "pack.pdf",
        "pack.html",
        "pack.csv",
        "pack.hxl.csv",
        "pack.xlsx",
    ] {
        assert!(dir.join(f).is_file(), "{f}");
    }
    for lang in ["fr", "ar"] {
        let mut names: Vec<String> = std::fs::read_dir(dir.join(lang))
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["pack.html", "pack.pdf"], "{lang}");
    }
    // The Arabic PDF: its text in logical order (pdftotext), a known
    // heading among it; the French PDF: French separators.
    let Some(ar) = pdftotext(&dir.join("ar/pack.pdf")) else {
        assert!(std::env::var("CI").is_err(), "pdftotext is missing in CI");
        eprintln!("SKIPPED: pdftotext is not installed (apt-get install poppler-utils)");
        return;
    };
    assert!(ar.contains("حزمة المؤشرات"), "{ar}");
    assert!(ar.contains("المحتويات"));
    // A targets chart label whose Arabic has the lam-alef ligature keeps
    // both its code and its words (usvg once drew one or the other).
    // pdftotext spells the ligature's letters its own way: the words
    // before it are checked.
    assert!(
        ar.lines()
            .any(|l| l.contains("RT.1001") && l.contains("معدل إعادة")),
        "{ar}"
    );
    let fr = pdftotext(&dir.join("fr/pack.pdf")).unwrap();
    assert!(fr.contains("Dossier d’indicateurs"));
    assert!(fr.contains("30 juin 2026"));
    // A budget of four million: French groups digits with a (narrow)
    // no-break space, never a comma.
    assert!(
        fr.contains("4\u{202f}000\u{202f}000 USD") || fr.contains("4 000 000 USD"),
        "{fr}"
    );
    let html = std::fs::read_to_string(dir.join("ar/pack.html")).unwrap();
    assert!(html.contains("<html lang=\"ar\" dir=\"rtl\">"));
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(repo().join("tests/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for lang in ["fr", "ar"] {
            let text = std::fs::read_to_string(dir.join(format!("{lang}/pack.html"))).unwrap();
            insta::assert_snapshot!(
                format!("donor_European_Union_2026-Q2_{lang}_pack.html"),
                redact(&cut_font(&text))
            );
        }
    });
}

/// The text of a PDF through poppler's pdftotext, when installed.
fn pdftotext(pdf: &Path) -> Option<String> {
    let out = Command::new("pdftotext").arg(pdf).arg("-").output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn a_pack_with_its_own_language_is_written_in_it_alone_and_planned_so() {
    let p = sample();
    let config = std::fs::read_to_string(p.path("homeward.toml"))
        .unwrap()
        .replacen("[report]\n", "[report]\nlanguages = [\"en\", \"ar\"]\n", 1)
        + "[[report.packs]]\npack = \"EU-fr\"\ndonor = \"European Union\"\nperiods = [\"2026-Q2\"]\nlanguage = \"fr\"\n\
           [[report.packs]]\npack = \"EU\"\ndonor = \"European Union\"\nperiods = [\"2026-Q2\"]\n";
    p.report_with(&config, "out-pack-lang", AS_OF);
    let day = p.path("out-pack-lang").join(AS_OF);
    let files: Vec<String> = files_under(&day.join("donor"))
        .iter()
        .map(|f| f.strip_prefix(&day).unwrap().display().to_string())
        .collect();
    // French alone for EU-fr, at the default paths; English and Arabic
    // for EU, as the report languages.
    let mut expected: Vec<String> = [
        "donor/EU-fr/2026-Q2/pack.csv",
        "donor/EU-fr/2026-Q2/pack.html",
        "donor/EU-fr/2026-Q2/pack.hxl.csv",
        "donor/EU-fr/2026-Q2/pack.pdf",
        "donor/EU-fr/2026-Q2/pack.xlsx",
        "donor/EU/2026-Q2/ar/pack.html",
        "donor/EU/2026-Q2/ar/pack.pdf",
        "donor/EU/2026-Q2/pack.csv",
        "donor/EU/2026-Q2/pack.html",
        "donor/EU/2026-Q2/pack.hxl.csv",
        "donor/EU/2026-Q2/pack.pdf",
        "donor/EU/2026-Q2/pack.xlsx",
    ]
    .map(String::from)
    .to_vec();
    expected.sort();
    let mut got = files.clone();
    got.sort();
    assert_eq!(got, expected);
    let html = std::fs::read_to_string(day.join("donor/EU-fr/2026-Q2/pack.html")).unwrap();
    assert!(
        html.starts_with("<!doctype html>\n<html lang=\"fr\" dir=\"ltr\">"),
        "{html}"
    );
    assert!(html.contains("30 juin 2026"));
    // Its page links no other language (it has none).
    assert!(!html.contains("hreflang=\"en\""));
    // `homeward plan` lists the same files, each language's among them.
    let plan = p.homeward(&[
        "plan",
        "--config",
        "out-pack-lang.toml",
        "--out",
        "out-pack-lang",
        "--as-of",
        AS_OF,
        "--json",
    ]);
    assert_eq!(plan.code, 0, "{}", plan.stderr);
    let plan: serde_json::Value = serde_json::from_str(&plan.stdout).unwrap();
    let outputs: Vec<&str> = plan["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o.as_str().unwrap())
        .collect();
    for f in &expected {
        let want = format!("{AS_OF}/{f}");
        assert!(
            outputs.contains(&want.as_str()),
            "{want} not planned: {outputs:?}"
        );
    }
    assert!(outputs.contains(&format!("{AS_OF}/programme/ar/ALL.html").as_str()));
    assert!(!outputs.iter().any(|o| o.contains("EU-fr/2026-Q2/ar/")));
}

#[test]
fn a_pack_language_without_message_files_is_a_clear_error() {
    // A project of its own: a failed report is a run in the run log, and
    // the shared sample's data-quality panel (snapshotted above) counts
    // the runs since the last report. The languages are checked before
    // the warehouse is read, so it needs no data.
    let p = Project::temp();
    let config = std::fs::read_to_string(p.path("homeward.toml")).unwrap()
        + "[[report.packs]]\npack = \"EU-sw\"\ndonor = \"European Union\"\nlanguage = \"sw\"\n";
    std::fs::write(p.path("out-sw.toml"), config).unwrap();
    let out = p.homeward(&[
        "report",
        "--config",
        "out-sw.toml",
        "--out",
        "out-sw",
        "--as-of",
        AS_OF,
    ]);
    assert_ne!(out.code, 0);
    assert!(out.stderr.contains("report language sw"), "{}", out.stderr);
}
