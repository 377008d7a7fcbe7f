//! The electoral college (ELECTORAL.md): from each model's state forecasts on a date to
//! the chance of each party winning the presidency, the electoral-vote distribution,
//! tipping points and what-ifs.
//!
//! ```text
//! ElectoralVotes::builtin(year) | ElectoralVotes::from_csv(bytes)         §1
//! Inputs::build(model forecasts, priors, days)  per (model, date)          §2
//! Correlation::new(structure, year, &results.margins)                       §3
//! Electoral::prepare(settings, votes, correlation, seed)   draws w once     §4
//! electoral.simulate_all(&inputs, cancelled) -> Vec<Outcome>               §5
//! electoral.simulate_pinned(&inputs, &pins) -> Pinned                       §6
//! output::electoral_csv(...) ...                                           §7
//! ```
//!
//! The model: with `w` the run's correlated standard normals (one matrix for every model
//! and date, common random numbers),
//!
//! ```text
//! w[k,s]      = sqrt(national) z0[k] + sqrt(1 - national) (L z[k])_s,    C = L L'
//! margin[k,s] = mu_s + sigma_s w[k,s]
//! ev[k]       = sum of votes_s over the units with margin[k,s] > 0
//! dem_win     = mean(ev >= floor(total/2) + 1)
//! ```
//!
//! Every output is a ratio of integer counts over draws ([`Counts`]), so the work splits
//! into (block of scenarios, chunk of draws) tasks merged in any order: the same bytes for
//! any number of workers. [`Electoral::simulate_chunk`] and [`Counts::merge`] let a
//! caller schedule these tasks itself; [`Electoral::simulate_all`] does it on the current
//! rayon pool.

pub mod correlation;
pub mod draws;
pub mod inputs;
pub mod output;
pub mod phase;
pub mod pins;
pub mod simulate;
pub mod votes;

use std::fmt;
use std::sync::Arc;

use rayon::prelude::*;

pub use correlation::{Correlation, CorrelationError, CorrelationNote};
pub use draws::{Draws, CHUNK};
pub use inputs::{Inputs, InputsError, ModelForecast, Source, UnitInput};
pub use phase::{
    ElectoralConfig, ElectoralOutput, ElectoralPair, ElectoralPlan, NoElectoral, NoPopular,
    PairOutcome,
};
pub use pins::Pinned;
pub use simulate::{
    ev_percentile, Actual, ActualOutcome, Counts, Outcome, Party, Pins, PopularOutcome,
    PopularWeights, Scenario, UnitOutcome, WeightsError,
};
pub use votes::{ElectoralVotes, RowProblem, RowProblemKind, VotesError, VotesSource, UNITS};

/// `historical` or `none` (ELECTORAL.md §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[cfg_attr(feature = "clap", value(rename_all = "snake_case"))]
pub enum Structure {
    /// `C` from the swings of past elections.
    Historical,
    /// `C` the identity: units share only the national part.
    None,
}

impl Structure {
    pub const ALL: [Structure; 2] = [Structure::Historical, Structure::None];

    /// `historical` or `none`, as the CLI spells it.
    pub fn name(self) -> &'static str {
        match self {
            Structure::Historical => "historical",
            Structure::None => "none",
        }
    }

    pub fn parse(text: &str) -> Option<Structure> {
        Structure::ALL
            .into_iter()
            .find(|s| s.name().eq_ignore_ascii_case(text.trim()))
    }
}

impl fmt::Display for Structure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The electoral-college settings, with the defaults of ELECTORAL.md.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ElectoralSettings {
    /// Draws `D` (`--ec-sims`), from 1 to [`ElectoralSettings::MAX_SIMS`].
    pub sims: usize,
    /// The share of every unit's error common to all (`--ec-national`), in [0, 1].
    pub national: f64,
    /// How the rest of the errors move together (`--ec-structure`).
    pub structure: Structure,
}

impl ElectoralSettings {
    /// The defaults, written once: the CLI's and the page's too.
    pub const DEFAULT: ElectoralSettings = ElectoralSettings {
        sims: 20_000,
        national: 0.5,
        structure: Structure::Historical,
    };

    /// At most this many draws (4.2 MB of `w` per 20,000 draws: 208 MB here).
    pub const MAX_SIMS: usize = 1_000_000;

    /// Under this many draws matching the pins, a what-if gives no numbers.
    pub const MIN_PINNED_DRAWS: u64 = 200;

    pub fn check(&self) -> Result<(), SettingsError> {
        if !(0.0..=1.0).contains(&self.national) {
            return Err(SettingsError::National(self.national));
        }
        if self.sims == 0 || self.sims > ElectoralSettings::MAX_SIMS {
            return Err(SettingsError::Sims(self.sims));
        }
        Ok(())
    }
}

impl Default for ElectoralSettings {
    fn default() -> Self {
        ElectoralSettings::DEFAULT
    }
}

