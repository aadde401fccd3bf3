//! Pseudonymisation of case ids: HMAC-SHA-256 keyed from the environment.
//!
//! Invariant: a raw `case_id` or `lead_case_id` never reaches Parquet, a log
//! line or a report; only [`Pseudonymiser::pseudonym`] of it does.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Environment variable holding the pseudonymisation key.
pub const KEY_VAR: &str = "HOMEWARD_PSEUDONYM_KEY";

/// Environment variable naming a file that holds the key (a mounted
/// secret: Kubernetes, Docker, systemd credentials).
pub const KEY_FILE_VAR: &str = "HOMEWARD_PSEUDONYM_KEY_FILE";

/// The key from the environment, with where it came from: the variable, or
/// the file the `_FILE` variable names (one trailing line break removed).
/// Both set is an error: which one is meant cannot be guessed.
pub fn key_from_env() -> Result<Option<(String, String)>, String> {
    let direct = std::env::var(KEY_VAR).ok();
    let file = std::env::var_os(KEY_FILE_VAR);
    match (direct, file) {
        (Some(_), Some(_)) => Err(format!(
            "both {KEY_VAR} and {KEY_FILE_VAR} are set: set one"
        )),
        (Some(key), None) => Ok(Some((key, KEY_VAR.to_string()))),
        (None, Some(path)) => {
            let path = std::path::PathBuf::from(path);
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("{KEY_FILE_VAR}: cannot read {}: {e}", path.display()))?;
            let key = text
                .strip_suffix('\n')
                .map(|k| k.strip_suffix('\r').unwrap_or(k))
                .unwrap_or(&text);
            Ok(Some((key.to_string(), path.display().to_string())))
        }
        (None, None) => Ok(None),
    }
}

/// The built-in key that only sample and demo configurations may use
/// (`[privacy] demo_key = true`). It is public, so its pseudonyms protect
/// nothing: real data must use a secret key.
pub const DEMO_KEY: &[u8] = b"homeward-demo-key-not-a-secret-do-not-use-for-real-data";

/// Shortest key accepted from the environment, in bytes.
pub const MIN_KEY_LEN: usize = 16;

/// Replaces ids by a keyed hash: the same id and key always give the same
/// pseudonym, so joins across entities and runs still work.
#[derive(Clone)]
pub struct Pseudonymiser {
    mac: Hmac<Sha256>,
}

impl Pseudonymiser {
    /// A pseudonymiser with this key.
    pub fn new(key: &[u8]) -> Pseudonymiser {
        Pseudonymiser {
            mac: Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts keys of any length"),
        }
    }

    /// The pseudonym of an id: the first 128 bits of its HMAC, in hex.
    pub fn pseudonym(&self, id: &str) -> String {
        let mut mac = self.mac.clone();
        mac.update(id.as_bytes());
        let mut hex = [0u8; 32];
        // Into a buffer: `hex::encode`'s char iterator was 1 % of the pull.
        hex::encode_to_slice(&mac.finalize().into_bytes()[..16], &mut hex)
            .expect("16 bytes are 32 hex digits");
        std::str::from_utf8(&hex)
            .expect("hex digits are ASCII")
            .to_owned()
    }
}

impl Pseudonymiser {
    /// The salt of the record keys of disclosure control
    /// (`sql/macros/disclosure.sql`): an HMAC of a fixed label under the
    /// key, in hex. It is not the key, and the key cannot be found from
    /// it; with it and a record's id (a case's pseudonym) one can compute
    /// that record's key, so it is as internal as the warehouse: it appears
    /// in the compiled SQL, never in an output.
    pub fn record_key_salt(&self) -> String {
        let mut mac = self.mac.clone();
        // A label no id can equal: ids never hold a NUL byte.
        mac.update(b"\0homeward record key v1");
        hex::encode(mac.finalize().into_bytes())
    }
}

impl std::fmt::Debug for Pseudonymiser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pseudonymiser(<key>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_keyed_and_opaque() {
        let a = Pseudonymiser::new(b"key-one-0123456789");
        let b = Pseudonymiser::new(b"key-two-0123456789");
        assert_eq!(a.pseudonym("C-001"), a.pseudonym("C-001"));
        assert_ne!(a.pseudonym("C-001"), b.pseudonym("C-001"));
        assert_ne!(a.pseudonym("C-001"), a.pseudonym("C-002"));
        assert_eq!(a.pseudonym("C-001").len(), 32);
        assert!(!a.pseudonym("C-001").contains("001"));
    }

    #[test]
    fn the_record_key_salt_is_keyed_and_not_a_pseudonym() {
        let a = Pseudonymiser::new(b"key-one-0123456789");
        let b = Pseudonymiser::new(b"key-two-0123456789");
        assert_eq!(a.record_key_salt(), a.record_key_salt());
        assert_ne!(a.record_key_salt(), b.record_key_salt());
        assert_eq!(a.record_key_salt().len(), 64);
        assert!(
            !a.record_key_salt()
                .starts_with(&a.pseudonym("homeward record key v1"))
        );
    }
}
