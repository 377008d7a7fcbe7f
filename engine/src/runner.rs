//! Runs a [`Plan`] on the current rayon pool: `tasks` tasks pull cells from a shared
//! counter. Each cell draws from its own ChaCha stream keyed by (seed, model, state,
//! date), so the output does not depend on how many tasks ran or in what order.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use chrono::NaiveDate;
use rand::SeedableRng;

use crate::dates::day_number;
use crate::electoral::{self, ElectoralOutput, NoElectoral};
use crate::house_effects::HouseEffects;
use crate::models::{CellInput, CellRng, Forecast, ModelError, ModelKind};
use crate::plan::Plan;
use crate::scores::{score, ScoreRow};
use crate::states::State;

/// Progress and cancellation, shared with whoever watches the run; read without locks.
#[derive(Debug, Default)]
pub struct Progress {
    done: AtomicUsize,
    cancel: AtomicBool,
    /// Told the new count at every advance, where no one can read the count meanwhile
    /// (a worker whose memory is not shared posts it instead).
    on_advance: Option<fn(usize)>,
}

impl Progress {
    pub fn new() -> Progress {
        Progress::default()
    }

    /// A progress that calls `on_advance` with the units done so far at every advance.
    pub fn observed(on_advance: fn(usize)) -> Progress {
        Progress {
            on_advance: Some(on_advance),
            ..Progress::default()
        }
    }

    pub fn done(&self) -> usize {
        self.done.load(Ordering::Relaxed)
    }

    /// Counts `units` of work as done.
    pub(crate) fn advance(&self, units: usize) {
        let done = self.done.fetch_add(units, Ordering::Relaxed) + units;
        if let Some(on_advance) = self.on_advance {
            on_advance(done);
        }
    }

    /// Counts work as done up to `done` units, as reported by a run elsewhere.
    pub fn advance_to(&self, done: usize) {
        self.done.fetch_max(done, Ordering::Relaxed);
    }

    /// Asks the run to stop; cells already started finish.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ForecastRow {
    pub model: ModelKind,
    pub state: State,
    pub forecast_date: NaiveDate,
    pub win_probability: f64,
    pub predicted_margin: f64,
    pub margin_std: f64,
    /// The state's result; none for an election not yet held.
    pub actual_margin: Option<f64>,
}

impl ForecastRow {
    /// The 90 % band of the margin, `margin ± 1.645 std`.
    pub fn band_90(&self) -> (f64, f64) {
        let half = 1.645 * self.margin_std;
        (self.predicted_margin - half, self.predicted_margin + half)
    }
}

#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CellFailure {
    pub model: ModelKind,
    pub state: State,
    pub forecast_date: NaiveDate,
    pub reason: ModelError,
}

#[derive(Clone, Debug, PartialEq)]
enum CellOutcome {
    Forecast(Forecast),
    /// Not enough polls yet, or the date is not before the election: no forecast, by design.
    NoForecast,
    Failed(ModelError),
}

#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RunOutput {
    /// Sorted by model, state, date.
    pub rows: Vec<ForecastRow>,
    pub failures: Vec<CellFailure>,
    pub scores: Vec<ScoreRow>,
    pub cells: usize,
    pub cells_done: usize,
    /// Cells that had too few polls by their date.
    pub no_forecast: usize,
    /// Distinct pool threads that ran at least one cell.
    pub threads: usize,
    /// Cells run by each of those threads, by pool thread index.
    pub cells_per_thread: Vec<(usize, usize)>,
    pub cancelled: bool,
    /// The electoral college of every (model, date), or why there is none.
    pub electoral: Result<ElectoralOutput, NoElectoral>,
}

/// Runs every cell of `plan` with `tasks` tasks on the current rayon pool (the global
/// one outside `ThreadPool::install`), then the electoral college. Blocks the caller until
/// done or cancelled.
pub fn run(plan: &Plan, progress: &Progress, tasks: usize) -> RunOutput {
    let tasks = tasks.clamp(1, plan.cell_count().max(1));
    let cells = Cells::new(plan, progress, tasks);
    rayon::scope(|scope| {
        for _ in 0..tasks {
            scope.spawn(|_| cells.pull(plan, progress));
        }
    });
    let output = cells.finish(plan);
    with_electoral(plan, output, progress)
}

/// The electoral college after the cells: on the current pool, from the run's rows.
fn with_electoral(plan: &Plan, mut output: RunOutput, progress: &Progress) -> RunOutput {
    output.electoral = match (&plan.electoral, output.cancelled) {
        (Err(why), _) => Err(why.clone()),
        (Ok(_), true) => Err(NoElectoral::Cancelled),
        (Ok(electoral), false) => electoral::phase::run(
            electoral,
            plan.seed,
            &plan.models,
            &plan.dates_with_days(),
            &output.rows,
            progress,
        ),
    };
    if matches!(output.electoral, Err(NoElectoral::Cancelled)) {
        output.cancelled = true;
    }
    output
}

