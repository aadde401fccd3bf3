//! The run lock: two runs never write to one warehouse at once.
//!
//! The lock is one object, `_lock/run.json`, holding a lease: who holds it
//! (run id, command, host, process) and until when. It is taken with a
//! create-only put, so of two runs starting together exactly one gets it.
//! While the run lives a heartbeat renews the lease every third of its
//! length; a run that crashed stops renewing, and once its lease has expired
//! the next run removes the stale lock and takes it. A lock whose holder ran
//! on this host (same host name) as a process that no longer exists is stale
//! at once: a killed run does not block the retry on the same machine for a
//! whole lease. A run that finds a live
//! lock exits with a message naming the holder, or waits (`[run] on_lock`).
//!
//! Known limit: two runs that find the *same* stale lock in the same instant
//! may both remove it; the create-only put still lets only one of them take
//! the new lock, but the loser may delete the winner's lock first. The
//! manifests' create-only commits keep the warehouse consistent even then.

use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::config::{OnLock, RunConfig};
use crate::stop::{Stopped, stop_requested};
use crate::storage::Location;
use crate::warehouse::LOCK_PATH;

/// The lock's content.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Lease {
    pub run_id: String,
    pub command: String,
    pub host: String,
    pub pid: u32,
    pub acquired_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

impl Lease {
    fn describe(&self) -> String {
        format!(
            "run {} ({} on {}, process {}, since {}, lease until {})",
            self.run_id,
            self.command,
            self.host,
            self.pid,
            self.acquired_at.format("%Y-%m-%d %H:%M:%S UTC"),
            self.expires_at.format("%Y-%m-%d %H:%M:%S UTC")
        )
    }
}

impl Lease {
    /// True when the holder ran on this host and its process has ended. Only
    /// decidable where `/proc` lists processes (Linux); elsewhere the lease
    /// alone decides.
    fn holder_is_gone(&self) -> bool {
        let proc = std::path::Path::new("/proc");
        self.host == host()
            && self.pid != std::process::id()
            && proc.join("self").exists()
            && !proc.join(self.pid.to_string()).exists()
    }
}

/// A held lock; [`RunLock::release`] gives it back. Dropped without release
/// (a panic), the heartbeat stops and the lease expires on its own.
pub struct RunLock {
    wh: Location,
    run_id: String,
    stop: watch::Sender<bool>,
    heartbeat: Option<JoinHandle<()>>,
}

fn host() -> String {
    std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "unknown-host".into())
}

fn lease_for(run_id: &str, command: &str, acquired_at: DateTime<Utc>, length: Duration) -> Lease {
    let now = Utc::now();
    Lease {
        run_id: run_id.to_string(),
        command: command.to_string(),
        host: host(),
        pid: std::process::id(),
        acquired_at,
        expires_at: now
            + chrono::Duration::from_std(length).unwrap_or(chrono::Duration::seconds(60)),
    }
}

/// Who holds the warehouse's lock now, for `homeward doctor`.
pub enum LockState {
    Free,
    /// A live lease: a run is going (or its holder died less than a lease
    /// ago).
    Held(String),
    /// A lease the next run will take over.
    Stale(String),
}

/// Reads the lock without taking it.
pub async fn state(wh: &Location) -> anyhow::Result<LockState> {
    let bytes = match wh.get_bytes(LOCK_PATH).await {
        Ok(b) => b,
        Err(e)
            if e.chain().any(|c| {
                matches!(
                    c.downcast_ref::<datafusion::object_store::Error>(),
                    Some(datafusion::object_store::Error::NotFound { .. })
                )
            }) =>
        {
            return Ok(LockState::Free);
        }
        Err(e) => return Err(e),
    };
    let lease: Lease = serde_json::from_slice(&bytes)
        .with_context(|| format!("{}/{LOCK_PATH}: not a lock record", wh.url))?;
    Ok(if lease.expires_at < Utc::now() || lease.holder_is_gone() {
        LockState::Stale(lease.describe())
    } else {
        LockState::Held(lease.describe())
    })
}

