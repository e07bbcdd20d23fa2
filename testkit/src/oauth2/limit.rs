//! The token exchange's rate limit: so many exchanges per period from one source IP address
//! (the provider knows one app), counted in fixed windows as X counts them.

use std::{
    collections::HashMap,
    net::IpAddr,
    time::{Duration, Instant},
};

/// At most this many windows are kept; past it the ended ones are dropped.
const MAX_WINDOWS: usize = 1024;

/// How many token exchanges the app may make from one IP address per period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ExchangeLimit {
    /// Exchanges allowed per window.
    pub count: u32,
    /// How long a window lasts from its first exchange.
    pub period: Duration,
}

/// X's limit: 10,000 exchanges per 15 minutes per app and source IP address.
impl Default for ExchangeLimit {
    fn default() -> Self {
        Self {
            count: 10_000,
            period: Duration::from_secs(15 * 60),
        }
    }
}

/// One IP address's current window.
#[derive(Debug, Clone, Copy)]
struct Window {
    /// When its first exchange came.
    opened: Instant,
    /// How many exchanges it admitted.
    used: u32,
}

/// A refused exchange: the window is used up until `reset_in` from now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Exhausted {
    /// How long until the window ends.
    pub reset_in: Duration,
}

/// The windows of the exchange limit, by source IP address.
#[derive(Debug, Default)]
pub(crate) struct ExchangeWindows(HashMap<IpAddr, Window>);

impl ExchangeWindows {
    /// Counts an exchange from `ip` at `now` against `limit`. A window opens at the first
    /// exchange after the previous window ended and lasts `limit.period`; within it the first
    /// `limit.count` exchanges are admitted and the others refused (refusals use nothing up).
    pub fn admit(
        &mut self,
        ip: IpAddr,
        now: Instant,
        limit: ExchangeLimit,
    ) -> Result<(), Exhausted> {
        let ended = |window: &Window| now.saturating_duration_since(window.opened) >= limit.period;
        if self.0.len() >= MAX_WINDOWS && !self.0.contains_key(&ip) {
            self.0.retain(|_, window| !ended(window));
        }
        let window = self.0.entry(ip).or_insert(Window {
            opened: now,
            used: 0,
        });
        if ended(window) {
            *window = Window {
                opened: now,
                used: 0,
            };
        }
        if window.used >= limit.count {
            let reset_in = limit
                .period
                .saturating_sub(now.saturating_duration_since(window.opened));
            return Err(Exhausted { reset_in });
        }
        window.used += 1;
        Ok(())
    }

    /// How many windows are kept.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.0.len()
    }
}
