//! What guards the provider from the login: a per-client rate limit on the login start
//! (`governor`, keyed by the client's address by default) and a bound on the provider calls in
//! flight across the middleware's workers. Either answers 429 with `Retry-After`.

use std::{
    net::IpAddr,
    num::NonZeroU32,
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
    time::Duration,
};

use actix_web::dev::ServiceRequest;
use governor::{
    clock::{Clock as _, DefaultClock},
    DefaultKeyedRateLimiter, Quota,
};

/// What keys the rate limit: a client, or `None` for a request not to limit.
pub(crate) type KeyFn = Arc<dyn Fn(&ServiceRequest) -> Option<String> + Send + Sync>;

/// The checks between two sweeps of clients whose limit has fully recovered.
const SWEEP_EVERY: usize = 1024;

/// Why a request was turned away, and when to come back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Throttled {
    /// Whole seconds until a retry can succeed (at least one).
    pub retry_after_secs: u64,
    /// What was exhausted, for the log.
    pub reason: &'static str,
}

/// The rate limiter and the in-flight count of one middleware, shared by its workers.
pub(crate) struct Guard {
    limit: Option<Limit>,
    max_in_flight: usize,
    in_flight: AtomicUsize,
}

struct Limit {
    limiter: DefaultKeyedRateLimiter<String>,
    clock: DefaultClock,
    key: KeyFn,
    checks: AtomicUsize,
}

impl Guard {
    /// A guard allowing `rate` (starts per period, per client; `None`: unlimited) and
    /// `max_in_flight` provider calls at once.
    pub(crate) fn new(
        rate: Option<(NonZeroU32, Duration)>,
        key: KeyFn,
        max_in_flight: usize,
    ) -> Self {
        let limit = rate.and_then(|(count, period)| {
            // `count` starts at once, then one more every `period / count`.
            let quota = Quota::with_period(period / count.get())?.allow_burst(count);
            Some(Limit {
                limiter: DefaultKeyedRateLimiter::keyed(quota),
                clock: DefaultClock::default(),
                key,
                checks: AtomicUsize::new(0),
            })
        });
        Self {
            limit,
            max_in_flight,
            in_flight: AtomicUsize::new(0),
        }
    }

    /// Counts one login start against its client's limit.
    pub(crate) fn admit(&self, req: &ServiceRequest) -> Result<(), Throttled> {
        let Some(limit) = &self.limit else {
            return Ok(());
        };
        let Some(key) = (limit.key)(req) else {
            return Ok(());
        };
        if limit.checks.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            limit.limiter.retain_recent();
            limit.limiter.shrink_to_fit();
        }
        limit.limiter.check_key(&key).map_err(|not_until| {
            let wait = not_until.wait_time_from(limit.clock.now());
            Throttled {
                retry_after_secs: wait.as_secs() + u64::from(wait.subsec_nanos() > 0),
                reason: "this client started too many logins",
            }
            .at_least_one_second()
        })
    }

    /// A place among the provider calls in flight, held until dropped; refused when all are
    /// taken.
    pub(crate) fn enter(&self) -> Result<InFlight<'_>, Throttled> {
        let mut current = self.in_flight.load(Ordering::Relaxed);
        loop {
            if current >= self.max_in_flight {
                return Err(Throttled {
                    retry_after_secs: 1,
                    reason: "too many provider calls are in flight",
                });
            }
            match self.in_flight.compare_exchange_weak(
                current,
                current + 1,
                Ordering::AcqRel,
                Ordering::Relaxed,
            ) {
                Ok(_) => return Ok(InFlight(&self.in_flight)),
                Err(actual) => current = actual,
            }
        }
    }
}

impl Throttled {
    fn at_least_one_second(mut self) -> Self {
        self.retry_after_secs = self.retry_after_secs.max(1);
        self
    }
}

/// One provider call in flight; leaves the count when dropped.
pub(crate) struct InFlight<'a>(&'a AtomicUsize);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The default rate-limit key: the peer's address (for IPv6 its /64 network, which one
/// client usually holds whole). Behind a proxy every client has the proxy's address: set
/// a key of your own from the header your proxy sets.
pub(crate) fn peer_address(req: &ServiceRequest) -> Option<String> {
    Some(match req.peer_addr()?.ip() {
        IpAddr::V4(ip) => ip.to_string(),
        IpAddr::V6(ip) => match ip.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = ip.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    })
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    fn request_from(addr: &str) -> ServiceRequest {
        TestRequest::default()
            .peer_addr(addr.parse().unwrap())
            .to_srv_request()
    }

    fn guard(count: u32, max_in_flight: usize) -> Guard {
        let rate = NonZeroU32::new(count).map(|c| (c, Duration::from_secs(60)));
        Guard::new(rate, Arc::new(peer_address), max_in_flight)
    }

    #[test]
    fn each_client_gets_its_own_burst_then_a_retry_after() {
        let guard = guard(3, 8);
        let (a, b) = (request_from("10.0.0.1:1000"), request_from("10.0.0.2:1000"));
        for _ in 0..3 {
            assert_eq!(guard.admit(&a), Ok(()));
        }
        let refused = guard.admit(&a).expect_err("the fourth start in a minute");
        // One start comes back every 20 s.
        assert!((1..=20).contains(&refused.retry_after_secs), "{refused:?}");
        assert_eq!(guard.admit(&b), Ok(()), "another client is not limited");
        // Another port of the same address is the same client.
        assert!(guard.admit(&request_from("10.0.0.1:2000")).is_err());
    }

    #[test]
    fn ipv6_clients_are_their_64_network() {
        let req = request_from("[2001:db8:1:2:aaaa::1]:443");
        assert_eq!(peer_address(&req).as_deref(), Some("2001:db8:1:2::/64"));
        let guard = guard(1, 8);
        assert_eq!(guard.admit(&req), Ok(()));
        let same_network = request_from("[2001:db8:1:2:bbbb::9]:443");
        assert!(guard.admit(&same_network).is_err());
        assert_eq!(guard.admit(&request_from("[2001:db8:1:3::1]:443")), Ok(()));
    }

    #[test]
    fn no_limit_and_no_key_admit_everything() {
        let unlimited = guard(0, 8);
        let req = request_from("10.0.0.1:1000");
        for _ in 0..100 {
            assert_eq!(unlimited.admit(&req), Ok(()));
        }
        let keyless = Guard::new(
            NonZeroU32::new(1).map(|c| (c, Duration::from_secs(60))),
            Arc::new(|_: &ServiceRequest| None),
            8,
        );
        for _ in 0..3 {
            assert_eq!(keyless.admit(&req), Ok(()));
        }
    }

    #[test]
    fn in_flight_calls_are_bounded_and_released() {
        let guard = guard(0, 2);
        let first = guard.enter().expect("one");
        let second = guard.enter().expect("two");
        let refused = guard.enter().map(|_| ()).expect_err("a third");
        assert_eq!(refused.retry_after_secs, 1);
        drop(first);
        let third = guard.enter().expect("a place was released");
        drop((second, third));
        assert_eq!(guard.in_flight.load(Ordering::Relaxed), 0);
    }
}
