use homeward::generate::{GenerateOptions, generate};

use crate::common::{Project, parquet_files, parquet_rows};

#[test]
fn no_name_or_raw_case_id_leaves_the_pull() {
    let p = Project::temp();
    generate(&GenerateOptions {
        cases: 60,
        seed: 3,
        drops: 4,
        as_of: "2026-05-31".parse().unwrap(),
        out: p.path("drops"),
        clean: false,
        every_days: 7,
        reference_each_drop: false,
    })
    .unwrap();
    let out = p.pull("2026-05-31");
    let mut text = out.stderr.clone();
    text.push_str(&std::fs::read_to_string(p.path("out/2026-05-31/run.json")).unwrap());
    for f in parquet_files(&p.path("wh")) {
        for row in parquet_rows(&f) {
            for (_, v) in row {
                text.push_str(&v);
                text.push('\n');
            }
        }
    }
    for entry in std::fs::read_dir(p.path("wh/runs")).unwrap().flatten() {
        text.push_str(&std::fs::read_to_string(entry.path()).unwrap());
    }
    // Names are "First Last" from the generator's lists; ids are C0000001…
    for last in [
        "Diallo", "Traoré", "Camara", "Koné", "Ndiaye", "Okafor", "Haidari", "Sow", "Mensah",
        "Rahimi", "Touré",
    ] {
        assert!(!text.contains(last), "a name ({last}) leaked");
    }
    for i in 1..=60 {
        let id = format!("C{i:07}");
        assert!(!text.contains(&id), "raw case id {id} leaked");
    }
}
