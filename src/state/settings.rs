//! What to run, as typed in the controls; read into a [`RunConfig`] when a run starts.
//! The defaults are the engine's.

use std::fmt;

use forecast_engine::dates::GridParseError;
use forecast_engine::electoral::{ElectoralConfig, ElectoralSettings, Structure};
use forecast_engine::{DateGrid, ModelKind, RunConfig, Settings};
use leptos::prelude::*;

/// A setting typed in a text field, checked as it is typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Dates,
    Seed,
    Sims,
    MinPolls,
    EcSims,
}

impl Field {
    /// The field's test id, and the stem of its element ids.
    pub fn id(self) -> &'static str {
        match self {
            Field::Dates => "dates",
            Field::Seed => "seed",
            Field::Sims => "sims",
            Field::MinPolls => "min-polls",
            Field::EcSims => "ec-sims",
        }
    }
}

/// A setting that cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SettingError {
    Dates(GridParseError),
    /// A whole number outside `min..=max`, or no number at all.
    Number {
        field: Field,
        what: &'static str,
        text: String,
        min: u64,
        max: u64,
    },
}

impl SettingError {
    /// The field to mark.
    pub fn field(&self) -> Field {
        match self {
            SettingError::Dates(_) => Field::Dates,
            SettingError::Number { field, .. } => *field,
        }
    }
}

impl fmt::Display for SettingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SettingError::Dates(error) => write!(f, "forecast dates: {error}"),
            SettingError::Number {
                what,
                text,
                min,
                max,
                ..
            } => {
                let text: String = text.chars().take(40).collect();
                write!(
                    f,
                    "{what}: {text:?} is not a whole number from {min} to {max}"
                )
            }
        }
    }
}

#[derive(Clone, Copy)]
pub struct RunSettings {
    pub models: RwSignal<Vec<ModelKind>>,
    /// A number of forecast dates, or `daily`.
    pub dates: RwSignal<String>,
    pub seed: RwSignal<String>,
    pub sims: RwSignal<String>,
    pub min_polls: RwSignal<String>,
    /// Tasks a run asks of the pool: 1 ..= pool threads.
    pub workers: RwSignal<usize>,
    /// Whether a run goes on to the electoral college.
    pub ec_on: RwSignal<bool>,
    /// The electoral college's simulations, as typed.
    pub ec_sims: RwSignal<String>,
    /// The share of every state's error common to all, 0 to 1.
    pub ec_national: RwSignal<f64>,
    pub ec_structure: RwSignal<Structure>,
}

impl RunSettings {
    pub fn provide(pool_threads: usize) -> RunSettings {
        let defaults = RunConfig::default();
        let settings = RunSettings {
            models: RwSignal::new(defaults.models.clone()),
            dates: RwSignal::new(defaults.grid.to_string()),
            seed: RwSignal::new(defaults.seed.to_string()),
            sims: RwSignal::new(defaults.settings.sims.to_string()),
            min_polls: RwSignal::new(defaults.settings.min_polls.to_string()),
            workers: RwSignal::new(RunSettings::default_workers(pool_threads)),
            ec_on: RwSignal::new(defaults.electoral.is_some()),
            ec_sims: RwSignal::new(ElectoralSettings::DEFAULT.sims.to_string()),
            ec_national: RwSignal::new(ElectoralSettings::DEFAULT.national),
            ec_structure: RwSignal::new(ElectoralSettings::DEFAULT.structure),
        };
        provide_context(settings);
        settings
    }

    /// Workers by default: one core left to the page.
    pub fn default_workers(pool_threads: usize) -> usize {
        pool_threads.saturating_sub(1).max(1)
    }

    /// What `field` holds, if it can be read (tracked: a view that calls this follows the
    /// field).
    pub fn error_of(&self, field: Field) -> Option<SettingError> {
        match field {
            Field::Dates => self.read_grid().err(),
            Field::Seed => self.read_seed().err(),
            Field::Sims => self.read_sims().err(),
            Field::MinPolls => self.read_min_polls().err(),
            Field::EcSims => self.read_ec_sims().err(),
        }
    }

    fn read_grid(&self) -> Result<DateGrid, SettingError> {
        self.dates.get().parse().map_err(SettingError::Dates)
    }

    fn read_seed(&self) -> Result<u64, SettingError> {
        number(Field::Seed, "seed", &self.seed.get(), 0, u64::MAX)
    }

    fn read_sims(&self) -> Result<u64, SettingError> {
        let max = Settings::MAX_SIMS as u64;
        number(Field::Sims, "simulations N", &self.sims.get(), 1, max)
    }

    fn read_min_polls(&self) -> Result<u64, SettingError> {
        let max = Settings::MAX_MIN_POLLS as u64;
        number(
            Field::MinPolls,
            "minimum polls",
            &self.min_polls.get(),
            1,
            max,
        )
    }

    fn read_ec_sims(&self) -> Result<u64, SettingError> {
        let max = ElectoralSettings::MAX_SIMS as u64;
        let text = self.ec_sims.get();
        number(
            Field::EcSims,
            "electoral-college simulations",
            &text,
            1,
            max,
        )
    }

    /// The settings as a run configuration, or the first that cannot be read (tracked,
    /// as [`RunSettings::error_of`]).
    pub fn config(&self) -> Result<RunConfig, SettingError> {
        let grid = self.read_grid()?;
        let seed = self.read_seed()?;
        let sims = self.read_sims()?;
        let min_polls = self.read_min_polls()?;
        let ec_sims = self.read_ec_sims()?;
        let defaults = RunConfig::default();
        Ok(RunConfig {
            grid,
            models: self.models.get(),
            seed,
            settings: Settings {
                sims: sims as usize,
                min_polls: min_polls as usize,
                ..defaults.settings
            },
            electoral: self.ec_on.get().then(|| ElectoralConfig {
                settings: ElectoralSettings {
                    sims: ec_sims as usize,
                    national: self.ec_national.get().clamp(0.0, 1.0),
                    structure: self.ec_structure.get(),
                },
                votes: None,
            }),
            ..defaults
        })
    }
}

fn number(
    field: Field,
    what: &'static str,
    text: &str,
    min: u64,
    max: u64,
) -> Result<u64, SettingError> {
    match text.trim().parse::<u64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(SettingError::Number {
            field,
            what,
            text: text.to_string(),
            min,
            max,
        }),
    }
}

pub fn use_settings() -> RunSettings {
    super::expect()
}
