//! The electoral college as the last phase of a run: what the plan fixes before the run
//! (the table, each unit's prior, the popular-vote weights, the actual result) and the
//! phase itself, run on the pool once every state cell is done.
//!
//! ```text
//! plan:  votes = user table | builtin(year);  prior_s = 0.7 m[Y-4] + 0.3 m[Y-8] | m[Y-4]
//!        v_s = two-party votes of the last election before Y, over their sum
//! phase: C from the results before Y -> w -> per (model, date): Inputs -> Outcome
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Weak};

use chrono::NaiveDate;

use super::{
    Actual, Cancelled, Correlation, CorrelationError, Electoral, ElectoralSettings, ElectoralVotes,
    Inputs, InputsError, ModelForecast, Outcome, PopularWeights, Tipping, WeightsError, UNITS,
};
use crate::models::ModelKind;
use crate::results::ResultSet;
use crate::runner::{ForecastRow, Progress};
use crate::states::State;

/// The electoral college of a run: its settings and, optionally, a user's table of
/// electoral votes (by default the apportionment in force for the election year).
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ElectoralConfig {
    pub settings: ElectoralSettings,
    pub votes: Option<ElectoralVotes>,
}

/// Why a run has no electoral-college forecast (its state forecasts still stand).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum NoElectoral {
    /// Not asked for (`--no-electoral`).
    Off,
    /// No built-in table for the year, and no table given.
    NoTable {
        year: i32,
    },
    Correlation(CorrelationError),
    Cancelled,
}

impl fmt::Display for NoElectoral {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NoElectoral::Off => f.write_str("the electoral college was not asked for"),
            NoElectoral::NoTable { year } => write!(
                f,
                "no electoral-vote table for {year} (built in: 1992 to 2028); give one \
                 (state,electoral_votes) to forecast the electoral college"
            ),
            NoElectoral::Correlation(error) => write!(f, "{error}"),
            NoElectoral::Cancelled => f.write_str("cancelled before the electoral college"),
        }
    }
}

/// Why there is no popular vote.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum NoPopular {
    /// The results have no election before the forecast year.
    NoEarlierElection { year: i32 },
    /// The latest one gives no usable vote counts (results as shares, say).
    Weights { year: i32, error: WeightsError },
}

impl fmt::Display for NoPopular {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NoPopular::NoEarlierElection { year } => write!(
                f,
                "no popular vote: the results have no election before {year} to weight the \
                 states by"
            ),
            NoPopular::Weights { year, error } => write!(f, "{error} (results of {year})"),
        }
    }
}

/// What the plan fixes of the electoral college.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ElectoralPlan {
    pub settings: ElectoralSettings,
    pub votes: ElectoralVotes,
    /// Each unit's fundamentals prior, in unit order; none without an earlier result.
    #[cfg_attr(feature = "serde", serde(with = "serde_big_array::BigArray"))]
    pub priors: [Option<f64>; UNITS],
    /// The results' margins of the years before the election (for `C`).
    margins: BTreeMap<(i32, State), f64>,
    pub popular: Result<PopularWeights, NoPopular>,
    /// The year's result when every unit has one.
    pub actual: Option<Actual>,
    year: i32,
    /// The (model, date) pairs whose tipping points the run finds; `None` for all (the
    /// files need every pair's). See [`ElectoralPlan::find_tipping_only`].
    tipping_only: Option<Vec<(ModelKind, NaiveDate)>>,
    #[cfg_attr(feature = "serde", serde(skip))]
    earlier: Earlier,
}

/// An earlier run's electoral college, whose draws a run takes where it would draw the
/// same ([`Electoral::prepare_reusing`]), if it is still kept (by the page's last
/// outcome): a plan, kept with its run's outcome, never keeps an earlier run's draws
/// alive. Draws never change a result: plans compare equal whatever they hold, and a
/// plan sent to a worker goes without them.
#[derive(Clone, Debug, Default)]
struct Earlier(Option<Weak<Electoral>>);

impl PartialEq for Earlier {
    fn eq(&self, _: &Earlier) -> bool {
        true
    }
}

