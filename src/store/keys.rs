//! The keys that encrypt stored token credentials at rest: XChaCha20-Poly1305 (an AEAD, from
//! the RustCrypto `chacha20poly1305` crate) under a key from the app's configuration, each key
//! with an id so keys can rotate. A sealed value records the id of the key that sealed it;
//! old keys stay in the ring to open old rows until they are re-sealed under the current one.

use std::{collections::HashMap, fmt};

use chacha20poly1305::{
    aead::{Aead, AeadCore, KeyInit, OsRng, Payload},
    XChaCha20Poly1305, XNonce,
};

/// The nonce's length in a sealed value (XChaCha20's 192 bits: random nonces never repeat).
const NONCE_BYTES: usize = 24;

/// Why a key or a sealed value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// A key id is empty, longer than 32 bytes, or not letters, digits, `-` and `_`.
    #[error("key id `{0}` must be 1 to 32 letters, digits, `-` or `_`")]
    Id(String),
    /// A key is not 32 bytes (64 hex digits).
    #[error("key `{id}` must be 32 bytes (64 hex digits)")]
    Length {
        /// The key's id.
        id: String,
    },
    /// Two keys have the same id.
    #[error("two keys have the id `{0}`")]
    Duplicate(String),
    /// A stored value names a key the ring does not hold.
    #[error("no key `{0}` to open a stored value: keep old keys until every row is re-sealed")]
    Unknown(String),
    /// A stored value does not open: altered, moved to another row, or sealed under another
    /// key with the same id.
    #[error("a stored value under key `{0}` does not open")]
    Corrupt(String),
}

/// The token-encryption keys: the current one seals, every one opens what it sealed.
///
/// ```
/// use actix_twitter_login::store::TokenKeys;
///
/// // 32 random bytes as hex, e.g. `openssl rand -hex 32`, from the app's configuration.
/// let keys = TokenKeys::from_hex("2026-11", &"ab".repeat(32))?
///     // A key retired by rotation: still opens the rows it sealed.
///     .with_old_key_hex("2026-05", &"cd".repeat(32))?;
/// assert_eq!(keys.current_id(), "2026-11");
/// # Ok::<(), actix_twitter_login::store::KeyError>(())
/// ```
#[derive(Clone)]
pub struct TokenKeys {
    current: String,
    keys: HashMap<String, XChaCha20Poly1305>,
}

impl fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut ids: Vec<&str> = self.keys.keys().map(String::as_str).collect();
        ids.sort_unstable();
        f.debug_struct("TokenKeys")
            .field("current", &self.current)
            .field("ids", &ids)
            .finish_non_exhaustive()
    }
}

/// A value sealed by [`TokenKeys::seal`]: the key's id, and the nonce followed by the
/// ciphertext and tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sealed {
    pub key_id: String,
    pub bytes: Vec<u8>,
}

impl TokenKeys {
    /// A ring whose current key is `key` (32 bytes), under the id `id`.
    ///
    /// # Errors
    /// [`KeyError::Id`] or [`KeyError::Length`].
    ///
    /// ```
    /// # use actix_twitter_login::store::TokenKeys;
    /// let keys = TokenKeys::new("k1", &[7u8; 32])?;
    /// # drop(keys);
    /// # Ok::<(), actix_twitter_login::store::KeyError>(())
    /// ```
    pub fn new(id: &str, key: &[u8]) -> Result<Self, KeyError> {
        let mut keys = HashMap::new();
        keys.insert(checked_id(id)?, cipher(id, key)?);
        Ok(Self {
            current: id.to_owned(),
            keys,
        })
    }

    /// [`new`](Self::new) with the key as 64 hex digits.
    ///
    /// # Errors
    /// [`KeyError::Id`], or [`KeyError::Length`] when it is not 64 hex digits.
    ///
    /// ```
    /// # use actix_twitter_login::store::TokenKeys;
    /// let keys = TokenKeys::from_hex("k1", &"0f".repeat(32))?;
    /// # drop(keys);
    /// # Ok::<(), actix_twitter_login::store::KeyError>(())
    /// ```
    pub fn from_hex(id: &str, key: &str) -> Result<Self, KeyError> {
        Self::new(id, &decode(id, key)?)
    }

