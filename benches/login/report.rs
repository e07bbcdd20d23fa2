//! How the figures are printed: per-login summaries, memory, and each figure against its target.

use super::{logins::Batch, procfs::Memory};

/// The build profile, in words.
pub fn profile() -> &'static str {
    if cfg!(debug_assertions) {
        "debug (not optimized: the figures mean little; use `cargo bench`)"
    } else {
        "release (`cargo bench`'s bench profile: optimized, no debug assertions)"
    }
}

/// The median (the mean of the middle two for an even count).
pub fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 0 {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    }
}

/// The `q`-quantile (0 to 1) of the values, by linear interpolation between the two nearest.
pub fn quantile(mut values: Vec<f64>, q: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    let position = q.clamp(0.0, 1.0) * (values.len().saturating_sub(1)) as f64;
    let (low, high) = (position.floor() as usize, position.ceil() as usize);
    let weight = position - low as f64;
    values[low] * (1.0 - weight) + values[high] * weight
}

/// Per-login figures of a batch.
pub struct Summary {
    pub logins: usize,
    pub per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// CPU time per login of the app, the provider and the load driver.
    pub app_ms: f64,
    /// The part of `app_ms` spent in the kernel.
    pub app_system_ms: f64,
    pub provider_ms: f64,
    pub orchestrator_ms: f64,
}

pub fn summary(batch: &Batch, tick_ms: f64) -> Summary {
    let per = |ticks: u64| ticks as f64 * tick_ms / batch.attempts.max(1) as f64;
    Summary {
        logins: batch.attempts,
        per_second: batch.per_second(),
        p50_ms: batch.percentile_ms(0.50),
        p99_ms: batch.percentile_ms(0.99),
        app_ms: per(batch.ticks.app),
        app_system_ms: per(batch.ticks.app_system),
        provider_ms: per(batch.ticks.provider),
        orchestrator_ms: per(batch.ticks.orchestrator),
    }
}

pub fn print_summary(label: &str, s: &Summary) {
    println!(
        "  {label}: {} logins, {:.0} logins/s, latency p50 {:.2} ms, p99 {:.2} ms",
        s.logins, s.per_second, s.p50_ms, s.p99_ms
    );
    println!(
        "      CPU per login: app {:.3} ms ({:.3} of it in the kernel), provider {:.3} ms, \
         load driver {:.3} ms",
        s.app_ms, s.app_system_ms, s.provider_ms, s.orchestrator_ms
    );
}

pub fn print_memory(label: &str, m: Memory) {
    println!(
        "  {label}: VmRSS {:.1} MiB, VmHWM {:.1} MiB",
        m.rss_kib as f64 / 1024.0,
        m.peak_kib as f64 / 1024.0
    );
}

/// One figure against its target.
pub fn figure(label: &str, value: &str, target: &str, met: bool) {
    println!(
        "  => {label:<44} {value:>28}   target {target:<16} {}",
        if met { "MET" } else { "MISSED" }
    );
}