impl ElectoralPlan {
    pub(crate) fn new(
        config: &ElectoralConfig,
        results: &ResultSet,
        year: i32,
    ) -> Result<ElectoralPlan, NoElectoral> {
        let votes = match &config.votes {
            Some(votes) => votes.clone(),
            None => ElectoralVotes::builtin(year).ok_or(NoElectoral::NoTable { year })?,
        };
        let priors = State::all()
            .map(|s| fundamentals_prior(results, year, s))
            .collect::<Vec<_>>()
            .try_into()
            .unwrap_or([None; UNITS]);
        let margins = results
            .margins
            .iter()
            .filter(|((y, _), _)| *y < year)
            .map(|(&key, &m)| (key, m))
            .collect();
        let popular = match results.years().into_iter().rev().find(|&y| y < year) {
            None => Err(NoPopular::NoEarlierElection { year }),
            Some(last) => {
                let counts: [Option<f64>; UNITS] = std::array::from_fn(|i| {
                    let (dem, rep) = results.votes(last, State::from_index(i)?)?;
                    Some(dem + rep)
                });
                PopularWeights::from_votes(&counts)
                    .map_err(|error| NoPopular::Weights { year: last, error })
            }
        };
        let actual_margins: [Option<f64>; UNITS] =
            std::array::from_fn(|i| results.margin(year, State::from_index(i)?));
        Ok(ElectoralPlan {
            settings: config.settings,
            actual: Actual::new(&votes, &actual_margins),
            votes,
            priors,
            margins,
            popular,
            year,
            tipping_only: None,
            earlier: Earlier::default(),
        })
    }

    /// Lets the run find the tipping points of `pairs` only: their search is most of the
    /// simulations' time, and a page shows one pair's at a time. The other pairs'
    /// [`UnitOutcome::tipping_point`](super::UnitOutcome) are `None` until
    /// [`ElectoralOutput::find_pending_tipping`] finds them (every other output is the
    /// same).
    pub fn find_tipping_only(&mut self, pairs: Vec<(ModelKind, NaiveDate)>) {
        self.tipping_only = Some(pairs);
    }

    /// Lets the run take its draws from `earlier` (an earlier run's electoral college)
    /// where they are the same, if `earlier` is still kept when the run starts.
    pub fn reuse_draws(&mut self, earlier: &Arc<Electoral>) {
        self.earlier = Earlier(Some(Arc::downgrade(earlier)));
    }

    /// Work units of the phase for `pairs` (model, date) pairs: the chunks of draws, then
    /// one per pair and chunk.
    pub fn work_units(&self, pairs: usize) -> usize {
        let chunks = self.settings.sims.div_ceil(super::CHUNK);
        chunks + Electoral::work_units(pairs, self.settings.sims)
    }
}

/// `0.7 * m[Y-4] + 0.3 * m[Y-8]`, or `m[Y-4]` alone (MODELS.md §7).
pub(crate) fn fundamentals_prior(results: &ResultSet, year: i32, state: State) -> Option<f64> {
    let m4 = results.margin(year.saturating_sub(4), state)?;
    Some(match results.margin(year.saturating_sub(8), state) {
        Some(m8) => 0.7 * m4 + 0.3 * m8,
        None => m4,
    })
}

/// The electoral college of one (model, forecast date).
#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ElectoralPair {
    pub model: ModelKind,
    pub forecast_date: NaiveDate,
    /// The inputs and outputs, or why this pair has none (units with no forecast).
    pub result: Result<PairOutcome, InputsError>,
}

#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PairOutcome {
    pub inputs: Inputs,
    pub outcome: Outcome,
}

/// The electoral college of a run: what a what-if needs again (the draws, kept in
/// [`Electoral`]) and every (model, date), model by model, then date.
#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ElectoralOutput {
    pub electoral: Arc<Electoral>,
    pub pairs: Vec<ElectoralPair>,
    /// Why the outputs have no popular vote, if so.
    pub no_popular: Option<NoPopular>,
}

impl ElectoralOutput {
    /// The pairs with outputs, as the files see them.
    pub fn scenario_rows(&self) -> Vec<super::output::ScenarioRow<'_>> {
        self.pairs
            .iter()
            .filter_map(|p| {
                let r = p.result.as_ref().ok()?;
                Some(super::output::ScenarioRow {
                    model: p.model,
                    forecast_date: p.forecast_date,
                    inputs: &r.inputs,
                    outcome: &r.outcome,
                })
            })
            .collect()
    }

    pub fn pair(&self, model: ModelKind, date: NaiveDate) -> Option<&ElectoralPair> {
        self.pairs
            .iter()
            .find(|p| p.model == model && p.forecast_date == date)
    }

    /// The inputs of the pairs whose tipping points are not found yet, in pair order.
    pub fn pending_tipping(&self) -> Vec<Inputs> {
        self.pairs
            .iter()
            .filter_map(|p| p.result.as_ref().ok())
            .filter(|r| !r.outcome.has_tipping())
            .map(|r| r.inputs.clone())
            .collect()
    }

    /// Whether every pair with outputs has its tipping points.
    pub fn has_all_tipping(&self) -> bool {
        self.pairs
            .iter()
            .filter_map(|p| p.result.as_ref().ok())
            .all(|r| r.outcome.has_tipping())
    }

    /// Takes `outcomes`, simulated with the tipping points from
    /// [`ElectoralOutput::pending_tipping`]'s inputs in the same order
    /// ([`Electoral::simulate_all`]), in place of the outcomes without them. The same
    /// draws give the same outputs besides, which are kept.
    pub fn complete_tipping(&mut self, outcomes: Vec<Outcome>) {
        let mut outcomes = outcomes.into_iter();
        for pair in &mut self.pairs {
            let Ok(r) = &mut pair.result else { continue };
            if r.outcome.has_tipping() {
                continue;
            }
            let Some(outcome) = outcomes.next() else {
                return;
            };
            r.outcome = outcome;
        }
    }

    /// Finds the pending tipping points on the current rayon pool.
    pub fn find_pending_tipping(
        &mut self,
        cancelled: &(dyn Fn() -> bool + Sync),
    ) -> Result<(), Cancelled> {
        let outcomes = self
            .electoral
            .simulate_all(&self.pending_tipping(), cancelled)?;
        self.complete_tipping(outcomes);
        Ok(())
    }
}

