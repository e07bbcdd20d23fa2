//! What every protocol's callback parser shares: the bound on the query and the refusal.

/// Why a callback query was refused: oversized, repeated or incomplete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("malformed callback: {0}")]
pub(crate) struct MalformedCallback(pub &'static str);

/// The longest callback query accepted, in bytes.
pub(crate) const MAX_QUERY_BYTES: usize = 2048;
