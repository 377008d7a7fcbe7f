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
//! unit that brings the winner to the majority. The kernel brackets the crossing between
//! two margins by counting votes above them, around a prediction of the crossing's margin
//! (the pivot's `mu` moved by the mean error of the units nearest it), and walks only the
//! few units between (see [`Scenario::tipping`]). A draw's tipping unit in the scenario
//! before (the date before, of the same model) is checked first, with two counts at its
//! margin in place of the thresholds (see [`Scenario::run`]).

use std::fmt;

use wide::{f32x4, i32x4};

use super::draws::{Row, LANES, VECTORS};
use super::inputs::Inputs;
use super::votes::{ElectoralVotes, UNITS};
use crate::states::State;

/// A party, for pins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Party {
    Dem,
    Rep,
}

/// Units pinned to a party (ELECTORAL.md §6); at most one party per unit.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Pins {
    #[cfg_attr(feature = "serde", serde(with = "serde_big_array::BigArray"))]
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

    /// Pins `state` to `party`, or unpins it (`None`).
    pub fn set(&mut self, state: State, party: Option<Party>) {
        if let Some(p) = self.pins.get_mut(state.index()) {
            *p = party;
        }
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
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PopularWeights {
    #[cfg_attr(feature = "serde", serde(with = "serde_big_array::BigArray"))]
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
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Counts {
    /// Draws counted (those that match the pins).
    pub draws: u64,
    /// Draws per Democratic electoral-vote total, `0..=total`.
    pub ev: Vec<u64>,
    /// Draws each unit goes Democratic.
    #[cfg_attr(feature = "serde", serde(with = "serde_big_array::BigArray"))]
    pub wins: [u64; UNITS],
    /// Draws in which each unit is the tipping point (by unit); `None` for counts that
    /// leave the tipping points out ([`Counts::without_tipping`]).
    pub tipping: Option<Vec<u64>>,
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
            tipping: Some(vec![0; UNITS]),
            ..Counts::without_tipping(total)
        }
    }

    /// Zero counts that leave the tipping points out: their search is most of a draw's
    /// time, and the rest of §5 does not need it.
    pub fn without_tipping(total: u32) -> Counts {
        Counts {
            draws: 0,
            ev: vec![0; total as usize + 1],
            wins: [0; UNITS],
            tipping: None,
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
        match (&mut self.tipping, &other.tipping) {
            (Some(a), Some(b)) => {
                for (a, b) in a.iter_mut().zip(b) {
                    *a += b;
                }
            }
            // Counts without tipping points make a sum without them.
            _ => self.tipping = None,
        }
        self.popular_dem += other.popular_dem;
        self.dem_popular_rep_ec += other.dem_popular_rep_ec;
        self.rep_popular_dem_ec += other.rep_popular_dem_ec;
    }
}

/// One (model, date), with its pins, ready for the kernel: single-precision SIMD rows
/// of `mu`, `sigma` and weights, and votes as integer lanes.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    mu: Row,
    sigma: Row,
    /// Votes by unit as integers: the comparisons' masks select them and integer
    /// additions, of one cycle's latency, add them (a draw's sums are chains of 13).
    votes: [i32x4; VECTORS],
    weights: Option<Row>,
    /// Votes by unit, for the walk through the tipping band.
    unit_votes: [u32; LANES],
    /// Pinned units: (index, pinned Democratic).
    pins: Vec<(usize, bool)>,
    total: u32,
    majority: u32,
    /// The prediction of a draw's crossing, where its search for the tipping point
    /// starts: `aim_mu + sum_s aim_s w_s`, the `mu` of the pivot (the unit at the weighted
    /// median of `mu`) moved by the vote-weighted mean error `sigma_s w_s` of the
    /// [`AIM_NEIGHBOURS`] units each side of it in the order of `mu`. Nearer the crossing
    /// than the pivot's own margin, whose error is the pivot's alone: the bracket around
    /// it then holds fewer units.
    aim: Row,
    aim_mu: f32,
}

/// Guesses at the tipping unit ([`Scenario::run`]'s hints) are checked while they pay:
/// a scenario whose first `GUESS_TRIAL` guesses of a chunk were right fewer than
/// `GUESS_MIN_RIGHT` times searches the chunk's other draws without them. A wrong guess
/// costs more than a search without one, whose thresholds sit around a prediction of the
/// crossing.
const GUESS_TRIAL: u32 = 100;
const GUESS_MIN_RIGHT: u32 = 40;

