//! The configuration file (`homeward.toml`) and the settings a run uses,
//! after command-line overrides.
//!
//! Invariant: secrets never come from the file. An unknown key or a wrong
//! type is an error naming the key, the file, the line and the column.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Deserialize;

use crate::privacy::{self, Pseudonymiser};

/// The file as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Warehouse URL or folder (relative to the config file).
    pub warehouse: String,
    /// Output folder for reports and `run.json` (always local).
    #[serde(default = "default_out")]
    pub out: String,
    /// Where the transform's SQL runs: `local` or `ballista://host:port`.
    #[serde(default)]
    pub engine: Engine,
    /// Where the drops arrive.
    #[serde(default)]
    pub sources: Vec<SourceConfig>,
    #[serde(default)]
    pub privacy: PrivacyConfig,
    #[serde(default)]
    pub transform: TransformConfig,
    #[serde(default)]
    pub indicators: IndicatorConfig,
    #[serde(default)]
    pub report: ReportConfig,
    /// What outputs that leave the organisation publish (docs/disclosure.md).
    #[serde(default)]
    pub disclosure: crate::disclosure::DisclosureConfig,
    #[serde(default)]
    pub run: RunConfig,
    #[serde(default)]
    pub schedule: ScheduleConfig,
    #[serde(default)]
    pub vacuum: VacuumConfig,
    #[serde(default)]
    pub alerts: AlertsConfig,
    #[serde(default)]
    pub notify: NotifyConfig,
    /// The reporting organisation and identifiers of the IATI file of each
    /// donor pack (docs/exports.md); without it no IATI file is written.
    #[serde(default)]
    pub iati: Option<IatiConfig>,
    /// DHIS2 data value sets (docs/exports.md); without it none is written.
    #[serde(default)]
    pub dhis2: Option<Dhis2Config>,
}

/// `[dhis2]`: where the mapping is and which periods are exported.
#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Dhis2Config {
    /// The folder of `data_elements.csv` and `org_units.csv`, relative to
    /// the config file.
    pub mapping: String,
    /// Periods to export (`2026-Q2`, `2026-04`, `2026`); default: the last
    /// complete quarter and year.
    #[serde(default)]
    pub periods: Vec<String>,
}

/// `[dhis2]` resolved: the mapping folder as a path.
#[derive(Debug, Clone)]
pub struct Dhis2Settings {
    pub mapping: PathBuf,
    pub periods: Vec<String>,
}

/// `[iati]`: what an IATI activity file says about who publishes it.
#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct IatiConfig {
    /// The reporting organisation's IATI identifier (e.g. `XM-DAC-47066`).
    pub reporting_org_ref: String,
    /// Its IATI organisation type code (e.g. `40`, multilateral).
    pub reporting_org_type: String,
    pub reporting_org_name: String,
    /// The DAC 5-digit purpose code of every activity (default 15190,
    /// facilitation of orderly, safe, regular and responsible migration).
    #[serde(default = "default_sector")]
    pub sector: String,
    /// Each donor's IATI organisation identifier, by its name in the
    /// projects reference data.
    #[serde(default)]
    pub donors: BTreeMap<String, String>,
    /// An activity identifier per project code; a project without one is
    /// `<reporting_org_ref>-<PRIMA id>` (or its project code without one).
    #[serde(default)]
    pub identifiers: BTreeMap<String, String>,
}

fn default_sector() -> String {
    "15190".into()
}

/// When a run warns or fails although every stage worked (docs/operations.md,
/// Alerts).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertsConfig {
    /// Source freshness, as in dbt: the age in days of the newest drop on
    /// the as-of date.
    pub warn_after_days: Option<u32>,
    pub error_after_days: Option<u32>,
    /// A file of this run rejected as a whole.
    #[serde(default = "default_rejected_file")]
    pub rejected_file: AlertLevelSetting,
    /// The share of this run's rows read that were quarantined.
    pub quarantine_warn_share: Option<f64>,
    pub quarantine_error_share: Option<f64>,
}

