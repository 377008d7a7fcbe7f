//! Measuring the speed-up on the reader's machine, as the original program's report ends:
//! the current settings run with 1, 2, ... workers (a warm-up round, then
//! [`ROUNDS`] rounds over every worker count, the order reversed every other round so
//! that a slow spell of the machine does not fall on one count). The table's statistics
//! are the engine's ([`forecast_engine::speedup`]).

use std::sync::Arc;

use forecast_engine::speedup::{speedup_table, SpeedupRow};
use forecast_engine::Progress;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::pool::Pool;
use super::run::{Run, RunError};
use crate::runner::{self, Stopped};

/// Timed runs per worker count, after the warm-up.
pub const ROUNDS: usize = 5;

#[derive(Clone, Copy)]
pub struct Speedup {
    /// (workers, milliseconds) of every timed run so far.
    pub runs: RwSignal<Vec<(usize, f64)>>,
    /// Runs done and to do, warm-up included; `None` when not measuring.
    pub step: RwSignal<Option<(usize, usize)>>,
    pub cancelled: RwSignal<bool>,
    pub error: RwSignal<Option<RunError>>,
    pub table: Memo<Vec<SpeedupRow>>,
    /// The run going now, through which Cancel reaches it.
    progress: StoredValue<Option<Arc<Progress>>>,
    cancel_asked: StoredValue<bool>,
    pool: Pool,
    run: Run,
}

/// The (workers, timed) runs to make: every count once untimed, then [`ROUNDS`] rounds.
pub fn schedule(max_workers: usize) -> Vec<(usize, bool)> {
    let counts: Vec<usize> = (1..=max_workers.max(1)).collect();
    let mut plan: Vec<(usize, bool)> = counts.iter().map(|&w| (w, false)).collect();
    for round in 0..ROUNDS {
        let order: Box<dyn Iterator<Item = &usize>> = if round % 2 == 0 {
            Box::new(counts.iter())
        } else {
            Box::new(counts.iter().rev())
        };
        plan.extend(order.map(|&w| (w, true)));
    }
    plan
}

impl Speedup {
    pub fn provide(pool: Pool, run: Run) -> Speedup {
        let runs = RwSignal::new(Vec::new());
        let speedup = Speedup {
            runs,
            step: RwSignal::new(None),
            cancelled: RwSignal::new(false),
            error: RwSignal::new(None),
            table: Memo::new(move |_| runs.with(|r| speedup_table(r))),
            progress: StoredValue::new(None),
            cancel_asked: StoredValue::new(false),
            pool,
            run,
        };
        provide_context(speedup);
        speedup
    }

    pub fn is_measuring(&self) -> bool {
        self.step.with(Option::is_some)
    }

    /// Whether a measurement can start: the engine is up and idle.
    pub fn can_start(&self) -> bool {
        !self.is_measuring() && self.run.can_start()
    }

    pub fn cancel(&self) {
        self.cancel_asked.set_value(true);
        self.progress.with_value(|p| {
            if let Some(progress) = p {
                progress.cancel();
            }
        });
    }

    /// Measures the current settings on 1 to all of the pool's workers.
    pub fn start(&self) {
        if !self.can_start() {
            return;
        }
        let plan = match self.run.plan() {
            Ok(plan) => plan,
            Err(error) => {
                self.error.set(Some(error));
                return;
            }
        };
        let schedule = schedule(self.pool.threads);
        let this = *self;
        this.error.set(None);
        this.cancelled.set(false);
        this.cancel_asked.set_value(false);
        this.runs.set(Vec::new());
        this.step.set(Some((0, schedule.len())));
        this.run.measuring.set(true);
        spawn_local(async move {
            for (done, (workers, timed)) in schedule.iter().copied().enumerate() {
                if this.cancel_asked.get_value() {
                    this.cancelled.set(true);
                    break;
                }
                let progress = Arc::new(Progress::new());
                this.progress.set_value(Some(Arc::clone(&progress)));
                let finished = runner::run_plan(Arc::clone(&plan), workers, progress, || {}).await;
                this.progress.set_value(None);
                match finished {
                    Ok(finished) if finished.output.cancelled => {
                        this.cancelled.set(true);
                        break;
                    }
                    Ok(finished) => {
                        if timed {
                            this.runs.update(|r| r.push((workers, finished.ms)));
                        }
                    }
                    Err(Stopped::Cancelled) => {
                        this.cancelled.set(true);
                        break;
                    }
                    Err(Stopped::Lost(lost)) => {
                        this.error.set(Some(RunError::Pool(lost)));
                        break;
                    }
                }
                this.step.set(Some((done + 1, schedule.len())));
            }
            this.step.set(None);
            this.run.measuring.set(false);
        });
    }
}

pub fn use_speedup() -> Speedup {
    super::expect()
}
