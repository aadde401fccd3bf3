//! `homeward init DIR`: a new project folder with a configuration, the SQL
//! models, the templates and a README, ready to edit. The files are the
//! ones this binary was built with (embedded by `build.rs`).

use std::path::Path;

use anyhow::{Context, bail};

include!(concat!(env!("OUT_DIR"), "/project_files.rs"));

const CONFIG: &str = r#"# Homeward project configuration. Secrets never go here: the
# pseudonymisation key comes from HOMEWARD_PSEUDONYM_KEY (16 bytes or more),
# object-store credentials from the usual environment variables.

# The Parquet warehouse: a folder, or an s3:// gs:// az:// URL.
warehouse = "warehouse"
# Reports and run records (a local folder).
out = "out"
# Where the SQL runs: "local", or a Ballista scheduler "ballista://host:50050"
# (then the warehouse must be on object storage the executors can reach).
engine = "local"

[[sources]]
name = "exports"
# Where the case-management system drops its exports: <drop_id>/<entity>.<ext>
url = "drops"
# Header names of your system that mean a contract column:
# [sources.aliases]
# beneficiary_sex = "sex"

[transform]
paths = ["sql"]
memory_limit_mb = 512

[indicators]
threshold = 0.5

# What leaves the organisation (donor packs) is protected: counts are
# perturbed by the cell-key method with the table in ptable.csv, so that no
# count of 1 to k - 1 people can be read or derived, across releases too.
[disclosure]
method = "cell_key"      # or "suppress" (weaker: see docs/disclosure.md)
k = 5
ptable = "ptable.csv"
magnitude_noise = 0.05   # sums and means: at most ±5 %
covers = ["donor_packs"]

[report]
templates = "templates"
# [[report.packs]]
# pack = "EU"
# donor = "European Union"
# periods = ["2026-Q2", "2026"]

[run]
on_lock = "fail"

# `homeward vacuum` deletes the model files of older transforms; every raw
# version stays.
[vacuum]
keep_transforms = 7
keep_days = 7

# When a run that worked still needs a person (docs/operations.md, Alerts).
[alerts]
warn_after_days = 2       # the newest drop is older than this on the as-of date
error_after_days = 7
rejected_file = "warn"    # a file rejected as a whole: "ignore", "warn" or "error"
# quarantine_warn_share = 0.05

# Who hears of a failed or warned run. SMTP credentials come from
# HOMEWARD_SMTP_USER and HOMEWARD_SMTP_PASSWORD.
# [notify]
# webhook_url = "https://hooks.example.org/homeward"
# [notify.email]
# smtp_host = "smtp.example.org"
# from = "homeward@example.org"
# to = ["data-team@example.org"]

# Exchange formats (docs/exports.md). IATI: each donor pack also gets
# iati-activities.xml once the reporting organisation is set.
# [iati]
# reporting_org_ref = "XM-DAC-47066"
# reporting_org_type = "40"
# reporting_org_name = "Your organisation"
# [iati.donors]
# "European Union" = "XI-IATI-EC_INTPA"
# DHIS2: data value sets from a mapping folder (data_elements.csv,
# org_units.csv); `homeward push dhis2` sends them to HOMEWARD_DHIS2_URL.
# [dhis2]
# mapping = "dhis2"

# `homeward schedule` (or use cron, a systemd timer, a Kubernetes CronJob).
[schedule]
cron = "0 2 * * *"
timezone = "UTC"
retries = 3
retry_backoff_seconds = 60
"#;

const README: &str = "# A Homeward project

- `homeward.toml`: where drops arrive, where the warehouse and reports go.
- `sql/`: the SQL models (current → staging → intermediate → indicators → marts) and
  data tests; `sql/indicators/catalogue.toml` describes each indicator. Add
  an indicator with `sql/indicators/ind_<id>.sql` and a catalogue entry.
- `templates/`: the report templates (minijinja; the PDF is `donor/pack.typ`).
- `ptable.csv`: the perturbation table of disclosure control (`[disclosure]`).
- `drops/`: put the export drops here, one folder per drop
  (`drops/2026-06-30/cases.csv`, …).

Run the nightly job:

```sh
export HOMEWARD_PSEUDONYM_KEY=…   # a long random secret, kept outside this folder
homeward run
```

Outputs land in `out/<as-of>/` and `out/latest/`; `homeward runs` lists past runs.
Each night only new or changed drop files are pulled and merged into the
current versions; `homeward run --full-refresh` rebuilds them from every
pulled version. To run it every night, `homeward schedule` (settings in
`[schedule]`) or any external scheduler: a lock in the warehouse keeps two
runs from writing at once. Warehouse and sources may be `s3://`, `gs://` or
`az://` URLs, with credentials in the usual environment variables.
";

/// Writes a new project into `dir`, which must be missing or empty.
pub fn init(dir: &Path) -> anyhow::Result<usize> {
    if dir.exists()
        && std::fs::read_dir(dir)
            .with_context(|| format!("{}: not a folder", dir.display()))?
            .next()
            .is_some()
    {
        bail!(
            "{} is not empty: init writes a new project into a missing or empty folder",
            dir.display()
        );
    }
    let mut written = 0;
    let mut write = |rel: &str, text: &str| -> anyhow::Result<()> {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
        written += 1;
        Ok(())
    };
    write("homeward.toml", CONFIG)?;
    write("README.md", README)?;
    write("ptable.csv", &crate::disclosure::PTable::default_csv(5))?;
    for (rel, text) in PROJECT_FILES {
        write(rel, text)?;
    }
    std::fs::create_dir_all(dir.join("drops"))?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_new_config_parses_and_every_model_is_there() {
        crate::config::ConfigFile::parse(CONFIG, "homeward.toml").unwrap();
        for needed in [
            "sql/indicators/catalogue.toml",
            "sql/staging/stg_cases.sql",
            "templates/donor/pack.typ",
        ] {
            assert!(
                PROJECT_FILES.iter().any(|(p, _)| *p == needed),
                "{needed} is not embedded"
            );
        }
        let dir = tempfile::tempdir().unwrap();
        assert!(init(dir.path()).unwrap() > 40);
        assert!(
            init(dir.path())
                .unwrap_err()
                .to_string()
                .contains("not empty")
        );
    }
}
