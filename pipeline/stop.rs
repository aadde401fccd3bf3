//! Stopping: the signals every job command honours, the stop flag, and
//! the error of a run that stopped. The bottom floor for `lock`,
//! `schedule` and the run itself.
//!
//! The first SIGTERM or Ctrl-C asks the job to stop; the stage that is
//! running finishes (its commit is atomic either way) and no further stage
//! starts. A second signal exits at once (status 130), which the commit
//! protocol also makes safe (docs/operations.md).

use std::sync::LazyLock;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::Notify;

/// A run stopped by SIGTERM or Ctrl-C between stages: what finished is
/// committed, the named stage and those after it did not start.
#[derive(Debug, thiserror::Error)]
#[error(
    "stopped by a signal before the {0} stage; the stages before it are committed, nothing of it was written"
)]
pub struct Stopped(pub &'static str);

static STOP: AtomicBool = AtomicBool::new(false);
static STOPPED: LazyLock<Notify> = LazyLock::new(Notify::new);

/// True once SIGTERM or Ctrl-C has asked the process to stop.
pub fn stop_requested() -> bool {
    STOP.load(Ordering::SeqCst)
}

/// Asks running jobs to stop after their current stage.
pub fn request_stop() {
    STOP.store(true, Ordering::SeqCst);
    STOPPED.notify_waiters();
}

/// Resolves once a stop has been asked for.
pub async fn stopped() {
    loop {
        let notified = STOPPED.notified();
        if stop_requested() {
            return;
        }
        notified.await;
    }
}

/// Listens for SIGTERM and Ctrl-C: the first asks for a stop, the second
/// exits at once (status 130).
pub fn install_signal_handlers() {
    tokio::spawn(async {
        let mut signals = 0;
        loop {
            let name = wait_for_signal().await;
            signals += 1;
            if signals == 1 {
                tracing::warn!(
                    "{name}: stopping after the current stage (send it again to stop now)"
                );
                request_stop();
            } else {
                tracing::warn!("{name} again: stopping now");
                std::process::exit(130);
            }
        }
    });
}

#[cfg(unix)]
async fn wait_for_signal() -> &'static str {
    use tokio::signal::unix::{SignalKind, signal};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => tokio::select! {
            _ = term.recv() => "SIGTERM",
            _ = tokio::signal::ctrl_c() => "SIGINT",
        },
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
            "SIGINT"
        }
    }
}

#[cfg(not(unix))]
async fn wait_for_signal() -> &'static str {
    let _ = tokio::signal::ctrl_c().await;
    "Ctrl-C"
}

/// `Err(Stopped(stage))` when a stop has been asked for: called before a
/// stage (or a wait) starts.
pub fn check(stage: &'static str) -> Result<(), Stopped> {
    if stop_requested() {
        tracing::warn!("stopping before the {stage} stage");
        return Err(Stopped(stage));
    }
    Ok(())
}
