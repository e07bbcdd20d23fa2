//! What every protocol's callback parser shares: the bound on the query and the refusal.

/// Why a callback query was refused: oversized, repeated or incomplete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("malformed callback: {0}")]
pub(crate) struct MalformedCallback(pub &'static str);

/// The longest callback query accepted, in bytes.
pub(crate) const MAX_QUERY_BYTES: usize = 2048;

/// The values of the parameters `names` in a callback query, each at most once and at most
/// `max_value` bytes (decoded); other parameters are ignored. The query itself may be at most
/// [`MAX_QUERY_BYTES`].
pub(crate) fn parameters<const N: usize>(
    query: &str,
    names: [&str; N],
    max_value: usize,
) -> Result<[Option<String>; N], MalformedCallback> {
    if query.len() > MAX_QUERY_BYTES {
        return Err(MalformedCallback("the query is too long"));
    }
    let mut values: [Option<String>; N] = std::array::from_fn(|_| None);
    for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
        let Some(slot) = names.iter().position(|n| *n == name) else {
            continue;
        };
        if values[slot].is_some() {
            return Err(MalformedCallback("a parameter is repeated"));
        }
        if value.len() > max_value {
            return Err(MalformedCallback("a parameter is too long"));
        }
        values[slot] = Some(value.into_owned());
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::{parameters, MalformedCallback, MAX_QUERY_BYTES};

    /// `code=<value>&` followed by an ignored parameter padding the query to `len` bytes.
    fn query_of(len: usize) -> String {
        let head = "code=abc&pad=";
        format!("{head}{}", "x".repeat(len - head.len()))
    }

    #[test]
    fn a_query_of_the_longest_length_is_read_and_one_byte_more_is_refused() {
        let longest = query_of(MAX_QUERY_BYTES);
        assert_eq!(longest.len(), MAX_QUERY_BYTES);
        assert_eq!(
            parameters(&longest, ["code"], 16),
            Ok([Some("abc".to_owned())])
        );
        assert_eq!(
            parameters(&query_of(MAX_QUERY_BYTES + 1), ["code"], 16),
            Err(MalformedCallback("the query is too long"))
        );
    }
}
