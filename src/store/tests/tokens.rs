//! Token credentials stored sealed: read back, replaced, never in the clear, bound to their
//! row, and carried across a key rotation.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use diesel::prelude::*;

use super::{migrated, profile, small};
use crate::{
    credentials::{AccessToken, Credentials, Secret, TokenCredentials},
    store::{
        pool::with_connection, schema::federated_tokens, unlink, Backend, DieselResolver, KeyError,
        Pool, TokenKeys, TokenStoreError, PROVIDER,
    },
    ResolveUser, Verdict,
};

on_each_backend!(
    signed_in_tokens_are_stored_sealed_and_read_back,
    a_key_rotation_keeps_rows_open_and_reseals_them,
    a_sealed_row_moved_to_another_account_does_not_open,
    without_keys_nothing_is_stored,
    the_clear_columns_say_the_protocol_the_expiry_and_when,
);

const SECRET: &str = "token-secret-value-0123456789";
const REFRESH: &str = "refresh-token-value-0123456789";

fn keys(id: &str, byte: u8) -> TokenKeys {
    TokenKeys::new(id, &[byte; 32]).unwrap()
}

fn oauth1() -> Credentials {
    Credentials::OAuth1(TokenCredentials {
        token: "1001-token".into(),
        secret: Secret::new(SECRET),
    })
}

fn oauth2() -> Credentials {
    Credentials::OAuth2(AccessToken {
        token: Secret::new("access-token-value"),
        refresh_token: Some(Secret::new(REFRESH)),
        expires_at: Some(UNIX_EPOCH + Duration::from_secs(1_800_000_000)),
        scopes: vec![
            "tweet.read".into(),
            "users.read".into(),
            "offline.access".into(),
        ],
    })
}

/// Signs `id` in through the resolver; the local user's id.
fn sign_in(resolver: &DieselResolver, id: &str, credentials: Credentials) -> i32 {
    let future = resolver.resolve(credentials, profile(id, "handle", None));
    match actix_rt::System::new().block_on(future) {
        Ok(Verdict::User(user)) => user.parse().unwrap(),
        other => panic!("{other:?}"),
    }
}

/// Every stored row: (key id, sealed bytes).
fn rows(pool: &Pool) -> Vec<(String, Vec<u8>)> {
    let mut conn = pool.get().unwrap();
    with_connection!(&mut conn, |conn| federated_tokens::table
        .select((federated_tokens::key_id, federated_tokens::sealed))
        .load(conn))
    .unwrap()
}

fn signed_in_tokens_are_stored_sealed_and_read_back(backend: Backend) {
    let (_db, pool) = migrated(backend, &small());
    let resolver = DieselResolver::new(pool.clone()).store_tokens(keys("k1", 1));
    let user = sign_in(&resolver, "1001", oauth1());
    match resolver.stored_credentials(user).unwrap() {
        Some(Credentials::OAuth1(c)) => {
            assert_eq!(c.token, "1001-token");
            assert_eq!(c.secret.expose(), SECRET);
        }
        other => panic!("{other:?}"),
    }
    let stored = rows(&pool);
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].0, "k1");
    let bytes = &stored[0].1;
    for clear in [SECRET.as_bytes(), b"1001-token"] {
        assert!(
            !bytes.windows(clear.len()).any(|w| w == clear),
            "in the clear"
        );
    }

    // The next sign-in (now over OAuth 2.0) replaces them.
    assert_eq!(sign_in(&resolver, "1001", oauth2()), user);
    assert_eq!(rows(&pool).len(), 1);
    match resolver.stored_credentials(user).unwrap() {
        Some(Credentials::OAuth2(t)) => {
            assert_eq!(t.token.expose(), "access-token-value");
            assert_eq!(t.refresh_token.as_ref().map(Secret::expose), Some(REFRESH));
            assert_eq!(
                t.expires_at,
                Some(UNIX_EPOCH + Duration::from_secs(1_800_000_000))
            );
            assert_eq!(t.scopes.len(), 3);
        }
        other => panic!("{other:?}"),
    }
    // Another user has none.
    assert!(resolver.stored_credentials(user + 1).unwrap().is_none());
    assert!(!format!("{resolver:?}").contains("0101"), "{resolver:?}");
}

