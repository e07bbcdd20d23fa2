//! The child processes of a run: the app, the same app without the middleware, the same app
//! signing in over OAuth 2.0, and the provider, started and introduced to each other.

use std::path::Path;

use super::{children::Child, orchestrator::Settings, CALLBACK_PATH};

/// How far the provider accepts `oauth_timestamp` from its clock, in seconds. The mock
/// remembers nonces this long and scans them on every signed request, so a short window keeps
/// the provider cheap; app and provider share the clock, so a few seconds is plenty.
pub const PROVIDER_WINDOW_SECS: u64 = 3;

/// The four child processes of a run, and where the apps keep their users.
pub struct Run {
    pub app: Child,
    pub app_port: u16,
    /// The same app signing in over OAuth 2.0.
    pub oauth2: Child,
    pub oauth2_port: u16,
    pub oauth2_database: String,
    pub plain: Child,
    pub plain_port: u16,
    pub provider: Child,
    pub provider_url: String,
    pub database: String,
}

impl Run {
    /// Starts the app, the app without the middleware and the provider, and introduces them.
    pub fn start(settings: &Settings, dir: &Path) -> Self {
        let half = settings.logins / 2;
        println!(
            "  setup    app and app without the middleware: separate processes, 2 workers each, \
             SQLite file (default StoreOptions), cookie sessions; provider: separate process, \
             {} accounts, timestamp window {PROVIDER_WINDOW_SECS} s",
            half + settings.fault_logins
        );
        let database = path(&dir.join("users.db"));
        let mut app = Child::spawn(
            "app",
            &["--role", "app", "--db", &database],
            settings.app_wrapper.as_deref(),
        );
        let app_port = app.port();
        let plain_database = path(&dir.join("plain.db"));
        let mut plain = Child::spawn(
            "app without the middleware",
            &["--role", "app", "--without-login", "--db", &plain_database],
            None,
        );
        let plain_port = plain.port();
        let oauth2_database = path(&dir.join("oauth2.db"));
        let mut oauth2 = Child::spawn(
            "OAuth 2.0 app",
            &[
                "--role",
                "app",
                "--protocol",
                "oauth2",
                "--db",
                &oauth2_database,
            ],
            None,
        );
        let oauth2_port = oauth2.port();
        let callback = format!("http://127.0.0.1:{app_port}{CALLBACK_PATH}");
        let oauth2_callback = format!("http://127.0.0.1:{oauth2_port}{CALLBACK_PATH}");
        let users = (half + settings.fault_logins).to_string();
        let window = PROVIDER_WINDOW_SECS.to_string();
        let mut provider = Child::spawn(
            "provider",
            &[
                "--role",
                "provider",
                "--callback",
                &callback,
                "--callback",
                &oauth2_callback,
                "--users",
                &users,
                "--window",
                &window,
            ],
            None,
        );
        let provider_url = format!("http://127.0.0.1:{}", provider.port());
        app.send(&provider_url);
        oauth2.send(&provider_url);
        for child in [&mut app, &mut plain, &mut oauth2] {
            let line = child.line();
            assert_eq!(line, "ready", "the {} said {line:?}", child.name);
        }
        Self {
            app,
            app_port,
            oauth2,
            oauth2_port,
            oauth2_database,
            plain,
            plain_port,
            provider,
            provider_url,
            database,
        }
    }

    pub fn finish(self) {
        for child in [self.app, self.plain, self.oauth2, self.provider] {
            child.finish();
        }
    }
}

fn path(path: &Path) -> String {
    path.to_str().expect("a UTF-8 path").to_owned()
}
