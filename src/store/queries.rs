//! The store's queries, written once for every backend: [`UserQueries`] is implemented for any
//! Diesel connection that can run them, which includes `SqliteConnection` and `PgConnection`.

use diesel::{
    dsl,
    prelude::*,
    query_dsl::{methods::ExecuteDsl, LoadQuery},
};

use super::{
    schema::{federated_credentials, users},
    user::User,
};

/// The queries find-or-create and `find_user` run.
pub(super) trait UserQueries: Connection {
    /// The user holding the credential `(provider, subject)`.
    fn user_by_subject(&mut self, provider: &str, subject: &str) -> QueryResult<Option<User>>;

    /// The user with this id.
    fn user_by_id(&mut self, id: i32) -> QueryResult<Option<User>>;

    /// Inserts a user with this name and returns it.
    fn insert_user(&mut self, name: &str) -> QueryResult<User>;

    /// Inserts the credential `(provider, subject)` of this user.
    fn insert_credential(&mut self, user_id: i32, provider: &str, subject: &str)
        -> QueryResult<()>;
}

// The queries own their bind values (`String`, not `&str`), so their types have no lifetime
// and the bounds below need no higher-ranked lifetimes, which rustc cannot normalize here.
impl<C> UserQueries for C
where
    C: Connection,
    by_subject: LoadQuery<'static, C, User>,
    by_id: LoadQuery<'static, C, User>,
    user_insert: LoadQuery<'static, C, User>,
    credential_insert: ExecuteDsl<C>,
{
    fn user_by_subject(&mut self, provider: &str, subject: &str) -> QueryResult<Option<User>> {
        by_subject(provider.to_owned(), subject.to_owned())
            .get_result(self)
            .optional()
    }

    fn user_by_id(&mut self, id: i32) -> QueryResult<Option<User>> {
        by_id(id).get_result(self).optional()
    }

    fn insert_user(&mut self, name: &str) -> QueryResult<User> {
        user_insert(name.to_owned()).get_result(self)
    }

    fn insert_credential(
        &mut self,
        user_id: i32,
        provider: &str,
        subject: &str,
    ) -> QueryResult<()> {
        credential_insert(user_id, provider.to_owned(), subject.to_owned())
            .execute(self)
            .map(drop)
    }
}

// The user's columns are selected as a tuple rather than with `User::as_select()`, whose type
// depends on the backend. No `LIMIT`: the unique index (and the primary key) allow one row at
// most, and SQLite re-prepares a cached statement with a bound `LIMIT ?` on every run.

#[dsl::auto_type]
fn by_subject(provider: String, subject: String) -> _ {
    let columns: (users::id, users::name) = (users::id, users::name);
    federated_credentials::table
        .inner_join(users::table)
        .filter(federated_credentials::provider.eq(provider))
        .filter(federated_credentials::subject.eq(subject))
        .select(columns)
}

#[dsl::auto_type]
fn by_id(id: i32) -> _ {
    let columns: (users::id, users::name) = (users::id, users::name);
    users::table.find(id).select(columns)
}

#[dsl::auto_type]
fn user_insert(name: String) -> _ {
    let columns: (users::id, users::name) = (users::id, users::name);
    dsl::insert_into(users::table)
        .values(users::name.eq(name))
        .returning(columns)
}

#[dsl::auto_type]
fn credential_insert(user_id: i32, provider: String, subject: String) -> _ {
    dsl::insert_into(federated_credentials::table).values((
        federated_credentials::user_id.eq(user_id),
        federated_credentials::provider.eq(provider),
        federated_credentials::subject.eq(subject),
    ))
}
