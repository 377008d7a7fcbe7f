//! One (model, forecast date) over the run's draws: counts over draws, merged in any
//! order, and the outputs of ELECTORAL.md §5 from them.
//!
//! ```text
//! margin[k,s] = mu_s + sigma_s * w[k,s]
//! ev[k]       = sum of votes_s over the units with margin[k,s] > 0     (Democratic votes)
//! nat[k]      = sum_s v_s * margin[k,s]                                (popular vote)
//! dem_win = mean(ev >= majority)   tie = mean(ev == total/2)   rep_win = the other draws
//! ev_pXX  = smallest v with mean(ev <= v) >= XX/100
//! ```
//!
//! Tipping point of a draw that someone wins: order the units from the winner's best
//! margin to its worst (equal margins in [`State`] index order) and add their votes; the
//! unit that brings the winner to the majority. Equivalently, walking the winner's units
//! from its worst margin up, the first at which the votes walked exceed
//! `surplus = winner's votes - majority`, which the kernel finds among the few units
//! nearest zero instead of sorting all 51.

use std::fmt;

use super::draws::{Row, LANES};
use super::inputs::Inputs;
use super::votes::{ElectoralVotes, UNITS};
use crate::states::State;

/// A party, for pins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Party {
    Dem,
    Rep,
}

/// Units pinned to a party (ELECTORAL.md §6); at most one party per unit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pins {
    pins: [Option<Party>; UNITS],
}

impl Default for Pins {
    fn default() -> Self {
        Pins::new()
    }
}

impl Pins {
    /// No pins.
    pub fn new() -> Pins {
        Pins {
            pins: [None; UNITS],
        }
    }

    /// Pins `state` to `party` (replacing an earlier pin of it).
    pub fn pin(mut self, state: State, party: Party) -> Pins {
        if let Some(p) = self.pins.get_mut(state.index()) {
            *p = Some(party);
        }
        self
    }

    pub fn get(&self, state: State) -> Option<Party> {
        self.pins.get(state.index()).copied().flatten()
    }

    pub fn is_empty(&self) -> bool {
        self.pins.iter().all(Option::is_none)
    }

    /// Pinned units in [`State`] index order.
    pub fn iter(&self) -> impl Iterator<Item = (State, Party)> + '_ {
        State::all().filter_map(|s| self.get(s).map(|p| (s, p)))
    }
}

/// Popular-vote weights `v_s`: each unit's two-party votes over their sum.
#[derive(Clone, Debug, PartialEq)]
pub struct PopularWeights {
    v: [f64; UNITS],
}

impl PopularWeights {
    /// From each unit's two-party vote count (Democratic plus Republican) of the latest
    /// election before the forecast year; every unit needs one.
    pub fn from_votes(votes: &[Option<f64>; UNITS]) -> Result<PopularWeights, WeightsError> {
        let missing: Vec<State> = State::all()
            .filter(|s| votes[s.index()].is_none())
            .collect();
        if !missing.is_empty() {
            return Err(WeightsError::MissingUnits(missing));
        }
        let invalid: Vec<State> = State::all()
            .filter(|s| !votes[s.index()].is_some_and(|v| v.is_finite() && v >= 0.0))
            .collect();
        if !invalid.is_empty() {
            return Err(WeightsError::Invalid(invalid));
        }
        let counts = votes.map(|v| v.unwrap_or(0.0));
        let sum: f64 = counts.iter().sum();
        if !(sum.is_finite() && sum > 0.0) {
            return Err(WeightsError::ZeroTotal);
        }
        Ok(PopularWeights {
            v: counts.map(|c| c / sum),
        })
    }

    pub fn weight(&self, state: State) -> f64 {
        self.v.get(state.index()).copied().unwrap_or(0.0)
    }
}

/// Why there are no popular-vote weights (the page says so).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WeightsError {
    /// Units without a vote count (for example results given as shares only).
    MissingUnits(Vec<State>),
    /// Negative or non-finite counts.
    Invalid(Vec<State>),
    ZeroTotal,
}

impl fmt::Display for WeightsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let codes = |units: &[State]| -> String {
            units
                .iter()
                .map(|s| s.code())
                .collect::<Vec<_>>()
                .join(", ")
        };
        match self {
            WeightsError::MissingUnits(units) => write!(
                f,
                "no popular vote: the results give no vote counts for {}",
                codes(units)
            ),
            WeightsError::Invalid(units) => write!(
                f,
                "no popular vote: invalid vote counts for {}",
                codes(units)
            ),
            WeightsError::ZeroTotal => write!(f, "no popular vote: the vote counts sum to 0"),
        }
    }
}

