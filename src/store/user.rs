//! A local user: a row of `users`.

use diesel::prelude::*;
use serde::Serialize;

use super::schema::users;

/// A local user, a row of `users`.
///
/// ```
/// use actix_twitter_login::store::User;
///
/// let user = User { id: 1, name: "Ada".into() };
/// assert_eq!(serde_json::to_string(&user).unwrap(), r#"{"id":1,"name":"Ada"}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Serialize)]
#[diesel(table_name = users)]
#[cfg_attr(feature = "sqlite", diesel(check_for_backend(diesel::sqlite::Sqlite)))]
#[cfg_attr(feature = "postgres", diesel(check_for_backend(diesel::pg::Pg)))]
pub struct User {
    /// The user's id; as a string, it is the identity stored in the session.
    pub id: i32,
    /// The name shown for the user, taken from the Twitter profile at the first login.
    pub name: String,
}