fn a_key_rotation_keeps_rows_open_and_reseals_them(backend: Backend) {
    let (_db, pool) = migrated(backend, &small());
    let before = DieselResolver::new(pool.clone()).store_tokens(keys("k1", 1));
    let user = sign_in(&before, "1001", oauth1());
    // Another user's tokens wait in the revocation queue, sealed under the old key too.
    let leaving = sign_in(&before, "1002", oauth2());
    let queued = unlink::forget_tokens(&mut pool.get().unwrap(), PROVIDER, leaving).unwrap();
    assert_eq!(queued.len(), 1);

    let rotated = keys("k2", 2).with_old_key("k1", &[1; 32]).unwrap();
    let after = DieselResolver::new(pool.clone()).store_tokens(rotated);
    assert!(
        after.stored_credentials(user).unwrap().is_some(),
        "old rows open"
    );
    let only_new = DieselResolver::new(pool.clone()).store_tokens(keys("k2", 2));
    assert!(matches!(
        only_new.stored_credentials(user),
        Err(TokenStoreError::Key(KeyError::Unknown(id))) if id == "k1"
    ));

    assert_eq!(
        after.reseal_tokens().unwrap(),
        2,
        "the stored row and the queued one"
    );
    assert_eq!(rows(&pool)[0].0, "k2");
    let due = unlink::due(&mut pool.get().unwrap(), &keys("k2", 2), None, 10).unwrap();
    match &due[..] {
        [queued] => match &queued.credentials {
            Ok(Credentials::OAuth2(t)) => {
                assert_eq!(t.refresh_token.as_ref().map(Secret::expose), Some(REFRESH))
            }
            Ok(other) => panic!("{other:?}"),
            Err(error) => panic!("{error}"),
        },
        other => panic!("{} queued", other.len()),
    }
    assert_eq!(after.reseal_tokens().unwrap(), 0, "nothing left to move");
    match only_new.stored_credentials(user).unwrap() {
        Some(Credentials::OAuth1(c)) => assert_eq!(c.secret.expose(), SECRET),
        other => panic!("{other:?}"),
    }
}

fn a_sealed_row_moved_to_another_account_does_not_open(backend: Backend) {
    let (_db, pool) = migrated(backend, &small());
    let resolver = DieselResolver::new(pool.clone()).store_tokens(keys("k1", 1));
    let alice = sign_in(&resolver, "1001", oauth1());
    let bob = sign_in(&resolver, "1002", oauth2());
    let mut conn = pool.get().unwrap();
    with_connection!(&mut conn, |conn| {
        let alices: Vec<u8> = federated_tokens::table
            .inner_join(crate::store::schema::federated_credentials::table)
            .filter(crate::store::schema::federated_credentials::user_id.eq(alice))
            .select(federated_tokens::sealed)
            .first(conn)
            .unwrap();
        diesel::update(federated_tokens::table)
            .filter(federated_tokens::protocol.eq("oauth2"))
            .set(federated_tokens::sealed.eq(alices))
            .execute(conn)
            .unwrap();
    });
    drop(conn);
    assert!(matches!(
        resolver.stored_credentials(bob),
        Err(TokenStoreError::Key(KeyError::Corrupt(_)))
    ));
    assert!(resolver.stored_credentials(alice).unwrap().is_some());
}

fn without_keys_nothing_is_stored(backend: Backend) {
    let (_db, pool) = migrated(backend, &small());
    let resolver = DieselResolver::new(pool.clone());
    let user = sign_in(&resolver, "1001", oauth1());
    assert!(rows(&pool).is_empty());
    assert!(matches!(
        resolver.stored_credentials(user),
        Err(TokenStoreError::NoKeys)
    ));
}

/// `(protocol, expires_at, updated_at)` of every stored row, as the schema documents them.
fn clear_columns(pool: &Pool) -> Vec<(String, Option<i64>, i64)> {
    let mut conn = pool.get().unwrap();
    with_connection!(&mut conn, |conn| federated_tokens::table
        .select((
            federated_tokens::protocol,
            federated_tokens::expires_at,
            federated_tokens::updated_at,
        ))
        .load(conn))
    .unwrap()
}

fn unix_now() -> i64 {
    let since = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    i64::try_from(since.as_secs()).unwrap()
}

fn the_clear_columns_say_the_protocol_the_expiry_and_when(backend: Backend) {
    let (_db, pool) = migrated(backend, &small());
    let resolver = DieselResolver::new(pool.clone()).store_tokens(keys("k1", 1));
    let before = unix_now();
    sign_in(&resolver, "1001", oauth2());
    sign_in(&resolver, "1002", oauth1());
    let after = unix_now();
    let mut rows = clear_columns(&pool);
    rows.sort();
    let [(oauth1, oauth1_expiry, oauth1_written), (oauth2, oauth2_expiry, oauth2_written)] =
        &rows[..]
    else {
        panic!("{rows:?}");
    };
    assert_eq!((oauth1.as_str(), *oauth1_expiry), ("oauth1", None));
    assert_eq!(
        (oauth2.as_str(), *oauth2_expiry),
        ("oauth2", Some(1_800_000_000))
    );
    for at in [oauth1_written, oauth2_written] {
        assert!(
            (before..=after).contains(at),
            "{at} not in {before}..={after}"
        );
    }
}
