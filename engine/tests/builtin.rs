//! The built-in data: the results are the MIT Election Lab file's vote counts.

mod common;

use forecast_engine::{builtin, load_results, State};

/// `engine/data/results.csv` (made by `scripts/make_builtin_data.py` from the MIT file)
/// gives the same vote counts, and so the same margins, as the MIT file read by the
/// engine's own MIT loader, for every state and year 1976-2020.
#[test]
fn builtin_results_are_the_mit_vote_counts() {
    let builtin = load_results(builtin::RESULTS).expect("built-in results");
    let (_, mit) = common::reference_inputs();
    let years: Vec<i32> = (1976..=2020).step_by(4).collect();
    assert_eq!(builtin.years(), years);
    assert_eq!(mit.years(), years);
    for &year in &years {
        for state in State::all() {
            let votes = builtin.votes(year, state).expect("counts");
            assert_eq!(Some(votes), mit.votes(year, state), "{state} {year}");
            assert_eq!(
                builtin.margin(year, state),
                mit.margin(year, state),
                "{state} {year}"
            );
            let (dem, rep) = votes;
            assert!(dem > 100.0 && rep > 100.0, "{state} {year}: {votes:?}");
        }
    }
    assert!(builtin.report.skipped.is_empty(), "{}", builtin.report);
    // Florida 2016: Trump won by about 1.2 points of the two-party vote.
    let fl = State::parse("FL").expect("FL");
    let margin = builtin.margin(2016, fl).expect("FL 2016");
    assert!((-0.013..-0.011).contains(&margin), "{margin}");
}