    /// Adds a retired key, which opens what it sealed and seals nothing.
    ///
    /// # Errors
    /// [`KeyError::Id`], [`KeyError::Length`], or [`KeyError::Duplicate`].
    ///
    /// ```
    /// # use actix_twitter_login::store::TokenKeys;
    /// let keys = TokenKeys::new("k2", &[2u8; 32])?.with_old_key("k1", &[1u8; 32])?;
    /// # drop(keys);
    /// # Ok::<(), actix_twitter_login::store::KeyError>(())
    /// ```
    pub fn with_old_key(mut self, id: &str, key: &[u8]) -> Result<Self, KeyError> {
        let id = checked_id(id)?;
        if self.keys.contains_key(&id) {
            return Err(KeyError::Duplicate(id));
        }
        let cipher = cipher(&id, key)?;
        self.keys.insert(id, cipher);
        Ok(self)
    }

    /// [`with_old_key`](Self::with_old_key) with the key as 64 hex digits.
    ///
    /// # Errors
    /// As [`with_old_key`](Self::with_old_key).
    ///
    /// ```
    /// # use actix_twitter_login::store::TokenKeys;
    /// let keys = TokenKeys::from_hex("k2", &"02".repeat(32))?.with_old_key_hex("k1", &"01".repeat(32))?;
    /// # drop(keys);
    /// # Ok::<(), actix_twitter_login::store::KeyError>(())
    /// ```
    pub fn with_old_key_hex(self, id: &str, key: &str) -> Result<Self, KeyError> {
        let key = decode(id, key)?;
        self.with_old_key(id, &key)
    }

    /// The id of the key that seals.
    pub fn current_id(&self) -> &str {
        &self.current
    }

    /// Seals `plaintext` under the current key, bound to `context` (what the value is and
    /// whose: a sealed value moved to another row or field does not open).
    pub(crate) fn seal(&self, plaintext: &[u8], context: &[u8]) -> Sealed {
        let cipher = &self.keys[&self.current];
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let payload = Payload {
            msg: plaintext,
            aad: context,
        };
        let ciphertext = cipher
            .encrypt(&nonce, payload)
            .expect("XChaCha20-Poly1305 seals any message that fits in memory");
        let mut bytes = Vec::with_capacity(NONCE_BYTES + ciphertext.len());
        bytes.extend_from_slice(&nonce);
        bytes.extend_from_slice(&ciphertext);
        Sealed {
            key_id: self.current.clone(),
            bytes,
        }
    }

    /// Opens a sealed value bound to `context`.
    pub(crate) fn open(&self, sealed: &Sealed, context: &[u8]) -> Result<Vec<u8>, KeyError> {
        let cipher = self
            .keys
            .get(&sealed.key_id)
            .ok_or_else(|| KeyError::Unknown(sealed.key_id.clone()))?;
        let corrupt = || KeyError::Corrupt(sealed.key_id.clone());
        if sealed.bytes.len() < NONCE_BYTES {
            return Err(corrupt());
        }
        let (nonce, ciphertext) = sealed.bytes.split_at(NONCE_BYTES);
        let payload = Payload {
            msg: ciphertext,
            aad: context,
        };
        cipher
            .decrypt(XNonce::from_slice(nonce), payload)
            .map_err(|_| corrupt())
    }
}

fn checked_id(id: &str) -> Result<String, KeyError> {
    let ok = (1..=32).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'));
    if ok {
        Ok(id.to_owned())
    } else {
        Err(KeyError::Id(id.to_owned()))
    }
}

