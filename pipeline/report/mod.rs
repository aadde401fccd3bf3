//! Reports: HTML rendered from the run's records through the templates in
//! `templates/`. A team changes wording or layout by editing a template.
//!
//! Invariants: one function builds the template environment (strict
//! undefined values, HTML auto-escaping by file extension, the filters of
//! `filters.rs`); everything from data or configuration is escaped.

pub mod filters;

use std::path::Path;

use minijinja::{AutoEscape, Environment, UndefinedBehavior, context};

use crate::runlog::RunRecord;

/// The one template environment, loading from `dir`.
pub fn environment(dir: &Path) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") || name.ends_with(".svg") {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    env.set_loader(minijinja::path_loader(dir));
    filters::register(&mut env);
    env
}

/// The newest drop id of the run's files: the data's freshness.
fn newest_drop(record: &RunRecord) -> Option<String> {
    record.files.iter().map(|f| f.drop.clone()).max()
}

/// Renders `run.html` beside `run.json`, atomically.
pub fn write_run_report(
    templates: &Path,
    record: &RunRecord,
    out_dir: &Path,
) -> anyhow::Result<std::path::PathBuf> {
    let env = environment(templates);
    let tmpl = env.get_template("run/run.html")?;
    let html = tmpl.render(context! {
        run => record,
        newest_drop => newest_drop(record),
        page_title => format!("Run {}", record.run_id),
    })?;
    std::fs::create_dir_all(out_dir)?;
    let tmp = out_dir.join(format!(".run.html.{}", record.run_id));
    std::fs::write(&tmp, html)?;
    let path = out_dir.join("run.html");
    std::fs::rename(&tmp, &path)?;
    Ok(path)
}
