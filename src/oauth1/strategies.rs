//! proptest strategies for the protocol's text: names and values with reserved, unreserved,
//! control and astral characters.

use proptest::prelude::*;

/// The characters RFC 3986 reserves, `%` and a space.
const RESERVED: &str = "!*'();:@&=+$,/?#[]% ";

pub(super) fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        // A failure that matters is kept by hand, as a case beside the properties that found it.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Up to `max` characters: reserved ones, unreserved ASCII, and any Unicode scalar value
/// (controls, bidirectional controls and astral characters included); often empty.
pub(super) fn text(max: usize) -> impl Strategy<Value = String> {
    let reserved: Vec<char> = RESERVED.chars().collect();
    let odd = vec![
        '~', '-', '.', '_', 'é', '☃', '😀', '\0', '\n', '\u{202e}', '\u{feff}',
    ];
    let one = prop_oneof![
        4 => prop::sample::select(reserved),
        3 => prop::char::range('a', 'z'),
        2 => prop::sample::select(odd),
        2 => any::<char>(),
    ];
    prop::collection::vec(one, 0..=max).prop_map(String::from_iter)
}

/// A query parameter name. `oauth_*` names belong to the protocol: the provider refuses a
/// request that repeats one outside the header, so none is generated.
pub(super) fn name() -> impl Strategy<Value = String> {
    text(8).prop_filter("not a protocol parameter", |n| !n.starts_with("oauth_"))
}
