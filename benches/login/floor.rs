//! The floor of a protocol: its floor app (the same session and identity middleware, the same
//! browser requests, the same provider round trips unsigned, the same user lookup) measured
//! turn about with the app ([`measure_pair`](super::rounds::measure_pair)), and the app's CPU
//! per login divided by the floor's.

use super::{
    cost::{lost_figure, print_measured, users_figure},
    logins::{Driver, Processes},
    orchestrator::Settings,
    procfs::Process,
    report::figure,
    rounds::Measured,
    run::{AppProcess, Run},
};

/// The most a login through the crate may cost the app, in floor logins.
const TARGET: f64 = 1.3;

/// The virtual browsers of a floor app, with the floor provider.
pub fn driver(settings: &Settings, run: &Run, floor: &AppProcess) -> Driver {
    Driver::new(
        &floor.url(),
        &run.floor_provider_url,
        settings.concurrency,
        Processes {
            app: floor.child.process(),
            provider: run.floor_provider.process(),
            orchestrator: Process::current(),
        },
    )
}

/// Prints the floor's logins and the app's CPU per login (`app`, measured turn about with the
/// floor) against them.
pub fn report(
    settings: &Settings,
    protocol: &str,
    floor: &AppProcess,
    measured: &Measured,
    driver: &Driver,
    app: &Measured,
) {
    println!();
    println!(
        "{protocol} floor: the same logins, measured turn about with the app in rounds of {}, \
         on an app with the same session and identity middleware whose own handlers make the \
         same provider round trips, unsigned and unchecked, and the same user lookup \
         (store::find_or_create)",
        settings.round_logins
    );
    print_measured(settings, measured);
    lost_figure(
        &format!("{protocol} floor failed logins"),
        settings,
        measured,
    );
    users_figure(
        &format!("{protocol} floor users in the database"),
        &floor.database,
        driver,
        Some(settings.logins / 2),
    );
    for (label, app, floor) in [
        ("all measured", &app.all, &measured.all),
        ("first logins", &app.first, &measured.first),
        ("returning logins", &app.again, &measured.again),
    ] {
        let ratio = app.app_ms / floor.app_ms;
        figure(
            &format!("{protocol} CPU per login ÷ floor, {label}"),
            &format!("{ratio:.2} ({:.3} / {:.3} ms)", app.app_ms, floor.app_ms),
            &format!("≤ {TARGET}"),
            ratio <= TARGET,
        );
    }
}