impl std::error::Error for WeightsError {}

/// The actual result of the forecast year, for `actual_dem_ev` and the scores.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Actual {
    pub dem_ev: u32,
    /// `dem_ev >= majority`.
    pub won: bool,
}

impl Actual {
    /// From the year's actual margins; `None` unless all 51 units have one.
    pub fn new(votes: &ElectoralVotes, margins: &[Option<f64>; UNITS]) -> Option<Actual> {
        let dem_ev = votes.dem_votes(margins)?;
        Some(Actual {
            dem_ev,
            won: dem_ev >= votes.majority(),
        })
    }
}

/// Counts over draws of one (model, date): every output of §5 is a ratio of two of
/// them, so counts from any split of the draws add up to the same outputs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counts {
    /// Draws counted (those that match the pins).
    pub draws: u64,
    /// Draws per Democratic electoral-vote total, `0..=total`.
    pub ev: Vec<u64>,
    /// Draws each unit goes Democratic.
    pub wins: [u64; UNITS],
    /// Draws in which each unit is the tipping point.
    pub tipping: [u64; UNITS],
    /// `nat > 0`.
    pub popular_dem: u64,
    /// `nat > 0` and `ev < majority`.
    pub dem_popular_rep_ec: u64,
    /// `nat < 0` and `ev >= majority`.
    pub rep_popular_dem_ec: u64,
}

impl Counts {
    /// Zero counts for a table with this total.
    pub fn new(total: u32) -> Counts {
        Counts {
            draws: 0,
            ev: vec![0; total as usize + 1],
            wins: [0; UNITS],
            tipping: [0; UNITS],
            popular_dem: 0,
            dem_popular_rep_ec: 0,
            rep_popular_dem_ec: 0,
        }
    }

    /// Adds `other` (counts of other draws of the same table).
    pub fn merge(&mut self, other: &Counts) {
        self.draws += other.draws;
        if self.ev.len() < other.ev.len() {
            self.ev.resize(other.ev.len(), 0);
        }
        for (a, b) in self.ev.iter_mut().zip(&other.ev) {
            *a += b;
        }
        for (a, b) in self.wins.iter_mut().zip(&other.wins) {
            *a += b;
        }
        for (a, b) in self.tipping.iter_mut().zip(&other.tipping) {
            *a += b;
        }
        self.popular_dem += other.popular_dem;
        self.dem_popular_rep_ec += other.dem_popular_rep_ec;
        self.rep_popular_dem_ec += other.rep_popular_dem_ec;
    }
}

/// One (model, date), with its pins, ready for the kernel: padded rows of `mu`, `sigma`,
/// votes and weights.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    mu: Row,
    sigma: Row,
    votes: [u32; LANES],
    weights: Option<Row>,
    /// Pinned units: (index, pinned Democratic).
    pins: Vec<(usize, bool)>,
    total: u32,
    majority: u32,
}

/// The candidate threshold of the tipping-point search starts here each chunk, then
/// follows the distances that the draws need (it sets the speed, never the result).
const TAU_START: f64 = 0.02;
/// Per draw that its candidates sufficed, the threshold shrinks by this factor...
const TAU_DECAY: f64 = 0.995;
/// ...and when they did not, it becomes the needed distance times this: about 2 % of
/// draws then look at every unit.
const TAU_GROW: f64 = 1.25;

impl Scenario {
    pub fn new(
        inputs: &Inputs,
        votes: &ElectoralVotes,
        weights: Option<&PopularWeights>,
        pins: &Pins,
    ) -> Scenario {
        let mut mu = [0.0; LANES];
        let mut sigma = [0.0; LANES];
        let mut ev = [0; LANES];
        for (i, u) in inputs.units().iter().enumerate() {
            mu[i] = u.mu;
            sigma[i] = u.sigma;
            ev[i] = votes.all()[i];
        }
        let weights = weights.map(|w| {
            let mut v = [0.0; LANES];
            v[..UNITS].copy_from_slice(&w.v);
            v
        });
        Scenario {
            mu,
            sigma,
            votes: ev,
            weights,
            pins: pins
                .iter()
                .map(|(s, p)| (s.index(), p == Party::Dem))
                .collect(),
            total: votes.total(),
            majority: votes.majority(),
        }
    }

    pub fn total(&self) -> u32 {
        self.total
    }

