//! Runs a [`Plan`] on the current rayon pool: `tasks` tasks pull cells from a shared
//! counter. Each cell draws from its own ChaCha stream keyed by (seed, model, state,
//! date), so the output does not depend on how many tasks ran or in what order.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

use chrono::NaiveDate;
use rand::SeedableRng;

use crate::dates::day_number;
use crate::house_effects::HouseEffects;
use crate::models::{CellInput, CellRng, Forecast, ModelKind};
use crate::plan::Plan;
use crate::scores::{score, ScoreRow};
use crate::states::State;

/// Progress and cancellation, shared with whoever watches the run; read without locks.
#[derive(Debug, Default)]
pub struct Progress {
    done: AtomicUsize,
    total: AtomicUsize,
    cancel: AtomicBool,
}

impl Progress {
    pub fn new() -> Progress {
        Progress::default()
    }

    pub fn done(&self) -> usize {
        self.done.load(Ordering::Relaxed)
    }

    pub fn total(&self) -> usize {
        self.total.load(Ordering::Relaxed)
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
pub struct ForecastRow {
    pub model: ModelKind,
    pub state: State,
    pub forecast_date: NaiveDate,
    pub win_probability: f64,
    pub predicted_margin: f64,
    pub margin_std: f64,
    pub actual_margin: f64,
}

impl ForecastRow {
    /// The 90 % band of the margin, `margin ± 1.645 std`.
    pub fn band_90(&self) -> (f64, f64) {
        let half = 1.645 * self.margin_std;
        (self.predicted_margin - half, self.predicted_margin + half)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct CellFailure {
    pub model: ModelKind,
    pub state: State,
    pub forecast_date: NaiveDate,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum CellOutcome {
    Forecast(Forecast),
    /// Not enough polls yet, or the date is not before the election: no forecast, by design.
    NoForecast,
    Failed(String),
}

#[derive(Clone, Debug, Default, PartialEq)]
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
}

/// Runs every cell of `plan` with `tasks` tasks on the current rayon pool (the global
/// one outside `ThreadPool::install`). Blocks the caller until done or cancelled.
pub fn run(plan: &Plan, progress: &Progress, tasks: usize) -> RunOutput {
    let cells = plan.cell_count();
    progress.done.store(0, Ordering::Relaxed);
    progress.total.store(cells, Ordering::Relaxed);
    let tasks = tasks.max(1);

    // House effects once per forecast date, shared by every state.
    let needs_effects = plan.models.contains(&ModelKind::HierarchicalBayes);
    let effect_count = if needs_effects { plan.dates.len() } else { 0 };
    let (effects, _) = pull(effect_count, tasks, progress, |d| {
        HouseEffects::estimate(&plan.all_polls, plan.date_day(d), plan.pollster_count)
    });
    let effects: Vec<HouseEffects> = effects.into_iter().map(Option::unwrap_or_default).collect();
    let no_effects = HouseEffects::default();

    let (outcomes, cell_threads) = pull(cells, tasks, progress, |i| {
        let outcome = run_cell(
            plan,
            i,
            effects.get(plan.cell(i).date).unwrap_or(&no_effects),
        );
        progress.done.fetch_add(1, Ordering::Relaxed);
        outcome
    });

    let mut output = RunOutput {
        cells,
        threads: cell_threads.len(),
        cells_per_thread: cell_threads.into_iter().collect(),
        ..Default::default()
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

/// One cell: the state's polls up to the date, the model, its own random stream.
pub fn run_cell(plan: &Plan, index: usize, house_effects: &HouseEffects) -> CellOutcome {
    let cell = plan.cell(index);
    let state = &plan.states[cell.state];
    let model = plan.models[cell.model];
    let date = plan.date_day(cell.date);
    let days = plan.days_to_election(cell.date);
    let training = &state.polls[..state.polls.partition_point(|p| p.mid <= date)];
    if days <= 0 || training.len() < plan.settings.min_polls.max(1) {
        return CellOutcome::NoForecast;
    }
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

/// The stream of a cell: model, state and date packed into 64 bits.
fn stream_id(model: ModelKind, state: State, date: NaiveDate) -> u64 {
    ((model.index() as u64) << 56)
        | ((state.index() as u64) << 48)
        | (day_number(date) as u64 & 0xFFFF_FFFF_FFFF)
}

/// Runs `work(i)` for `i` in `0..count` with `tasks` tasks pulling from one counter;
/// returns the results by index (none for items skipped after a cancel) and how many
/// items each pool thread did.
fn pull<T: Send>(
    count: usize,
    tasks: usize,
    progress: &Progress,
    work: impl Fn(usize) -> T + Sync,
) -> (Vec<Option<T>>, BTreeMap<usize, usize>) {
    let next = AtomicUsize::new(0);
    let collected: Mutex<Vec<(usize, T)>> = Mutex::new(Vec::with_capacity(count));
    let threads: Mutex<BTreeMap<usize, usize>> = Mutex::new(BTreeMap::new());
    if count > 0 {
        rayon::scope(|scope| {
            for _ in 0..tasks.min(count) {
                scope.spawn(|_| {
                    let mut mine = Vec::with_capacity(count / tasks + 1);
                    loop {
                        if progress.is_cancelled() {
                            break;
                        }
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= count {
                            break;
                        }
                        mine.push((i, work(i)));
                    }
                    if !mine.is_empty() {
                        let thread = rayon::current_thread_index().unwrap_or(usize::MAX);
                        *lock(&threads).entry(thread).or_insert(0) += mine.len();
                        lock(&collected).extend(mine);
                    }
                });
            }
        });
    }
    let mut by_index: Vec<Option<T>> = (0..count).map(|_| None).collect();
    for (i, item) in collected.into_inner().unwrap_or_else(|e| e.into_inner()) {
        by_index[i] = Some(item);
    }
    (
        by_index,
        threads.into_inner().unwrap_or_else(|e| e.into_inner()),
    )
}

/// A poisoned lock still holds good data here: no task panics while holding it.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