/// No guess at a draw's tipping unit.
pub(crate) const NO_UNIT: u8 = u8::MAX;

/// Units each side of the pivot whose errors predict the crossing's margin.
const AIM_NEIGHBOURS: usize = 4;

/// The padding lanes' margin: below zero (never won), with no votes and no weight.
const PAD_MU: f32 = -1.0;

/// Brackets of at most this many units are walked ([`Scenario::walk_few`]) rather than
/// halved: a few units take less time than a pass over every lane. Two vectors of four.
const WALK_UNITS: u32 = 8;

/// Thresholds of the tipping search, in bands from the predicted crossing, ascending.
const OFFSETS: [f32; STEPS] = [-2.0, -1.0, 0.0, 1.0, 2.0];
const STEPS: usize = 5;

/// The first spacing of those thresholds, in margin; it then follows the draws (it sets
/// the speed, never the result): times `BAND_GROW` after a draw whose crossing lay beyond
/// them, times `BAND_SHRINK` after one whose bracket held several units.
const BAND_START: f32 = 0.02;
const BAND_MIN: f32 = 1e-4;
const BAND_GROW: f32 = 1.5;
const BAND_SHRINK: f32 = 0.9;

/// A comparison's result as integer lanes: -1 where true, 0 where false.
#[inline(always)]
fn mask(compared: f32x4) -> i32x4 {
    bytemuck::cast(compared)
}

/// A padded row of `f32` as SIMD vectors.
fn row_of(lanes: &[f32; LANES]) -> Row {
    std::array::from_fn(|i| {
        f32x4::new([
            lanes[4 * i],
            lanes[4 * i + 1],
            lanes[4 * i + 2],
            lanes[4 * i + 3],
        ])
    })
}

impl Scenario {
    pub fn new(
        inputs: &Inputs,
        votes: &ElectoralVotes,
        weights: Option<&PopularWeights>,
        pins: &Pins,
    ) -> Scenario {
        let mut mu = [PAD_MU; LANES];
        let mut sigma = [0.0; LANES];
        let mut ev = [0u32; LANES];
        for (i, u) in inputs.units().iter().enumerate() {
            mu[i] = u.mu as f32;
            sigma[i] = u.sigma as f32;
            ev[i] = votes.all()[i];
        }
        let weights = weights.map(|w| {
            let mut v = [0.0; LANES];
            for (v, w) in v.iter_mut().zip(w.v) {
                *v = w as f32;
            }
            row_of(&v)
        });
        // Units by `mu`, best Democratic first; the one where the votes reach the majority.
        let mut order: Vec<usize> = (0..UNITS).collect();
        order.sort_by(|&a, &b| mu[b].total_cmp(&mu[a]).then(a.cmp(&b)));
        let mut walked = 0;
        let at = order
            .iter()
            .position(|&s| {
                walked += ev[s];
                walked >= votes.majority()
            })
            .unwrap_or(0);
        let near = &order[at.saturating_sub(AIM_NEIGHBOURS)..(at + AIM_NEIGHBOURS + 1).min(UNITS)];
        let near_votes: u32 = near.iter().map(|&s| ev[s]).sum();
        let mut aim = [0.0f32; LANES];
        if near_votes > 0 {
            for &s in near {
                aim[s] = ev[s] as f32 / near_votes as f32 * sigma[s];
            }
        }
        Scenario {
            mu: row_of(&mu),
            sigma: row_of(&sigma),
            // Vote counts are at most `MAX_TOTAL`, and so are their sums.
            votes: std::array::from_fn(|i| {
                i32x4::new(std::array::from_fn(|j| ev[4 * i + j] as i32))
            }),
            weights,
            unit_votes: ev,
            pins: pins
                .iter()
                .map(|(s, p)| (s.index(), p == Party::Dem))
                .collect(),
            total: votes.total(),
            majority: votes.majority(),
            aim: row_of(&aim),
            aim_mu: order.get(at).map_or(0.0, |&s| mu[s]),
        }
    }

    pub fn total(&self) -> u32 {
        self.total
    }

