//! The user index: lookups by id and by screen name, first user wins on duplicates.

use crate::{users::Users, MockUser};

fn users() -> Users {
    Users::new(vec![
        MockUser::new("1001", "Alice", "Alice"),
        MockUser::new("1002", "bob", "Bob"),
        // Duplicates of the first two: lookups must keep returning the first ones.
        MockUser::new("1001", "alice-again", "Alice again"),
        MockUser::new("1003", "ALICE", "Alice shouted"),
        MockUser::new("1004", "Zoë", "Zoë"),
    ])
}

#[test]
fn users_are_found_by_exact_id() {
    let users = users();
    assert_eq!(users.by_id("1002").unwrap().screen_name, "bob");
    assert_eq!(users.by_id("1003").unwrap().name, "Alice shouted");
    assert!(users.by_id("100").is_none());
    assert!(users.by_id("1001 ").is_none());
}

#[test]
fn screen_names_match_ignoring_ascii_case() {
    let users = users();
    for name in ["alice", "Alice", "ALICE", "aLiCe"] {
        assert_eq!(users.by_screen_name(name).unwrap().id, "1001", "{name}");
    }
    assert_eq!(users.by_screen_name("BOB").unwrap().id, "1002");
    assert!(users.by_screen_name("alic").is_none());
    // Only ASCII letters fold, as with `eq_ignore_ascii_case`.
    assert_eq!(users.by_screen_name("ZOë").unwrap().id, "1004");
    assert!(users.by_screen_name("ZOË").is_none());
}

#[test]
fn the_first_of_duplicate_users_wins() {
    let users = users();
    assert_eq!(users.by_id("1001").unwrap().name, "Alice");
    assert_eq!(users.by_screen_name("alice").unwrap().name, "Alice");
    assert_eq!(users.by_screen_name("alice-again").unwrap().id, "1001");
}

#[test]
fn iteration_keeps_the_order_users_were_added_in() {
    let ids: Vec<_> = users().iter().map(|u| u.id.clone()).collect();
    assert_eq!(ids, ["1001", "1002", "1001", "1003", "1004"]);
}

#[test]
fn lookups_agree_with_a_linear_search() {
    let list: Vec<_> = (0..500)
        .map(|n| MockUser::new((n % 300).to_string(), format!("User{}", n % 200), "U"))
        .collect();
    let users = Users::new(list.clone());
    for n in 0..320 {
        let id = n.to_string();
        let name = format!("user{n}");
        assert_eq!(users.by_id(&id), list.iter().find(|u| u.id == id));
        assert_eq!(
            users.by_screen_name(&name),
            list.iter()
                .find(|u| u.screen_name.eq_ignore_ascii_case(&name))
        );
    }
}
