//! The built-in data set, embedded in the binary: FiveThirtyEight's 2016 state polls
//! and state results 1976–2020. `scripts/make_builtin_data.py` regenerates both files.
//!
//! The page uses them already read. `data/polls_2016.postcard` is the [`PollSet`] that
//! [`crate::load_polls`] makes of `polls_2016.csv` (report included), in postcard's
//! encoding, and `data/results.postcard` the [`ResultSet`] of `results.csv`. Decoding
//! takes a sixth of the read natively, and far less in a page that has just started,
//! where the reader's code runs for the first time on two busy cores. Tests check that
//! the files are what the loaders make of the CSVs today.

#[cfg(feature = "serde")]
use std::fmt;

#[cfg(feature = "serde")]
use crate::{PollSet, ResultSet};

pub const POLLS_2016: &[u8] = include_bytes!("../data/polls_2016.csv");
pub const RESULTS: &[u8] = include_bytes!("../data/results.csv");

/// The encoded built-in polls' file name, next to `polls_2016.csv`.
pub const POLLS_2016_ENCODED_FILE: &str = "polls_2016.postcard";

/// The encoded built-in results' file name, next to `results.csv`.
pub const RESULTS_ENCODED_FILE: &str = "results.postcard";

/// The built-in results as [`crate::load_results`] reads them, encoded (18 kB): the page
/// carries these rather than the CSV (14 kB), whose read was the CSV reader's first call
/// in a page that has just started.
#[cfg(feature = "serde")]
pub const RESULTS_ENCODED: &[u8] = include_bytes!("../data/results.postcard");

/// Which built-in data an encoded file holds.
#[cfg(feature = "serde")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Encoded {
    Polls,
    Results,
}

#[cfg(feature = "serde")]
impl fmt::Display for Encoded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Encoded::Polls => "polls",
            Encoded::Results => "results",
        })
    }
}

/// The built-in polls as [`crate::load_polls`] reads them, encoded for
/// [`decode_polls`].
#[cfg(feature = "serde")]
pub fn encode_polls(polls: &PollSet) -> Result<Vec<u8>, EncodedDataError> {
    encode(polls, Encoded::Polls)
}

/// The polls of a file written by [`encode_polls`].
#[cfg(feature = "serde")]
pub fn decode_polls(bytes: &[u8]) -> Result<PollSet, EncodedDataError> {
    decode(bytes, Encoded::Polls)
}

/// The built-in results as [`crate::load_results`] reads them, encoded for
/// [`decode_results`].
#[cfg(feature = "serde")]
pub fn encode_results(results: &ResultSet) -> Result<Vec<u8>, EncodedDataError> {
    encode(results, Encoded::Results)
}

/// The results of bytes written by [`encode_results`], such as [`RESULTS_ENCODED`].
#[cfg(feature = "serde")]
pub fn decode_results(bytes: &[u8]) -> Result<ResultSet, EncodedDataError> {
    decode(bytes, Encoded::Results)
}

#[cfg(feature = "serde")]
fn encode<T: serde::Serialize>(value: &T, what: Encoded) -> Result<Vec<u8>, EncodedDataError> {
    postcard::to_allocvec(value).map_err(|e| EncodedDataError::Encode(what, e.to_string()))
}

#[cfg(feature = "serde")]
fn decode<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
    what: Encoded,
) -> Result<T, EncodedDataError> {
    postcard::from_bytes(bytes).map_err(|e| EncodedDataError::Decode(what, e.to_string()))
}

/// Data that could not be encoded, or encoded data that does not decode (a damaged file,
/// or one of another version). Each holds postcard's message: the page hands errors
/// between threads as values.
#[cfg(feature = "serde")]
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum EncodedDataError {
    Encode(Encoded, String),
    Decode(Encoded, String),
}

#[cfg(feature = "serde")]
impl fmt::Display for EncodedDataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EncodedDataError::Encode(what, why) => {
                write!(f, "the {what} could not be encoded ({why})")
            }
            EncodedDataError::Decode(what, why) => write!(
                f,
                "the encoded {what} do not decode: the file is damaged or of another version ({why})"
            ),
        }
    }
}

#[cfg(feature = "serde")]
impl std::error::Error for EncodedDataError {}
