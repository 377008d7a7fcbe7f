//! Pollster house effects for hierarchical Bayes (MODELS.md §7), estimated once per
//! forecast date from the state polls of every state known by then.

use crate::dates::Day;
use crate::polls::Poll;

/// Effects by pollster index; 0 for a pollster without one.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HouseEffects(Vec<f64>);

impl HouseEffects {
    pub fn effect(&self, pollster: u32) -> f64 {
        self.0.get(pollster as usize).copied().unwrap_or(0.0)
    }

    /// Estimates effects from `polls` (all state polls, time order) with `mid <= date`.
    pub fn estimate(polls: &[Poll], date: Day, pollster_count: usize) -> HouseEffects {
        let known = &polls[..polls.partition_point(|p| p.mid <= date)];
        let mut counts = vec![0usize; pollster_count];
        for poll in known {
            if let Some(c) = counts.get_mut(poll.pollster as usize) {
                *c += 1;
            }
        }
        // Each state's polls in time order, for the ±7-day comparisons.
        let mut by_state: Vec<Vec<&Poll>> = vec![Vec::new(); crate::states::STATES.len()];
        for poll in known {
            by_state[poll.state.index()].push(poll);
        }
        let mut residual_sums = vec![(0.0f64, 0usize); pollster_count];
        for poll in known {
            let k = poll.pollster as usize;
            if counts.get(k).copied().unwrap_or(0) < 2 {
                continue;
            }
            let neighbours = &by_state[poll.state.index()];
            // floor(mid_q - mid_p) in [-7, 7] means mid_q - mid_p in [-7, 8).
            let from = neighbours.partition_point(|q| q.mid - poll.mid < -7.0);
            let (sum, n) = neighbours[from..]
                .iter()
                .take_while(|q| q.mid - poll.mid < 8.0)
                .filter(|q| q.pollster != poll.pollster)
                .fold((0.0, 0usize), |(s, n), q| (s + q.margin, n + 1));
            if n > 0 {
                let entry = &mut residual_sums[k];
                entry.0 += poll.margin - sum / n as f64;
                entry.1 += 1;
            }
        }
        let effects = residual_sums
            .iter()
            .zip(&counts)
            .map(|(&(sum, n_residuals), &n_k)| {
                if n_k >= 2 && n_residuals > 0 {
                    n_k as f64 / (n_k as f64 + 10.0) * (sum / n_residuals as f64)
                } else {
                    0.0
                }
            })
            .collect();
        HouseEffects(effects)
    }
}