    /// Adds the draws `rows` to `counts`, with the tipping points if `counts` has them.
    /// `hints[k]` is a guess at draw `k`'s tipping unit ([`NO_UNIT`] for none), such as
    /// the one found for the draw in the scenario before (a nearby date of the same
    /// model), which the search checks first; it is left holding this scenario's tipping
    /// units (draws that the pins leave out keep theirs). Guesses change how fast the tipping units are found, never which.
    pub(crate) fn run(&self, rows: &[Row], counts: &mut Counts, hints: &mut [u8]) {
        if counts.tipping.is_some() {
            self.run_with::<true>(rows, counts, hints)
        } else {
            self.run_with::<false>(rows, counts, hints)
        }
    }

    /// [`Scenario::run`], compiled once with the tipping search and once without (the
    /// thresholds and the search left out, the rest the same operations in the same order).
    #[inline(always)]
    fn run_with<const TIPPING: bool>(&self, rows: &[Row], counts: &mut Counts, hints: &mut [u8]) {
        // Wins per lane: each draw subtracts its comparison's mask, -1 where won.
        let mut wins = [i32x4::ZERO; VECTORS];
        let mut band = BAND_START;
        let mut scratch = [(0.0f32, 0u8); LANES];
        let (total, majority) = (self.total, self.majority);
        let mut draws = 0u64;
        // Guesses checked in this chunk, and right.
        let (mut guessed, mut right) = (0u32, 0u32);
        for (k, w) in rows.iter().enumerate() {
            if !self.pins_hold(w) {
                continue;
            }
            let hint = usize::from(hints.get(k).copied().unwrap_or(NO_UNIT));
            let paying = guessed < GUESS_TRIAL || right >= GUESS_MIN_RIGHT;
            let guess = (TIPPING && paying && hint < UNITS).then(|| {
                // The guessed unit's margin, by the operations that give it in the pass.
                let (i, lane) = (hint / 4, hint % 4);
                (hint, (self.mu[i] + self.sigma[i] * w[i]).to_array()[lane])
            });
            // The predicted crossing: the thresholds of the tipping search sit around it.
            // A guess takes their place with two counts at its margin.
            let p = if TIPPING && guess.is_none() {
                let mut aim = f32x4::ZERO;
                for (a, w) in self.aim.iter().zip(w) {
                    aim += *a * *w;
                }
                self.aim_mu + aim.reduce_add()
            } else {
                0.0
            };
            let thresholds: [f32x4; STEPS] =
                std::array::from_fn(|j| f32x4::splat(p + band * OFFSETS[j]));
            let at_guess = f32x4::splat(guess.map_or(0.0, |(_, x)| x));
            let mut m = [f32x4::ZERO; VECTORS];
            let mut ev = i32x4::ZERO;
            let mut nat = f32x4::ZERO;
            let mut above = [i32x4::ZERO; STEPS];
            let (mut above_guess, mut from_guess) = (i32x4::ZERO, i32x4::ZERO);
            for i in 0..VECTORS {
                let mi = self.mu[i] + self.sigma[i] * w[i];
                m[i] = mi;
                let won = mi.simd_gt(f32x4::ZERO);
                ev += mask(won) & self.votes[i];
                wins[i] -= mask(won);
                if TIPPING {
                    if guess.is_some() {
                        above_guess += mask(mi.simd_gt(at_guess)) & self.votes[i];
                        from_guess += mask(mi.simd_ge(at_guess)) & self.votes[i];
                    } else {
                        for (a, x) in above.iter_mut().zip(&thresholds) {
                            *a += mask(mi.simd_gt(*x)) & self.votes[i];
                        }
                    }
                }
                if let Some(v) = &self.weights {
                    nat += v[i] * mi;
                }
            }
            let ev = ev.reduce_add().unsigned_abs();
            draws += 1;
            if let Some(slot) = counts.ev.get_mut(ev as usize) {
                *slot += 1;
            }
            let dem = ev >= majority;
            if self.weights.is_some() {
                // Lane j holds the units j, j + 4, ...; lanes added in a fixed order.
                let [a, b, c, d] = nat.to_array();
                let nat = (a + b) + (c + d);
                // Added without branches: the sign of `nat` is a coin toss in a close race.
                let (dem_popular, rep_popular) = (nat > 0.0, nat < 0.0);
                counts.popular_dem += u64::from(dem_popular);
                counts.dem_popular_rep_ec += u64::from(dem_popular & !dem);
                counts.rep_popular_dem_ec += u64::from(rep_popular & dem);
            }
            if !TIPPING {
                continue;
            }
            let winner = if dem {
                Winner::Dem
            } else if total - ev >= majority {
                Winner::Rep
            } else {
                if let Some(h) = hints.get_mut(k) {
                    *h = NO_UNIT;
                }
                continue;
            };
            let unit = if let Some((guessed_unit, x)) = guess {
                // `C(x)` and the votes at or above `x`: the guess is the tipping unit if
                // the walk has not reached `theta` before it and has with it, and no other
                // unit with votes has its margin.
                let a = above_guess.reduce_add().unsigned_abs();
                let b = from_guess.reduce_add().unsigned_abs();
                let theta = self.theta(winner);
                guessed += 1;
                if b.checked_sub(a) == Some(self.unit_votes[guessed_unit])
                    && a < theta
                    && theta <= b
                {
                    right += 1;
                    guessed_unit
                } else {
                    self.tipping_walk(&m, winner, (x, a), band, &mut scratch)
                }
            } else {
                let above = above.map(|a| a.reduce_add().unsigned_abs());
                let (unit, search) = self.tipping(&m, winner, p, band, &above, &mut scratch);
                band = match search {
                    Search::Wider => band * BAND_GROW,
                    Search::Narrower => (band * BAND_SHRINK).max(BAND_MIN),
                    Search::Right => band,
                };
                unit
            };
            if let Some(slot) = counts.tipping.as_mut().and_then(|t| t.get_mut(unit)) {
                *slot += 1;
            }
            if let Some(h) = hints.get_mut(k) {
                *h = u8::try_from(unit).unwrap_or(NO_UNIT);
            }
        }
        counts.draws += draws;
        let wins: Vec<i32> = wins.iter().flat_map(|v| v.to_array()).collect();
        for (c, w) in counts.wins.iter_mut().zip(wins) {
            *c += u64::from(w.unsigned_abs());
        }
    }

