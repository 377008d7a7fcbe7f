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
//! `surplus = winner's votes - majority`: the kernel finds it by adding the votes per
//! bucket of distance from zero and sorting only the units of the bucket where the sum
//! passes the surplus, not all 51.

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
    votes: [u64; LANES],
    weights: Option<Row>,
    /// Pinned units: (index, pinned Democratic).
    pins: Vec<(usize, bool)>,
    total: u32,
    majority: u32,
}

/// The tipping-point search sorts the winner's units into `BUCKETS` buckets of distance
/// from zero, `width` wide, the last one open. `width` starts at `WIDTH_START` each
/// chunk and follows the draws (it sets the speed, never the result): times
/// `WIDTH_GROW` after a draw whose tipping unit lies beyond the buckets, else times
/// `WIDTH_DECAY`, which settles where about one draw in a hundred does.
const BUCKETS: usize = 32;
const WIDTH_START: f64 = 0.1 / BUCKETS as f64;
const WIDTH_DECAY: f64 = 0.995;
const WIDTH_GROW: f64 = 1.5;

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
            ev[i] = u64::from(votes.all()[i]);
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
        let mut width = WIDTH_START;
        let mut m = [0.0f64; LANES];
        let mut bucket = [0.0f64; LANES];
        let mut scratch = Scratch::new();
        let (total, majority) = (u64::from(self.total), u64::from(self.majority));
        let weights = self.weights.as_ref();
        let last = BUCKETS as f64;
        let open = ROUNDER + last;
        for w in rows {
            if !self.pins_hold(w) {
                continue;
            }
            // One pass over the lanes: margins, Democratic votes and wins, each unit's
            // bucket of distance from zero, bit masks of the units won and of those in
            // the closed buckets.
            let mut ev = 0u64;
            let per_width = 1.0 / width;
            for s in 0..LANES {
                let margin = self.mu[s] + self.sigma[s] * w[s];
                m[s] = margin;
                let won = u64::from(margin > 0.0);
                ev += self.votes[s] & won.wrapping_neg();
                wins[s] += won;
                // The bucket, rounded to the nearest integer by adding 2^52 (monotone in
                // |margin|: a lower bucket never holds a larger distance), kept as that
                // f64 so that the lanes stay f64.
                bucket[s] = ROUNDER + (margin.abs() * per_width).min(last);
            }
            let won_bits = lane_bits(&m, |x| x > 0.0);
            let closed_bits = lane_bits(&bucket, |b| b < open);
            counts.draws += 1;
            if let Some(slot) = counts.ev.get_mut(ev as usize) {
                *slot += 1;
            }
            let dem = ev >= majority;
            if let Some(v) = weights {
                let nat = dot(v, &m);
                if nat > 0.0 {
                    counts.popular_dem += 1;
                    counts.dem_popular_rep_ec += u64::from(!dem);
                } else if nat < 0.0 && dem {
                    counts.rep_popular_dem_ec += 1;
                }
            }
            let rep_ev = total.saturating_sub(ev);
            let (side, surplus) = if dem {
                (won_bits, ev - majority)
            } else if rep_ev >= majority {
                (!won_bits & ALL_LANES, rep_ev - majority)
            } else {
                continue;
            };
            let (unit, beyond) = tipping(
                &m,
                &bucket,
                &self.votes,
                side,
                closed_bits,
                surplus,
                &mut scratch,
            );
            if let Some(slot) = counts.tipping.get_mut(unit) {
                *slot += 1;
            }
            width *= if beyond { WIDTH_GROW } else { WIDTH_DECAY };
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

/// Bits of every lane.
const ALL_LANES: u64 = (1 << LANES) - 1;

/// Bit `s` set where `test(row[s])`: a pass of its own over the fixed-size row, whose
/// constant shifts compile to compares and masks, lanes at a time.
#[inline(always)]
fn lane_bits(row: &Row, test: impl Fn(f64) -> bool) -> u64 {
    let mut bits = 0u64;
    for (s, &x) in row.iter().enumerate() {
        bits |= u64::from(test(x)) << s;
    }
    bits
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

/// `2^52`: `ROUNDER + x` rounds `x` in `[0, 2^52)` to the nearest integer, which the
/// low bits of the sum then hold.
const ROUNDER: f64 = 4_503_599_627_370_496.0;

/// Room the tipping-point search reuses from draw to draw.
struct Scratch {
    per_bucket: [u64; BUCKETS],
    /// (distance from zero, unit).
    cand: [(f64, usize); LANES],
}

impl Scratch {
    fn new() -> Scratch {
        Scratch {
            per_bucket: [0; BUCKETS],
            cand: [(0.0, 0); LANES],
        }
    }
}

/// The tipping unit of a draw: the winner's units are `side` (bits by unit), `closed`
/// those in a closed bucket, `surplus` the winner's votes beyond the majority. The
/// votes of the winner's units per bucket, added from the bucket nearest zero, find the
/// bucket where they first exceed the surplus; only its units are sorted and walked.
/// Also says whether that was the open bucket.
#[inline]
fn tipping(
    m: &Row,
    bucket: &Row,
    votes: &[u64; LANES],
    side: u64,
    closed: u64,
    surplus: u64,
    scratch: &mut Scratch,
) -> (usize, bool) {
    // `per_bucket` is all zeros on entry and left so (only touched buckets are reset).
    let per_bucket = &mut scratch.per_bucket;
    let mut rest = side & closed;
    while rest != 0 {
        let s = rest.trailing_zeros() as usize % LANES;
        rest &= rest - 1;
        let b = bucket[s].to_bits().wrapping_sub(ROUNDER.to_bits()) as usize;
        per_bucket[b % BUCKETS] += votes[s];
    }
    let mut walked = 0u64;
    let mut target = BUCKETS;
    for (b, &v) in per_bucket.iter().enumerate() {
        if walked + v > surplus {
            target = b;
            break;
        }
        walked += v;
    }
    let mut rest = side & closed;
    while rest != 0 {
        let s = rest.trailing_zeros() as usize % LANES;
        rest &= rest - 1;
        let b = bucket[s].to_bits().wrapping_sub(ROUNDER.to_bits()) as usize;
        per_bucket[b % BUCKETS] = 0;
    }
    let wanted = ROUNDER + target as f64;
    let mut bits = lane_bits(bucket, |b| b == wanted) & side;
    // Sorted: nearest zero first, equal distances in decreasing unit order (the reverse
    // of the winner's order from its best margin).
    let cand = &mut scratch.cand;
    let mut n = 0;
    while bits != 0 && n < LANES {
        let s = bits.trailing_zeros() as usize % LANES;
        bits &= bits - 1;
        let key = m[s].abs();
        let mut j = n;
        while j > 0 && (cand[j - 1].0 > key || (cand[j - 1].0 == key && cand[j - 1].1 < s)) {
            cand[j] = cand[j - 1];
            j -= 1;
        }
        cand[j] = (key, s);
        n += 1;
    }
    for &(_, s) in &cand[..n] {
        walked += votes[s % LANES];
        if walked > surplus {
            return (s, target == BUCKETS);
        }
    }
    // Not reached: the winner's votes exceed the surplus.
    (usize::MAX, true)
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
        let rep = counts.draws.saturating_sub(dem).saturating_sub(tie);
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
