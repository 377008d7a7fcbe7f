//! The tile map: one square per state and DC in its usual place, on an 11 × 8 grid.

use forecast_engine::State;

pub const COLUMNS: u8 = 11;
pub const ROWS: u8 = 8;

/// (code, column, row), from the top left.
const LAYOUT: [(&str, u8, u8); 51] = [
    ("AK", 0, 0),
    ("ME", 10, 0),
    ("WI", 5, 1),
    ("VT", 9, 1),
    ("NH", 10, 1),
    ("WA", 0, 2),
    ("ID", 1, 2),
    ("MT", 2, 2),
    ("ND", 3, 2),
    ("MN", 4, 2),
    ("IL", 5, 2),
    ("MI", 6, 2),
    ("NY", 8, 2),
    ("MA", 9, 2),
    ("OR", 0, 3),
    ("NV", 1, 3),
    ("WY", 2, 3),
    ("SD", 3, 3),
    ("IA", 4, 3),
    ("IN", 5, 3),
    ("OH", 6, 3),
    ("PA", 7, 3),
    ("NJ", 8, 3),
    ("CT", 9, 3),
    ("RI", 10, 3),
    ("CA", 0, 4),
    ("UT", 1, 4),
    ("CO", 2, 4),
    ("NE", 3, 4),
    ("MO", 4, 4),
    ("KY", 5, 4),
    ("WV", 6, 4),
    ("VA", 7, 4),
    ("MD", 8, 4),
    ("DE", 9, 4),
    ("AZ", 1, 5),
    ("NM", 2, 5),
    ("KS", 3, 5),
    ("AR", 4, 5),
    ("TN", 5, 5),
    ("NC", 6, 5),
    ("SC", 7, 5),
    ("DC", 8, 5),
    ("OK", 3, 6),
    ("LA", 4, 6),
    ("MS", 5, 6),
    ("AL", 6, 6),
    ("GA", 7, 6),
    ("HI", 0, 7),
    ("TX", 3, 7),
    ("FL", 8, 7),
];

/// The (column, row) of a state's tile. Every state has one; an unknown code (which
/// the engine cannot produce) lands below the grid rather than panicking.
pub fn tile_position(state: State) -> (u8, u8) {
    LAYOUT
        .iter()
        .find(|(code, _, _)| *code == state.code())
        .map_or((0, ROWS), |&(_, col, row)| (col, row))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_state_has_its_own_tile() {
        let mut seen = HashSet::new();
        for state in State::all() {
            let (col, row) = tile_position(state);
            assert!(col < COLUMNS && row < ROWS, "{state}");
            assert!(seen.insert((col, row)), "{state} shares a tile");
        }
        assert_eq!(seen.len(), 51);
        let codes: HashSet<_> = LAYOUT.iter().map(|(c, _, _)| *c).collect();
        assert_eq!(codes.len(), 51);
    }

    #[test]
    fn neighbours_are_near() {
        let pos = |c| tile_position(State::parse(c).unwrap());
        assert_eq!(pos("WA"), (0, 2));
        assert_eq!(pos("FL").1, ROWS - 1);
        // Maine is the north-east corner.
        assert_eq!(pos("ME"), (COLUMNS - 1, 0));
    }
}
