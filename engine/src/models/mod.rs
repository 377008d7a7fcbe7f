//! The four models (MODELS.md §4–7), one file each, behind one trait.

mod hierarchical_bayes;
mod improved_kalman;
mod kalman_diffusion;
mod poll_average;

use std::fmt;

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;
use smallvec::SmallVec;

use hierarchical_bayes::HierarchicalBayes;
use improved_kalman::ImprovedKalman;
use kalman_diffusion::KalmanDiffusion;
use poll_average::PollAverage;

use crate::dates::Day;
use crate::house_effects::HouseEffects;
use crate::polls::Poll;

/// `p` within `bounds` (a model's [`ModelKind::win_bounds`]).
pub(crate) fn clamp_to(p: f64, bounds: (f64, f64)) -> f64 {
    p.clamp(bounds.0, bounds.1)
}

/// Each cell's own random stream.
pub(crate) type CellRng = ChaCha8Rng;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[cfg_attr(feature = "clap", value(rename_all = "snake_case"))]
pub enum ModelKind {
    PollAverage,
    KalmanDiffusion,
    ImprovedKalman,
    HierarchicalBayes,
}

impl ModelKind {
    pub const ALL: [ModelKind; 4] = [
        ModelKind::PollAverage,
        ModelKind::KalmanDiffusion,
        ModelKind::ImprovedKalman,
        ModelKind::HierarchicalBayes,
    ];

    /// The file and column name: `poll_average`, ...
    pub fn name(self) -> &'static str {
        match self {
            ModelKind::PollAverage => "poll_average",
            ModelKind::KalmanDiffusion => "kalman_diffusion",
            ModelKind::ImprovedKalman => "improved_kalman",
            ModelKind::HierarchicalBayes => "hierarchical_bayes",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ModelKind::PollAverage => "Poll average",
            ModelKind::KalmanDiffusion => "Kalman diffusion",
            ModelKind::ImprovedKalman => "Improved Kalman",
            ModelKind::HierarchicalBayes => "Hierarchical Bayes",
        }
    }

    /// The model's bounds on a state's win probability: it never says less or more, so
    /// a forecast at a bound means "at least this sure", not this exact chance.
    pub fn win_bounds(self) -> (f64, f64) {
        match self {
            ModelKind::PollAverage => (0.05, 0.95),
            ModelKind::KalmanDiffusion | ModelKind::ImprovedKalman => (0.01, 0.99),
            ModelKind::HierarchicalBayes => (0.02, 0.98),
        }
    }

    /// Whether `p` is at one of the model's bounds ([`ModelKind::win_bounds`]).
    pub fn at_bound(self, p: f64) -> bool {
        let (low, high) = self.win_bounds();
        p <= low || p >= high
    }

    /// What the model does, in a sentence, and where it is weak.
    pub fn description(self) -> &'static str {
        match self {
            ModelKind::PollAverage => {
                "The last two weeks' polls averaged, weighted by sample size; no trend, so it is slow to see a late shift, and its chances never pass 5-95 %."
            }
            ModelKind::KalmanDiffusion => {
                "A trend fitted to the recent polls (a Kalman smoother), with its drift and noise learnt from them, simulated day by day to the election; early forecasts are wide, as the walk has weeks to wander."
            }
            ModelKind::ImprovedKalman => {
                "The Kalman trend with pollster leans removed and a small, fixed day-to-day noise; steadier than the diffusion model, but slow when opinion really moves."
            }
            ModelKind::HierarchicalBayes => {
                "The poll trend (pollster house effects removed) combined with a prior from the state's 2008 and 2012 results, less each week, and a bias correction fitted to 2016 by hand."
            }
        }
    }

    pub fn parse(text: &str) -> Option<ModelKind> {
        ModelKind::ALL.into_iter().find(|m| m.name() == text.trim())
    }

    /// Fixed per model, so a model's random streams do not depend on which others run.
    pub fn index(self) -> usize {
        self as usize
    }

    pub(crate) fn model(self) -> &'static dyn Model {
        match self {
            ModelKind::PollAverage => &PollAverage,
            ModelKind::KalmanDiffusion => &KalmanDiffusion,
            ModelKind::ImprovedKalman => &ImprovedKalman,
            ModelKind::HierarchicalBayes => &HierarchicalBayes,
        }
    }
}

impl fmt::Display for ModelKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Settings of the models, with the defaults of MODELS.md.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Settings {
    /// Monte Carlo paths per simulated cell (N).
    pub sims: usize,
    /// A state, and a cell, needs at least this many polls.
    pub min_polls: usize,
    /// Hierarchical Bayes systematic bias `lw * (intercept - slope * prior)`; both
    /// constants were fitted by hand to 2016.
    pub hb_bias_intercept: f64,
    pub hb_bias_slope: f64,
}

