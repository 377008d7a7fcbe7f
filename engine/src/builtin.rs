//! The built-in data set, embedded in the binary: FiveThirtyEight's 2016 state polls
//! and state results 1976–2016. `scripts/make_builtin_data.py` regenerates both files.

pub const POLLS_2016: &[u8] = include_bytes!("../data/polls_2016.csv");
pub const RESULTS: &[u8] = include_bytes!("../data/results.csv");