fn cipher(id: &str, key: &[u8]) -> Result<XChaCha20Poly1305, KeyError> {
    XChaCha20Poly1305::new_from_slice(key).map_err(|_| KeyError::Length { id: id.to_owned() })
}

fn decode(id: &str, key: &str) -> Result<Vec<u8>, KeyError> {
    hex::decode(key.trim()).map_err(|_| KeyError::Length { id: id.to_owned() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_in_its_context_only() {
        let keys = TokenKeys::new("k1", &[1u8; 32]).unwrap();
        let sealed = keys.seal(b"token-secret", b"row 7: oauth1");
        assert_eq!(sealed.key_id, "k1");
        assert!(!sealed.bytes.windows(12).any(|w| w == b"token-secret"));
        assert_eq!(
            keys.open(&sealed, b"row 7: oauth1").unwrap(),
            b"token-secret"
        );
        assert_eq!(
            keys.open(&sealed, b"row 8: oauth1"),
            Err(KeyError::Corrupt("k1".into()))
        );
        let mut altered = sealed.clone();
        let last = altered.bytes.len() - 1;
        altered.bytes[last] ^= 1;
        assert!(keys.open(&altered, b"row 7: oauth1").is_err());
        // Cut short, down to the nonce or below: corrupt, never a panic.
        for len in [0, 10, 23, 24, 24 + 15] {
            let cut = Sealed {
                key_id: "k1".into(),
                bytes: sealed.bytes[..len].to_vec(),
            };
            assert_eq!(
                keys.open(&cut, b"row 7: oauth1"),
                Err(KeyError::Corrupt("k1".into())),
                "{len}"
            );
        }
        // Two seals of one value differ (fresh nonces).
        assert_ne!(keys.seal(b"x", b"c").bytes, keys.seal(b"x", b"c").bytes);
    }

    #[test]
    fn rotation_keeps_old_rows_open_and_seals_with_the_new_key() {
        let old = TokenKeys::new("k1", &[1u8; 32]).unwrap();
        let sealed = old.seal(b"v", b"c");
        let rotated = TokenKeys::new("k2", &[2u8; 32])
            .unwrap()
            .with_old_key("k1", &[1u8; 32])
            .unwrap();
        assert_eq!(rotated.open(&sealed, b"c").unwrap(), b"v");
        assert_eq!(rotated.seal(b"v", b"c").key_id, "k2");
        // Without the old key, its rows name it.
        let only_new = TokenKeys::new("k2", &[2u8; 32]).unwrap();
        assert_eq!(
            only_new.open(&sealed, b"c"),
            Err(KeyError::Unknown("k1".into()))
        );
        // The same id with another key does not open.
        let impostor = TokenKeys::new("k1", &[9u8; 32]).unwrap();
        assert_eq!(
            impostor.open(&sealed, b"c"),
            Err(KeyError::Corrupt("k1".into()))
        );
    }

    #[test]
    fn bad_keys_and_ids_are_refused_and_debug_shows_no_key() {
        assert!(matches!(
            TokenKeys::new("k", &[0u8; 16]),
            Err(KeyError::Length { .. })
        ));
        assert!(matches!(
            TokenKeys::from_hex("k", "zz"),
            Err(KeyError::Length { .. })
        ));
        assert!(matches!(
            TokenKeys::new("", &[0u8; 32]),
            Err(KeyError::Id(_))
        ));
        assert!(matches!(
            TokenKeys::new("a b", &[0u8; 32]),
            Err(KeyError::Id(_))
        ));
        let keys = TokenKeys::new("k1", &[0xAB; 32]).unwrap();
        assert_eq!(
            keys.clone().with_old_key("k1", &[1u8; 32]).unwrap_err(),
            KeyError::Duplicate("k1".into())
        );
        let printed = format!("{keys:?}");
        assert!(printed.contains("k1"), "{printed}");
        assert!(!printed.to_lowercase().contains("abab"), "{printed}");
        assert!(!printed.contains("171"), "{printed}");
    }
}