/// The phase: `C`, the draws, then every (model, date) of `models` x `dates` from the
/// run's `rows`, on the current rayon pool, counted in `progress` and stopped by it.
pub(crate) fn run(
    plan: &ElectoralPlan,
    seed: u64,
    models: &[ModelKind],
    dates: &[(NaiveDate, i64)],
    rows: &[ForecastRow],
    progress: &Progress,
) -> Result<ElectoralOutput, NoElectoral> {
    if progress.is_cancelled() {
        return Err(NoElectoral::Cancelled);
    }
    let correlation = Correlation::new(plan.settings.structure, plan.year, &plan.margins)
        .map_err(NoElectoral::Correlation)?;
    let electoral = Electoral::prepare_reusing(
        &plan.settings,
        plan.votes.clone(),
        correlation,
        seed,
        plan.earlier.0.as_ref().and_then(Weak::upgrade).as_deref(),
    )
    // The plan checked the settings.
    .map_err(|_| NoElectoral::Cancelled)?
    .with_popular(plan.popular.as_ref().ok().cloned())
    .with_actual(plan.actual);
    progress.advance(electoral.chunk_count());

    let mut forecasts: BTreeMap<(ModelKind, NaiveDate), [Option<ModelForecast>; UNITS]> =
        BTreeMap::new();
    for row in rows {
        forecasts
            .entry((row.model, row.forecast_date))
            .or_insert([None; UNITS])[row.state.index()] = Some(ModelForecast {
            margin: row.predicted_margin,
            std: row.margin_std,
        });
    }
    let none = [None; UNITS];
    let built: Vec<(ModelKind, NaiveDate, Result<Inputs, InputsError>)> = models
        .iter()
        .flat_map(|&model| dates.iter().map(move |&(date, days)| (model, date, days)))
        .map(|(model, date, days)| {
            let model_forecasts = forecasts.get(&(model, date)).unwrap_or(&none);
            (
                model,
                date,
                Inputs::build(model_forecasts, &plan.priors, days),
            )
        })
        .collect();
    // Pairs without inputs are done at once.
    let failed = built.iter().filter(|(_, _, r)| r.is_err()).count();
    progress.advance(Electoral::work_units(failed, plan.settings.sims));
    let inputs: Vec<Inputs> = built
        .iter()
        .filter_map(|(_, _, r)| r.as_ref().ok().cloned())
        .collect();
    let tipping = match &plan.tipping_only {
        None => Tipping::All,
        Some(pairs) => Tipping::Only(
            built
                .iter()
                .filter(|(_, _, r)| r.is_ok())
                .enumerate()
                .filter(|(_, (model, date, _))| pairs.contains(&(*model, *date)))
                .map(|(i, _)| i)
                .collect(),
        ),
    };
    let outcomes = electoral
        .simulate_all_counted(&inputs, &tipping, &|| progress.is_cancelled(), &|units| {
            progress.advance(units)
        })
        .map_err(|Cancelled| NoElectoral::Cancelled)?;
    let mut outcomes = outcomes.into_iter();
    let mut pairs = Vec::with_capacity(built.len());
    for (model, forecast_date, inputs) in built {
        let result = match inputs {
            Ok(inputs) => {
                // One outcome per simulated inputs, in order.
                let outcome = outcomes.next().ok_or(NoElectoral::Cancelled)?;
                Ok(PairOutcome { inputs, outcome })
            }
            Err(error) => Err(error),
        };
        pairs.push(ElectoralPair {
            model,
            forecast_date,
            result,
        });
    }
    Ok(ElectoralOutput {
        electoral: Arc::new(electoral),
        pairs,
        no_popular: plan.popular.as_ref().err().cloned(),
    })
}