impl Default for AlertsConfig {
    fn default() -> Self {
        AlertsConfig {
            warn_after_days: None,
            error_after_days: None,
            rejected_file: default_rejected_file(),
            quarantine_warn_share: None,
            quarantine_error_share: None,
        }
    }
}

fn default_rejected_file() -> AlertLevelSetting {
    AlertLevelSetting::Warn
}

/// What an alert does: nothing, a warning, or a failed run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AlertLevelSetting {
    Ignore,
    Warn,
    Error,
}

/// Who hears of a run that failed or warned. Secrets (SMTP credentials)
/// come from the environment.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotifyConfig {
    /// The run statuses that send (default `failed` and `warned`).
    #[serde(default)]
    pub on: Vec<String>,
    /// An HTTP(S) URL that gets the run's summary as a JSON POST.
    pub webhook_url: Option<String>,
    pub email: Option<EmailConfig>,
}

/// An email by SMTP. `HOMEWARD_SMTP_USER` and `HOMEWARD_SMTP_PASSWORD`
/// log in when set.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmailConfig {
    pub smtp_host: String,
    #[serde(default = "default_smtp_port")]
    pub smtp_port: u16,
    /// `starttls` (default), `tls`, or `none` (a relay on the same host only).
    #[serde(default = "default_smtp_tls")]
    pub tls: String,
    pub from: String,
    pub to: Vec<String>,
}

fn default_smtp_port() -> u16 {
    587
}

fn default_smtp_tls() -> String {
    "starttls".into()
}

/// What `homeward vacuum` keeps: a transform is kept when it is one of the
/// newest `keep_transforms`, or was committed within `keep_days` days.
/// Every raw version and every manifest stays.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VacuumConfig {
    #[serde(default = "default_keep_transforms")]
    pub keep_transforms: usize,
    #[serde(default = "default_keep_days")]
    pub keep_days: u32,
}

impl Default for VacuumConfig {
    fn default() -> Self {
        VacuumConfig {
            keep_transforms: default_keep_transforms(),
            keep_days: default_keep_days(),
        }
    }
}

fn default_keep_transforms() -> usize {
    7
}

fn default_keep_days() -> u32 {
    7
}

/// Where the transform's SQL runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub enum Engine {
    /// DataFusion in this process (the default).
    #[default]
    Local,
    /// An Apache DataFusion Ballista cluster: the scheduler's host and port.
    Ballista { host: String, port: u16 },
}

impl TryFrom<String> for Engine {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        if value == "local" {
            return Ok(Engine::Local);
        }
        let refuse =
            || format!("engine must be \"local\" or \"ballista://host:port\", not {value:?}");
        let rest = value.strip_prefix("ballista://").ok_or_else(refuse)?;
        let (host, port) = rest.rsplit_once(':').ok_or_else(refuse)?;
        let port: u16 = port.trim_end_matches('/').parse().map_err(|_| refuse())?;
        if host.is_empty() {
            return Err(refuse());
        }
        Ok(Engine::Ballista {
            host: host.to_string(),
            port,
        })
    }
}

impl std::fmt::Display for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Engine::Local => f.write_str("local"),
            Engine::Ballista { host, port } => write!(f, "ballista://{host}:{port}"),
        }
    }
}

/// `homeward schedule`: when to run and how to retry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleConfig {
    /// Cron expression, 5 fields (`0 2 * * *`) or 6 with seconds first;
    /// `--cron` overrides it.
    #[serde(default)]
    pub cron: Option<String>,
    /// IANA time zone the expression is read in (`Africa/Dakar`).
    #[serde(default = "default_timezone")]
    pub timezone: String,
    /// Attempts after a failed run, before waiting for the next time.
    #[serde(default = "default_retries")]
    pub retries: u32,
    /// Pause before the first retry; doubled for each further one.
    #[serde(default = "default_backoff")]
    pub retry_backoff_seconds: u64,
}

