//! Pseudonymisation of case ids: HMAC-SHA-256 keyed from the environment.
//!
//! Invariant: a raw `case_id` or `lead_case_id` never reaches Parquet, a log
//! line or a report; only [`Pseudonymiser::pseudonym`] of it does.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Environment variable holding the pseudonymisation key.
pub const KEY_VAR: &str = "HOMEWARD_PSEUDONYM_KEY";

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
        hex::encode(&mac.finalize().into_bytes()[..16])
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
}