    /// Every pinned unit goes its pinned way in this draw.
    fn pins_hold(&self, w: &Row) -> bool {
        self.pins.iter().all(|&(s, dem)| {
            let (i, lane) = ((s / 4) % VECTORS, s % 4);
            let m = self.mu[i] + self.sigma[i] * w[i];
            (m.to_array()[lane] > 0.0) == dem
        })
    }

    /// The votes above the crossing's margin that the walk needs: the majority for a
    /// Democratic win, `total - majority + 1` for a Republican one (whose walk counts the
    /// votes at or below the margin).
    fn theta(&self, winner: Winner) -> u32 {
        match winner {
            Winner::Dem => self.majority,
            Winner::Rep => self.total - self.majority + 1,
        }
    }

    /// `C(x)`: the votes of the units whose margin is above `x`.
    #[inline(always)]
    fn votes_above(&self, m: &Row, x: f32) -> u32 {
        let x = f32x4::splat(x);
        let mut sum = i32x4::ZERO;
        for (mi, votes) in m.iter().zip(&self.votes) {
            sum += mask(mi.simd_gt(x)) & *votes;
        }
        sum.reduce_add().unsigned_abs()
    }

    /// The units with `lo < m <= hi`, as bits by unit.
    #[inline(always)]
    fn between(m: &Row, lo: f32, hi: f32) -> u64 {
        let (lo, hi) = (f32x4::splat(lo), f32x4::splat(hi));
        let mut bits = 0u64;
        for (i, mi) in m.iter().enumerate() {
            let inside = mi.simd_gt(lo) & mi.simd_le(hi);
            bits |= u64::from(inside.to_bitmask()) << (4 * i);
        }
        bits
    }

