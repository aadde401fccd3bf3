//! `homeward compile`: the models as plain SQL files, in run order, as a
//! full refresh runs them (to read, or to run in another engine).

use std::path::{Path, PathBuf};

use anyhow::Context;

use super::plan;
use crate::config::Settings;

/// Renders every model as a full refresh runs it, in run order, into
/// `dir/NNN_<model>.sql`. The SQL reads the raw layer as `raw_<entity>` and
/// the seeds as `seed_<name>`; each model's result is the table of its name.
pub fn compile(settings: &Settings, dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let catalogue = crate::indicators::load(&settings.model_paths)?;
    let plan = plan::plan(
        &settings.model_paths,
        &plan::globals(settings, &catalogue),
        &super::tables::source_names(),
    )?;
    std::fs::create_dir_all(dir).with_context(|| format!("{}", dir.display()))?;
    let mut files = Vec::new();
    for (i, model) in plan.models.iter().enumerate() {
        let path = dir.join(format!("{:03}_{}.sql", i + 1, model.name));
        std::fs::write(&path, format!("{}\n", model.sql.trim()))
            .with_context(|| format!("{}", path.display()))?;
        files.push(path);
    }
    Ok(files)
}