    /// Adds the draws `rows` to `counts`.
    pub(crate) fn run(&self, rows: &[Row], counts: &mut Counts) {
        let mut wins = [0u64; LANES];
        let mut tau = TAU_START;
        let mut m = [0.0f64; LANES];
        let (total, majority) = (self.total, self.majority);
        for w in rows {
            if !self.pins_hold(w) {
                continue;
            }
            for s in 0..LANES {
                m[s] = self.mu[s] + self.sigma[s] * w[s];
            }
            let mut ev = 0u32;
            for s in 0..LANES {
                let win = m[s] > 0.0;
                ev += if win { self.votes[s] } else { 0 };
                wins[s] += u64::from(win);
            }
            counts.draws += 1;
            if let Some(slot) = counts.ev.get_mut(ev as usize) {
                *slot += 1;
            }
            let dem = ev >= majority;
            if let Some(v) = &self.weights {
                let nat = dot(v, &m);
                if nat > 0.0 {
                    counts.popular_dem += 1;
                    counts.dem_popular_rep_ec += u64::from(!dem);
                } else if nat < 0.0 && dem {
                    counts.rep_popular_dem_ec += 1;
                }
            }
            let rep_ev = total.saturating_sub(ev);
            let surplus = if dem {
                ev - majority
            } else if rep_ev >= majority {
                rep_ev - majority
            } else {
                continue;
            };
            if let Some(t) = tipping(&m, &self.votes, dem, surplus, &mut tau) {
                if let Some(slot) = counts.tipping.get_mut(t) {
                    *slot += 1;
                }
            }
        }
        for (c, w) in counts.wins.iter_mut().zip(wins) {
            *c += w;
        }
    }

    /// Every pinned unit goes its pinned way in this draw.
    fn pins_hold(&self, w: &Row) -> bool {
        self.pins.iter().all(|&(s, dem)| {
            let m = self.mu[s % LANES] + self.sigma[s % LANES] * w[s % LANES];
            (m > 0.0) == dem
        })
    }
}

/// `sum v_s m_s` in four interleaved partial sums, added `(0 + 1) + (2 + 3)`: a fixed
/// order (the same bits everywhere) that vectorises.
#[inline]
fn dot(v: &Row, m: &Row) -> f64 {
    let mut acc = [0.0f64; 4];
    for (vs, ms) in v.chunks_exact(4).zip(m.chunks_exact(4)) {
        for j in 0..4 {
            acc[j] += vs[j] * ms[j];
        }
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3])
}

/// The tipping unit of a draw won by `dem` (else by the Republican) with `surplus`
/// votes beyond the majority. Candidates are the winner's units within `tau` of zero; if
/// their votes do not reach past the surplus, every unit of the winner is.
#[inline]
fn tipping(m: &Row, votes: &[u32; LANES], dem: bool, surplus: u32, tau: &mut f64) -> Option<usize> {
    // Distance from zero on the winner's side; NaN (never a candidate) on the other.
    let mut key = [0.0f64; LANES];
    for s in 0..LANES {
        key[s] = match (dem, m[s] > 0.0) {
            (true, true) => m[s],
            (false, false) => -m[s],
            _ => f64::NAN,
        };
    }
    for limit in [*tau, f64::INFINITY] {
        let mut cand_key = [0.0f64; LANES];
        let mut cand = [0u8; LANES];
        let mut n = 0;
        for s in 0..LANES {
            cand_key[n] = key[s];
            cand[n] = s as u8;
            n += usize::from(key[s] <= limit);
        }
        // Walk order: nearest zero first; equal distances in decreasing index, the
        // reverse of the winner's order from its best margin.
        for i in 1..n {
            let (k, c) = (cand_key[i], cand[i]);
            let mut j = i;
            while j > 0 && (cand_key[j - 1] > k || (cand_key[j - 1] == k && cand[j - 1] < c)) {
                cand_key[j] = cand_key[j - 1];
                cand[j] = cand[j - 1];
                j -= 1;
            }
            cand_key[j] = k;
            cand[j] = c;
        }
        let mut walked = 0u32;
        for i in 0..n {
            let unit = cand[i] as usize;
            walked += votes[unit % LANES];
            if walked > surplus {
                let needed = cand_key[i];
                *tau = if limit == *tau {
                    *tau * TAU_DECAY
                } else {
                    needed * TAU_GROW
                };
                return Some(unit);
            }
        }
    }
    None
}

