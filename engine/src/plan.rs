//! The grid of work: which states, which forecast dates, which models (MODELS.md §2).

use std::fmt;

use chrono::{Datelike, NaiveDate};

use crate::dates::{day_number, election_day, forecast_dates, september_first, DateGrid, Day};
use crate::electoral::phase::fundamentals_prior;
use crate::electoral::{
    ElectoralConfig, ElectoralPlan, NoElectoral, SettingsError as ElectoralSettingsError,
};
use crate::models::{ModelKind, Settings, SettingsError};
use crate::polls::{Poll, PollSet};
use crate::results::ResultSet;
use crate::states::State;

/// What to run.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RunConfig {
    /// Election year; by default the election of the polls ([`PollSet::year`]).
    pub year: Option<i32>,
    /// By default the Tuesday after the first Monday of November.
    pub election_day: Option<NaiveDate>,
    pub grid: DateGrid,
    pub models: Vec<ModelKind>,
    pub seed: u64,
    pub settings: Settings,
    /// The electoral college after the state forecasts; `None` for none.
    pub electoral: Option<ElectoralConfig>,
}

impl RunConfig {
    pub const DEFAULT_SEED: u64 = 42;
}

impl Default for RunConfig {
    fn default() -> Self {
        RunConfig {
            year: None,
            election_day: None,
            grid: DateGrid::default(),
            models: ModelKind::ALL.to_vec(),
            seed: RunConfig::DEFAULT_SEED,
            settings: Settings::DEFAULT,
            electoral: Some(ElectoralConfig::default()),
        }
    }
}

/// A state in the grid.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct StatePlan {
    pub state: State,
    /// Its polls, time order.
    pub polls: Vec<Poll>,
    /// The state's result in the election year; none before the election.
    pub actual_margin: Option<f64>,
    /// `0.7 * m(year-4) + 0.3 * m(year-8)`, or `m(year-4)` alone; none without `m(year-4)`.
    pub prior: Option<f64>,
}

/// A state left out of the grid, and why.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ExcludedState {
    pub state: State,
    pub polls: usize,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Plan {
    pub year: i32,
    pub election_day: NaiveDate,
    pub dates: Vec<NaiveDate>,
    pub models: Vec<ModelKind>,
    pub states: Vec<StatePlan>,
    pub excluded: Vec<ExcludedState>,
    pub seed: u64,
    pub settings: Settings,
    /// Every state poll, time order: house effects look across states.
    pub all_polls: Vec<Poll>,
    pub pollster_count: usize,
    /// The electoral college after the state cells, or why there is none.
    pub electoral: Result<ElectoralPlan, NoElectoral>,
}

/// One cell of the grid, by index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Cell {
    pub model: usize,
    pub state: usize,
    pub date: usize,
}

/// Why a run cannot be planned.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum PlanError {
    /// A setting out of its range.
    Settings(SettingsError),
    /// An electoral-college setting out of its range.
    Electoral(ElectoralSettingsError),
    /// The poll set is empty (a page whose built-in polls could not be used, before a
    /// polls file is loaded).
    NoPollsLoaded,
    /// Neither the settings nor the polls say which election.
    NoYear,
    /// The year has no election day (out of the calendar's range).
    NoElectionDay(i32),
    /// An election day given outside its election's year.
    ElectionDayOutsideYear {
        election_day: NaiveDate,
        year: i32,
    },
    /// No poll of the year's election: none ends after the previous election and by
    /// election day. `polls_year` is the election the polls are of.
    NoPolls {
        year: i32,
        polls_year: Option<i32>,
    },
    /// A grid of zero dates.
    NoDatesAsked,
    /// The election falls on or before September 1, so no date is forecast.
    NoForecastDates {
        election_day: NaiveDate,
    },
    NoModels,
    /// No state has polls enough.
    NoStates {
        min_polls: usize,
        year: i32,
    },
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlanError::Settings(error) => write!(f, "{error}"),
            PlanError::Electoral(error) => write!(f, "{error}"),
            PlanError::NoPollsLoaded => f.write_str("no polls loaded: load a polls file"),
            PlanError::NoYear => f.write_str("no election year: give one"),
            PlanError::ElectionDayOutsideYear { election_day, year } => write!(
                f,
                "the election day {election_day} is not in the election year {year}"
            ),
            PlanError::NoPolls { year, polls_year } => {
                write!(f, "no poll of the {year} election")?;
                match polls_year {
                    Some(other) if other != year => write!(f, ": the polls are of {other}"),
                    _ => Ok(()),
                }
            }
            PlanError::NoElectionDay(year) => write!(f, "no election day in {year}"),
            PlanError::NoForecastDates { election_day } => write!(
                f,
                "no forecast dates: the election ({election_day}) must come after September 1"
            ),
            PlanError::NoDatesAsked => f.write_str("no forecast dates asked for"),
            PlanError::NoModels => f.write_str("no model selected"),
            PlanError::NoStates { min_polls, year } => write!(
                f,
                "no state has at least {min_polls} polls of the {year} election"
            ),
        }
    }
}

impl std::error::Error for PlanError {}

