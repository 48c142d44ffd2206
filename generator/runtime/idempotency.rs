//! Idempotency keys: a fresh random UUID (version 4) per call, from the operating system's
//! random source.

use std::fmt::Write;

/// A random UUID such as `3f0c1a52-9d4e-4b7a-8c21-5e6f7a8b9c0d`: 122 random bits, so two
/// calls never share a key by chance. The bytes come from the operating system (`getrandom`,
/// which the TLS stack already builds on); should it fail, from the standard library's
/// randomly keyed hasher, which is as unique though not secret.
pub(crate) fn new_key() -> String {
    let mut bytes = [0u8; 16];
    if getrandom::getrandom(&mut bytes).is_err() {
        let high = super::retry::jitter_source().to_le_bytes();
        let low = super::retry::jitter_source().to_le_bytes();
        bytes[..8].copy_from_slice(&high);
        bytes[8..].copy_from_slice(&low);
    }
    uuid_v4(bytes)
}

/// `bytes` spelled as a version 4, variant 1 UUID (RFC 9562 §5.4).
fn uuid_v4(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let mut text = String::with_capacity(36);
    for (i, byte) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            text.push('-');
        }
        // Writing to a String cannot fail.
        let _ = write!(text, "{byte:02x}");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_a_version_4_uuid() {
        assert_eq!(uuid_v4([0; 16]), "00000000-0000-4000-8000-000000000000");
        assert_eq!(uuid_v4([0xff; 16]), "ffffffff-ffff-4fff-bfff-ffffffffffff");
        let key = new_key();
        assert_eq!(key.len(), 36);
        let groups: Vec<usize> = key.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12]);
        assert_eq!(&key[14..15], "4");
        assert!(matches!(&key[19..20], "8" | "9" | "a" | "b"), "{key}");
    }

    #[test]
    fn keys_differ() {
        let keys: std::collections::BTreeSet<String> = (0..1000).map(|_| new_key()).collect();
        assert_eq!(keys.len(), 1000);
    }
}