impl Default for ScheduleConfig {
    fn default() -> Self {
        ScheduleConfig {
            cron: None,
            timezone: default_timezone(),
            retries: default_retries(),
            retry_backoff_seconds: default_backoff(),
        }
    }
}

fn default_timezone() -> String {
    "UTC".into()
}

fn default_retries() -> u32 {
    3
}

fn default_backoff() -> u64 {
    60
}

/// What a run does when another run holds the warehouse's lock.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum OnLock {
    /// Exit at once with a message naming the other run.
    Fail,
    /// Wait for the lock, up to `lock_wait_seconds`.
    Wait,
}

/// The run lock (see `lock.rs`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunConfig {
    /// `fail` (default) or `wait` when another run holds the lock.
    #[serde(default = "default_on_lock")]
    pub on_lock: OnLock,
    /// How long `wait` waits before giving up.
    #[serde(default = "default_lock_wait")]
    pub lock_wait_seconds: u64,
    /// Lease of the lock: renewed every third of it while the run lives; a
    /// crashed run's lock expires after it.
    #[serde(default = "default_lease")]
    pub lease_seconds: u64,
}

impl Default for RunConfig {
    fn default() -> Self {
        RunConfig {
            on_lock: default_on_lock(),
            lock_wait_seconds: default_lock_wait(),
            lease_seconds: default_lease(),
        }
    }
}

fn default_on_lock() -> OnLock {
    OnLock::Fail
}

fn default_lock_wait() -> u64 {
    3600
}

fn default_lease() -> u64 {
    60
}

/// Report settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportConfig {
    /// Folder of the minijinja templates (relative to the config file).
    #[serde(default = "default_templates")]
    pub templates: String,
    /// The programme report's period (`2026-Q2`, `2026`, `2026-05`);
    /// default: the last complete quarter.
    #[serde(default)]
    pub period: Option<String>,
    /// Donor packs; with none, one per donor of the projects reference data.
    #[serde(default)]
    pub packs: Vec<PackConfig>,
    /// The formats each donor pack is written in (default: all six; IATI
    /// only with `[iati]`).
    #[serde(default = "PackFormat::all")]
    pub pack_formats: Vec<PackFormat>,
    /// The languages of the programme reports and donor packs, as BCP 47
    /// tags (`["en", "fr", "ar"]`): the first at today's paths, the others
    /// in a folder of their tag beside them (docs/languages.md).
    #[serde(default = "default_languages")]
    pub languages: Vec<String>,
}

fn default_languages() -> Vec<String> {
    vec![crate::report::locale::FALLBACK.to_string()]
}

impl Default for ReportConfig {
    fn default() -> Self {
        ReportConfig {
            templates: default_templates(),
            period: None,
            packs: vec![],
            pack_formats: PackFormat::all(),
            languages: default_languages(),
        }
    }
}

/// A format of the donor pack, and its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PackFormat {
    /// `pack.pdf`.
    Pdf,
    /// `pack.html`.
    Html,
    /// `pack.csv`.
    Csv,
    /// `pack.hxl.csv`.
    Hxl,
    /// `pack.xlsx`.
    Xlsx,
    /// `iati-activities.xml` (IATI 2.03 activities with their results);
    /// written only when `[iati]` is configured.
    Iati,
}

impl PackFormat {
    /// Every format, as reports.md lists them.
    pub fn all() -> Vec<PackFormat> {
        vec![
            PackFormat::Pdf,
            PackFormat::Html,
            PackFormat::Csv,
            PackFormat::Hxl,
            PackFormat::Xlsx,
            PackFormat::Iati,
        ]
    }

