//! What the simulation needs of one (model, forecast date): a normal margin per unit
//! (ELECTORAL.md §2).
//!
//! ```text
//! model forecast:  mu = predicted_margin   sigma = max(margin_std, 1e-4)
//! otherwise prior: mu = prior              sigma = sqrt(0.08^2 + (0.0015 * days)^2)
//! ```
//!
//! The prior is the fundamentals prior of MODELS.md §7 (`0.7*m[Y-4] + 0.3*m[Y-8]`, or
//! `m[Y-4]` alone), computed by the caller.

use std::fmt;

use super::votes::UNITS;
use crate::states::State;

/// The smallest `sigma` of a model forecast.
pub const MIN_SIGMA: f64 = 1e-4;
/// `sigma` of a prior: `sqrt(PRIOR_SD^2 + (PRIOR_SD_PER_DAY * days)^2)`.
pub const PRIOR_SD: f64 = 0.08;
pub const PRIOR_SD_PER_DAY: f64 = 0.0015;

/// Where a unit's margin comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Source {
    Model,
    Prior,
}

impl Source {
    /// `model` or `prior`, as in `electoral_states.csv`.
    pub fn name(self) -> &'static str {
        match self {
            Source::Model => "model",
            Source::Prior => "prior",
        }
    }
}

/// One unit's margin: normal with mean `mu` and standard deviation `sigma`.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct UnitInput {
    pub mu: f64,
    pub sigma: f64,
    pub source: Source,
}

/// A model's forecast of one unit on one date.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ModelForecast {
    pub margin: f64,
    pub std: f64,
}

/// The 51 units' margins of one (model, forecast date); `mu` and `sigma` finite,
/// `sigma > 0`.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Inputs {
    #[cfg_attr(feature = "serde", serde(with = "serde_big_array::BigArray"))]
    units: [UnitInput; UNITS],
}

impl Inputs {
    /// Each unit from the model's forecast where there is one (finite), else from its
    /// prior; `days` to the election widens the prior.
    pub fn build(
        model: &[Option<ModelForecast>; UNITS],
        prior: &[Option<f64>; UNITS],
        days: i64,
    ) -> Result<Inputs, InputsError> {
        let d = PRIOR_SD_PER_DAY * days as f64;
        let prior_sigma = libm::sqrt(PRIOR_SD * PRIOR_SD + d * d);
        let mut units = [UnitInput {
            mu: 0.0,
            sigma: 1.0,
            source: Source::Prior,
        }; UNITS];
        let mut missing = Vec::new();
        for (i, state) in State::all().enumerate() {
            let forecast = model[i].filter(|f| f.margin.is_finite() && f.std.is_finite());
            let prior = prior[i].filter(|p| p.is_finite());
            units[i] = match (forecast, prior) {
                (Some(f), _) => UnitInput {
                    mu: f.margin,
                    sigma: f.std.max(MIN_SIGMA),
                    source: Source::Model,
                },
                (None, Some(p)) if prior_sigma.is_finite() => UnitInput {
                    mu: p,
                    sigma: prior_sigma,
                    source: Source::Prior,
                },
                _ => {
                    missing.push(state);
                    continue;
                }
            };
        }
        if missing.is_empty() {
            Ok(Inputs { units })
        } else {
            Err(InputsError::NoForecast { units: missing })
        }
    }

    /// Units given directly (tests, or a caller with its own rules): every `mu` and
    /// `sigma` finite and `sigma > 0`.
    pub fn from_units(units: [UnitInput; UNITS]) -> Result<Inputs, InputsError> {
        let bad: Vec<State> = State::all()
            .zip(&units)
            .filter(|(_, u)| !(u.mu.is_finite() && u.sigma.is_finite() && u.sigma > 0.0))
            .map(|(s, _)| s)
            .collect();
        if bad.is_empty() {
            Ok(Inputs { units })
        } else {
            Err(InputsError::Invalid { units: bad })
        }
    }

    pub fn unit(&self, state: State) -> &UnitInput {
        &self.units[state.index() % UNITS]
    }

    /// Every unit, in [`State`] index order.
    pub fn units(&self) -> &[UnitInput; UNITS] {
        &self.units
    }
}

/// No electoral-college forecast for this (model, date).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum InputsError {
    /// Units with neither a model forecast nor a prior (no polls, no earlier result).
    NoForecast { units: Vec<State> },
    /// Units given a non-finite `mu` or a `sigma` that is not positive and finite.
    Invalid { units: Vec<State> },
}

impl fmt::Display for InputsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (units, why) = match self {
            InputsError::NoForecast { units } => (
                units,
                "neither a forecast nor an earlier result (fundamentals prior)",
            ),
            InputsError::Invalid { units } => (units, "an invalid mean or standard deviation"),
        };
        let codes: Vec<&str> = units.iter().map(|s| s.code()).collect();
        write!(
            f,
            "no electoral-college forecast: {} ha{} {why}",
            codes.join(", "),
            if units.len() == 1 { "s" } else { "ve" }
        )
    }
}

impl std::error::Error for InputsError {}