/// The same run as [`run`], as `tasks` jobs for the caller to start (on a pool, or
/// anywhere else), without anyone waiting for them: the last job to end passes the output
/// to `done`. Started together, the jobs begin together, where [`run`] has one thread
/// start the others.
pub fn run_tasks(
    plan: Arc<Plan>,
    progress: Arc<Progress>,
    tasks: usize,
    done: impl FnOnce(RunOutput) + Send + 'static,
) -> Vec<impl FnOnce() + Send + 'static> {
    let tasks = tasks.clamp(1, plan.cell_count().max(1));
    let cells = Cells::new(&plan, &progress, tasks);
    let shared = Arc::new(Shared {
        plan,
        progress,
        cells,
        running: AtomicUsize::new(tasks),
        done: Mutex::new(Some(Box::new(done))),
    });
    (0..tasks)
        .map(|_| {
            let shared = Arc::clone(&shared);
            move || {
                shared.cells.pull(&shared.plan, &shared.progress);
                if shared.running.fetch_sub(1, Ordering::AcqRel) == 1 {
                    // The last task runs the electoral college, on the pool the others
                    // have left idle.
                    let output = shared.cells.finish(&shared.plan);
                    let output = with_electoral(&shared.plan, output, &shared.progress);
                    if let Some(done) = lock(&shared.done).take() {
                        done(output);
                    }
                }
            }
        })
        .collect()
}

/// What receives the output of [`run_tasks`].
type OnDone = Box<dyn FnOnce(RunOutput) + Send>;

/// What the jobs of [`run_tasks`] share.
struct Shared {
    plan: Arc<Plan>,
    progress: Arc<Progress>,
    cells: Cells,
    /// Jobs not yet ended.
    running: AtomicUsize,
    done: Mutex<Option<OnDone>>,
}

/// A run's cells as tasks pull them from one counter, and what they have given.
struct Cells {
    next: AtomicUsize,
    /// Cells a task may expect to run: the room each reserves for its results.
    per_task: usize,
    /// House effects once per forecast date, shared by every state: estimated by the
    /// first hierarchical-Bayes cell of that date to need them (its neighbours wait for
    /// it), so that the run is one pull with no barrier in it. `None`: cancelled while
    /// estimating.
    effects: Vec<OnceLock<Option<HouseEffects>>>,
    collected: Mutex<Vec<(usize, CellOutcome)>>,
    /// Cells run by each pool thread.
    threads: Mutex<BTreeMap<usize, usize>>,
}

impl Cells {
    fn new(plan: &Plan, progress: &Progress, tasks: usize) -> Cells {
        let count = plan.cell_count();
        progress.done.store(0, Ordering::Relaxed);
        Cells {
            next: AtomicUsize::new(0),
            per_task: count / tasks.max(1) + 1,
            effects: (0..plan.dates.len()).map(|_| OnceLock::new()).collect(),
            collected: Mutex::new(Vec::with_capacity(count)),
            threads: Mutex::new(BTreeMap::new()),
        }
    }

    /// One task: takes the next cell and runs it, until none is left or the run is
    /// cancelled.
    fn pull(&self, plan: &Plan, progress: &Progress) {
        let count = plan.cell_count();
        let no_effects = HouseEffects::default();
        let mut mine = Vec::with_capacity(self.per_task);
        loop {
            if progress.is_cancelled() {
                break;
            }
            let i = self.next.fetch_add(1, Ordering::Relaxed);
            if i >= count {
                break;
            }
            let cell = plan.cell(i);
            let effects = if plan.models[cell.model] == ModelKind::HierarchicalBayes {
                let effects = self.effects[cell.date].get_or_init(|| {
                    HouseEffects::estimate(
                        &plan.all_polls,
                        plan.date_day(cell.date),
                        plan.pollster_count,
                        &|| progress.is_cancelled(),
                    )
                });
                match effects {
                    Some(effects) => effects,
                    // Cancelled: the cell is not run, and the run ends as cancelled.
                    None => break,
                }
            } else {
                &no_effects
            };
            mine.push((i, run_cell(plan, i, effects)));
            progress.done.fetch_add(1, Ordering::Relaxed);
        }
        if !mine.is_empty() {
            let thread = rayon::current_thread_index().unwrap_or(usize::MAX);
            *lock(&self.threads).entry(thread).or_insert(0) += mine.len();
            lock(&self.collected).extend(mine);
        }
    }