    /// The tipping unit of a draw with margins `m`, and whether the draw needed more than
    /// the thresholds counted with its margins (the band then widens for the next draws).
    ///
    /// The winner's order, walked until its votes reach the majority, is the margins
    /// descending for a Democratic win (ascending for a Republican one), equal margins in
    /// unit order. With `C(x)` the votes of the units above `x`, the walk crosses the
    /// majority between two margins `lo < hi` with `C(hi) < theta <= C(lo)`, where
    /// `theta` is the majority for a Democratic win and `total - majority + 1` for a
    /// Republican one: the tipping unit is among the units with `lo < m <= hi`.
    ///
    /// `above` holds `C` at the thresholds `p + band * OFFSETS[j]` around the predicted
    /// crossing `p`, counted in the same pass as the margins; in most draws two
    /// neighbours bracket the crossing, and the band between them holds few units
    /// ([`Scenario::walk_few`]). Other draws are walked by [`Scenario::tipping_walk`].
    fn tipping(
        &self,
        m: &Row,
        winner: Winner,
        p: f32,
        band: f32,
        above: &[u32; STEPS],
        scratch: &mut [(f32, u8); LANES],
    ) -> (usize, Search) {
        let theta = self.theta(winner);
        // `C` falls as the threshold rises: the thresholds at or below the crossing.
        let below = above.iter().filter(|&&c| c >= theta).count();
        if below == 0 || below == STEPS {
            // The crossing lies beyond the thresholds: the search widens from the nearest.
            let (start, c_start) = if below == 0 {
                (p + band * OFFSETS[0], above[0])
            } else {
                (p + band * OFFSETS[STEPS - 1], above[STEPS - 1])
            };
            return (
                self.tipping_walk(m, winner, (start, c_start), band, scratch),
                Search::Wider,
            );
        }
        let (lo, hi) = (p + band * OFFSETS[below - 1], p + band * OFFSETS[below]);
        let (c_lo, c_hi) = (above[below - 1], above[below]);
        let bits = Self::between(m, lo, hi);
        let units = bits.count_ones();
        if units <= WALK_UNITS {
            let lanes: &[f32] = bytemuck::cast_slice(m);
            let how = if units == 1 {
                Search::Right
            } else {
                Search::Narrower
            };
            return (self.walk_few(lanes, winner, bits, (c_lo, c_hi)), how);
        }
        let bracket = Bracket { lo, hi, c_lo, c_hi };
        (
            self.narrow(m, winner, bracket, bits, scratch),
            Search::Narrower,
        )
    }

    /// The tipping unit in a bracket `(lo, hi]` that holds the crossing (`bits` its
    /// units, `C` of its ends): halved by counting votes while it holds more than
    /// [`WALK_UNITS`] units (a pass over the lanes then costs more than walking them),
    /// then walked.
    fn narrow(
        &self,
        m: &Row,
        winner: Winner,
        bracket: Bracket,
        mut bits: u64,
        scratch: &mut [(f32, u8); LANES],
    ) -> usize {
        let theta = self.theta(winner);
        let Bracket {
            mut lo,
            mut hi,
            mut c_lo,
            mut c_hi,
        } = bracket;
        if lo.is_infinite() || hi.is_infinite() {
            // A bracket from no margin to none: start from the lowest and highest margins.
            let lanes: &[f32] = bytemuck::cast_slice(m);
            let (min, max) = lanes[..UNITS]
                .iter()
                .fold((f32::INFINITY, f32::NEG_INFINITY), |(a, b), &x| {
                    (a.min(x), b.max(x))
                });
            // Just below the lowest: every unit is above it, `C` is the total.
            lo = min - (max - min).max(1.0);
            hi = max;
            c_lo = self.total;
            c_hi = 0;
        }
        for _ in 0..64 {
            if bits.count_ones() <= WALK_UNITS {
                break;
            }
            let mid = 0.5 * (lo + hi);
            if !(mid > lo && mid < hi) {
                // Margins within a float of each other: only the walk tells them apart.
                break;
            }
            let c_mid = self.votes_above(m, mid);
            if c_mid >= theta {
                lo = mid;
                c_lo = c_mid;
            } else {
                hi = mid;
                c_hi = c_mid;
            }
            bits = Self::between(m, lo, hi);
        }
        let lanes: &[f32] = bytemuck::cast_slice(m);
        if bits.count_ones() <= WALK_UNITS {
            return self.walk_few(lanes, winner, bits, (c_lo, c_hi));
        }
        self.walk_band(lanes, winner, bits, (c_lo, c_hi), scratch)
    }

