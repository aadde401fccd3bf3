//! `homeward plan`: what `homeward run` would do now, without writing
//! anything: the files it would pull or skip, how it would build each
//! model and why, and the files it would write. Each stage answers with the
//! same decisions it takes when it runs (`pull::plan`, `Run::step`,
//! `report::plan`), so the reasons match the ones `run.json` gives after.

use std::fmt::Write as _;

use serde::Serialize;

use crate::config::Settings;
use crate::pull::PlannedFile;
use crate::storage::Location;
use crate::transform::PlannedModel;

/// What a run now would do.
#[derive(Debug, Serialize)]
pub struct RunPlan {
    pub as_of: String,
    pub warehouse: String,
    /// Each code list and the file it is read from.
    pub code_lists: Vec<CodeList>,
    pub files: Vec<PlannedFile>,
    /// What the pull would warn about (ignored folders, names).
    pub warnings: Vec<String>,
    /// Whether the transform would be a delta run, and why not.
    pub delta_run: bool,
    pub not_delta_because: Option<String>,
    pub models: Vec<PlannedModel>,
    /// Files under the output folder.
    pub outputs: Vec<String>,
    pub outputs_note: String,
}

/// A code list and where it comes from.
#[derive(Debug, Serialize)]
pub struct CodeList {
    pub name: &'static str,
    pub from: String,
}

/// Plans a run of `settings`: reads the sources' listings and the
/// warehouse's manifests, nothing else is touched.
pub async fn plan(settings: &Settings) -> anyhow::Result<RunPlan> {
    // Settings hold a local warehouse as a path already joined to the
    // configuration's folder.
    let local = (!settings.warehouse.contains("://"))
        .then(|| std::path::PathBuf::from(&settings.warehouse));
    // A warehouse the first run will create is planned as an empty one.
    let empty = tempfile::tempdir()?;
    let wh = match &local {
        Some(path) if !path.exists() => Location::open(
            &empty.path().display().to_string(),
            &settings.base_dir,
            false,
        )?,
        _ => Location::open(&settings.warehouse, &settings.base_dir, false)?,
    };
    let (files, pending, warnings) = crate::pull::plan(settings, &wh).await?;
    let (not_delta_because, models) =
        crate::transform::plan_models(settings, &wh, &pending).await?;
    let (outputs, outputs_note) = crate::report::plan(settings, &wh).await?;
    Ok(RunPlan {
        as_of: settings.as_of.format("%Y-%m-%d").to_string(),
        code_lists: settings
            .codes
            .origins()
            .into_iter()
            .map(|(name, from)| CodeList { name, from })
            .collect(),
        warehouse: match &local {
            Some(path) if !path.exists() => format!("{} (not created yet)", path.display()),
            _ => wh.url.clone(),
        },
        files,
        warnings,
        delta_run: not_delta_because.is_none(),
        not_delta_because,
        models,
        outputs,
        outputs_note,
    })
}

impl RunPlan {
    /// The plan as a person reads it.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let pull = self.files.iter().filter(|f| f.action == "pull").count();
        let _ = writeln!(
            out,
            "plan for as-of {} on {} (nothing is written)\n",
            self.as_of, self.warehouse
        );
        let _ = writeln!(out, "code lists:");
        for c in &self.code_lists {
            let _ = writeln!(out, "  {:<17} {}", c.name, c.from);
        }
        let _ = writeln!(
            out,
            "\npull: {pull} file(s) to pull, {} to skip",
            self.files.len() - pull
        );
        for f in &self.files {
            let _ = writeln!(
                out,
                "  {:<5} {}  {}: {}",
                f.action, f.source, f.path, f.reason
            );
        }
        for w in &self.warnings {
            let _ = writeln!(out, "  warning: {w}");
        }
        let _ = writeln!(
            out,
            "\ntransform: {}",
            match &self.not_delta_because {
                None => "a delta run".to_string(),
                Some(why) => format!("not a delta run: {why}"),
            }
        );
        let width = self.models.iter().map(|m| m.name.len()).max().unwrap_or(0);
        for m in &self.models {
            let _ = writeln!(
                out,
                "  {:<width$}  {:<11} {}",
                m.name,
                m.mode.as_str(),
                m.reason
            );
        }
        let _ = writeln!(
            out,
            "\nwrites {} file(s) ({})",
            self.outputs.len(),
            self.outputs_note
        );
        for o in &self.outputs {
            let _ = writeln!(out, "  {o}");
        }
        out
    }
}