/// Takes the warehouse's lock for `run_id`, or fails (or waits) as configured.
pub async fn acquire(
    wh: &Location,
    run_id: &str,
    command: &str,
    cfg: &RunConfig,
) -> anyhow::Result<RunLock> {
    let length = Duration::from_secs(cfg.lease_seconds.max(3));
    let deadline = tokio::time::Instant::now() + Duration::from_secs(cfg.lock_wait_seconds);
    let acquired_at = Utc::now();
    loop {
        let lease = lease_for(run_id, command, acquired_at, length);
        if wh
            .put_create(LOCK_PATH, serde_json::to_vec_pretty(&lease)?)
            .await?
        {
            break;
        }
        let held: Option<Lease> = match wh.get_bytes(LOCK_PATH).await {
            Ok(bytes) => serde_json::from_slice(&bytes).ok(),
            // Released between our put and our read: try again.
            Err(_) => continue,
        };
        match held {
            Some(h) if h.expires_at > Utc::now() && !h.holder_is_gone() => {
                let message = format!(
                    "the warehouse {} is locked by {}; {}",
                    wh.url,
                    h.describe(),
                    match cfg.on_lock {
                        OnLock::Fail =>
                            "this run stops without writing (set [run] on_lock = \"wait\" to wait)"
                                .to_string(),
                        OnLock::Wait => format!("waited {} s, giving up", cfg.lock_wait_seconds),
                    }
                );
                if cfg.on_lock == OnLock::Fail || tokio::time::Instant::now() >= deadline {
                    anyhow::bail!(message);
                }
                if stop_requested() {
                    return Err(Stopped("lock").into());
                }
                tracing::info!("waiting for the run lock held by {}", h.describe());
                let pause = Duration::from_millis(500)
                    .max(length / 10)
                    .min(Duration::from_secs(5));
                tokio::time::sleep(pause).await;
            }
            stale => {
                let why = match &stale {
                    Some(h) if h.expires_at > Utc::now() => "its process has ended",
                    Some(_) => "its lease has expired",
                    None => "it cannot be read",
                };
                let who = stale.map_or_else(|| "an unreadable lock".to_string(), |h| h.describe());
                tracing::warn!(
                    "removing the stale run lock of {who} ({why}): that run stopped without releasing it"
                );
                wh.delete(LOCK_PATH).await?;
            }
        }
    }
    let (stop, mut stopped) = watch::channel(false);
    let heartbeat = {
        let wh = wh.clone();
        let run_id = run_id.to_string();
        let command = command.to_string();
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = tokio::time::sleep(length / 3) => {}
                    _ = stopped.changed() => return,
                }
                let lease = lease_for(&run_id, &command, acquired_at, length);
                let still_ours = match wh.get_bytes(LOCK_PATH).await {
                    Ok(b) => serde_json::from_slice::<Lease>(&b).is_ok_and(|l| l.run_id == run_id),
                    Err(_) => false,
                };
                if !still_ours {
                    tracing::error!(
                        "run {run_id} lost the warehouse lock; its commits stay create-only"
                    );
                    return;
                }
                match serde_json::to_vec_pretty(&lease) {
                    Ok(body) => {
                        if let Err(e) = wh.put_bytes(LOCK_PATH, body).await {
                            tracing::warn!("cannot renew the run lock: {}", crate::error_text(&e));
                        }
                    }
                    Err(e) => tracing::warn!("cannot renew the run lock: {e}"),
                }
            }
        })
    };
    Ok(RunLock {
        wh: wh.clone(),
        run_id: run_id.to_string(),
        stop,
        heartbeat: Some(heartbeat),
    })
}

impl RunLock {
    /// Stops the heartbeat and removes the lock, if it is still this run's.
    pub async fn release(mut self) -> anyhow::Result<()> {
        let _ = self.stop.send(true);
        if let Some(h) = self.heartbeat.take() {
            let _ = h.await;
        }
        let ours = match self.wh.get_bytes(LOCK_PATH).await {
            Ok(b) => serde_json::from_slice::<Lease>(&b).is_ok_and(|l| l.run_id == self.run_id),
            Err(_) => false,
        };
        if ours {
            self.wh
                .delete(LOCK_PATH)
                .await
                .context("cannot release the run lock")?;
        }
        Ok(())
    }
}

impl Drop for RunLock {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(on_lock: OnLock, wait: u64) -> RunConfig {
        RunConfig {
            on_lock,
            lock_wait_seconds: wait,
            lease_seconds: 3,
        }
    }

    #[tokio::test]
    async fn one_holder_at_a_time_and_a_stale_lock_expires() {
        let dir = tempfile::tempdir().unwrap();
        let wh = Location::open(dir.path().to_str().unwrap(), dir.path(), true).unwrap();
        let a = acquire(&wh, "run-a", "run", &cfg(OnLock::Fail, 0))
            .await
            .unwrap();
        let err = acquire(&wh, "run-b", "run", &cfg(OnLock::Fail, 0))
            .await
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("locked by run run-a"), "{err}");
        a.release().await.unwrap();
        let b = acquire(&wh, "run-b", "run", &cfg(OnLock::Fail, 0))
            .await
            .unwrap();
        b.release().await.unwrap();
        // A crashed run's lock: expired a minute ago.
        let stale = Lease {
            run_id: "crashed".into(),
            command: "run".into(),
            host: "h".into(),
            pid: 1,
            acquired_at: Utc::now() - chrono::Duration::minutes(10),
            expires_at: Utc::now() - chrono::Duration::minutes(1),
        };
        wh.put_bytes(LOCK_PATH, serde_json::to_vec(&stale).unwrap())
            .await
            .unwrap();
        let c = acquire(&wh, "run-c", "run", &cfg(OnLock::Fail, 0))
            .await
            .unwrap();
        c.release().await.unwrap();
    }

    #[test]
    fn a_lock_of_an_ended_process_on_this_host_is_stale_at_once() {
        let ended = std::process::Command::new("true")
            .spawn()
            .and_then(|mut c| c.wait().map(|_| c.id()));
        let Ok(pid) = ended else { return };
        let lease = |host: String, pid: u32| Lease {
            run_id: "r".into(),
            command: "run".into(),
            host,
            pid,
            acquired_at: Utc::now(),
            expires_at: Utc::now() + chrono::Duration::minutes(10),
        };
        if std::path::Path::new("/proc/self").exists() {
            assert!(lease(host(), pid).holder_is_gone());
        }
        // A live process here, or any process elsewhere, holds its lease.
        assert!(!lease(host(), std::process::id()).holder_is_gone());
        assert!(!lease("another-host".into(), pid).holder_is_gone());
    }

    #[tokio::test]
    async fn a_waiting_run_gets_the_lock_when_it_is_released() {
        let dir = tempfile::tempdir().unwrap();
        let wh = Location::open(dir.path().to_str().unwrap(), dir.path(), true).unwrap();
        let a = acquire(&wh, "run-a", "run", &cfg(OnLock::Fail, 0))
            .await
            .unwrap();
        let wh2 = wh.clone();
        let waiter =
            tokio::spawn(
                async move { acquire(&wh2, "run-b", "run", &cfg(OnLock::Wait, 30)).await },
            );
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(!waiter.is_finished());
        a.release().await.unwrap();
        let b = waiter.await.unwrap().unwrap();
        b.release().await.unwrap();
    }
}