impl Settings {
    /// The defaults of MODELS.md, written once: the CLI's and the page's defaults too.
    pub const DEFAULT: Settings = Settings {
        sims: 2000,
        min_polls: 10,
        hb_bias_intercept: 0.02,
        hb_bias_slope: 0.03,
    };

    /// The most Monte Carlo paths per cell: a cell's time grows with them, and beyond a
    /// million the error of the simulated numbers is far below that of the polls.
    pub const MAX_SIMS: usize = 1_000_000;

    /// The largest minimum of polls: no state has had as many polls in one election.
    pub const MAX_MIN_POLLS: usize = 100_000;

    /// The largest size of either bias constant. Margins lie in [-1, 1] and the bias is
    /// `intercept - slope * prior` with the prior a margin: a constant of 1 already moves
    /// every forecast by the whole range of margins (the fitted ones are 0.02 and 0.03).
    pub const MAX_HB_BIAS: f64 = 1.0;

    /// Whether every setting is in its range; what is wrong names the setting.
    pub fn validate(&self) -> Result<(), SettingsError> {
        let count = |setting, value: usize, max| {
            if (1..=max).contains(&value) {
                Ok(())
            } else {
                Err(SettingsError::Count {
                    setting,
                    value,
                    min: 1,
                    max,
                })
            }
        };
        let constant = |setting, value: f64| {
            if value.is_finite() && value.abs() <= Settings::MAX_HB_BIAS {
                Ok(())
            } else {
                Err(SettingsError::Constant {
                    setting,
                    value,
                    max: Settings::MAX_HB_BIAS,
                })
            }
        };
        count(Setting::Sims, self.sims, Settings::MAX_SIMS)?;
        count(Setting::MinPolls, self.min_polls, Settings::MAX_MIN_POLLS)?;
        constant(Setting::HbBiasIntercept, self.hb_bias_intercept)?;
        constant(Setting::HbBiasSlope, self.hb_bias_slope)
    }
}

/// One of the [`Settings`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Setting {
    Sims,
    MinPolls,
    HbBiasIntercept,
    HbBiasSlope,
}

impl Setting {
    /// The field's name: `sims`, `min_polls`, ...
    pub fn name(self) -> &'static str {
        match self {
            Setting::Sims => "sims",
            Setting::MinPolls => "min_polls",
            Setting::HbBiasIntercept => "hb_bias_intercept",
            Setting::HbBiasSlope => "hb_bias_slope",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Setting::Sims => "simulations",
            Setting::MinPolls => "minimum polls",
            Setting::HbBiasIntercept => "hierarchical-Bayes bias intercept",
            Setting::HbBiasSlope => "hierarchical-Bayes bias slope",
        }
    }
}

impl fmt::Display for Setting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.label(), self.name())
    }
}

/// A setting out of its range.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum SettingsError {
    Count {
        setting: Setting,
        value: usize,
        min: usize,
        max: usize,
    },
    /// Not finite, or larger than `max` in size.
    Constant {
        setting: Setting,
        value: f64,
        max: f64,
    },
}

impl SettingsError {
    pub fn setting(&self) -> Setting {
        match *self {
            SettingsError::Count { setting, .. } | SettingsError::Constant { setting, .. } => {
                setting
            }
        }
    }
}

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            SettingsError::Count {
                setting,
                value,
                min,
                max,
            } => write!(f, "{setting} must be from {min} to {max}, not {value}"),
            SettingsError::Constant {
                setting,
                value,
                max,
            } => write!(
                f,
                "{setting} must be a finite number from -{max} to {max}, not {}",
                short(value)
            ),
        }
    }
}

/// A number as a reader takes it in: `1e308`, not its 309 digits.
fn short(value: f64) -> String {
    if value.is_finite() && value.abs() >= 1e6 {
        format!("{value:e}")
    } else {
        value.to_string()
    }
}

impl std::error::Error for SettingsError {}

impl Default for Settings {
    fn default() -> Self {
        Settings::DEFAULT
    }
}

