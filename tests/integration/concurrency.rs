//! Fifty parallel first logins of five accounts end with exactly five users.

use crate::common::{Browser, TestApp};
use actix_twitter_login_testkit::MockUser;
use futures_util::future::join_all;

#[actix_web::test]
async fn fifty_parallel_first_logins_of_five_accounts_make_five_users() {
    // Every browser comes from 127.0.0.1: no per-client limit on the login start here.
    let mut setup = TestApp::setup().configure(|b| b.without_login_rate_limit());
    let names: Vec<String> = (0..5).map(|i| format!("user{i}")).collect();
    for (i, name) in names.iter().enumerate() {
        setup = setup.user(MockUser::new(
            format!("{}", 5000 + i),
            name,
            format!("User {i}"),
        ));
    }
    let app = setup.start().await;
    let logins = (0..50).map(|i| {
        let app = &app;
        let name = names[i % 5].clone();
        async move {
            let browser = Browser::new();
            let done = app.login(&browser, &name).await;
            assert_eq!(
                done.location.as_deref(),
                Some("/"),
                "{name}: {} {}",
                done.status,
                done.body
            );
            app.me(&browser).await.expect("signed in")
        }
    });
    let users = join_all(logins).await;
    let mut ids: Vec<_> = users.iter().map(|(id, _)| id.clone()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 5, "{ids:?}");
    assert_eq!(app.count("users"), 5);
    assert_eq!(app.count("federated_credentials"), 5);
    app.stop().await;
}
