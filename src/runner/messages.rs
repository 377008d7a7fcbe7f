//! What the page and the single-thread worker say to each other: Rust values through
//! serde-wasm-bindgen, so that a value arrives as the same bytes it left as.

use std::sync::Arc;

use forecast_engine::electoral::{Electoral, Inputs, Pinned, Pins};
use forecast_engine::{Plan, RunOutput};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

use crate::jobs::Loaded;
use crate::state::data::{DataError, FileKind};

/// From the page; the worker answers each with one final [`Reply`], in order.
#[derive(Serialize, Deserialize)]
pub enum Request {
    Load {
        file: String,
        /// A `Uint8Array` in JavaScript, not an array of numbers.
        #[serde(with = "serde_bytes")]
        bytes: Vec<u8>,
        kind: FileKind,
    },
    Run {
        plan: Arc<Plan>,
    },
    Pinned {
        electoral: Arc<Electoral>,
        inputs: Box<Inputs>,
        pins: Pins,
    },
}

/// From the worker.
#[derive(Serialize, Deserialize)]
pub enum Reply {
    /// The worker listens; sent once, first.
    Ready,
    /// Units of the running run done so far.
    Progress {
        done: usize,
    },
    Loaded(Result<Loaded, DataError>),
    /// `ended_at` on the shared clock (`runner::clock_ms`).
    Finished {
        output: RunOutput,
        ms: f64,
        ended_at: f64,
    },
    Pinned(Pinned),
    /// A request the worker could not read, or an answer it could not write.
    Garbled(String),
}

/// `value` as a JavaScript value: maps as `Map`s (keys need not be strings), 64-bit
/// integers as `BigInt`s where a number would lose digits (seeds).
pub fn to_js<T: Serialize>(value: &T) -> Result<JsValue, serde_wasm_bindgen::Error> {
    value.serialize(
        &serde_wasm_bindgen::Serializer::new().serialize_large_number_types_as_bigints(true),
    )
}

pub fn from_js<T: DeserializeOwned>(value: JsValue) -> Result<T, serde_wasm_bindgen::Error> {
    serde_wasm_bindgen::from_value(value)
}
