//! Asynchronous jobs ("post a query, then poll for its results"): polling with backoff and a
//! deadline until the job completes or fails. Generated `send_and_wait` helpers use it.

use std::future::Future;
use std::time::{Duration, Instant};

use super::Error;

/// How a job is polled: the first wait, how far waits grow, and the deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollOptions {
    initial_delay: Duration,
    max_delay: Duration,
    deadline: Duration,
}

impl Default for PollOptions {
    /// First poll after 1 s, waits doubling up to 10 s, giving up after 5 minutes.
    fn default() -> Self {
        PollOptions {
            initial_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(10),
            deadline: Duration::from_secs(300),
        }
    }
}

impl PollOptions {
    /// The defaults: first poll after 1 s, waits doubling up to 10 s, deadline 5 minutes.
    pub fn new() -> Self {
        Self::default()
    }

    /// The wait before the first poll (at least 1 ms); each later wait doubles it.
    pub fn initial_delay(mut self, delay: Duration) -> Self {
        self.initial_delay = delay.max(Duration::from_millis(1));
        self
    }

    /// The longest wait between two polls.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay.max(Duration::from_millis(1));
        self
    }

    /// Gives up with [`Error::JobDeadline`] when the job still runs this long after
    /// polling began.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }
}

/// What one poll found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum JobState<T> {
    /// Still running (or queued): poll again.
    Running,
    /// Done, with its results.
    Complete(T),
    /// Ended without results, in this state.
    Failed(String),
}

/// Calls `poll` until it reports the job complete (its results) or failed
/// ([`Error::JobFailed`]), waiting with exponential backoff between polls, and giving up
/// with [`Error::JobDeadline`] at the deadline. `operation` (the polled operationId) and
/// `id` (the job's) name the job in errors. An error from `poll` ends polling.
pub async fn poll_job<T, F, Fut>(
    operation: &'static str,
    id: &str,
    options: &PollOptions,
    mut poll: F,
) -> Result<T, Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<JobState<T>, Error>>,
{
    let started = Instant::now();
    let mut delay = options.initial_delay;
    let mut polls = 0u32;
    loop {
        let remaining = options.deadline.saturating_sub(started.elapsed());
        tokio::time::sleep(delay.min(remaining)).await;
        polls += 1;
        match poll().await? {
            JobState::Complete(results) => {
                tracing::debug!(operation, polls, "job complete");
                return Ok(results);
            }
            JobState::Failed(state) => {
                return Err(Error::JobFailed {
                    operation,
                    id: id.to_owned(),
                    state,
                })
            }
            JobState::Running => {}
        }
        let waited = started.elapsed();
        if waited >= options.deadline {
            return Err(Error::JobDeadline {
                operation,
                id: id.to_owned(),
                waited,
            });
        }
        delay = delay.saturating_mul(2).min(options.max_delay);
    }
}

/// A field the API must send, or a decode error naming it (`executionId` of a job start).
pub fn required<T>(
    value: Option<T>,
    operation: &'static str,
    model: &'static str,
    field: &'static str,
) -> Result<T, Error> {
    value.ok_or_else(|| Error::Decode {
        operation,
        model,
        field: Some(field.to_owned()),
        message: "missing field the job needs".to_owned(),
        source: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_fields_are_a_decode_error_when_missing() {
        assert_eq!(
            required(Some(7), "postJobs", "Job", "executionId").unwrap(),
            7
        );
        match required::<u8>(None, "postJobs", "Job", "executionId") {
            Err(Error::Decode {
                operation,
                model,
                field,
                ..
            }) => {
                assert_eq!((operation, model), ("postJobs", "Job"));
                assert_eq!(field.as_deref(), Some("executionId"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn poll_waits_are_at_least_a_millisecond() {
        let options = PollOptions::new()
            .initial_delay(Duration::ZERO)
            .max_delay(Duration::ZERO)
            .deadline(Duration::ZERO);
        assert_eq!(options.initial_delay, Duration::from_millis(1));
        assert_eq!(options.max_delay, Duration::from_millis(1));
        assert_eq!(options.deadline, Duration::ZERO);
    }
}
