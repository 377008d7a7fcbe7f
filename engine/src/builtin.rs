//! The built-in data set, embedded in the binary: FiveThirtyEight's 2016 state polls
//! and state results 1976–2016. `scripts/make_builtin_data.py` regenerates both files.
//!
//! The page fetches the polls already read: `data/polls_2016.postcard` is the [`PollSet`]
//! that [`crate::load_polls`] makes of `polls_2016.csv` (report included), in postcard's
//! encoding. Decoding it takes a sixth of the read natively, and far less in a page that
//! has just started, where the reader's code runs for the first time on two busy cores.
//! A test checks that the file is what the loader makes of the CSV today.

#[cfg(feature = "serde")]
use std::fmt;

#[cfg(feature = "serde")]
use crate::PollSet;

pub const POLLS_2016: &[u8] = include_bytes!("../data/polls_2016.csv");
pub const RESULTS: &[u8] = include_bytes!("../data/results.csv");

/// The encoded built-in polls' file name, next to `polls_2016.csv`.
pub const POLLS_2016_ENCODED_FILE: &str = "polls_2016.postcard";

/// The built-in polls as [`crate::load_polls`] reads them, encoded for
/// [`decode_polls`].
#[cfg(feature = "serde")]
pub fn encode_polls(polls: &PollSet) -> Result<Vec<u8>, EncodedPollsError> {
    postcard::to_allocvec(polls).map_err(|e| EncodedPollsError::Encode(e.to_string()))
}

/// The polls of a file written by [`encode_polls`].
#[cfg(feature = "serde")]
pub fn decode_polls(bytes: &[u8]) -> Result<PollSet, EncodedPollsError> {
    postcard::from_bytes(bytes).map_err(|e| EncodedPollsError::Decode(e.to_string()))
}

/// Polls that could not be encoded, or encoded polls that do not decode (a damaged file,
/// or one of another version). Each holds postcard's message: the page hands errors
/// between threads as values.
#[cfg(feature = "serde")]
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum EncodedPollsError {
    Encode(String),
    Decode(String),
}

#[cfg(feature = "serde")]
impl fmt::Display for EncodedPollsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EncodedPollsError::Encode(why) => write!(f, "the polls could not be encoded ({why})"),
            EncodedPollsError::Decode(why) => write!(
                f,
                "the encoded polls do not decode: the file is damaged or of another version ({why})"
            ),
        }
    }
}

#[cfg(feature = "serde")]
impl std::error::Error for EncodedPollsError {}