    /// The file name under the pack's folder.
    pub fn file(self) -> &'static str {
        match self {
            PackFormat::Pdf => "pack.pdf",
            PackFormat::Html => "pack.html",
            PackFormat::Csv => "pack.csv",
            PackFormat::Hxl => "pack.hxl.csv",
            PackFormat::Xlsx => "pack.xlsx",
            PackFormat::Iati => "iati-activities.xml",
        }
    }
}

/// One donor indicator pack: a donor's projects, or one project.
#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PackConfig {
    /// The pack's folder name: a donor or a project code.
    pub pack: String,
    /// The donor as named in the projects reference data (default: `pack`
    /// when `projects` is empty, else the projects' donors).
    #[serde(default)]
    pub donor: Option<String>,
    /// Project codes (default: every project of the donor).
    #[serde(default)]
    pub projects: Vec<String>,
    /// Periods (`2026-Q2`, `2026`, `2026-05`; default: the last complete
    /// quarter and the last complete year).
    #[serde(default)]
    pub periods: Vec<String>,
    /// The pack's own language (a BCP 47 tag with message files in
    /// `templates/locales/`): the pack is written in it alone, at the
    /// default paths. Unset: in every `[report] languages` entry.
    #[serde(default)]
    pub language: Option<String>,
}

fn default_templates() -> String {
    "templates".into()
}

/// The SQL models and the engine's limits.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransformConfig {
    /// Model folders, in order (relative to the config file).
    #[serde(default = "default_paths")]
    pub paths: Vec<String>,
    /// Memory the query engine may use before it spills to disk, in MiB.
    #[serde(default = "default_memory")]
    pub memory_limit_mb: usize,
    /// The folder of the project's code lists (`countries.csv`, ...), read
    /// by the pull and the SQL; `seeds` in the first model folder when unset.
    #[serde(default)]
    pub seeds: Option<String>,
}

impl Default for TransformConfig {
    fn default() -> Self {
        TransformConfig {
            paths: default_paths(),
            memory_limit_mb: default_memory(),
            seeds: None,
        }
    }
}

fn default_paths() -> Vec<String> {
    vec!["sql".into()]
}

fn default_memory() -> usize {
    512
}

/// Indicator settings: the survey's scoring table and threshold.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorConfig {
    /// Overall score at or above which reintegration counts as sustainable.
    #[serde(default = "default_threshold")]
    pub threshold: f64,
    /// The threshold k of disclosure control. Deprecated: use
    /// `disclosure.k`, which this is read as when that is not set.
    #[serde(default)]
    pub suppression_k: Option<u32>,
    /// A CSV `item,dimension,weight` replacing the shipped item weights.
    pub rss_items: Option<String>,
    /// A CSV `dimension,weight` replacing the shipped dimension weights.
    pub rss_dimensions: Option<String>,
}

impl Default for IndicatorConfig {
    fn default() -> Self {
        IndicatorConfig {
            threshold: default_threshold(),
            suppression_k: None,
            rss_items: None,
            rss_dimensions: None,
        }
    }
}

fn default_threshold() -> f64 {
    0.5
}

fn default_out() -> String {
    "out".into()
}

/// One source of drops.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceConfig {
    /// A name for messages; defaults to the URL.
    pub name: Option<String>,
    /// Folder or URL holding `<drop_id>/<entity>.<ext>`.
    pub url: String,
    /// Extra header names: `beneficiary_sex = "sex"`.
    #[serde(default)]
    pub aliases: BTreeMap<String, String>,
    /// Forces the CSV delimiter (`","`, `";"` or `"\t"`) instead of detecting it.
    pub delimiter: Option<String>,
}

/// Privacy settings. The key itself only ever comes from the environment.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivacyConfig {
    /// Use the public demo key when `HOMEWARD_PSEUDONYM_KEY` is unset. Only
    /// for sample and demo data: its pseudonyms protect nothing.
    #[serde(default)]
    pub demo_key: bool,
}

/// A configuration problem, with its place.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: cannot read the configuration: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{0}")]
    Other(String),
}

/// Line and column (1-based) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    (line, column)
}

