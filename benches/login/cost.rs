//! What a login costs: each protocol's saturated logins (first and returning), measured turn
//! about with its floor, the memory and loss figures, and the paced run.

use actix_web::rt::SystemRunner;

use super::{
    check, floor,
    logins::{Driver, Processes},
    orchestrator::Settings,
    procfs::{Memory, Process},
    report::{figure, print_memory, print_summary, summary, Summary},
    rounds::{measure_pair, Measured},
    run::Run,
};

/// The login cost, memory and loss figures: `logins` complete logins, the first half the
/// first logins of as many accounts (each creates its user), the second half the same accounts
/// returning.
pub fn logins(
    settings: &Settings,
    run: &Run,
    driver: &mut Driver,
    system: &SystemRunner,
    tick_ms: f64,
    start_memory: Memory,
) -> (Summary, Summary) {
    let half = settings.logins / 2;
    let mut at_half = start_memory;
    let mut floor_driver = floor::driver(settings, run, &run.floor_oauth1);
    let (measured, floor_measured) =
        measure_pair(settings, driver, &mut floor_driver, system, tick_ms, || {
            at_half = run.app.child.process().memory();
        });
    let at_end = run.app.child.process().memory();
    let Measured {
        first, again, all, ..
    } = &measured;

    println!();
    println!(
        "login cost: complete logins (GET /login/twitter → provider approve → GET callback → \
         GET /), {} at a time, after {} warm-up logins",
        settings.concurrency, settings.warmup
    );
    print_measured(settings, &measured);
    for (label, s) in [
        ("all measured", &all),
        ("first logins", &first),
        ("returning logins", &again),
    ] {
        figure(
            &format!("app CPU per login, {label}"),
            &format!("{:.3} ms", s.app_ms),
            "≤ 0.35 ms",
            s.app_ms <= 0.35,
        );
    }

    println!();
    println!("memory of the app process (VmRSS / VmHWM from /proc)");
    print_memory("at start", start_memory);
    print_memory(&format!("after {half} logins"), at_half);
    print_memory(&format!("after {} logins", settings.logins), at_end);
    let peak_mib = at_half.peak_kib as f64 / 1024.0;
    figure(
        &format!("peak RSS after {half} logins"),
        &format!("{peak_mib:.1} MiB"),
        "≤ 20 MiB",
        peak_mib <= 20.0,
    );
    let growth = at_end.rss_kib as i64 - at_half.rss_kib as i64;
    figure(
        &format!("RSS growth {half} → {} logins", settings.logins),
        &format!("{growth:+} KiB"),
        "≈ 0 (≤ 1 MiB)",
        growth <= 1024,
    );

    println!();
    println!("load without loss");
    lost_figure("failed logins", settings, &measured);
    users_figure(
        "users in the database",
        &run.app.database,
        driver,
        Some(half),
    );
    let floor_oauth1 = &run.floor_oauth1;
    floor::report(
        settings,
        "OAuth 1.0a",
        floor_oauth1,
        &floor_measured,
        &floor_driver,
        &measured,
    );
    let paced = paced(settings, driver, system, tick_ms, "OAuth 1.0a");
    (measured.all, paced)
}

pub fn print_measured(settings: &Settings, m: &Measured) {
    let half = settings.logins / 2;
    let window = |from: usize, to: usize| format!("{from}..{to}");
    print_summary(
        &format!("first logins {}", window(settings.warmup, half)),
        &m.first,
    );
    print_summary(
        &format!("returning logins {}", window(half, settings.logins)),
        &m.again,
    );
    print_summary(
        &format!("all measured {}", window(settings.warmup, settings.logins)),
        &m.all,
    );
}

/// Logins that neither signed in nor ended on the failure page: none.
pub fn lost_figure(label: &str, settings: &Settings, m: &Measured) {
    let (steady, warmup) = (&m.steady, &m.warmup);
    let lost =
        steady.broken + steady.failure_page_count() + warmup.broken + warmup.failure_page_count();
    figure(
        label,
        &format!("{lost} of {}", settings.logins),
        "0",
        lost == 0,
    );
    for example in steady.broken_examples.iter().chain(&warmup.broken_examples) {
        println!("    e.g. {example}");
    }
}

