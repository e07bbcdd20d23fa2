//! The job's progress bar (indicatif): drawn on standard error only when it is a terminal.

use std::{io::IsTerminal, time::Duration};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::MigrationSummary;

/// A progress bar over the rows of the work list, or nothing at all.
pub(super) struct Progress(ProgressBar);

impl Progress {
    /// A bar over `total` rows when `wanted` and standard error is a terminal; hidden
    /// otherwise.
    pub(super) fn new(wanted: bool, total: u64) -> Self {
        if !wanted || !std::io::stderr().is_terminal() {
            return Self(ProgressBar::hidden());
        }
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template(
            "{elapsed_precise} [{wide_bar}] {pos}/{len} (eta {eta}) {msg}",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.enable_steady_tick(Duration::from_millis(250));
        Self(bar)
    }

    /// One more row done; the counts so far as the message.
    pub(super) fn row_done(&self, summary: &MigrationSummary) {
        self.0.inc(1);
        self.0.set_message(format!(
            "exchanged {}, sign in again {}, failed {}",
            summary.exchanged, summary.needs_reauthorization, summary.failed
        ));
    }

    /// Says the job waits, and why.
    pub(super) fn waiting(&self, why: &str, wait: Duration) {
        self.0
            .set_message(format!("{why}: waiting {:.1} s", wait.as_secs_f64()));
    }

    /// Removes the bar (the summary follows).
    pub(super) fn finish(&self) {
        self.0.finish_and_clear();
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if !self.0.is_finished() {
            self.0.abandon();
        }
    }
}