    /// The tipping unit by widening a band from a margin `p` (with `C(p)`) until it
    /// brackets the crossing, then walking it.
    fn tipping_walk(
        &self,
        m: &Row,
        winner: Winner,
        (p, at_p): (f32, u32),
        band: f32,
        scratch: &mut [(f32, u8); LANES],
    ) -> usize {
        let theta = self.theta(winner);
        let (mut lo, mut hi, mut c_lo, mut c_hi) = (p, p, at_p, at_p);
        let mut step = band;
        // Doubling reaches any finite margin within ~150 steps; past that every unit is
        // in the band.
        for _ in 0..160 {
            if at_p >= theta {
                hi = lo + step;
                c_hi = self.votes_above(m, hi);
                if c_hi < theta {
                    break;
                }
                lo = hi;
                c_lo = c_hi;
            } else {
                lo = hi - step;
                c_lo = self.votes_above(m, lo);
                if c_lo >= theta {
                    break;
                }
                hi = lo;
                c_hi = c_lo;
            }
            step *= 2.0;
        }
        if !(c_hi < theta && theta <= c_lo) {
            (lo, hi, c_lo, c_hi) = (f32::NEG_INFINITY, f32::INFINITY, self.total, 0);
        }
        let bits = Self::between(m, lo, hi);
        self.narrow(m, winner, Bracket { lo, hi, c_lo, c_hi }, bits, scratch)
    }

    /// [`Scenario::walk_band`] for a band of at most [`WALK_UNITS`] units, without
    /// branches that depend on the margins: each unit's votes walked before it are the
    /// votes of the band's units that precede it in the winner's order (a smaller key, or
    /// an equal key and a smaller index), and the tipping unit is the one with
    /// `walked + before < majority <= walked + before + votes`. Units sort in fewer steps
    /// than that, but with a mispredicted branch at almost every one.
    #[inline(always)]
    fn walk_few(&self, lanes: &[f32], winner: Winner, bits: u64, ends: (u32, u32)) -> usize {
        // Most brackets hold four units or fewer: one vector, a quarter of the comparisons.
        if bits.count_ones() <= 4 {
            self.walk_few_in::<1>(lanes, winner, bits, ends)
        } else {
            self.walk_few_in::<2>(lanes, winner, bits, ends)
        }
    }

    /// [`Scenario::walk_few`] over `V` vectors of four units (at most `4 * V` units,
    /// lanes numbered `4 * q + j` across the vectors).
    #[inline(always)]
    fn walk_few_in<const V: usize>(
        &self,
        lanes: &[f32],
        winner: Winner,
        bits: u64,
        (c_lo, c_hi): (u32, u32),
    ) -> usize {
        let mut units = [[0usize; 4]; V];
        // Lanes without a unit: a key after every unit's and no votes, never the tipping unit.
        let mut keys = [[f32::INFINITY; 4]; V];
        let mut votes = [[0.0f32; 4]; V];
        let mut rest = bits;
        for q in 0..V {
            for j in 0..4 {
                let present = rest != 0;
                let s = (rest.trailing_zeros() as usize).min(LANES - 1);
                rest &= rest.wrapping_sub(1);
                units[q][j] = s;
                if present {
                    keys[q][j] = lanes.get(s).copied().unwrap_or(0.0) * winner.sign();
                    votes[q][j] = self.unit_votes[s] as f32;
                }
            }
        }
        let key_v: [f32x4; V] = std::array::from_fn(|q| f32x4::new(keys[q]));
        let index: [f32x4; V] = std::array::from_fn(|q| {
            let b = (4 * q) as f32;
            f32x4::new([b, b + 1.0, b + 2.0, b + 3.0])
        });
        let mut before = [f32x4::ZERO; V];
        for r in 0..V {
            for j in 0..4 {
                let k = f32x4::splat(keys[r][j]);
                let v = f32x4::splat(votes[r][j]);
                let at = f32x4::splat((4 * r + j) as f32);
                for q in 0..V {
                    // Unit (r, j) comes before the unit of each lane with a greater key, or
                    // an equal key and a greater index.
                    let first = k.simd_lt(key_v[q]) | (k.simd_eq(key_v[q]) & index[q].simd_gt(at));
                    before[q] += first & v;
                }
            }
        }
        // The votes walked before the band: those above it (Democratic) or below it.
        let walked = match winner {
            Winner::Dem => c_hi,
            Winner::Rep => self.total - c_lo,
        };
        let walked = f32x4::splat(walked as f32);
        let majority = f32x4::splat(self.majority as f32);
        for q in 0..V {
            // Vote counts are exact in single precision, and so are their sums.
            let w = walked + before[q];
            let tips = w.simd_lt(majority) & (w + f32x4::new(votes[q])).simd_ge(majority);
            let lanes = tips.to_bitmask();
            if lanes != 0 {
                return units[q][(lanes.trailing_zeros() as usize) % 4];
            }
        }
        usize::MAX
    }

