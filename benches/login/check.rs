//! After the run: the users in the app's SQLite file against the accounts that signed in.

use std::collections::HashMap;

use diesel::{
    sql_query,
    sql_types::{BigInt, Integer, Text},
    Connection as _, QueryableByName, RunQueryDsl as _, SqliteConnection,
};

use super::twitter_id;

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct Credential {
    #[diesel(sql_type = Text)]
    subject: String,
    #[diesel(sql_type = Integer)]
    user_id: i32,
}

/// What the database holds, compared with the accounts that signed in.
#[derive(Debug)]
pub struct Users {
    pub accounts: usize,
    pub users: i64,
    pub credentials: i64,
    /// Credentials whose user is not the one the account signed in as, or that belong to no
    /// account that signed in.
    pub mismatched: usize,
}

impl Users {
    /// One user and one credential per account that signed in, each the user it signed in as.
    pub fn ok(&self) -> bool {
        self.users == self.accounts as i64
            && self.credentials == self.accounts as i64
            && self.mismatched == 0
    }
}

/// Reads the database at `path` (the app may still be running: SQLite in WAL mode).
pub fn users(path: &str, signed_in: &HashMap<usize, String>) -> Users {
    let mut conn = SqliteConnection::establish(path).expect("open the app's database");
    let count = |conn: &mut SqliteConnection, sql: &str| {
        sql_query(sql).get_result::<Count>(conn).expect("a count").n
    };
    let users = count(&mut conn, "SELECT COUNT(*) AS n FROM users");
    let credentials = count(&mut conn, "SELECT COUNT(*) AS n FROM federated_credentials");
    let rows: Vec<Credential> = sql_query("SELECT subject, user_id FROM federated_credentials")
        .load(&mut conn)
        .expect("the credentials");
    let by_subject: HashMap<String, String> = signed_in
        .iter()
        .map(|(account, id)| (twitter_id(*account), id.clone()))
        .collect();
    let mismatched = rows
        .iter()
        .filter(|row| by_subject.get(&row.subject) != Some(&row.user_id.to_string()))
        .count();
    Users {
        accounts: signed_in.len(),
        users,
        credentials,
        mismatched,
    }
}
