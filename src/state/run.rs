//! Starting, cancelling and the outcome of a run. The run is planned on the page's thread
//! (cheap) and its cells run on the pool; the panels read the outcome through the memos
//! here, each recomputed once per outcome.

use std::fmt;
use std::sync::Arc;

use chrono::NaiveDate;
use forecast_engine::plan::ExcludedState;
use forecast_engine::{
    ForecastRow, ModelKind, Plan, PlanError, PollSet, Progress, ResultSet, RunConfig, RunOutput,
    ScoreRow, State,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::data::Data;
use super::pool::Pool;
use super::selection::Selection;
use super::settings::{RunSettings, SettingError};
use crate::runner::{self, clock_ms, now_ms, PoolLost, Stopped};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Idle,
    Running,
    Done,
    Cancelled,
    Error,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Idle => "idle",
            Status::Running => "running",
            Status::Done => "done",
            Status::Cancelled => "cancelled",
            Status::Error => "error",
        }
    }
}

/// Why a run did not start.
#[derive(Clone, Debug, PartialEq)]
pub enum RunError {
    Setting(SettingError),
    Plan(PlanError),
    Pool(PoolLost),
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Setting(error) => write!(f, "{error}"),
            RunError::Plan(error) => write!(f, "{error}"),
            RunError::Pool(lost) => write!(f, "{lost}"),
        }
    }
}

/// Why the results on the page are not those of the data and settings now in place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stale {
    /// Another polls or results file has been loaded since.
    Data,
    /// A setting changed since (workers aside: they do not change results).
    Settings,
    /// The last run did not finish.
    Failed,
    /// The last run was cancelled: what is shown is part of a run.
    Cancelled,
}

impl fmt::Display for Stale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stale::Data => "These results are for other data: a file was loaded since this run.",
            Stale::Settings => {
                "These results are for other settings: a setting changed since this run."
            }
            Stale::Failed => "These results are from an earlier run: the last run failed.",
            Stale::Cancelled => "These results are incomplete: the run was cancelled.",
        })
    }
}

impl Stale {
    /// The `data-stale` value.
    pub fn name(self) -> &'static str {
        match self {
            Stale::Data => "data",
            Stale::Settings => "settings",
            Stale::Failed => "failed",
            Stale::Cancelled => "cancelled",
        }
    }
}

/// A finished run as the page shows it.
pub struct Outcome {
    pub output: RunOutput,
    /// From the start of the first task on the pool to the end of the last.
    pub ms: f64,
    pub workers: usize,
    /// The run's plan: election day, forecast dates, models, each state's polls.
    pub plan: Arc<Plan>,
    /// The polls the run used (for pollster names).
    pub polls: Arc<PollSet>,
    /// The results the run used.
    pub results: Arc<ResultSet>,
    /// The settings the run used.
    pub config: RunConfig,
    /// The names of the polls and the results the run used, as the load reports show them.
    pub sources: (String, String),
    /// The run's number on the page ([`Run::runs`] when it started).
    pub number: u32,
}

/// How often the progress bar is redrawn during a run.
const PROGRESS_REDRAW_MS: f64 = 100.0;

#[derive(Clone, Copy)]
pub struct Run {
    pub status: RwSignal<Status>,
    /// Runs started so far: lets a watcher tell this run's end from the last one's.
    pub runs: RwSignal<u32>,
    pub done: RwSignal<usize>,
    pub total: RwSignal<usize>,
    pub elapsed_ms: RwSignal<f64>,
    /// From the engine's end of the last run to its results drawn on the page.
    pub drawn_ms: RwSignal<Option<f64>>,
    pub error: RwSignal<Option<RunError>>,
    /// The last finished (or cancelled) run, as the panels show it.
    pub outcome: RwSignal<Option<Arc<Outcome>>>,
    /// The last finished run as soon as it ends: the answer (the headline) shows it a
    /// frame before the other panels, whose drawing takes the page's thread longer.
    pub latest: RwSignal<Option<Arc<Outcome>>>,
    /// The engine is busy measuring the speed-up (see [`super::speedup`]): no run starts.
    pub measuring: RwSignal<bool>,
    /// From the engine's end of the last run to every (model, date)'s tipping points
    /// found (the threaded build's runs find the shown pair's only, the rest after).
    pub tipping_ms: RwSignal<Option<f64>>,
    /// The outcome shown lacks some tipping points, which the pool is finding: the files
    /// that hold them wait.
    pub tipping_pending: Memo<bool>,
    /// The running run's progress, through which Cancel reaches it.
    progress: StoredValue<Option<Arc<Progress>>>,
    /// The search for the last run's pending tipping points, which a new run stops.
    tipping_search: StoredValue<Option<Arc<Progress>>>,
    /// What the charts show, whose (model, date) a run finds the tipping points of first.
    chosen: StoredValue<Option<Selection>>,
    pool: Pool,
    data: Data,
    settings: RunSettings,

