//! The 50 states and DC: two-letter codes and names.

/// Index into [`STATES`], alphabetical by code, so sorting by `State` sorts by code.
/// Serialized as that index; one out of range does not deserialize.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize), serde(transparent))]
pub struct State(u8);

/// By hand, so that no index past [`STATES`] makes a `State`.
#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for State {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<State, D::Error> {
        let index = u8::deserialize(deserializer)?;
        State::from_index(usize::from(index)).ok_or_else(|| {
            serde::de::Error::invalid_value(
                serde::de::Unexpected::Unsigned(index.into()),
                &"a state index below 51",
            )
        })
    }
}

/// (code, name), sorted by code.
pub const STATES: [(&str, &str); 51] = [
    ("AK", "Alaska"),
    ("AL", "Alabama"),
    ("AR", "Arkansas"),
    ("AZ", "Arizona"),
    ("CA", "California"),
    ("CO", "Colorado"),
    ("CT", "Connecticut"),
    ("DC", "District of Columbia"),
    ("DE", "Delaware"),
    ("FL", "Florida"),
    ("GA", "Georgia"),
    ("HI", "Hawaii"),
    ("IA", "Iowa"),
    ("ID", "Idaho"),
    ("IL", "Illinois"),
    ("IN", "Indiana"),
    ("KS", "Kansas"),
    ("KY", "Kentucky"),
    ("LA", "Louisiana"),
    ("MA", "Massachusetts"),
    ("MD", "Maryland"),
    ("ME", "Maine"),
    ("MI", "Michigan"),
    ("MN", "Minnesota"),
    ("MO", "Missouri"),
    ("MS", "Mississippi"),
    ("MT", "Montana"),
    ("NC", "North Carolina"),
    ("ND", "North Dakota"),
    ("NE", "Nebraska"),
    ("NH", "New Hampshire"),
    ("NJ", "New Jersey"),
    ("NM", "New Mexico"),
    ("NV", "Nevada"),
    ("NY", "New York"),
    ("OH", "Ohio"),
    ("OK", "Oklahoma"),
    ("OR", "Oregon"),
    ("PA", "Pennsylvania"),
    ("RI", "Rhode Island"),
    ("SC", "South Carolina"),
    ("SD", "South Dakota"),
    ("TN", "Tennessee"),
    ("TX", "Texas"),
    ("UT", "Utah"),
    ("VA", "Virginia"),
    ("VT", "Vermont"),
    ("WA", "Washington"),
    ("WI", "Wisconsin"),
    ("WV", "West Virginia"),
    ("WY", "Wyoming"),
];

impl State {
    pub fn all() -> impl Iterator<Item = State> {
        (0..STATES.len() as u8).map(State)
    }

    pub fn index(self) -> usize {
        self.0 as usize
    }

    pub fn from_index(i: usize) -> Option<State> {
        (i < STATES.len()).then_some(State(i as u8))
    }

    pub fn code(self) -> &'static str {
        STATES[self.index()].0
    }

    pub fn name(self) -> &'static str {
        STATES[self.index()].1
    }

    /// A state from its two-letter code or full name, case-insensitive.
    /// "U.S.", congressional districts ("Maine CD-2") and anything else give `None`.
    pub fn parse(text: &str) -> Option<State> {
        let text = text.trim();
        if text.len() == 2 {
            if let Some(i) = STATES
                .iter()
                .position(|(code, _)| code.eq_ignore_ascii_case(text))
            {
                return State::from_index(i);
            }
        }
        if text.eq_ignore_ascii_case("Washington DC")
            || text.eq_ignore_ascii_case("Washington, D.C.")
        {
            return State::from_index(7);
        }
        STATES
            .iter()
            .position(|(_, name)| name.eq_ignore_ascii_case(text))
            .and_then(State::from_index)
    }
}

impl std::fmt::Display for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_sorted_and_parse_both_ways() {
        assert!(STATES.windows(2).all(|w| w[0].0 < w[1].0));
        for s in State::all() {
            assert_eq!(State::parse(s.code()), Some(s));
            assert_eq!(State::parse(&s.name().to_uppercase()), Some(s));
        }
        assert_eq!(State::parse("U.S."), None);
        assert_eq!(State::parse("Maine CD-2"), None);
        assert_eq!(State::parse("dc"), State::parse("District of Columbia"));
    }
}
