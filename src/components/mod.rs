//! The page's parts, each small and fed by the signals of [`crate::app`].

pub mod controls;
pub mod loader;
pub mod progress;
pub mod results_table;
pub mod scores_table;
pub mod summary;
