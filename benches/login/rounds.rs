//! Saturated logins on an app and on its floor, in alternating rounds: the load of other
//! tenants on a shared machine moves from second to second, so the two apps are measured
//! turn about (each round the same accounts on both, the order alternating), and each app's
//! figures are the sums of its rounds.

use std::ops::Range;

use actix_web::rt::SystemRunner;

use super::{
    logins::{Batch, Driver},
    orchestrator::Settings,
    report::{summary, Summary},
};

/// One app's saturated logins: warm-up, first logins of half the accounts, the same accounts
/// returning.
pub struct Measured {
    pub warmup: Batch,
    /// The first and returning logins together.
    pub steady: Batch,
    pub first: Summary,
    pub again: Summary,
    pub all: Summary,
}

/// Runs the same logins on `app` and on `floor`, in rounds of `settings.round_logins`;
/// `at_half` runs between the first and the returning logins.
pub fn measure_pair(
    settings: &Settings,
    app: &mut Driver,
    floor: &mut Driver,
    system: &SystemRunner,
    tick_ms: f64,
    at_half: impl FnOnce(),
) -> (Measured, Measured) {
    let half = settings.logins / 2;
    let mut drivers = [app, floor];
    let warmup = alternate(&mut drivers, 0..settings.warmup, |i| i, settings, system);
    let first = alternate(&mut drivers, settings.warmup..half, |i| i, settings, system);
    at_half();
    let again = alternate(
        &mut drivers,
        half..settings.logins,
        |i| i - half,
        settings,
        system,
    );
    let mut measured = warmup
        .into_iter()
        .zip(first)
        .zip(again)
        .map(|((warmup, first), again)| {
            let (first_summary, again_summary) =
                (summary(&first, tick_ms), summary(&again, tick_ms));
            let mut steady = first;
            steady.merge(again);
            Measured {
                warmup,
                first: first_summary,
                again: again_summary,
                all: summary(&steady, tick_ms),
                steady,
            }
        });
    let app = measured.next().expect("the app's figures");
    let floor = measured.next().expect("the floor's figures");
    (app, floor)
}

/// Logins `range` on each driver, a round at a time, alternating which goes first.
fn alternate(
    drivers: &mut [&mut Driver; 2],
    range: Range<usize>,
    account: impl Fn(usize) -> usize + Copy,
    settings: &Settings,
    system: &SystemRunner,
) -> [Batch; 2] {
    let mut batches = [Batch::default(), Batch::default()];
    let round = settings.round_logins.max(1);
    for (number, start) in range.clone().step_by(round).enumerate() {
        let chunk = start..(start + round).min(range.end);
        let order = if number % 2 == 0 { [0, 1] } else { [1, 0] };
        for k in order {
            let batch = system.block_on(drivers[k].batch(chunk.clone(), account));
            batches[k].merge(batch);
        }
    }
    batches
}