/// Returning logins arriving at the paced rate; prints and returns their summary.
fn paced(
    settings: &Settings,
    driver: &mut Driver,
    system: &SystemRunner,
    tick_ms: f64,
    protocol: &str,
) -> Summary {
    let batch = system.block_on(driver.paced(0..settings.paced_logins, |i| i, settings.paced_rate));
    let paced = summary(&batch, tick_ms);
    println!();
    println!(
        "{protocol} paced: {} returning logins arriving at {} logins/s",
        settings.paced_logins, settings.paced_rate
    );
    print_summary("paced", &paced);
    let lost = batch.broken + batch.failure_page_count();
    figure(
        &format!("{protocol} paced failed logins"),
        &format!("{lost} of {}", settings.paced_logins),
        "0",
        lost == 0,
    );
    paced
}

/// The same logins over OAuth 2.0, on the OAuth 2.0 app: fewer provider calls, no signing.
pub fn oauth2_logins(
    settings: &Settings,
    run: &Run,
    system: &SystemRunner,
    tick_ms: f64,
    oauth1: &(Summary, Summary),
) {
    let (oauth1, oauth1_paced) = oauth1;
    let half = settings.logins / 2;
    let mut driver = Driver::new(
        &run.oauth2.url(),
        &run.provider_url,
        settings.concurrency,
        Processes {
            app: run.oauth2.child.process(),
            provider: run.provider.process(),
            orchestrator: Process::current(),
        },
    );
    let mut floor_driver = floor::driver(settings, run, &run.floor_oauth2);
    let (measured, floor_measured) = measure_pair(
        settings,
        &mut driver,
        &mut floor_driver,
        system,
        tick_ms,
        || {},
    );
    let all = &measured.all;

    println!();
    println!(
        "OAuth 2.0 login cost: the same logins on the app signing in over OAuth 2.0 (GET \
         /login/twitter → provider approve → GET callback: code exchange, /2/users/me → GET /)"
    );
    print_measured(settings, &measured);
    figure(
        "OAuth 2.0 app CPU per login, all measured",
        &format!("{:.3} ms (OAuth 1.0a {:.3} ms)", all.app_ms, oauth1.app_ms),
        "≤ the OAuth 1.0a figure",
        all.app_ms <= oauth1.app_ms,
    );
    lost_figure("OAuth 2.0 failed logins", settings, &measured);
    users_figure(
        "OAuth 2.0 users in the database",
        &run.oauth2.database,
        &driver,
        Some(half),
    );
    let floor_oauth2 = &run.floor_oauth2;
    floor::report(
        settings,
        "OAuth 2.0",
        floor_oauth2,
        &floor_measured,
        &floor_driver,
        &measured,
    );
    let paced = paced(settings, &mut driver, system, tick_ms, "OAuth 2.0");
    figure(
        "OAuth 2.0 app CPU per login, paced",
        &format!(
            "{:.3} ms (OAuth 1.0a {:.3} ms)",
            paced.app_ms, oauth1_paced.app_ms
        ),
        "≤ the OAuth 1.0a figure",
        paced.app_ms <= oauth1_paced.app_ms,
    );
}

/// Users and credentials in the app's database against the accounts that signed in.
pub fn users_figure(label: &str, database: &str, driver: &Driver, accounts: Option<usize>) {
    let users = check::users(database, &driver.identities());
    figure(
        label,
        &format!(
            "{} users, {} credentials, {} accounts",
            users.users, users.credentials, users.accounts
        ),
        "one per account",
        users.ok() && accounts.is_none_or(|n| n == users.accounts),
    );
    if users.mismatched > 0 {
        println!(
            "    {} credentials not matching the identity seen",
            users.mismatched
        );
    }
}