/// Settings out of range.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum SettingsError {
    /// `national` outside [0, 1], or NaN.
    National(f64),
    /// `sims` 0 or above [`ElectoralSettings::MAX_SIMS`].
    Sims(usize),
}

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SettingsError::National(x) => {
                write!(
                    f,
                    "the national share of the error must be in [0, 1], not {x}"
                )
            }
            SettingsError::Sims(n) => write!(
                f,
                "electoral-college simulations must be from 1 to {}, not {n}",
                ElectoralSettings::MAX_SIMS
            ),
        }
    }
}

impl std::error::Error for SettingsError {}

/// The run was cancelled before every scenario was simulated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Cancelled;

impl fmt::Display for Cancelled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the electoral-college simulation was cancelled")
    }
}

impl std::error::Error for Cancelled {}

/// Which scenarios of [`Electoral::simulate_all_counted`] find their tipping points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tipping {
    All,
    /// Only the scenarios at these indices; the others' [`UnitOutcome::tipping_point`]
    /// are `None`.
    Only(Vec<usize>),
}

impl Tipping {
    pub fn includes(&self, scenario: usize) -> bool {
        match self {
            Tipping::All => true,
            Tipping::Only(indices) => indices.contains(&scenario),
        }
    }
}

/// Scenarios a task simulates together over a chunk of draws (the chunk stays in cache
/// while they read it).
const BLOCK: usize = 8;

/// What an electoral-college run keeps: the settings, the table, `C`, the draws `w`
/// (4 bytes x 52 x `sims`, shared with later runs that draw the same), and the
/// popular-vote weights and actual result if known.
/// A (model, date) is its [`Inputs`] (51 `mu`, `sigma`), simulated again on demand, so
/// that no run keeps every scenario's margins.
#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Electoral {
    settings: ElectoralSettings,
    votes: ElectoralVotes,
    correlation: Correlation,
    seed: u64,
    draws: Arc<Draws>,
    popular: Option<PopularWeights>,
    actual: Option<Actual>,
}

impl Electoral {
    /// Checks the settings and draws `w` on the current rayon pool.
    pub fn prepare(
        settings: &ElectoralSettings,
        votes: ElectoralVotes,
        correlation: Correlation,
        seed: u64,
    ) -> Result<Electoral, SettingsError> {
        Electoral::prepare_reusing(settings, votes, correlation, seed, None)
    }

    /// [`Electoral::prepare`], taking `w` from `earlier` where it drew the same: the same
    /// simulations, national share, seed and `C`. A run again with new polls, models or
    /// dates then skips the draws.
    pub fn prepare_reusing(
        settings: &ElectoralSettings,
        votes: ElectoralVotes,
        correlation: Correlation,
        seed: u64,
        earlier: Option<&Electoral>,
    ) -> Result<Electoral, SettingsError> {
        settings.check()?;
        let same_draws = |e: &&Electoral| {
            e.settings.sims == settings.sims
                && e.settings.national.to_bits() == settings.national.to_bits()
                && e.seed == seed
                && e.correlation == correlation
        };
        let draws = match earlier.filter(same_draws) {
            Some(earlier) => Arc::clone(&earlier.draws),
            None => Arc::new(Draws::generate(
                settings.sims,
                settings.national,
                &correlation,
                seed,
            )),
        };
        Ok(Electoral {
            settings: *settings,
            votes,
            correlation,
            seed,
            draws,
            popular: None,
            actual: None,
        })
    }

    /// Popular-vote weights: the outcomes then have [`Outcome::popular`].
    pub fn with_popular(mut self, weights: Option<PopularWeights>) -> Electoral {
        self.popular = weights;
        self
    }

    /// The forecast year's actual result: the outcomes then have [`Outcome::actual`].
    pub fn with_actual(mut self, actual: Option<Actual>) -> Electoral {
        self.actual = actual;
        self
    }

    pub fn settings(&self) -> &ElectoralSettings {
        &self.settings
    }

    pub fn votes(&self) -> &ElectoralVotes {
        &self.votes
    }

    pub fn correlation(&self) -> &Correlation {
        &self.correlation
    }

    pub fn draws(&self) -> &Draws {
        &self.draws
    }

    pub fn popular(&self) -> Option<&PopularWeights> {
        self.popular.as_ref()
    }

    pub fn actual(&self) -> Option<&Actual> {
        self.actual.as_ref()
    }

    /// `R[a, b]` of this run.
    pub fn r(&self, a: crate::State, b: crate::State) -> f64 {
        self.correlation.r(self.settings.national, a, b)
    }

    /// Chunks of draws, `0..chunk_count()`, for [`Electoral::simulate_chunk`].
    pub fn chunk_count(&self) -> usize {
        self.draws.chunk_count()
    }

