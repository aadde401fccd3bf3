//! Notifications: the run's summary to a webhook (HTTP POST of JSON) and by
//! email (SMTP, through `lettre`) when its status is one of `[notify] on`
//! (default: `failed` and `warned`). The summary is the run record's
//! outline: statuses, counts, alerts and errors, which never hold a cell
//! value of a personal field; no file of data is attached.

use std::time::Duration;

use serde::Serialize;

use crate::config::{EmailConfig, NotifyConfig};
use crate::warehouse::records::{Alert, RunRecord};

/// Environment variables with the SMTP login.
pub const SMTP_USER_VAR: &str = "HOMEWARD_SMTP_USER";
pub const SMTP_PASSWORD_VAR: &str = "HOMEWARD_SMTP_PASSWORD";

/// What a notification says.
#[derive(Debug, Serialize)]
pub struct Summary<'a> {
    pub run_id: &'a str,
    pub command: &'a str,
    pub as_of: &'a str,
    pub status: &'a str,
    pub error: Option<&'a str>,
    pub alerts: &'a [Alert],
    pub stages: Vec<StageLine<'a>>,
    pub files_pulled: u64,
    pub files_rejected: u64,
    pub rows_read: u64,
    pub rows_loaded: u64,
    pub rows_quarantined: u64,
    /// The run's folder of outputs, with its `index.html`.
    pub out_dir: String,
}

/// One stage in a summary.
#[derive(Debug, Serialize)]
pub struct StageLine<'a> {
    pub name: &'a str,
    pub status: &'a str,
    pub seconds: f64,
}

impl<'a> Summary<'a> {
    /// The summary of a finished run.
    pub fn of(record: &'a RunRecord, out_dir: &std::path::Path) -> Summary<'a> {
        Summary {
            run_id: &record.run_id,
            command: &record.command,
            as_of: &record.as_of,
            status: record.status.as_str(),
            error: record.error.as_deref(),
            alerts: &record.alerts,
            stages: record
                .stages
                .iter()
                .map(|s| StageLine {
                    name: &s.name,
                    status: s.status.as_str(),
                    seconds: s.seconds,
                })
                .collect(),
            files_pulled: record.totals.files_pulled,
            files_rejected: record.totals.files_rejected,
            rows_read: record.totals.rows_read,
            rows_loaded: record.totals.rows_loaded,
            rows_quarantined: record.totals.rows_quarantined,
            out_dir: out_dir.display().to_string(),
        }
    }

    /// The subject line of an email.
    pub fn subject(&self) -> String {
        let why = self
            .alerts
            .first()
            .map(|a| a.message.clone())
            .or(self.error.map(str::to_string))
            .unwrap_or_default();
        let why: String = why.chars().take(120).collect();
        format!(
            "Homeward {} {} {}: {why}",
            self.command, self.as_of, self.status
        )
    }

    /// The body of an email: one fact per line.
    pub fn text(&self) -> String {
        let mut out = format!(
            "Homeward {} for as-of {}: {}\nrun {}\n\n",
            self.command, self.as_of, self.status, self.run_id
        );
        if let Some(e) = self.error {
            out.push_str(&format!("error: {e}\n"));
        }
        for a in self.alerts {
            out.push_str(&format!(
                "alert ({}, {}): {}\n",
                a.check, a.level, a.message
            ));
        }
        out.push('\n');
        for s in &self.stages {
            out.push_str(&format!(
                "{:<10} {:<10} {:.1} s\n",
                s.name, s.status, s.seconds
            ));
        }
        out.push_str(&format!(
            "\nfiles pulled {}, rejected {}; rows read {}, loaded {}, quarantined {}\noutputs: {}/index.html\n",
            self.files_pulled,
            self.files_rejected,
            self.rows_read,
            self.rows_loaded,
            self.rows_quarantined,
            self.out_dir
        ));
        out
    }
}

/// Sends the summary where `cfg` says, if the run's status calls for it.
/// Returns what could not be sent, as warnings: a notification that fails
/// does not fail the run it reports on.
pub async fn send(cfg: &NotifyConfig, summary: &Summary<'_>) -> Vec<String> {
    let on: Vec<&str> = if cfg.on.is_empty() {
        vec!["failed", "warned"]
    } else {
        cfg.on.iter().map(String::as_str).collect()
    };
    if !on.contains(&summary.status) {
        return vec![];
    }
    let mut warnings = Vec::new();
    if let Some(url) = &cfg.webhook_url
        && let Err(e) = webhook(url, summary).await
    {
        warnings.push(format!("notify: webhook {url}: {}", crate::error_text(&e)));
    }
    if let Some(email_cfg) = &cfg.email
        && let Err(e) = email(email_cfg, summary).await
    {
        warnings.push(format!(
            "notify: email via {}: {}",
            email_cfg.smtp_host,
            crate::error_text(&e)
        ));
    }
    for w in &warnings {
        tracing::warn!("{w}");
    }
    warnings
}

async fn webhook(url: &str, summary: &Summary<'_>) -> anyhow::Result<()> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()?;
    let response = client
        .post(url)
        .header("content-type", "application/json")
        .body(serde_json::to_vec(summary)?)
        .send()
        .await?;
    anyhow::ensure!(
        response.status().is_success(),
        "the server answered {}",
        response.status()
    );
    tracing::info!(url, "notified the webhook");
    Ok(())
}

async fn email(cfg: &EmailConfig, summary: &Summary<'_>) -> anyhow::Result<()> {
    use lettre::message::header::ContentType;
    use lettre::transport::smtp::authentication::Credentials;
    use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

    let mut message = Message::builder()
        .from(cfg.from.parse()?)
        .subject(summary.subject())
        .header(ContentType::TEXT_PLAIN);
    for to in &cfg.to {
        message = message.to(to.parse()?);
    }
    let message = message.body(summary.text())?;
    let builder = match cfg.tls.as_str() {
        "tls" => AsyncSmtpTransport::<Tokio1Executor>::relay(&cfg.smtp_host)?,
        "none" => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&cfg.smtp_host),
        _ => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&cfg.smtp_host)?,
    };
    let mut builder = builder
        .port(cfg.smtp_port)
        .timeout(Some(Duration::from_secs(20)));
    if let (Ok(user), Ok(password)) = (
        std::env::var(SMTP_USER_VAR),
        std::env::var(SMTP_PASSWORD_VAR),
    ) {
        builder = builder.credentials(Credentials::new(user, password));
    }
    builder.build().send(message).await?;
    tracing::info!(to = ?cfg.to, "notified by email");
    Ok(())
}
