//! Integration tests: each module drives the real `homeward` binary.

mod common;
// Generated messy drops: exact counts per file and reason, skip and re-pull.
mod pull_generated;
// A hand-written drop set: every raw row and quarantined row checked by hand.
mod pull_handwritten;
// Hostile files: each rejected with a clear error, the run goes on.
mod pull_hostile;
// No name or raw case id reaches Parquet, logs or run.json.
mod privacy;
// SQL models: hand-computed indicator values, invariants, extra indicators, plan errors.
mod transform;
// Project code lists: edited seeds change the pull and the SQL.
mod code_lists;
// Reports: layout, snapshots, disclosure control, PDF, markup safety, browser, privacy.
mod report;
// Reports in French and Arabic: snapshots, right to left in a real browser.
mod languages;
// Exchange formats: IATI against its schema and codelists, value by value.
mod exports;
// Disclosure control attacked: differences of releases, periods and totals.
mod disclosure;
// Operations: the run lock and `homeward runs`.
mod operations;
// Freshness and alerts, sent to real HTTP and SMTP servers on 127.0.0.1.
mod notify;
// `homeward plan` says what the run then does.
mod plan;
// `homeward vacuum`: old transforms go, what is read stays, kills are safe.
mod vacuum;
// Object storage: a real S3-compatible server on 127.0.0.1.
mod s3;
// Crash safety: SIGKILL at 22 points, then a rerun with identical indicators.
mod crash;
// Incremental runs against --full-refresh and a fresh warehouse.
mod incremental;
// The distributed engine: Ballista scheduler and executor on 127.0.0.1.
#[cfg(feature = "cluster")]
mod ballista;
