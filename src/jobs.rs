//! What the engine does for the page beyond a run, written once for the rayon pool and
//! the single-thread worker.

use forecast_engine::{load_polls, load_results, PollSet, ResultSet};

use crate::state::data::{DataError, FileKind};

/// A file read as polls or as results.
#[cfg_attr(
    not(target_feature = "atomics"),
    derive(serde::Serialize, serde::Deserialize)
)]
pub enum Loaded {
    Polls(PollSet),
    Results(ResultSet),
}

/// Reads `bytes`, the contents of `file`, as `kind`.
pub fn load(file: String, bytes: &[u8], kind: FileKind) -> Result<Loaded, DataError> {
    let not_loaded = |error| DataError::NotLoaded {
        file: file.clone(),
        error,
    };
    match kind {
        FileKind::Polls => load_polls(bytes).map(Loaded::Polls).map_err(not_loaded),
        FileKind::Results => load_results(bytes).map(Loaded::Results).map_err(not_loaded),
        // A results file (state,year,dem,rep) reads as plain polls missing their dates, so
        // any polls error sends it to the results loader.
        FileKind::Either => match load_polls(bytes) {
            Ok(polls) => Ok(Loaded::Polls(polls)),
            Err(polls) => match load_results(bytes) {
                Ok(results) => Ok(Loaded::Results(results)),
                Err(results) => Err(DataError::Neither {
                    file,
                    polls,
                    results,
                }),
            },
        },
    }
}