impl Plan {
    pub fn new(
        polls: &PollSet,
        results: &ResultSet,
        config: &RunConfig,
    ) -> Result<Plan, PlanError> {
        config.settings.validate().map_err(PlanError::Settings)?;
        if let Some(electoral) = &config.electoral {
            electoral.settings.check().map_err(PlanError::Electoral)?;
        }
        if polls.polls.is_empty() {
            return Err(PlanError::NoPollsLoaded);
        }
        let year = config.year.or(polls.year).ok_or(PlanError::NoYear)?;
        let election_day = match config.election_day {
            Some(day) if day.year() != year => {
                return Err(PlanError::ElectionDayOutsideYear {
                    election_day: day,
                    year,
                })
            }
            Some(day) => day,
            None => election_day(year).ok_or(PlanError::NoElectionDay(year))?,
        };
        if config.grid == DateGrid::Count(0) {
            return Err(PlanError::NoDatesAsked);
        }
        let dates = forecast_dates(config.grid, election_day);
        if dates.is_empty() {
            return Err(PlanError::NoForecastDates { election_day });
        }
        if config.models.is_empty() {
            return Err(PlanError::NoModels);
        }
        // The polls of this election: ending by its day, starting after the previous one.
        let previous = crate::dates::election_day(year.saturating_sub(4));
        let all_polls: Vec<Poll> = polls
            .polls
            .iter()
            .filter(|p| p.end <= election_day && previous.is_none_or(|d| p.start > d))
            .cloned()
            .collect();
        if all_polls.is_empty() {
            return Err(PlanError::NoPolls {
                year,
                polls_year: polls.year,
            });
        }
        let min_polls = config.settings.min_polls;
        let mut states = Vec::new();
        let mut excluded = Vec::new();
        for state in State::all() {
            let state_polls: Vec<Poll> = all_polls
                .iter()
                .filter(|p| p.state == state)
                .cloned()
                .collect();
            // States are those with polls enough; the year's result is optional (an
            // election not yet held is forecast all the same).
            let reason = if state_polls.is_empty() {
                Some("no polls".to_string())
            } else if state_polls.len() < min_polls {
                Some(format!(
                    "{} polls, fewer than the minimum of {min_polls}",
                    state_polls.len()
                ))
            } else {
                None
            };
            match reason {
                None => states.push(StatePlan {
                    state,
                    polls: state_polls,
                    actual_margin: results.margin(year, state),
                    prior: fundamentals_prior(results, year, state),
                }),
                Some(reason) => excluded.push(ExcludedState {
                    state,
                    polls: state_polls.len(),
                    reason,
                }),
            }
        }
        if states.is_empty() {
            return Err(PlanError::NoStates { min_polls, year });
        }
        let mut models = config.models.clone();
        models.sort();
        models.dedup();
        Ok(Plan {
            year,
            election_day,
            dates,
            models,
            states,
            excluded,
            seed: config.seed,
            settings: config.settings,
            all_polls,
            pollster_count: polls.pollsters.len(),
            electoral: match &config.electoral {
                Some(electoral) => ElectoralPlan::new(electoral, results, year),
                None => Err(NoElectoral::Off),
            },
        })
    }

    pub fn cell_count(&self) -> usize {
        self.models.len() * self.states.len() * self.dates.len()
    }

    /// Units of work of the whole run, as [`crate::Progress`] counts them: the cells,
    /// then the electoral college's.
    pub fn work_count(&self) -> usize {
        let pairs = self.models.len() * self.dates.len();
        self.cell_count()
            + self
                .electoral
                .as_ref()
                .map_or(0, |electoral| electoral.work_units(pairs))
    }

    /// Lets the run take its electoral-college draws from `earlier`'s where they are the
    /// same: same simulations, national share, seed and correlation (see
    /// [`crate::electoral::Electoral::prepare_reusing`]). Results are unchanged.
    pub fn reuse_draws(&mut self, earlier: &crate::RunOutput) {
        if let (Ok(plan), Ok(output)) = (&mut self.electoral, &earlier.electoral) {
            plan.reuse_draws(&output.electoral);
        }
    }

    /// Lets the run find the electoral college's tipping points of `pairs` (model, date)
    /// only; see [`crate::electoral::ElectoralPlan::find_tipping_only`].
    pub fn find_tipping_only(&mut self, pairs: Vec<(ModelKind, NaiveDate)>) {
        if let Ok(plan) = &mut self.electoral {
            plan.find_tipping_only(pairs);
        }
    }

    /// Each forecast date with its days to the election.
    pub fn dates_with_days(&self) -> Vec<(NaiveDate, i64)> {
        (0..self.dates.len())
            .map(|i| (self.dates[i], self.days_to_election(i)))
            .collect()
    }

    /// Cells are numbered model by model, then state, then date: the output order.
    pub(crate) fn cell(&self, index: usize) -> Cell {
        let per_model = self.states.len() * self.dates.len();
        Cell {
            model: index / per_model,
            state: index % per_model / self.dates.len(),
            date: index % self.dates.len(),
        }
    }

    pub fn date_day(&self, date_index: usize) -> Day {
        day_number(self.dates[date_index]) as f64
    }

    /// Days from September 1 of the date's year to the date.
    pub fn elapsed(&self, date_index: usize) -> i64 {
        let date = self.dates[date_index];
        september_first(date.year()).map_or(0, |s| day_number(date) - day_number(s))
    }

    /// A state's polls known by the last forecast date (what its chart draws).
    pub fn polls_by_last_date(&self, state: State) -> &[Poll] {
        let Some(plan) = self.states.iter().find(|s| s.state == state) else {
            return &[];
        };
        let last = self
            .dates
            .last()
            .map_or(f64::NEG_INFINITY, |d| day_number(*d) as f64);
        &plan.polls[..plan.polls.partition_point(|p| p.mid <= last)]
    }

    pub fn days_to_election(&self, date_index: usize) -> i64 {
        day_number(self.election_day) - day_number(self.dates[date_index])
    }
}