/// What a model sees of one cell (state, forecast date).
pub(crate) struct CellInput<'a> {
    /// The state's polls with `mid <= date`, in time order; at least `min_polls`.
    pub training: &'a [Poll],
    /// The forecast date, as a day number.
    pub date: Day,
    /// Days from the forecast date to the election, at least 1.
    pub days: i64,
    /// Days from September 1 of the forecast date's year to it.
    pub elapsed: i64,
    /// Fundamentals prior margin, when the state has an earlier result.
    pub prior: Option<f64>,
    /// Pollster house effects as of the forecast date (hierarchical Bayes).
    pub house_effects: &'a HouseEffects,
    pub settings: &'a Settings,
}

/// One model's forecast for one cell.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Forecast {
    pub win_probability: f64,
    pub margin: f64,
    pub std: f64,
}

/// Why a model gave no forecast for a cell that had polls enough.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum ModelError {
    /// The model's window held no poll.
    NoPolls,
    /// The numbers came out infinite or NaN.
    NotFinite { win: f64, margin: f64, std: f64 },
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelError::NoPolls => f.write_str("no polls in the model's window"),
            ModelError::NotFinite { win, margin, std } => write!(
                f,
                "numerical failure (win {win}, margin {margin}, std {std})"
            ),
        }
    }
}

impl std::error::Error for ModelError {}

pub(crate) trait Model: Sync {
    fn forecast(&self, input: &CellInput, rng: &mut CellRng) -> Result<Forecast, ModelError>;
}

// Shared pieces of the models.

/// The standard normal CDF.
pub(crate) fn normal_cdf(x: f64) -> f64 {
    0.5 * libm::erfc(-x / std::f64::consts::SQRT_2)
}

pub(crate) fn normal(rng: &mut CellRng) -> f64 {
    rng.sample(StandardNormal)
}

pub(crate) fn mean(values: impl IntoIterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values
        .into_iter()
        .fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

/// Training polls with `mid >= date - days`; fewer than 3: the last `fallback` instead.
pub(crate) fn recent_window(
    training: &[Poll],
    date: Day,
    days: f64,
    fallback: usize,
) -> Result<&[Poll], ModelError> {
    let recent = &training[training.partition_point(|p| p.mid < date - days)..];
    let window = if recent.len() >= 3 {
        recent
    } else {
        &training[training.len().saturating_sub(fallback)..]
    };
    if window.is_empty() {
        Err(ModelError::NoPolls)
    } else {
        Ok(window)
    }
}

/// The Kalman models' observations: for each of the last `max(floor(n/3), 10)` training
/// polls, (whole days since the window's first poll, margin less pollster bias,
/// observation variance).
pub(crate) fn kalman_observations(
    training: &[Poll],
    shrink: f64,
) -> impl Iterator<Item = (f64, f64, f64)> + '_ {
    let window = kalman_window(training);
    let first = first_day(window);
    let bias = PollsterBias::new(window, shrink);
    window.iter().map(move |poll| {
        (
            whole_days(poll, first),
            poll.margin - bias.of(poll.pollster),
            crate::kalman::observation_variance(poll.sample_size),
        )
    })
}

/// [`kalman_observations`] as three series, for the model that runs over them many times.
pub(crate) fn kalman_series(training: &[Poll], shrink: f64) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let n = kalman_window(training).len();
    let mut series = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    for (t, y, r) in kalman_observations(training, shrink) {
        series.0.push(t);
        series.1.push(y);
        series.2.push(r);
    }
    series
}

/// The last `max(floor(n/3), 10)` training polls (the Kalman models' window).
pub(crate) fn kalman_window(training: &[Poll]) -> &[Poll] {
    let keep = (training.len() / 3).max(10).min(training.len());
    &training[training.len() - keep..]
}

/// Each pollster's bias in a window (MODELS.md §3): `shrink * (pollster mean - window
/// mean)` for pollsters with at least 2 polls in the window, 0 for the others. `n log n`
/// work for a window of `n` polls, whatever their pollsters; no allocation for the usual
/// windows (in the threaded WebAssembly build every allocation takes the heap's one lock,
/// which the workers would pass back and forth in these short cells).
pub(crate) struct PollsterBias(SmallVec<[(u32, f64); BIAS_INLINE]>);

/// Pollsters of a window held without allocating.
const BIAS_INLINE: usize = 64;

