//! A tiny, tolerant scan of the markup X sends on some errors (`<errors><error code="415">…`,
//! `<hash><error>…`, HTML pages): no XML crate, no validation, bounded work, never fails.

/// The attributes and the content of the first `<name …>…</name>` element (ASCII
/// case-insensitive; unclosed elements run to the end of the document).
pub(crate) fn element<'d>(doc: &'d str, name: &str) -> Option<(&'d str, &'d str)> {
    // ASCII lower-casing keeps every byte offset, so positions found in `lower` slice `doc`.
    let lower = doc.to_ascii_lowercase();
    let open = format!("<{name}");
    let mut from = 0;
    while let Some(found) = lower.get(from..)?.find(&open) {
        let after = from + found + open.len();
        from = after;
        match lower.as_bytes().get(after) {
            Some(b'>' | b'/') => {}
            Some(b) if b.is_ascii_whitespace() => {}
            _ => continue, // `<errors`, `<error_code`, …
        }
        let tag_end = tag_end(&lower, after)?;
        let attrs = doc.get(after..tag_end)?;
        if attrs.trim_end().ends_with('/') {
            return Some((attrs.trim_end().trim_end_matches('/'), ""));
        }
        let content = tag_end + 1;
        let close = lower.get(content..)?.find(&format!("</{name}"));
        let inner = doc.get(content..close.map_or(doc.len(), |c| content + c))?;
        return Some((attrs, inner));
    }
    None
}

/// The position of the `>` closing the tag whose attributes start at `from` (quotes honoured).
fn tag_end(doc: &str, from: usize) -> Option<usize> {
    let mut quote = None;
    for (i, c) in doc.get(from..)?.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if q == c => quote = None,
            (None, '>') => return Some(from + i),
            _ => {}
        }
    }
    None
}

/// The raw value of attribute `name` in a tag's attribute text.
pub(crate) fn attribute<'d>(attrs: &'d str, name: &str) -> Option<&'d str> {
    let mut rest = attrs;
    loop {
        rest = rest.trim_start();
        let name_end = rest
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(rest.len());
        if name_end == 0 {
            return None;
        }
        let key = &rest[..name_end];
        rest = rest[name_end..].trim_start();
        let Some(after_eq) = rest.strip_prefix('=') else {
            continue; // a bare attribute
        };
        let after_eq = after_eq.trim_start();
        let (value, next) = match after_eq.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let inner = &after_eq[1..];
                let end = inner.find(q).unwrap_or(inner.len());
                (&inner[..end], inner.get(end + 1..).unwrap_or_default())
            }
            _ => {
                let end = after_eq.find(char::is_whitespace).unwrap_or(after_eq.len());
                after_eq.split_at(end)
            }
        };
        if key.eq_ignore_ascii_case(name) {
            return Some(value);
        }
        rest = next;
    }
}

/// Text with markup removed: tags dropped, CDATA sections kept as text.
pub(crate) fn strip_tags(doc: &str) -> String {
    let mut out = String::with_capacity(doc.len());
    let mut rest = doc;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        rest = &rest[lt..];
        if let Some(cdata) = rest.strip_prefix("<![CDATA[") {
            let end = cdata.find("]]>").unwrap_or(cdata.len());
            out.push_str(&cdata[..end]);
            rest = cdata.get(end + 3..).unwrap_or_default();
        } else {
            rest = match rest.find('>') {
                Some(gt) => {
                    out.push(' ');
                    &rest[gt + 1..]
                }
                None => "",
            };
        }
    }
    out.push_str(rest);
    out
}

/// Decodes the five XML entities and numeric character references; anything else is kept.
pub(crate) fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let entity = rest
            .get(1..)
            .and_then(|r| r.find(';').filter(|&semi| semi <= 10));
        let decoded = entity.and_then(|semi| match &rest[1..=semi] {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            num => {
                let num = num.strip_prefix('#')?;
                let code = match num.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                    None => num.parse().ok()?,
                };
                char::from_u32(code)
            }
        });
        match (entity, decoded) {
            (Some(semi), Some(c)) => {
                out.push(c);
                rest = &rest[semi + 2..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_error_element_not_errors() {
        let doc = r#"<errors><error code="415">Callback &amp; more</error></errors>"#;
        let (attrs, inner) = element(doc, "error").unwrap_or_default();
        assert_eq!(attribute(attrs, "code"), Some("415"));
        assert_eq!(inner, "Callback &amp; more");
        assert_eq!(element("<errors>x</errors>", "error"), None);
    }

    #[test]
    fn tolerates_odd_markup() {
        assert_eq!(
            element("<ERROR Code='7'>x", "error"),
            Some((" Code='7'", "x"))
        );
        assert_eq!(
            element(r#"<error a=">" code=9/>"#, "error"),
            Some((r#" a=">" code=9"#, ""))
        );
        assert_eq!(attribute(r#" a=">" code=9"#, "code"), Some("9"));
        assert_eq!(attribute(" checked code = \"1\"", "code"), Some("1"));
        assert_eq!(
            attribute(" code=\"unterminated", "code"),
            Some("unterminated")
        );
        assert_eq!(attribute("", "code"), None);
        assert_eq!(element("<error", "error"), None);
        assert_eq!(element("<", "error"), None);
    }

    #[test]
    fn strips_tags_and_unescapes() {
        assert_eq!(strip_tags("a<b>b</b><![CDATA[<c>]]>d<e"), "a b <c>d");
        assert_eq!(
            unescape("&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&bogus;&#xzz;& &"),
            "<>&\"'AB&bogus;&#xzz;& &"
        );
        assert_eq!(unescape("&#1114112;&#0;"), "&#1114112;\u{0}");
    }
}