/// The §5 outputs of one (model, date).
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// Draws the outputs are over (those matching the pins).
    pub draws: u64,
    pub dem_win: f64,
    pub tie: f64,
    pub rep_win: f64,
    pub ev_mean: f64,
    pub ev_p05: u32,
    pub ev_p50: u32,
    pub ev_p95: u32,
    /// (Democratic electoral votes, share of draws), for the totals that occur, ascending.
    pub distribution: Vec<(u32, f64)>,
    /// Per unit, in [`State`] index order.
    pub units: [UnitOutcome; UNITS],
    /// `None` without popular-vote weights.
    pub popular: Option<PopularOutcome>,
    /// `None` unless the year's actual result is known for every unit.
    pub actual: Option<ActualOutcome>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct UnitOutcome {
    /// Share of draws the unit goes Democratic.
    pub win_draws: f64,
    /// Share of draws the unit is the tipping point.
    pub tipping_point: f64,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PopularOutcome {
    pub popular_dem_win: f64,
    pub dem_popular_rep_ec: f64,
    pub rep_popular_dem_ec: f64,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ActualOutcome {
    pub actual_dem_ev: u32,
    /// `(dem_win - won)^2`.
    pub brier: f64,
    /// `-(won ln(dem_win + 1e-10) + (1 - won) ln(1 - dem_win + 1e-10))`.
    pub log_loss: f64,
}

/// The smallest `v` whose share of draws with `ev <= v` is at least `percent / 100`,
/// given the draws per total `0, 1, 2, ...` (`None` without draws).
pub fn ev_percentile(ev: &[u64], percent: u32) -> Option<u32> {
    let draws: u64 = ev.iter().sum();
    if draws == 0 {
        return None;
    }
    // cum / draws >= percent / 100, in integers.
    let need = u128::from(draws) * u128::from(percent);
    let mut cum = 0u128;
    for (v, &c) in ev.iter().enumerate() {
        cum += u128::from(c);
        if cum * 100 >= need {
            return Some(v as u32);
        }
    }
    Some(ev.len().saturating_sub(1) as u32)
}

impl Outcome {
    /// The outputs from counts; `None` when no draw was counted.
    pub fn from_counts(
        counts: &Counts,
        votes: &ElectoralVotes,
        popular: bool,
        actual: Option<&Actual>,
    ) -> Option<Outcome> {
        if counts.draws == 0 {
            return None;
        }
        let d = counts.draws as f64;
        let share = |c: u64| c as f64 / d;
        let majority = votes.majority() as usize;
        let dem: u64 = counts.ev.iter().skip(majority).sum();
        let tie = votes
            .tie()
            .and_then(|t| counts.ev.get(t as usize))
            .copied()
            .unwrap_or(0);
        let rep = counts.draws - dem - tie;
        let ev_sum: u128 = counts
            .ev
            .iter()
            .enumerate()
            .map(|(v, &c)| v as u128 * u128::from(c))
            .sum();
        let mut units = [UnitOutcome::default(); UNITS];
        for (i, u) in units.iter_mut().enumerate() {
            u.win_draws = share(counts.wins[i]);
            u.tipping_point = share(counts.tipping[i]);
        }
        let dem_win = share(dem);
        Some(Outcome {
            draws: counts.draws,
            dem_win,
            tie: share(tie),
            rep_win: share(rep),
            ev_mean: ev_sum as f64 / d,
            ev_p05: ev_percentile(&counts.ev, 5)?,
            ev_p50: ev_percentile(&counts.ev, 50)?,
            ev_p95: ev_percentile(&counts.ev, 95)?,
            distribution: counts
                .ev
                .iter()
                .enumerate()
                .filter(|(_, &c)| c > 0)
                .map(|(v, &c)| (v as u32, share(c)))
                .collect(),
            units,
            popular: popular.then(|| PopularOutcome {
                popular_dem_win: share(counts.popular_dem),
                dem_popular_rep_ec: share(counts.dem_popular_rep_ec),
                rep_popular_dem_ec: share(counts.rep_popular_dem_ec),
            }),
            actual: actual.map(|a| score(dem_win, a)),
        })
    }

    pub fn unit(&self, state: State) -> &UnitOutcome {
        &self.units[state.index() % UNITS]
    }
}

/// Brier score and log loss of `dem_win` against the actual winner (MODELS.md §8's
/// `1e-10` guard).
fn score(dem_win: f64, actual: &Actual) -> ActualOutcome {
    let won = if actual.won { 1.0 } else { 0.0 };
    ActualOutcome {
        actual_dem_ev: actual.dem_ev,
        brier: (dem_win - won) * (dem_win - won),
        log_loss: -(won * libm::log(dem_win + 1e-10)
            + (1.0 - won) * libm::log(1.0 - dem_win + 1e-10)),
    }
}