/// The key written on line `line` (1-based) of a TOML text, with its table
/// (`transform.memory_limit_mb`), or the table a header line opens: what a
/// parse error's span points into. The parser's own message names the
/// expected type, not the key.
fn key_on_line(text: &str, line: usize) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let header = |l: &str| {
        let l = l.trim();
        l.starts_with('[')
            .then(|| l.trim_matches(|c| c == '[' || c == ']').trim().to_string())
    };
    let this = lines.get(line.checked_sub(1)?)?;
    if let Some(table) = header(this) {
        return Some(table);
    }
    let (key, _) = this.split_once('=')?;
    let key = key.trim().trim_matches('"').to_string();
    let table = lines[..line - 1].iter().rev().find_map(|l| header(l));
    Some(match table {
        Some(t) => format!("{t}.{key}"),
        None => key,
    })
}

impl ConfigFile {
    /// Parses a configuration text; `path` names it in errors.
    pub fn parse(text: &str, path: &str) -> Result<ConfigFile, ConfigError> {
        toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map_or((1, 1), |s| line_col(text, s.start));
            let message = e.message().trim();
            let message = match key_on_line(text, line).filter(|_| e.span().is_some()) {
                Some(key) => format!("`{key}`: {message}"),
                None => message.to_string(),
            };
            ConfigError::Invalid {
                path: path.to_string(),
                line,
                column,
                message,
            }
        })
    }

    /// Reads and parses a configuration file.
    pub fn load(path: &Path) -> Result<ConfigFile, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: path.display().to_string(),
            source,
        })?;
        ConfigFile::parse(&text, &path.display().to_string())
    }
}

/// A part of the reports to render (`homeward report --pack NAME --period P
/// --project CODE`); empty: everything.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Only this pack (no programme reports).
    pub pack: Option<String>,
    /// The period of the programme report and of each pack rendered.
    pub period: Option<String>,
    /// Only this project's programme report, and the packs that include it.
    pub project: Option<String>,
}

impl Selection {
    /// True when nothing is selected: every report is rendered.
    pub fn is_everything(&self) -> bool {
        self.pack.is_none() && self.period.is_none() && self.project.is_none()
    }
}

/// Command-line values that override the file.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub source: Option<String>,
    pub warehouse: Option<String>,
    pub out: Option<PathBuf>,
    pub as_of: Option<NaiveDate>,
    /// `local` or `ballista://host:port`, instead of `engine`.
    pub engine: Option<String>,
    /// Rebuild incremental models from the raw layer.
    pub full_refresh: bool,
    /// Resolve without a valid key (the demo key stands in): `homeward
    /// doctor` checks the key on its own line and goes on to the rest.
    pub without_key: bool,
}

/// The validated settings of a run.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Folder that relative paths of the file are taken from.
    pub base_dir: PathBuf,
    pub warehouse: String,
    pub out: PathBuf,
    pub sources: Vec<SourceConfig>,
    pub as_of: NaiveDate,
    pub pseudonyms: Pseudonymiser,
    /// True when the public demo key is in use.
    pub demo_key: bool,
    /// SQL model folders.
    pub model_paths: Vec<PathBuf>,
    /// Bytes the query engine may use.
    pub memory_limit: usize,
    /// Where the transform's SQL runs.
    pub engine: Engine,
    pub threshold: f64,
    /// Disclosure control of the outputs that leave the organisation.
    pub disclosure: crate::disclosure::Policy,
    pub rss_items: Vec<crate::codes::RssItem>,
    /// The project's code lists (`codes`): what the pull accepts and the
    /// SQL's seed tables.
    pub codes: &'static crate::codes::Codes,
    /// Dimension and its weight in the overall score.
    pub rss_dimensions: Vec<(String, f64)>,
    /// Template folder.
    pub templates: PathBuf,
    /// The programme report's period, when not the default.
    pub report_period: Option<String>,
    /// `homeward report --pack/--period/--project`: what to render.
    pub select: Selection,
    /// Configured donor packs (empty: one per donor).
    pub packs: Vec<PackConfig>,
    /// The formats donor packs are written in.
    pub pack_formats: Vec<PackFormat>,
    /// The reports' languages, the default first (`[report] languages`).
    pub languages: Vec<String>,
    /// `[iati]`, when configured.
    pub iati: Option<IatiConfig>,
    /// `[dhis2]`, when configured.
    pub dhis2: Option<Dhis2Settings>,
    /// What `homeward vacuum` keeps.
    pub vacuum: VacuumConfig,
    pub alerts: AlertsConfig,
    pub notify: NotifyConfig,
    /// The run lock's settings.
    pub run: RunConfig,
    /// `homeward schedule`'s settings.
    pub schedule: ScheduleConfig,
    /// Rebuild incremental models from the raw layer (`--full-refresh`).
    pub full_refresh: bool,
}

