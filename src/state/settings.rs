//! What to run, as typed in the controls; read into a [`RunConfig`] when a run starts.
//! The defaults are the engine's.

use std::fmt;

use forecast_engine::dates::GridParseError;
use forecast_engine::electoral::{ElectoralConfig, ElectoralSettings, Structure};
use forecast_engine::{DateGrid, ModelKind, RunConfig, Settings};
use leptos::prelude::*;

/// A setting that cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SettingError {
    Dates(GridParseError),
    /// A whole number outside `min..=max`, or no number at all.
    Number {
        what: &'static str,
        text: String,
        min: u64,
        max: u64,
    },
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

    /// The settings as a run configuration, or the first that cannot be read.
    pub fn config(&self) -> Result<RunConfig, SettingError> {
        let grid: DateGrid = self
            .dates
            .get_untracked()
            .parse()
            .map_err(SettingError::Dates)?;
        let seed = number("seed", &self.seed.get_untracked(), 0, u64::MAX)?;
        let sims = number(
            "simulations N",
            &self.sims.get_untracked(),
            1,
            Settings::MAX_SIMS as u64,
        )?;
        let min_polls = number(
            "minimum polls",
            &self.min_polls.get_untracked(),
            1,
            Settings::MAX_MIN_POLLS as u64,
        )?;
        let ec_sims = number(
            "electoral-college simulations",
            &self.ec_sims.get_untracked(),
            1,
            ElectoralSettings::MAX_SIMS as u64,
        )?;
        let defaults = RunConfig::default();
        Ok(RunConfig {
            grid,
            models: self.models.get_untracked(),
            seed,
            settings: Settings {
                sims: sims as usize,
                min_polls: min_polls as usize,
                ..defaults.settings
            },
            electoral: self.ec_on.get_untracked().then(|| ElectoralConfig {
                settings: ElectoralSettings {
                    sims: ec_sims as usize,
                    national: self.ec_national.get_untracked().clamp(0.0, 1.0),
                    structure: self.ec_structure.get_untracked(),
                },
                votes: None,
            }),
            ..defaults
        })
    }
}

fn number(what: &'static str, text: &str, min: u64, max: u64) -> Result<u64, SettingError> {
    match text.trim().parse::<u64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(SettingError::Number {
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
