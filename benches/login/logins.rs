//! Complete logins at a fixed concurrency, in batches, with what each batch cost the processes.

use std::{
    cell::{Cell, RefCell},
    collections::{BTreeMap, HashMap},
    ops::Range,
    time::{Duration, Instant},
};

use futures_util::future::join_all;

use super::{
    browser::{Browser, Outcome},
    procfs::Process,
};

/// The processes whose CPU time a batch records.
#[derive(Debug, Clone, Copy)]
pub struct Processes {
    pub app: Process,
    pub provider: Process,
    pub orchestrator: Process,
}

/// CPU ticks (user + system) of each process over a batch.
#[derive(Debug, Clone, Copy, Default)]
pub struct Ticks {
    pub app: u64,
    /// The app's ticks in the kernel (part of `app`).
    pub app_system: u64,
    pub provider: u64,
    pub orchestrator: u64,
}

impl Processes {
    fn ticks(&self) -> Ticks {
        let (user, system) = self.app.cpu_split();
        Ticks {
            app: user + system,
            app_system: system,
            provider: self.provider.cpu_ticks(),
            orchestrator: self.orchestrator.cpu_ticks(),
        }
    }
}

/// What one batch of logins did.
#[derive(Debug, Default)]
pub struct Batch {
    pub attempts: usize,
    pub elapsed: Duration,
    /// Every attempt's time from the first request to the last answer.
    pub latencies: Vec<Duration>,
    pub signed_in: usize,
    /// Failure pages by status.
    pub failure_pages: BTreeMap<u16, usize>,
    /// Lost logins: how many, and the first few reasons.
    pub broken: usize,
    pub broken_examples: Vec<String>,
    pub ticks: Ticks,
}

impl Batch {
    pub fn failure_page_count(&self) -> usize {
        self.failure_pages.values().sum()
    }

    /// Adds `other` (run after this one) to this batch's figures.
    pub fn merge(&mut self, other: Batch) {
        self.attempts += other.attempts;
        self.elapsed += other.elapsed;
        self.latencies.extend(other.latencies);
        self.signed_in += other.signed_in;
        for (status, n) in other.failure_pages {
            *self.failure_pages.entry(status).or_default() += n;
        }
        self.broken += other.broken;
        self.broken_examples.extend(other.broken_examples);
        self.broken_examples.truncate(MAX_EXAMPLES);
        self.ticks.app += other.ticks.app;
        self.ticks.app_system += other.ticks.app_system;
        self.ticks.provider += other.ticks.provider;
        self.ticks.orchestrator += other.ticks.orchestrator;
    }

    pub fn per_second(&self) -> f64 {
        self.attempts as f64 / self.elapsed.as_secs_f64()
    }

    /// The latency below which a fraction `p` of the attempts finished, in ms.
    pub fn percentile_ms(&self, p: f64) -> f64 {
        let mut sorted = self.latencies.clone();
        sorted.sort_unstable();
        let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len().max(1));
        sorted
            .get(rank - 1)
            .map_or(f64::NAN, |d| d.as_secs_f64() * 1e3)
    }
}

const MAX_EXAMPLES: usize = 5;

/// The virtual browsers, and the identity each account signed in as so far.
pub struct Driver {
    browsers: Vec<Browser>,
    processes: Processes,
    identities: RefCell<HashMap<usize, String>>,
}

impl Driver {
    pub fn new(app: &str, provider: &str, concurrency: usize, processes: Processes) -> Self {
        Self {
            browsers: (0..concurrency)
                .map(|_| Browser::new(app, provider))
                .collect(),
            processes,
            identities: RefCell::new(HashMap::new()),
        }
    }

    /// Every account that signed in at least once, with its identity.
    pub fn identities(&self) -> HashMap<usize, String> {
        self.identities.borrow().clone()
    }

    /// Logins number `range`, login `i` with account `account(i)`, each browser taking the next
    /// login as soon as its previous one is done.
    pub async fn batch(&mut self, range: Range<usize>, account: impl Fn(usize) -> usize) -> Batch {
        self.run(range, account, None).await
    }

    /// The same logins arriving at `per_second`: login `i` starts no earlier than `i / per_second`
    /// seconds after the first (as sparse real logins do), on the first free browser.
    pub async fn paced(
        &mut self,
        range: Range<usize>,
        account: impl Fn(usize) -> usize,
        per_second: f64,
    ) -> Batch {
        let interval = Duration::from_secs_f64(1.0 / per_second.max(0.001));
        self.run(range, account, Some(interval)).await
    }

    async fn run(
        &mut self,
        range: Range<usize>,
        account: impl Fn(usize) -> usize,
        interval: Option<Duration>,
    ) -> Batch {
        let next = Cell::new(range.start);
        let batch = RefCell::new(Batch::default());
        let before = self.processes.ticks();
        let started = Instant::now();
        let identities = &self.identities;
        let workers = self.browsers.iter_mut().map(|browser| {
            let (next, batch, account, end) = (&next, &batch, &account, range.end);
            let first = range.start;
            async move {
                loop {
                    let i = next.get();
                    if i >= end {
                        break;
                    }
                    next.set(i + 1);
                    if let Some(interval) = interval {
                        let due = started + interval * u32::try_from(i - first).unwrap_or(u32::MAX);
                        actix_web::rt::time::sleep_until(due.into()).await;
                    }
                    let n = account(i);
                    let began = Instant::now();
                    let outcome = browser.login(n).await;
                    let took = began.elapsed();
                    record(&mut batch.borrow_mut(), identities, n, outcome, took);
                }
            }
        });
        join_all(workers).await;
        let elapsed = started.elapsed();
        let after = self.processes.ticks();
        let mut batch = batch.into_inner();
        batch.elapsed = elapsed;
        batch.ticks = Ticks {
            app: after.app - before.app,
            app_system: after.app_system - before.app_system,
            provider: after.provider - before.provider,
            orchestrator: after.orchestrator - before.orchestrator,
        };
        batch
    }
}

fn record(
    batch: &mut Batch,
    identities: &RefCell<HashMap<usize, String>>,
    account: usize,
    outcome: Outcome,
    took: Duration,
) {
    batch.attempts += 1;
    batch.latencies.push(took);
    let broken = match outcome {
        Outcome::SignedIn(id) => {
            let mut identities = identities.borrow_mut();
            match identities.get(&account) {
                Some(earlier) if *earlier != id => Some(format!(
                    "account {account} signed in as user {id}, earlier as {earlier}"
                )),
                _ => {
                    identities.insert(account, id);
                    batch.signed_in += 1;
                    None
                }
            }
        }
        Outcome::FailurePage { status } => {
            *batch.failure_pages.entry(status.as_u16()).or_default() += 1;
            None
        }
        Outcome::Broken(reason) => Some(reason),
    };
    if let Some(reason) = broken {
        batch.broken += 1;
        if batch.broken_examples.len() < MAX_EXAMPLES {
            batch.broken_examples.push(reason);
        }
    }
}