impl PollsterBias {
    pub(crate) fn new(window: &[Poll], shrink: f64) -> PollsterBias {
        let overall = mean(window.iter().map(|p| p.margin)).unwrap_or(0.0);
        // (pollster, place in the window, margin), by pollster then place: a pollster's
        // margins stay in window order, so each sum adds them in the order the definition
        // reads (the same bits as a scan of the window). An in-place sort: no allocation.
        let mut polls: SmallVec<[(u32, usize, f64); BIAS_INLINE]> = window
            .iter()
            .enumerate()
            .map(|(i, p)| (p.pollster, i, p.margin))
            .collect();
        polls.sort_unstable_by_key(|&(pollster, i, _)| (pollster, i));
        let mut biases = SmallVec::new();
        for group in polls.chunk_by(|a, b| a.0 == b.0) {
            let (sum, count) = group
                .iter()
                .fold((0.0, 0usize), |(s, n), &(_, _, m)| (s + m, n + 1));
            let bias = if count >= 2 {
                shrink * (sum / count as f64 - overall)
            } else {
                0.0
            };
            biases.push((group[0].0, bias));
        }
        PollsterBias(biases)
    }

    /// The bias of `pollster` (0 for a pollster not in the window).
    pub(crate) fn of(&self, pollster: u32) -> f64 {
        self.0
            .binary_search_by_key(&pollster, |&(k, _)| k)
            .map_or(0.0, |i| self.0[i].1)
    }
}

/// The middle day of a window's first poll (0 for none).
pub(crate) fn first_day(window: &[Poll]) -> Day {
    window.first().map_or(0.0, |p| p.mid)
}

/// Whole days from `first` to the poll, rounded down.
pub(crate) fn whole_days(poll: &Poll, first: Day) -> f64 {
    (poll.mid - first).floor()
}

/// Summary of simulated final margins: share above zero, mean, population std.
/// One pass without storing the paths; sums are taken about the first value, which
/// keeps the variance accurate whatever the mean.
pub(crate) fn summarize(
    ends: impl Iterator<Item = f64>,
    win_clip: (f64, f64),
) -> Result<Forecast, ModelError> {
    let mut ends = ends.peekable();
    let shift = ends.peek().copied().unwrap_or(0.0);
    let (mut n, mut sum, mut squares, mut wins) = (0usize, 0.0, 0.0, 0usize);
    for x in ends {
        let d = x - shift;
        n += 1;
        sum += d;
        squares += d * d;
        wins += usize::from(x > 0.0);
    }
    let count = n.max(1) as f64;
    let mean_shift = sum / count;
    finite(Forecast {
        win_probability: (wins as f64 / count).clamp(win_clip.0, win_clip.1),
        margin: shift + mean_shift,
        std: (squares / count - mean_shift * mean_shift).max(0.0).sqrt(),
    })
}

pub(crate) fn finite(forecast: Forecast) -> Result<Forecast, ModelError> {
    if forecast.win_probability.is_finite()
        && forecast.margin.is_finite()
        && forecast.std.is_finite()
    {
        Ok(forecast)
    } else {
        Err(ModelError::NotFinite {
            win: forecast.win_probability,
            margin: forecast.margin,
            std: forecast.std,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::states::State;
    use chrono::NaiveDate;

    fn poll(pollster: u32, margin: f64) -> Poll {
        let day = NaiveDate::from_ymd_opt(2016, 10, 1).unwrap();
        Poll {
            state: State::from_index(0).unwrap(),
            start: day,
            end: day,
            mid: 0.0,
            pollster,
            sample_size: 500.0,
            dem: 50.0,
            rep: 50.0,
            margin,
            line: 2,
        }
    }

    /// The biases equal the definition read literally: for each poll, a scan of the window
    /// for its pollster's polls (to the bit, since the sums add in the same order).
    #[test]
    fn pollster_bias_is_the_definition() {
        let margins = [
            0.031, -0.02, 0.044, 0.012, 0.05, -0.007, 0.021, 0.033, 0.1, -0.3,
        ];
        let pollsters = [3, 1, 3, 2, 1, 3, 7, 2, 9, 1];
        let window: Vec<Poll> = margins
            .iter()
            .zip(pollsters)
            .map(|(&m, k)| poll(k, m))
            .collect();
        let overall = margins.iter().sum::<f64>() / margins.len() as f64;
        let bias = PollsterBias::new(&window, 0.7);
        for p in &window {
            let (sum, n) = window
                .iter()
                .filter(|q| q.pollster == p.pollster)
                .fold((0.0, 0usize), |(s, n), q| (s + q.margin, n + 1));
            let expected = if n >= 2 {
                0.7 * (sum / n as f64 - overall)
            } else {
                0.0
            };
            assert_eq!(bias.of(p.pollster), expected, "pollster {}", p.pollster);
        }
        // Pollsters 7 and 9 have one poll each: no bias; an unknown pollster has none.
        assert_eq!(bias.of(7), 0.0);
        assert_eq!(bias.of(42), 0.0);
        assert_eq!(PollsterBias::new(&[], 0.5).of(1), 0.0);
    }
}
