//! Fields that hold one of the engine's own texts as `&'static str`: written as text and
//! read back as the engine's text they equal, since a value read back cannot borrow its
//! text from the input for `'static`, and leaking one per value read would grow memory.

use serde::de::{Deserialize, Deserializer, Error, Unexpected};

/// The text of `known` that the input holds.
pub(crate) fn one_of<'de, D: Deserializer<'de>>(
    deserializer: D,
    known: &[&'static str],
) -> Result<&'static str, D::Error> {
    let text = String::deserialize(deserializer)?;
    find(&text, known)
}

/// A sequence of texts of `known`.
pub(crate) fn all_of<'de, D: Deserializer<'de>>(
    deserializer: D,
    known: &[&'static str],
) -> Result<Vec<&'static str>, D::Error> {
    Vec::<String>::deserialize(deserializer)?
        .iter()
        .map(|text| find(text, known))
        .collect()
}

fn find<E: Error>(text: &str, known: &[&'static str]) -> Result<&'static str, E> {
    known
        .iter()
        .copied()
        .find(|k| *k == text)
        .ok_or_else(|| E::invalid_value(Unexpected::Str(text), &"one of the engine's own texts"))
}