    /// The rows, failures and scores of the cells run, in cell order.
    fn finish(&self, plan: &Plan) -> RunOutput {
        let cells = plan.cell_count();
        let mut outcomes: Vec<Option<CellOutcome>> = (0..cells).map(|_| None).collect();
        for (i, outcome) in std::mem::take(&mut *lock(&self.collected)) {
            outcomes[i] = Some(outcome);
        }
        let cell_threads = std::mem::take(&mut *lock(&self.threads));
        let mut output = RunOutput {
            rows: Vec::new(),
            failures: Vec::new(),
            scores: Vec::new(),
            cells,
            cells_done: 0,
            no_forecast: 0,
            threads: cell_threads.len(),
            cells_per_thread: cell_threads.into_iter().collect(),
            cancelled: false,
            electoral: Err(NoElectoral::Off),
        };
        for (i, outcome) in outcomes.into_iter().enumerate() {
            let Some(outcome) = outcome else { continue };
            output.cells_done += 1;
            let cell = plan.cell(i);
            let (model, state) = (plan.models[cell.model], &plan.states[cell.state]);
            let forecast_date = plan.dates[cell.date];
            match outcome {
                CellOutcome::Forecast(f) => output.rows.push(ForecastRow {
                    model,
                    state: state.state,
                    forecast_date,
                    win_probability: f.win_probability,
                    predicted_margin: f.margin,
                    margin_std: f.std,
                    actual_margin: state.actual_margin,
                }),
                CellOutcome::NoForecast => output.no_forecast += 1,
                CellOutcome::Failed(reason) => output.failures.push(CellFailure {
                    model,
                    state: state.state,
                    forecast_date,
                    reason,
                }),
            }
        }
        output.cancelled = output.cells_done < cells;
        output.scores = score(&output.rows);
        output
    }
}

/// One cell: the state's polls up to the date, the model, its own random stream.
fn run_cell(plan: &Plan, index: usize, house_effects: &HouseEffects) -> CellOutcome {
    let cell = plan.cell(index);
    let state = &plan.states[cell.state];
    let model = plan.models[cell.model];
    let date = plan.date_day(cell.date);
    let days = plan.days_to_election(cell.date);
    let Ok(training) = cell_training(plan, cell.state, cell.date) else {
        return CellOutcome::NoForecast;
    };
    let mut rng = CellRng::seed_from_u64(plan.seed);
    rng.set_stream(stream_id(model, state.state, plan.dates[cell.date]));
    let input = CellInput {
        training,
        date,
        days,
        elapsed: plan.elapsed(cell.date),
        prior: state.prior,
        house_effects,
        settings: &plan.settings,
    };
    match model.model().forecast(&input, &mut rng) {
        Ok(forecast) => CellOutcome::Forecast(forecast),
        Err(reason) => CellOutcome::Failed(reason),
    }
}

/// Why a cell of the grid has no forecast by design (not a failure of its model).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoForecast {
    /// The forecast date is not before election day.
    NotBeforeElection,
    /// Fewer polls of the state by the date than the minimum.
    TooFewPolls { polls: usize, min: usize },
}

impl fmt::Display for NoForecast {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NoForecast::NotBeforeElection => {
                f.write_str("the forecast date is not before election day")
            }
            NoForecast::TooFewPolls { polls, min } => write!(
                f,
                "too few polls: {polls} by this date, fewer than the minimum of {min}"
            ),
        }
    }
}

impl std::error::Error for NoForecast {}

/// The polls a cell (state and date of the plan, by index) is forecast from, or why it has
/// no forecast: the one rule for the run and for whoever reports its cells.
pub(crate) fn cell_training(
    plan: &Plan,
    state: usize,
    date: usize,
) -> Result<&[crate::polls::Poll], NoForecast> {
    let polls = plan.states.get(state).map_or(&[][..], |s| &s.polls[..]);
    if date >= plan.dates.len() || plan.days_to_election(date) <= 0 {
        return Err(NoForecast::NotBeforeElection);
    }
    let day = plan.date_day(date);
    let training = &polls[..polls.partition_point(|p| p.mid <= day)];
    let min = plan.settings.min_polls.max(1);
    if training.len() < min {
        return Err(NoForecast::TooFewPolls {
            polls: training.len(),
            min,
        });
    }
    Ok(training)
}

/// The stream of a cell: model, state and date packed into 64 bits.
fn stream_id(model: ModelKind, state: State, date: NaiveDate) -> u64 {
    ((model.index() as u64) << 56)
        | ((state.index() as u64) << 48)
        | (day_number(date) as u64 & 0xFFFF_FFFF_FFFF)
}

/// A poisoned lock still holds good data here: no task panics while holding it.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