    /// A (model, date) ready to simulate, with pins (or [`Pins::new`] for none).
    pub fn scenario(&self, inputs: &Inputs, pins: &Pins) -> Scenario {
        Scenario::new(inputs, &self.votes, self.popular.as_ref(), pins)
    }

    /// Zero counts for this run's table.
    pub fn counts(&self) -> Counts {
        Counts::new(self.votes.total())
    }

    /// Adds chunk `chunk`'s draws of each scenario to its counts (`counts[i]` for
    /// `scenarios[i]`). Scenarios of several chunks, simulated in any order and merged
    /// with [`Counts::merge`], give the same counts as [`Electoral::simulate_all`].
    pub fn simulate_chunk(&self, chunk: usize, scenarios: &[Scenario], counts: &mut [Counts]) {
        let rows = self.draws.chunk(chunk);
        // Each draw's tipping unit in one scenario is the first guess in the next: the
        // block's scenarios are neighbouring dates of a model, whose tipping units are the
        // same in a third (16 dates) to a half (daily) of the draws.
        let mut hints = [simulate::NO_UNIT; CHUNK];
        for (scenario, counts) in scenarios.iter().zip(counts.iter_mut()) {
            scenario.run(rows, counts, &mut hints);
        }
    }

    /// The outputs of counts over every chunk (`None` if no draw was counted).
    pub fn outcome(&self, counts: &Counts) -> Option<Outcome> {
        Outcome::from_counts(
            counts,
            &self.votes,
            self.popular.is_some(),
            self.actual.as_ref(),
        )
    }

    /// Every (model, date) over every draw, as tasks on the current rayon pool; outcomes
    /// in the order of `inputs`. `cancelled` is polled between chunks.
    pub fn simulate_all(
        &self,
        inputs: &[Inputs],
        cancelled: &(dyn Fn() -> bool + Sync),
    ) -> Result<Vec<Outcome>, Cancelled> {
        self.simulate_all_counted(inputs, &Tipping::All, cancelled, &|_| {})
    }

    /// Work units of [`Electoral::simulate_all_counted`] for `scenarios` (model, date)
    /// pairs: one per scenario and chunk of draws.
    pub fn work_units(scenarios: usize, sims: usize) -> usize {
        scenarios * sims.div_ceil(CHUNK)
    }

    /// [`Electoral::simulate_all`], telling `done` of each chunk of draws simulated for
    /// a block of scenarios (the number of (scenario, chunk) units it was).
    pub fn simulate_all_counted(
        &self,
        inputs: &[Inputs],
        tipping: &Tipping,
        cancelled: &(dyn Fn() -> bool + Sync),
        done: &(dyn Fn(usize) + Sync),
    ) -> Result<Vec<Outcome>, Cancelled> {
        let scenarios: Vec<Scenario> = inputs
            .iter()
            .map(|i| self.scenario(i, &Pins::new()))
            .collect();
        let zero = |i: usize| {
            if tipping.includes(i) {
                self.counts()
            } else {
                Counts::without_tipping(self.votes.total())
            }
        };
        let blocks = scenarios.len().div_ceil(BLOCK).max(1);
        let chunks = self.chunk_count();
        // Enough tasks for every worker even with few scenarios: chunks split in groups.
        let wanted = 4 * rayon::current_num_threads();
        let groups = wanted.div_ceil(blocks).clamp(1, chunks.max(1));
        let per_group = chunks.div_ceil(groups).max(1);
        let tasks: Vec<(usize, usize)> = (0..blocks)
            .flat_map(|b| (0..groups).map(move |g| (b, g)))
            .collect();
        let results: Vec<Option<(usize, Vec<Counts>)>> = tasks
            .par_iter()
            .map(|&(b, g)| {
                let block = scenarios.get(b * BLOCK..((b + 1) * BLOCK).min(scenarios.len()))?;
                let mut counts: Vec<Counts> =
                    (0..block.len()).map(|i| zero(b * BLOCK + i)).collect();
                for chunk in g * per_group..((g + 1) * per_group).min(chunks) {
                    if cancelled() {
                        return None;
                    }
                    self.simulate_chunk(chunk, block, &mut counts);
                    done(block.len());
                }
                Some((b, counts))
            })
            .collect();
        let mut merged: Vec<Counts> = (0..scenarios.len()).map(zero).collect();
        for result in results {
            let (b, counts) = result.ok_or(Cancelled)?;
            for (i, c) in counts.iter().enumerate() {
                if let Some(m) = merged.get_mut(b * BLOCK + i) {
                    m.merge(c);
                }
            }
        }
        merged
            .iter()
            .map(|c| self.outcome(c).ok_or(Cancelled))
            .collect()
    }

    /// The §5 outputs over the draws in which every pinned unit goes its pinned way
    /// (ELECTORAL.md §6); too few such draws give [`Pinned::TooFew`].
    pub fn simulate_pinned(&self, inputs: &Inputs, pins: &Pins) -> Pinned {
        pins::simulate(self, inputs, pins)
    }
}