fn read_weights(base: &Path, file: &str, columns: usize) -> Result<Vec<Vec<String>>, ConfigError> {
    let path = base.join(file);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(&path)
        .map_err(|e| ConfigError::Other(format!("{}: {e}", path.display())))?;
    let mut rows = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.map_err(|e| ConfigError::Other(format!("{}: {e}", path.display())))?;
        if rec.len() < columns {
            return Err(ConfigError::Other(format!(
                "{}:{}: expected {columns} columns",
                path.display(),
                i + 2
            )));
        }
        rows.push(rec.iter().map(|s| s.trim().to_string()).collect());
    }
    Ok(rows)
}

fn weight(path: &str, line: usize, s: &str) -> Result<f64, ConfigError> {
    s.parse::<f64>().ok().filter(|w| *w >= 0.0).ok_or_else(|| {
        ConfigError::Other(format!(
            "{path}:{line}: weight must be a number >= 0, not {s:?}"
        ))
    })
}

/// The folder a configuration file's relative paths start from.
pub fn config_dir(config_path: &Path) -> PathBuf {
    config_path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf()
}

impl Settings {
    /// Loads the file, applies overrides and reads the key from the
    /// environment. Refuses to start without a key unless the file allows the
    /// demo key.
    pub fn resolve(config_path: &Path, over: Overrides) -> Result<Settings, ConfigError> {
        let file = ConfigFile::load(config_path)?;
        let base_dir = config_dir(config_path);
        let cwd = std::env::current_dir().map_err(|e| ConfigError::Other(e.to_string()))?;
        let absolute = |s: &str, from: &Path| -> String {
            if s.contains("://") {
                s.to_string()
            } else {
                from.join(s).display().to_string()
            }
        };
        let mut sources = file.sources.clone();
        for s in &mut sources {
            s.url = absolute(&s.url, &base_dir);
        }
        if let Some(url) = &over.source {
            sources = vec![SourceConfig {
                name: None,
                url: absolute(url, &cwd),
                aliases: file
                    .sources
                    .first()
                    .map(|s| s.aliases.clone())
                    .unwrap_or_default(),
                delimiter: None,
            }];
        }
        for s in &sources {
            if let Some(d) = &s.delimiter
                && !matches!(d.as_str(), "," | ";" | "\t")
            {
                return Err(ConfigError::Other(format!(
                    "{}: sources.delimiter must be \",\", \";\" or \"\\t\", not {d:?}",
                    config_path.display()
                )));
            }
        }
        let warehouse = match &over.warehouse {
            Some(w) => absolute(w, &cwd),
            None => absolute(&file.warehouse, &base_dir),
        };
        let out = match &over.out {
            Some(o) => cwd.join(o),
            None => base_dir.join(&file.out),
        };
        let as_of = over
            .as_of
            .unwrap_or_else(|| chrono::Utc::now().date_naive());
        let engine = match &over.engine {
            Some(e) => Engine::try_from(e.clone())
                .map_err(|e| ConfigError::Other(format!("--engine (or HOMEWARD_ENGINE): {e}")))?,
            None => file.engine.clone(),
        };
        let key = match privacy::key_from_env() {
            Ok(Some((key, _))) if over.without_key && key.len() < privacy::MIN_KEY_LEN => None,
            Err(_) if over.without_key => None,
            other => other.map_err(ConfigError::Other)?,
        };
        let (pseudonyms, demo_key) = match key {
            Some((key, _)) if key.len() >= privacy::MIN_KEY_LEN => {
                (Pseudonymiser::new(key.as_bytes()), false)
            }
            Some((_, from)) => {
                return Err(ConfigError::Other(format!(
                    "the key in {from} is shorter than {} bytes: use a long random secret",
                    privacy::MIN_KEY_LEN
                )));
            }
            None if file.privacy.demo_key || over.without_key => {
                (Pseudonymiser::new(privacy::DEMO_KEY), file.privacy.demo_key)
            }
            None => {
                return Err(ConfigError::Other(format!(
                    "{} is not set (nor {}): case ids are pseudonymised with a secret key from the environment \
                     (only a sample configuration may set `privacy.demo_key = true`)",
                    privacy::KEY_VAR,
                    privacy::KEY_FILE_VAR
                )));
            }
        };
        let mut disclosure = file.disclosure.clone();
        match (file.indicators.suppression_k, disclosure.k) {
            (Some(old), Some(new)) if old != new => {
                return Err(ConfigError::Other(format!(
                    "{}: `indicators.suppression_k` ({old}) and `disclosure.k` ({new}) differ: \
                     remove `indicators.suppression_k`, which `disclosure.k` replaces",
                    config_path.display()
                )));
            }
            (Some(old), None) => disclosure.k = Some(old),
            _ => {}
        }
        let disclosure = crate::disclosure::Policy::resolve(&disclosure, &base_dir)
            .map_err(|e| ConfigError::Other(format!("{}: {e}", config_path.display())))?;
        let seeds_dir = match &file.transform.seeds {
            Some(dir) => base_dir.join(dir),
            None => base_dir
                .join(file.transform.paths.first().map_or("sql", String::as_str))
                .join("seeds"),
        };
        if file.transform.seeds.is_some() && !seeds_dir.is_dir() {
            return Err(ConfigError::Other(format!(
                "{}: transform.seeds: {} is not a folder",
                config_path.display(),
                seeds_dir.display()
            )));
        }
        let codes = crate::codes::Codes::load(Some(&seeds_dir))
            .map_err(|e| ConfigError::Other(e.to_string()))?;
        let rss_items = match &file.indicators.rss_items {
            None => codes.rss_items.clone(),
            Some(f) => read_weights(&base_dir, f, 3)?
                .into_iter()
                .enumerate()
                .map(|(i, r)| {
                    Ok(crate::codes::RssItem {
                        item: r[0].clone(),
                        dimension: r[1].clone(),
                        weight: weight(f, i + 2, &r[2])?,
                    })
                })
                .collect::<Result<_, ConfigError>>()?,
        };
        let rss_dimensions = match &file.indicators.rss_dimensions {
            None => codes.rss_dimensions.clone(),
            Some(f) => read_weights(&base_dir, f, 2)?
                .into_iter()
                .enumerate()
                .map(|(i, r)| Ok((r[0].clone(), weight(f, i + 2, &r[1])?)))
                .collect::<Result<_, ConfigError>>()?,
        };
        let bad = |what: String| ConfigError::Other(format!("{}: {what}", config_path.display()));
        for share in [
            file.alerts.quarantine_warn_share,
            file.alerts.quarantine_error_share,
        ]
        .into_iter()
        .flatten()
        {
            if !(0.0..=1.0).contains(&share) {
                return Err(bad(format!(
                    "alerts.quarantine_*_share must be between 0 and 1, not {share}"
                )));
            }
        }
        for on in &file.notify.on {
            if !matches!(on.as_str(), "failed" | "warned" | "succeeded" | "stopped") {
                return Err(bad(format!(
                    "notify.on: {on:?} is not a run status (failed, warned, succeeded, stopped)"
                )));
            }
        }
        if let Some(e) = &file.notify.email
            && !matches!(e.tls.as_str(), "starttls" | "tls" | "none")
        {
            return Err(bad(format!(
                "notify.email.tls must be \"starttls\", \"tls\" or \"none\", not {:?}",
                e.tls
            )));
        }
        Ok(Settings {
            templates: base_dir.join(&file.report.templates),
            report_period: file.report.period.clone(),
            select: Selection::default(),
            packs: file.report.packs.clone(),
            pack_formats: file.report.pack_formats.clone(),
            languages: file.report.languages.clone(),
            iati: file.iati.clone(),
            dhis2: file.dhis2.as_ref().map(|d| Dhis2Settings {
                mapping: base_dir.join(&d.mapping),
                periods: d.periods.clone(),
            }),
            run: file.run.clone(),
            alerts: file.alerts.clone(),
            notify: file.notify.clone(),
            vacuum: VacuumConfig {
                // The newest transform is what the next run builds on.
                keep_transforms: file.vacuum.keep_transforms.max(1),
                ..file.vacuum.clone()
            },
            schedule: file.schedule.clone(),
            full_refresh: over.full_refresh,
            model_paths: file
                .transform
                .paths
                .iter()
                .map(|p| base_dir.join(p))
                .collect(),
            memory_limit: file.transform.memory_limit_mb * 1024 * 1024,
            engine,
            threshold: file.indicators.threshold,
            disclosure,
            rss_items,
            rss_dimensions,
            codes,
            base_dir,
            warehouse,
            out,
            sources,
            as_of,
            pseudonyms,
            demo_key,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_is_local_or_a_ballista_scheduler() {
        let parse = |e: &str| {
            ConfigFile::parse(&format!("warehouse = \"w\"\nengine = \"{e}\"\n"), "c.toml")
        };
        assert_eq!(parse("local").unwrap().engine, Engine::Local);
        assert_eq!(
            parse("ballista://sched.internal:50050").unwrap().engine,
            Engine::Ballista {
                host: "sched.internal".into(),
                port: 50050
            }
        );
        for bad in [
            "ballista://nohost",
            "spark://h:1",
            "ballista://:1",
            "ballista://h:99999",
        ] {
            let err = parse(bad).unwrap_err().to_string();
            assert!(
                err.starts_with("c.toml:2:") && err.contains("engine must be"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn unknown_key_names_key_line_and_column() {
        let text = "warehouse = \"w\"\n\n[[sources]]\nurl = \"d\"\nurll = \"x\"\n";
        let err = ConfigFile::parse(text, "homeward.toml")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("homeward.toml:5:1: `sources.urll`:"),
            "{err}"
        );
    }

    #[test]
    fn wrong_type_names_the_key() {
        let err = ConfigFile::parse("warehouse = 3\n", "c.toml")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("c.toml:1:13: `warehouse`:"), "{err}");
        assert!(err.contains("string"), "{err}");
        let err = ConfigFile::parse(
            "warehouse = \"w\"\n[transform]\nmemory_limit_mb = \"x\"\n",
            "c.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("c.toml:3:19: `transform.memory_limit_mb`:"),
            "{err}"
        );
    }

    #[test]
    fn sources_and_aliases() {
        let c = ConfigFile::parse(
            "warehouse = \"w\"\n[[sources]]\nurl = \"d\"\n[sources.aliases]\nbeneficiary_sex = \"sex\"\n",
            "c.toml",
        )
        .unwrap();
        assert_eq!(c.sources[0].aliases["beneficiary_sex"], "sex");
        assert_eq!(c.out, "out");
        assert!(!c.privacy.demo_key);
    }
}
