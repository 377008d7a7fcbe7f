//! Where the engine runs (a rayon pool of Web Workers, or one worker when the page is not
//! cross-origin isolated), its size, and whether it has started.

use std::fmt;

use futures::channel::oneshot;
use leptos::prelude::*;

/// Why the engine's workers did not start (the browser's error, as text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolError(pub String);

impl fmt::Display for PoolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "The engine's workers could not start: {}", self.0)
    }
}

/// Why the page runs on one thread: shared memory between workers needs a page that is
/// cross-origin isolated. `boot.js` finds out which, before it picks the module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotIsolated {
    /// Not https (nor localhost): no shared memory and no service worker.
    InsecureContext,
    /// The browser offers no service worker here (some private windows, or turned off).
    NoServiceWorker,
    /// The service worker that adds the headers could not register (blocked, or failed).
    ServiceWorkerFailed(String),
    /// The service worker runs, yet the page is not isolated (in a frame of another
    /// page, say).
    NotGranted,
    /// The page was isolated but the threaded module did not start.
    ThreadsFailed(String),
}

impl NotIsolated {
    /// From `boot.js`'s `forecastBoot.reason` and `.detail`.
    fn from_boot(reason: &str, detail: String) -> NotIsolated {
        match reason {
            "insecure" => NotIsolated::InsecureContext,
            "no-service-worker" => NotIsolated::NoServiceWorker,
            "service-worker-failed" => NotIsolated::ServiceWorkerFailed(detail),
            "threads-failed" => NotIsolated::ThreadsFailed(detail),
            _ => NotIsolated::NotGranted,
        }
    }
}

impl fmt::Display for NotIsolated {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotIsolated::InsecureContext => f.write_str(
                "the page is not served over https (or from localhost), so the browser allows no shared memory and no service worker",
            ),
            NotIsolated::NoServiceWorker => f.write_str(
                "this browser window offers no service worker (private windows often do not), so nothing can add the headers the host does not send",
            ),
            NotIsolated::ServiceWorkerFailed(why) => write!(
                f,
                "the service worker that adds the missing headers could not start ({why})"
            ),
            NotIsolated::NotGranted => f.write_str(
                "the page is still not cross-origin isolated (inside a frame of another page, or a browser without it)",
            ),
            NotIsolated::ThreadsFailed(why) => {
                write!(f, "the threaded module could not start ({why})")
            }
        }
    }
}

/// Where the engine runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Engine {
    /// On a rayon pool of Web Workers that share this module's memory.
    Threads,
    /// In one dedicated Web Worker.
    Single(NotIsolated),
}

impl Engine {
    /// This build's: the threaded module runs on the pool; the other one says why `boot.js`
    /// chose it.
    fn of_this_build() -> Engine {
        if cfg!(target_feature = "atomics") {
            return Engine::Threads;
        }
        let boot = js_sys::Reflect::get(&js_sys::global(), &"forecastBoot".into()).ok();
        let field = |name: &str| {
            boot.as_ref()
                .and_then(|b| js_sys::Reflect::get(b, &name.into()).ok())
                .and_then(|v| v.as_string())
        };
        let reason = field("reason").unwrap_or_default();
        Engine::Single(NotIsolated::from_boot(
            &reason,
            field("detail").unwrap_or_default(),
        ))
    }
}

#[derive(Clone, Copy)]
pub struct Pool {
    /// Workers the engine may use: `navigator.hardwareConcurrency`, or 1 in one worker.
    pub threads: usize,
    engine: StoredValue<Engine>,
    /// `None` while the workers start; then started, or why not.
    started: RwSignal<Option<Result<(), PoolError>>>,
    /// Who waits in [`Pool::until_started`]; told once `started` is set.
    waiting: StoredValue<Vec<oneshot::Sender<()>>>,
}

impl Pool {
    /// Workers this build runs: `hardware_threads` on the pool, 1 in one worker.
    pub fn threads_of_this_build(hardware_threads: usize) -> usize {
        if cfg!(target_feature = "atomics") {
            hardware_threads.max(1)
        } else {
            1
        }
    }

    /// The pool of `threads` workers ([`Pool::threads_of_this_build`]).
    pub fn provide(threads: usize) -> Pool {
        let engine = Engine::of_this_build();
        let pool = Pool {
            threads,
            engine: StoredValue::new(engine),
            started: RwSignal::new(None),
            waiting: StoredValue::new(Vec::new()),
        };
        provide_context(pool);
        pool
    }

    /// Why the engine runs on one thread, if it does.
    pub fn not_isolated(&self) -> Option<NotIsolated> {
        match self.engine.get_value() {
            Engine::Threads => None,
            Engine::Single(why) => Some(why),
        }
    }

    pub fn set_started(&self, started: Result<(), PoolError>) {
        self.started.set(Some(started));
        let waiting = self.waiting.try_update_value(std::mem::take);
        for waiter in waiting.unwrap_or_default() {
            let _ = waiter.send(());
        }
    }

    /// Resolves once the workers have started or failed to; which, as [`Pool::started`].
    pub async fn until_started(&self) -> Result<(), PoolError> {
        loop {
            if let Some(started) = self.started.try_get_untracked().flatten() {
                return started;
            }
            let (sender, told) = oneshot::channel();
            let gone = || Err(PoolError("the page was closed".into()));
            if self
                .waiting
                .try_update_value(|waiting| waiting.push(sender))
                .is_none()
            {
                return gone();
            }
            if told.await.is_err() {
                return gone();
            }
        }
    }

    pub fn started(&self) -> Option<Result<(), PoolError>> {
        self.started.get()
    }

    pub fn is_ready(&self) -> bool {
        matches!(self.started.get(), Some(Ok(())))
    }
}

pub fn use_pool() -> Pool {
    super::expect()
}
