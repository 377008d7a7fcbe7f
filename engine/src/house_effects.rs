//! Pollster house effects for hierarchical Bayes (MODELS.md §7), estimated once per
//! forecast date from the state polls of every state known by then.
//!
//! Each poll's comparison polls are a window of its state's polls in time, less its own
//! pollster's: window sums come from prefix sums over the state's polls and over each
//! pollster's polls in it, so that a date costs `n log n`, not the `n²` of summing each
//! window (100,000 polls of one state on one day are 10¹⁰ comparisons).

use crate::dates::Day;
use crate::polls::Poll;

/// Effects by pollster index; 0 for a pollster without one.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HouseEffects(Vec<f64>);

/// Polls between two looks at the cancel flag: a fraction of a millisecond of work.
const CANCEL_CHECK_EVERY: usize = 4096;

impl HouseEffects {
    pub fn effect(&self, pollster: u32) -> f64 {
        self.0.get(pollster as usize).copied().unwrap_or(0.0)
    }

    /// Estimates effects from `polls` (all state polls, time order) with `mid <= date`.
    /// `None` when `cancelled` says so, which it is asked every few thousand polls.
    pub fn estimate(
        polls: &[Poll],
        date: Day,
        pollster_count: usize,
        cancelled: &dyn Fn() -> bool,
    ) -> Option<HouseEffects> {
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
        let mut steps = 0usize;
        for neighbours in &by_state {
            let window = StateWindows::new(neighbours);
            let (mut from, mut to) = (0, 0);
            for poll in neighbours {
                steps += 1;
                if steps.is_multiple_of(CANCEL_CHECK_EVERY) && cancelled() {
                    return None;
                }
                // floor(mid_q - mid_p) in [-7, 7] means mid_q - mid_p in [-7, 8); the
                // polls are in time order, so both ends only move forward.
                while neighbours[from].mid - poll.mid < -7.0 {
                    from += 1;
                }
                while to < neighbours.len() && neighbours[to].mid - poll.mid < 8.0 {
                    to += 1;
                }
                let k = poll.pollster as usize;
                if counts.get(k).copied().unwrap_or(0) < 2 {
                    continue;
                }
                let (sum, n) = window.others(from, to, poll.pollster);
                if n > 0 {
                    let entry = &mut residual_sums[k];
                    entry.0 += poll.margin - sum / n as f64;
                    entry.1 += 1;
                }
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
        Some(HouseEffects(effects))
    }
}

/// Sums of margins over ranges of one state's polls (time order): of all of them, and of
/// one pollster's.
struct StateWindows {
    /// `prefix[i]`: the margins of polls `0..i`.
    prefix: Vec<f64>,
    /// Per pollster present, its polls' positions and the prefix sums of their margins
    /// (`sums[j]`: its first `j` polls), sorted by pollster.
    by_pollster: Vec<(u32, Vec<usize>, Vec<f64>)>,
}

impl StateWindows {
    fn new(polls: &[&Poll]) -> StateWindows {
        let mut prefix = Vec::with_capacity(polls.len() + 1);
        prefix.push(0.0);
        let mut order: Vec<usize> = (0..polls.len()).collect();
        // Stable: each pollster's polls stay in time order.
        order.sort_by_key(|&i| polls[i].pollster);
        let mut by_pollster: Vec<(u32, Vec<usize>, Vec<f64>)> = Vec::new();
        for i in order {
            let pollster = polls[i].pollster;
            if by_pollster.last().is_none_or(|(p, _, _)| *p != pollster) {
                by_pollster.push((pollster, Vec::new(), vec![0.0]));
            }
            if let Some((_, positions, sums)) = by_pollster.last_mut() {
                positions.push(i);
                sums.push(sums.last().copied().unwrap_or(0.0) + polls[i].margin);
            }
        }
        for poll in polls {
            prefix.push(prefix.last().copied().unwrap_or(0.0) + poll.margin);
        }
        StateWindows {
            prefix,
            by_pollster,
        }
    }

    /// The sum and count of the margins of polls `from..to` not by `pollster`.
    fn others(&self, from: usize, to: usize, pollster: u32) -> (f64, usize) {
        let (mut sum, mut n) = (self.prefix[to] - self.prefix[from], to - from);
        let own = self
            .by_pollster
            .binary_search_by_key(&pollster, |(p, _, _)| *p);
        if let Ok(own) = own {
            let (_, positions, sums) = &self.by_pollster[own];
            let (a, b) = (
                positions.partition_point(|&i| i < from),
                positions.partition_point(|&i| i < to),
            );
            sum -= sums[b] - sums[a];
            n -= b - a;
        }
        (sum, n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::polls::load_polls;

    /// The definition of MODELS.md §7, comparison by comparison.
    fn by_definition(polls: &[Poll], date: Day, pollster_count: usize) -> Vec<f64> {
        let known: Vec<&Poll> = polls.iter().filter(|p| p.mid <= date).collect();
        (0..pollster_count as u32)
            .map(|k| {
                let own: Vec<&&Poll> = known.iter().filter(|p| p.pollster == k).collect();
                let residuals: Vec<f64> = own
                    .iter()
                    .filter_map(|p| {
                        let others: Vec<f64> = known
                            .iter()
                            .filter(|q| q.state == p.state && q.pollster != k)
                            .filter(|q| (q.mid - p.mid).floor().abs() <= 7.0)
                            .map(|q| q.margin)
                            .collect();
                        (!others.is_empty())
                            .then(|| p.margin - others.iter().sum::<f64>() / others.len() as f64)
                    })
                    .collect();
                let n = own.len() as f64;
                if own.len() < 2 || residuals.is_empty() {
                    0.0
                } else {
                    n / (n + 10.0) * residuals.iter().sum::<f64>() / residuals.len() as f64
                }
            })
            .collect()
    }

    #[test]
    fn windows_match_the_definition() {
        let mut csv = String::from("state,start_date,end_date,pollster,sample_size,dem,rep\n");
        // Half days and ties, several pollsters and states, windows of every size.
        for i in 0..300u32 {
            let state = ["OH", "FL", "IA"][(i % 3) as usize];
            let day = 1 + (i * 7) % 50;
            let length = i % 4;
            let (start, end) = (day, day + length);
            let date = |d: u32| format!("2016-{:02}-{:02}", 8 + (d - 1) / 31, 1 + (d - 1) % 31);
            let pollster = ["A", "B", "C", "D", "E"][(i * i % 5) as usize];
            let dem = 40 + (i * 13) % 17;
            let rep = 38 + (i * 11) % 19;
            csv += &format!(
                "{state},{},{},{pollster},{},{dem},{rep}\n",
                date(start),
                date(end),
                400 + i
            );
        }
        let set = load_polls(csv.as_bytes()).expect("loads");
        for date in [set.polls[40].mid, set.polls[150].mid + 0.5, 1e9] {
            let ours = HouseEffects::estimate(&set.polls, date, set.pollsters.len(), &|| false)
                .expect("not cancelled");
            let expected = by_definition(&set.polls, date, set.pollsters.len());
            assert!(expected.iter().any(|e| *e != 0.0));
            for (k, e) in expected.iter().enumerate() {
                assert!(
                    (ours.effect(k as u32) - e).abs() < 1e-12,
                    "{k}: {ours:?} {expected:?}"
                );
            }
        }
    }

    #[test]
    fn cancel_stops_the_estimate() {
        let mut csv = String::from("state,date,pollster,sample_size,dem,rep\n");
        for i in 0..20_000 {
            csv += &format!("OH,2016-10-01,P{},{},45,47\n", i % 7, 400 + i);
        }
        let set = load_polls(csv.as_bytes()).expect("loads");
        let asked = std::cell::Cell::new(0);
        let cancelled = || {
            asked.set(asked.get() + 1);
            asked.get() >= 2
        };
        let effects = HouseEffects::estimate(&set.polls, 1e9, set.pollsters.len(), &cancelled);
        assert_eq!(effects, None);
        assert_eq!(asked.get(), 2, "stopped at the second look, of four");
    }
}