    /// Walks the units of a band (`bits`, with `C` of its ends) in the winner's order
    /// from the votes before it until the majority.
    fn walk_band(
        &self,
        lanes: &[f32],
        winner: Winner,
        mut bits: u64,
        (c_lo, c_hi): (u32, u32),
        band_units: &mut [(f32, u8); LANES],
    ) -> usize {
        // In the winner's order: insertion into a short list. Units come in index order,
        // so an equal key stays after the earlier unit.
        let mut n = 0;
        while bits != 0 && n < LANES {
            let s = bits.trailing_zeros() as usize % LANES;
            bits &= bits - 1;
            let margin = lanes.get(s).copied().unwrap_or(0.0);
            let key = match winner {
                Winner::Dem => -margin,
                Winner::Rep => margin,
            };
            let mut j = n;
            while j > 0 && band_units[j - 1].0 > key {
                band_units[j] = band_units[j - 1];
                j -= 1;
            }
            band_units[j] = (key, s as u8);
            n += 1;
        }
        // The votes walked before the band: those above it (Democratic) or below it.
        let mut walked = match winner {
            Winner::Dem => c_hi,
            Winner::Rep => self.total - c_lo,
        };
        for &(_, s) in &band_units[..n] {
            let s = usize::from(s);
            walked += self.unit_votes[s % LANES];
            if walked >= self.majority {
                return s;
            }
        }
        // Not reached: the band holds the crossing.
        usize::MAX
    }
}

/// Margins `lo < hi` around the walk's crossing, with `C` (the votes above) at each.
#[derive(Clone, Copy, Debug)]
struct Bracket {
    lo: f32,
    hi: f32,
    c_lo: u32,
    c_hi: u32,
}

/// How the last tipping search went, which steers the band for the next draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Search {
    /// The thresholds did not bracket the crossing: wider bands.
    Wider,
    /// The bracket held several units: narrower bands.
    Narrower,
    /// The bracket held the tipping unit alone.
    Right,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Winner {
    Dem,
    Rep,
}

impl Winner {
    /// The sign that makes the winner's order ascending: the key of a margin is
    /// `sign * margin` (exact; a multiplication rather than a branch on the winner).
    #[inline(always)]
    fn sign(self) -> f32 {
        match self {
            Winner::Dem => -1.0,
            Winner::Rep => 1.0,
        }
    }
}

