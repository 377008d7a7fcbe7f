//! Shared by the integration tests: the reference inputs and predictions of
//! `tests/data/reference` (see its README).
#![allow(dead_code)]

use std::path::PathBuf;

use forecast_engine::{load_polls, load_results, PollSet, ResultSet};

/// The project's copy of the original program's reference predictions and inputs.
pub fn reference_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/reference")
}

pub fn reference_inputs() -> (PollSet, ResultSet) {
    let dir = reference_dir().join("inputs");
    let polls = std::fs::read(dir.join("fivethirtyeight_2016_polls_timeseries.csv"))
        .expect("reference polls");
    let results =
        std::fs::read(dir.join("mit_president_state_1976_2020.csv")).expect("reference results");
    (
        load_polls(&polls).expect("polls load"),
        load_results(&results).expect("results load"),
    )
}