    // What the panels read of the outcome; empty before the first run.
    /// Every forecast row, sorted by model, state, date.
    pub rows: Memo<Vec<ForecastRow>>,
    pub scores: Memo<Vec<ScoreRow>>,
    pub models: Memo<Vec<ModelKind>>,
    pub dates: Memo<Vec<NaiveDate>>,
    /// The states that were forecast.
    pub states: Memo<Vec<State>>,
    pub excluded: Memo<Vec<ExcludedState>>,
    pub election_day: Memo<Option<NaiveDate>>,
    /// Why the results shown are not those of the data and settings now; `None` when they
    /// are (or there are none).
    pub stale: Memo<Option<Stale>>,
}

impl Run {
    pub fn provide(pool: Pool, data: Data, settings: RunSettings) -> Run {
        let outcome: RwSignal<Option<Arc<Outcome>>> = RwSignal::new(None);
        let latest: RwSignal<Option<Arc<Outcome>>> = RwSignal::new(None);
        /// A memo of what `read` takes from the outcome; `empty` before the first run.
        fn of<T: Clone + PartialEq + Send + Sync + 'static>(
            outcome: RwSignal<Option<Arc<Outcome>>>,
            read: impl Fn(&Outcome) -> T + Send + Sync + 'static,
            empty: T,
        ) -> Memo<T> {
            Memo::new(move |_| {
                outcome
                    .with(|o| o.as_deref().map(&read))
                    .unwrap_or_else(|| empty.clone())
            })
        }
        let status = RwSignal::new(Status::Idle);
        // Of the newest results, which the answer shows first.
        let stale = Memo::new(move |_| {
            let status = status.get();
            latest.with(|o| {
                let o = o.as_deref()?;
                if status == Status::Error {
                    return Some(Stale::Failed);
                }
                let same_data = data.polls.with(|p| Arc::ptr_eq(p, &o.polls))
                    && data.results.with(|r| Arc::ptr_eq(r, &o.results));
                if !same_data {
                    return Some(Stale::Data);
                }
                if settings.config().as_ref() != Ok(&o.config) {
                    return Some(Stale::Settings);
                }
                o.output.cancelled.then_some(Stale::Cancelled)
            })
        });
        let run = Run {
            status,
            runs: RwSignal::new(0),
            done: RwSignal::new(0),
            total: RwSignal::new(0),
            elapsed_ms: RwSignal::new(0.0),
            drawn_ms: RwSignal::new(None),
            error: RwSignal::new(None),
            outcome,
            latest,
            measuring: RwSignal::new(false),
            tipping_ms: RwSignal::new(None),
            tipping_pending: Memo::new(move |_| {
                outcome.with(|o| {
                    o.as_ref()
                        .and_then(|o| o.output.electoral.as_ref().ok())
                        .is_some_and(|e| !e.has_all_tipping())
                })
            }),
            progress: StoredValue::new(None),
            tipping_search: StoredValue::new(None),
            chosen: StoredValue::new(None),
            pool,
            data,
            settings,
            rows: of(outcome, |o| o.output.rows.clone(), Vec::new()),
            scores: of(outcome, |o| o.output.scores.clone(), Vec::new()),
            models: of(outcome, |o| o.plan.models.clone(), Vec::new()),
            dates: of(outcome, |o| o.plan.dates.clone(), Vec::new()),
            states: of(
                outcome,
                |o| o.plan.states.iter().map(|s| s.state).collect(),
                Vec::new(),
            ),
            excluded: of(outcome, |o| o.plan.excluded.clone(), Vec::new()),
            election_day: of(outcome, |o| Some(o.plan.election_day), None),
            stale,
        };
        provide_context(run);
        run
    }

    /// Lets runs find the tipping points of the (model, date) the charts show first.
    pub fn follow_choice(&self, selection: Selection) {
        self.chosen.set_value(Some(selection));
    }

    pub fn is_running(&self) -> bool {
        self.status.get() == Status::Running
    }

    /// Whether the results shown are dimmed: a run is replacing them, or they are stale.
    pub fn dimmed(&self) -> bool {
        self.is_running() || self.stale.with(Option::is_some)
    }

    /// Whether the answer is dimmed: the results are stale, or a run is going and the
    /// answer does not show it yet (`shown`: the run whose outcome it shows).
    pub fn answer_dimmed(&self, shown: Option<u32>) -> bool {
        (self.is_running() && shown != Some(self.runs.get())) || self.stale.with(Option::is_some)
    }

    pub fn has_outcome(&self) -> bool {
        self.outcome.with(Option::is_some)
    }

    /// Whether Run can be pressed: the pool is up, no run is going and no file is being read.
    pub fn can_start(&self) -> bool {
        self.pool.is_ready()
            && !self.is_running()
            && !self.data.is_loading()
            && !self.measuring.get()
    }

    pub fn cancel(&self) {
        self.progress.with_value(|p| {
            if let Some(progress) = p {
                progress.cancel();
            }
        });
    }

    /// The plan of a run with the current data and settings.
    pub fn plan(&self) -> Result<Arc<Plan>, RunError> {
        self.plan_with(&self.config()?)
    }

    fn config(&self) -> Result<RunConfig, RunError> {
        untrack(|| self.settings.config()).map_err(RunError::Setting)
    }

    fn plan_with(&self, config: &RunConfig) -> Result<Arc<Plan>, RunError> {
        let mut plan = self.data.polls.with_untracked(|polls| {
            self.data
                .results
                .with_untracked(|results| Plan::new(polls, results, config).map_err(RunError::Plan))
        })?;
        // A run again with the same electoral settings skips drawing the simulations.
        self.outcome.with_untracked(|last| {
            if let Some(last) = last {
                plan.reuse_draws(&last.output);
            }
        });
        Ok(Arc::new(plan))
    }

    /// Plans the run with the current data and settings and hands its cells to the pool.
    pub fn start(&self) {
        if self.status.get_untracked() == Status::Running || self.measuring.get_untracked() {
            return;
        }
        self.runs.update(|n| *n += 1);
        // A new run is the reader's next step: the last messages are behind them.
        self.error.set(None);
        self.data.error.set(None);
        let polls = self.data.polls.get_untracked();
        let results = self.data.results.get_untracked();
        let sources = (
            self.data.polls_source.get_untracked(),
            self.data.results_source.get_untracked(),
        );
        let planned = self
            .config()
            .and_then(|config| Ok((self.plan_with(&config)?, config)));
        // The pool finds every pair's tipping points (most of the electoral college's
        // time) after the answer, the shown pair's in the run: the answer comes sooner.
        // The single worker finds them all in the run (it serves one request at a time).
        let planned = planned.map(|(plan, config)| {
            if !cfg!(target_feature = "atomics") {
                return (plan, config);
            }
            let mut plan = Arc::unwrap_or_clone(plan);
            let chosen = self
                .chosen
                .get_value()
                .map(|s| (s.model.get_untracked(), s.date.get_untracked()));
            let pair = chosen.and_then(|(model, date)| {
                Some((
                    Selection::model_for(model, &plan)?,
                    Selection::date_for(date, &plan)?,
                ))
            });
            plan.find_tipping_only(pair.into_iter().collect());
            (Arc::new(plan), config)
        });
        let (plan, config) = match planned {
            Ok(planned) => planned,
            Err(error) => {
                // Nothing of the last run's progress belongs to this one.
                self.done.set(0);
                self.total.set(0);
                self.elapsed_ms.set(0.0);
                self.error.set(Some(error));
                self.status.set(Status::Error);
                return;
            }
        };
        let workers = self.settings.workers.get_untracked();
        // The last run's tipping points are of no use now, and its search takes cores.
        self.tipping_search.with_value(|search| {
            if let Some(search) = search {
                search.cancel();
            }
        });
        self.tipping_search.set_value(None);
        self.tipping_ms.set(None);
        let progress = Arc::new(Progress::new());
        self.progress.set_value(Some(Arc::clone(&progress)));
        // The last results stay (dimmed) until the new ones arrive: tearing down a large
        // table now would take the page's thread, and a core, from the run's start.
        self.done.set(0);
        self.total.set(plan.work_count());
        self.elapsed_ms.set(0.0);
        self.status.set(Status::Running);

        let run = *self;
        let number = self.runs.get_untracked();
        let started = now_ms();
        let watched = Arc::clone(&progress);
        let at_end = Arc::clone(&progress);
        let mut last_shown = started;
        spawn_local(async move {
            let finished = runner::run_plan(Arc::clone(&plan), workers, progress, move || {
                // Redrawing costs CPU that the workers share: a few frames a second do.
                let now = now_ms();
                if now - last_shown >= PROGRESS_REDRAW_MS {
                    last_shown = now;
                    run.done.set(watched.done());
                    run.elapsed_ms.set(now - started);
                }
            })
            .await;
            run.progress.set_value(None);
            let finished = match finished {
                Ok(finished) => finished,
                Err(Stopped::Lost(lost)) => {
                    run.done.set(0);
                    run.total.set(0);
                    run.error.set(Some(RunError::Pool(lost)));
                    run.status.set(Status::Error);
                    return;
                }
                Err(Stopped::Cancelled) => {
                    run.done.set(at_end.done());
                    run.elapsed_ms.set(now_ms() - started);
                    run.status.set(Status::Cancelled);
                    return;
                }
            };
            run.done.set(at_end.done());
            run.elapsed_ms.set(now_ms() - started);
            let cancelled = finished.output.cancelled;
            let ended_at = finished.ended_at;
            run.drawn_ms.set(None);
            let outcome = Arc::new(Outcome {
                output: finished.output,
                ms: finished.ms,
                workers: finished.tasks,
                plan,
                polls,
                results,
                config,
                sources,
                number,
            });
            // The answer first, in a frame of its own; then the rest.
            run.latest.set(Some(Arc::clone(&outcome)));
            runner::after_next_paint().await;
            run.outcome.set(Some(outcome));
            run.status.set(if cancelled {
                Status::Cancelled
            } else {
                Status::Done
            });
            runner::after_next_paint().await;
            run.drawn_ms.set(Some(clock_ms() - ended_at));
            run.find_pending_tipping(number, ended_at).await;
        });
    }

    /// Finds the tipping points the run `number` left for later (if it is still the one
    /// shown), then shows its outcome with them; every other output stays the same.
    async fn find_pending_tipping(&self, number: u32, ended_at: f64) {
        let Some(outcome) = self.outcome.get_untracked() else {
            return;
        };
        let pending = outcome.number == number
            && outcome
                .output
                .electoral
                .as_ref()
                .is_ok_and(|e| !e.has_all_tipping());
        if pending {
            self.search_tipping(outcome, ended_at).await;
        } else {
            self.tipping_ms.set(Some(clock_ms() - ended_at));
        }
    }

    #[cfg(target_feature = "atomics")]
    async fn search_tipping(&self, outcome: Arc<Outcome>, ended_at: f64) {
        let Ok(electoral) = &outcome.output.electoral else {
            return;
        };
        let search = Arc::new(Progress::new());
        self.tipping_search.set_value(Some(Arc::clone(&search)));
        let found = runner::pending_tipping(electoral.clone(), search).await;
        // Dropped if cancelled (a newer run started), or if the page shows another outcome
        // now; kept if a newer run failed to start and this outcome is still shown.
        let Ok(Some(electoral)) = found else {
            return;
        };
        let shown = self
            .outcome
            .with_untracked(|o| o.as_ref().map(|o| o.number));
        if shown != Some(outcome.number) {
            return;
        }
        self.tipping_search.set_value(None);
        let complete = Arc::new(Outcome {
            output: RunOutput {
                electoral: Ok(electoral),
                ..outcome.output.clone()
            },
            plan: Arc::clone(&outcome.plan),
            polls: Arc::clone(&outcome.polls),
            results: Arc::clone(&outcome.results),
            config: outcome.config.clone(),
            sources: outcome.sources.clone(),
            ..*outcome
        });
        self.latest.set(Some(Arc::clone(&complete)));
        self.outcome.set(Some(complete));
        self.tipping_ms.set(Some(clock_ms() - ended_at));
    }

    /// The single worker's runs find every tipping point: none is left for later.
    #[cfg(not(target_feature = "atomics"))]
    async fn search_tipping(&self, _outcome: Arc<Outcome>, _ended_at: f64) {}
}

pub fn use_run() -> Run {
    super::expect()
}