/// The §5 outputs of one (model, date).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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
    #[cfg_attr(feature = "serde", serde(with = "serde_big_array::BigArray"))]
    pub units: [UnitOutcome; UNITS],
    /// `None` without popular-vote weights.
    pub popular: Option<PopularOutcome>,
    /// `None` unless the year's actual result is known for every unit.
    pub actual: Option<ActualOutcome>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct UnitOutcome {
    /// Share of draws the unit goes Democratic.
    pub win_draws: f64,
    /// Share of draws the unit is the tipping point; `None` where the run left the
    /// tipping points out ([`Counts::without_tipping`]).
    pub tipping_point: Option<f64>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PopularOutcome {
    pub popular_dem_win: f64,
    pub dem_popular_rep_ec: f64,
    pub rep_popular_dem_ec: f64,
}

#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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
            u.tipping_point = counts
                .tipping
                .as_ref()
                .map(|t| share(t.get(i).copied().unwrap_or(0)));
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

    /// Whether the tipping points were found ([`UnitOutcome::tipping_point`]).
    pub fn has_tipping(&self) -> bool {
        self.units.iter().all(|u| u.tipping_point.is_some())
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::electoral::correlation::Correlation;
    use crate::electoral::draws::{Draws, CHUNK};
    use crate::electoral::inputs::{Source, UnitInput};

    /// Units around an even race, some sure; with `twins`, OH and PA have the same inputs
    /// (equal margins where every unit shares one national draw).
    fn inputs(shift: f64, twins: bool) -> Inputs {
        let mut units: [UnitInput; UNITS] = std::array::from_fn(|s| UnitInput {
            mu: 0.25 * libm::sin(s as f64) + shift,
            sigma: 0.03 + 0.01 * (s % 5) as f64,
            source: Source::Model,
        });
        if twins {
            let (oh, pa) = (
                State::parse("OH").expect("OH").index(),
                State::parse("PA").expect("PA").index(),
            );
            units[oh].mu = 0.001;
            units[oh].sigma = 0.04;
            units[pa] = units[oh];
        }
        Inputs::from_units(units).expect("inputs")
    }

    /// Each draw's tipping unit and the unit after it in the winner's order ([`NO_UNIT`]
    /// for a tie), by a full sort of its margins, equal margins in unit order, computed in
    /// single precision as the kernel does.
    fn sorted(inputs: &Inputs, draws: &Draws, votes: &ElectoralVotes) -> Vec<(u8, u8)> {
        let (total, majority) = (votes.total(), votes.majority());
        (0..draws.sims())
            .map(|k| {
                let w = draws.row(k).expect("row");
                let m: Vec<f32> = inputs
                    .units()
                    .iter()
                    .zip(w)
                    .map(|(u, w)| u.mu as f32 + u.sigma as f32 * w)
                    .collect();
                let ev: u32 = (0..UNITS)
                    .filter(|&s| m[s] > 0.0)
                    .map(|s| votes.all()[s])
                    .sum();
                let dem = ev >= majority;
                if !dem && total - ev < majority {
                    return (NO_UNIT, NO_UNIT);
                }
                let mut order: Vec<usize> = (0..UNITS).collect();
                order.sort_by(|&a, &b| {
                    let (ka, kb) = if dem { (m[b], m[a]) } else { (m[a], m[b]) };
                    ka.total_cmp(&kb).then(a.cmp(&b))
                });
                let mut walked = 0;
                let at = order.iter().position(|&s| {
                    walked += votes.all()[s];
                    walked >= majority
                });
                let unit =
                    |i: Option<usize>| i.and_then(|i| order.get(i)).map_or(NO_UNIT, |&s| s as u8);
                (unit(at), unit(at.map(|i| i + 1)))
            })
            .collect()
    }

    #[test]
    fn guesses_change_no_tipping_unit() {
        let votes = ElectoralVotes::builtin(2016).expect("2016 table");
        for (national, twins) in [(0.5, false), (1.0, true), (0.3, true)] {
            let draws = Draws::generate(CHUNK, national, &Correlation::none(), 7);
            let rows = draws.chunk(0);
            for shift in [-0.02, 0.0, 0.015] {
                let inputs = inputs(shift, twins);
                let scenario = Scenario::new(&inputs, &votes, None, &Pins::new());
                let (expected, after): (Vec<u8>, Vec<u8>) =
                    sorted(&inputs, &draws, &votes).into_iter().unzip();
                let mut tally = vec![0u64; UNITS];
                for &unit in &expected {
                    if let Some(t) = tally.get_mut(usize::from(unit)) {
                        *t += 1;
                    }
                }
                // Right guesses, none, each a unit off (wrong throughout, so the chunk
                // goes on without them), and a mix with values that name no unit; then the
                // unit after the tipping unit (whose walk may reach the majority exactly
                // before it).
                let guesses: [Vec<u8>; 5] = [
                    expected.clone(),
                    vec![NO_UNIT; rows.len()],
                    expected
                        .iter()
                        .map(|&u| u.wrapping_add(1) % UNITS as u8)
                        .collect(),
                    (0..rows.len())
                        .map(|k| match k % 4 {
                            0 => expected[k],
                            1 => (k % 256) as u8,
                            2 => (k % 51) as u8,
                            _ => NO_UNIT,
                        })
                        .collect(),
                    after,
                ];
                for (g, mut hints) in guesses.into_iter().enumerate() {
                    let mut counts = Counts::new(votes.total());
                    scenario.run(rows, &mut counts, &mut hints);
                    let case = format!("national {national}, shift {shift}, guesses {g}");
                    assert_eq!(counts.tipping.as_deref(), Some(&tally[..]), "{case}");
                    assert_eq!(hints, expected, "{case}: the hints left");
                }
            }
        }
    }
}
