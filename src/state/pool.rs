//! The rayon pool of Web Workers: its size, and whether it has started.

use std::fmt;

use leptos::prelude::*;

/// Why the worker pool did not start (the browser's error, as text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolError(pub String);

impl fmt::Display for PoolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the worker threads could not start: {}", self.0)
    }
}

#[derive(Clone, Copy)]
pub struct Pool {
    /// Threads in the pool: `navigator.hardwareConcurrency`.
    pub threads: usize,
    /// `None` while the workers start; then started, or why not.
    started: RwSignal<Option<Result<(), PoolError>>>,
}

impl Pool {
    pub fn provide(threads: usize) -> Pool {
        let pool = Pool {
            threads,
            started: RwSignal::new(None),
        };
        provide_context(pool);
        pool
    }

    pub fn set_started(&self, started: Result<(), PoolError>) {
        self.started.set(Some(started));
    }

    pub fn started(&self) -> Option<Result<(), PoolError>> {
        self.started.get()
    }

    pub fn started_untracked(&self) -> Option<Result<(), PoolError>> {
        self.started.get_untracked()
    }

    pub fn is_ready(&self) -> bool {
        matches!(self.started.get(), Some(Ok(())))
    }

    pub fn is_ready_untracked(&self) -> bool {
        matches!(self.started.get_untracked(), Some(Ok(())))
    }
}

pub fn use_pool() -> Pool {
    super::expect()
}
