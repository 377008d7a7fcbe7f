//! What-if: the §5 outputs over the draws in which every pinned unit goes its pinned way
//! (ELECTORAL.md §6).
//!
//! ```text
//! kept draws = { k : margin[k,s] > 0 for every unit pinned Democratic,
//!                    margin[k,s] <= 0 for every unit pinned Republican }
//! ```
//!
//! The run keeps `w` and each (model, date)'s `mu`, `sigma`; a what-if simulates that one
//! (model, date) again under the filter, chunks in parallel on the current rayon pool.

use rayon::prelude::*;

use super::inputs::Inputs;
use super::simulate::{Outcome, Pins};
use super::{Electoral, ElectoralSettings};

/// The outcome of a what-if.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Pinned {
    /// The outputs over the matching draws ([`Outcome::draws`] of them).
    Outcome(Box<Outcome>),
    /// Fewer than [`ElectoralSettings::MIN_PINNED_DRAWS`] draws match: no numbers.
    TooFew { matching: u64, needed: u64 },
}

impl Pinned {
    /// Draws in which every pin holds.
    pub fn matching(&self) -> u64 {
        match self {
            Pinned::Outcome(o) => o.draws,
            Pinned::TooFew { matching, .. } => *matching,
        }
    }
}

pub(super) fn simulate(electoral: &Electoral, inputs: &Inputs, pins: &Pins) -> Pinned {
    let scenario = electoral.scenario(inputs, pins);
    let counts = (0..electoral.chunk_count())
        .into_par_iter()
        .map(|chunk| {
            let mut counts = [electoral.counts()];
            electoral.simulate_chunk(chunk, std::slice::from_ref(&scenario), &mut counts);
            let [counts] = counts;
            counts
        })
        .reduce(
            || electoral.counts(),
            |mut a, b| {
                a.merge(&b);
                a
            },
        );
    let needed = ElectoralSettings::MIN_PINNED_DRAWS;
    if counts.draws < needed {
        return Pinned::TooFew {
            matching: counts.draws,
            needed,
        };
    }
    match electoral.outcome(&counts) {
        Some(outcome) => Pinned::Outcome(Box::new(outcome)),
        None => Pinned::TooFew {
            matching: 0,
            needed,
        },
    }
}
