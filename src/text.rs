//! Cleaning and bounding text taken from provider replies before it reaches an error message or
//! a log line: the provider's bytes are untrusted and may be huge, binary, or carry control
//! characters meant to forge log lines.

use std::borrow::Cow;

/// The most characters kept from a provider's error message.
pub(crate) const MESSAGE_CHARS: usize = 200;

/// Cleans `text` for display: drops control characters and Unicode bidirectional controls,
/// collapses each whitespace run to one space, trims, and cuts the result to at most `max`
/// characters (the last one then being `…`). `None` when nothing is left.
pub(crate) fn clean(text: &str, max: usize) -> Option<String> {
    let mut out = String::new();
    let mut count = 0usize;
    let mut space = false;
    let mut cut = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if c.is_control() || is_bidi_control(c) {
            continue;
        }
        let needed = if space { 2 } else { 1 };
        if count + needed > max {
            cut = true;
            break;
        }
        if space {
            out.push(' ');
            count += 1;
            space = false;
        }
        out.push(c);
        count += 1;
    }
    if cut && max > 0 {
        // Make room for the ellipsis, then drop a dangling space.
        while count >= max && out.pop().is_some() {
            count -= 1;
        }
        let trimmed = out.trim_end().len();
        out.truncate(trimmed);
        out.push('…');
    }
    (!out.is_empty()).then_some(out)
}

/// The bytes as text: exact when they are UTF-8 (an incomplete character at the very end, left
/// by a byte cap, is dropped), lossy otherwise. `None` for binary-looking input: a NUL byte, or
/// more than one in four characters undecodable.
pub(crate) fn decode(bytes: &[u8]) -> Option<Cow<'_, str>> {
    if bytes.contains(&0) {
        return None;
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Some(Cow::Borrowed(text)),
        Err(e) if e.error_len().is_none() => {
            // Only the tail is incomplete: keep the valid prefix.
            std::str::from_utf8(&bytes[..e.valid_up_to()])
                .ok()
                .map(Cow::Borrowed)
        }
        Err(_) => {
            let text = String::from_utf8_lossy(bytes);
            let total = text.chars().count();
            let bad = text
                .chars()
                .filter(|&c| c == char::REPLACEMENT_CHARACTER)
                .count();
            (bad * 4 <= total).then_some(text)
        }
    }
}

/// A short, cleaned excerpt of a body for an error reason (at most `max` characters).
pub(crate) fn excerpt(bytes: &[u8], max: usize) -> Option<String> {
    // Four bytes per character at most: look at no more than needed.
    let head = &bytes[..bytes.len().min(max.saturating_mul(4))];
    clean(&decode(head)?, max)
}

/// Unicode's bidirectional controls (the `Bidi_Control` property): the Arabic letter mark, the
/// left-to-right and right-to-left marks, the embeddings and overrides, and the isolates. In
/// text they can reorder what follows, e.g. make a name or log line read backwards.
pub(crate) fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapses_whitespace_and_drops_controls() {
        assert_eq!(
            clean("  a\r\n\tb \u{1b}[31mc\u{0}d\u{202e}e  ", 50).as_deref(),
            Some("a b [31mcde")
        );
        assert_eq!(clean(" \n\t ", 50), None);
        assert_eq!(clean("\u{7}\u{202e}", 50), None);
        assert_eq!(
            clean("\u{61c}\u{200e}\u{200f}\u{202a}\u{2066}\u{2069}", 50),
            None
        );
    }

    #[test]
    fn cuts_on_char_boundaries_with_an_ellipsis() {
        assert_eq!(clean("abcdef", 6).as_deref(), Some("abcdef"));
        assert_eq!(clean("abcdefg", 6).as_deref(), Some("abcde…"));
        assert_eq!(clean("abcd efg", 6).as_deref(), Some("abcd…"));
        let snowmen = "☃".repeat(300);
        let cut = clean(&snowmen, MESSAGE_CHARS).unwrap_or_default();
        assert_eq!(cut.chars().count(), MESSAGE_CHARS);
        assert!(cut.ends_with('…'));
        assert_eq!(clean("abc", 0), None);
    }

    #[test]
    fn decodes_text_and_refuses_binary() {
        assert_eq!(decode(b"plain").as_deref(), Some("plain"));
        // A multi-byte character cut in half by a byte cap.
        assert_eq!(decode(&"a☃".as_bytes()[..2]).as_deref(), Some("a"));
        assert_eq!(
            decode(b"caf\xe9 au lait").as_deref(),
            Some("caf\u{fffd} au lait")
        );
        assert_eq!(decode(b"\xff\xfe\xfd\xfc"), None);
        assert_eq!(decode(b"PNG\0\0"), None);
        assert_eq!(excerpt(b"<html>  <head>", 8).as_deref(), Some("<html>…"));
    }
}
