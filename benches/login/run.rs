//! The child processes of a run, started and introduced to each other: the app, the same app
//! without the middleware, the same app signing in over OAuth 2.0, the floor app of each
//! protocol, the provider and the floor provider.

use std::path::Path;

use super::{children::Child, orchestrator::Settings, CALLBACK_PATH};

/// How far the provider accepts `oauth_timestamp` from its clock, in seconds. The mock
/// remembers nonces this long and scans them on every signed request, so a short window keeps
/// the provider cheap; app and provider share the clock, so a few seconds is plenty.
pub const PROVIDER_WINDOW_SECS: u64 = 3;

/// One app process: where it listens and where it keeps its users.
pub struct AppProcess {
    pub child: Child,
    pub port: u16,
    pub database: String,
}

impl AppProcess {
    /// Starts `role` with `args` and a SQLite file `file` in `dir`, and reads its port.
    fn spawn(
        name: &'static str,
        role: &str,
        args: &[&str],
        dir: &Path,
        file: &str,
        wrapper: Option<&str>,
    ) -> Self {
        let database = path(&dir.join(file));
        let mut all = vec!["--role", role, "--db", &database];
        all.extend_from_slice(args);
        let mut child = Child::spawn(name, &all, wrapper);
        let port = child.port();
        Self {
            child,
            port,
            database,
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn callback(&self) -> String {
        format!("{}{CALLBACK_PATH}", self.url())
    }
}

/// The child processes of a run.
pub struct Run {
    /// The app signing in over OAuth 1.0a.
    pub app: AppProcess,
    /// The same app signing in over OAuth 2.0.
    pub oauth2: AppProcess,
    /// The same app without the middleware.
    pub plain: AppProcess,
    /// The floor app of each protocol (unsigned round trips, the same lookup).
    pub floor_oauth1: AppProcess,
    pub floor_oauth2: AppProcess,
    pub provider: Child,
    pub provider_url: String,
    pub floor_provider: Child,
    pub floor_provider_url: String,
}

impl Run {
    /// Starts every process and introduces the apps to their providers.
    pub fn start(settings: &Settings, dir: &Path) -> Self {
        let half = settings.logins / 2;
        println!(
            "  setup    apps (with the middleware over OAuth 1.0a and over OAuth 2.0, without it, \
             and the floor app of each protocol): separate processes, 2 workers each, SQLite \
             file (default StoreOptions), cookie sessions; provider: separate process, {} \
             accounts, timestamp window {PROVIDER_WINDOW_SECS} s; floor provider: separate \
             process",
            half + settings.fault_logins
        );
        let wrapper = settings.app_wrapper.as_deref();
        let mut app = AppProcess::spawn("app", "app", &[], dir, "users.db", wrapper);
        let plain = AppProcess::spawn(
            "app without the middleware",
            "app",
            &["--without-login"],
            dir,
            "plain.db",
            None,
        );
        let oauth2_args = ["--protocol", "oauth2"];
        let mut oauth2 =
            AppProcess::spawn("OAuth 2.0 app", "app", &oauth2_args, dir, "oauth2.db", None);
        let mut floor_oauth1 =
            AppProcess::spawn("OAuth 1.0a floor app", "floor", &[], dir, "floor1.db", None);
        let mut floor_oauth2 = AppProcess::spawn(
            "OAuth 2.0 floor app",
            "floor",
            &oauth2_args,
            dir,
            "floor2.db",
            None,
        );

        let users = (half + settings.fault_logins).to_string();
        let window = PROVIDER_WINDOW_SECS.to_string();
        let (callback, oauth2_callback) = (app.callback(), oauth2.callback());
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
        let mut floor_provider =
            Child::spawn("floor provider", &["--role", "floor-provider"], None);
        let floor_provider_url = format!("http://127.0.0.1:{}", floor_provider.port());

        app.child.send(&provider_url);
        oauth2.child.send(&provider_url);
        floor_oauth1.child.send(&floor_provider_url);
        floor_oauth2.child.send(&floor_provider_url);
        let mut run = Self {
            app,
            oauth2,
            plain,
            floor_oauth1,
            floor_oauth2,
            provider,
            provider_url,
            floor_provider,
            floor_provider_url,
        };
        for app in run.apps() {
            let line = app.child.line();
            assert_eq!(line, "ready", "the {} said {line:?}", app.child.name);
        }
        run
    }

    fn apps(&mut self) -> [&mut AppProcess; 5] {
        [
            &mut self.app,
            &mut self.plain,
            &mut self.oauth2,
            &mut self.floor_oauth1,
            &mut self.floor_oauth2,
        ]
    }

    pub fn finish(self) {
        for child in [
            self.app.child,
            self.plain.child,
            self.oauth2.child,
            self.floor_oauth1.child,
            self.floor_oauth2.child,
            self.provider,
            self.floor_provider,
        ] {
            child.finish();
        }
    }
}

fn path(path: &Path) -> String {
    path.to_str().expect("a UTF-8 path").to_owned()
}
