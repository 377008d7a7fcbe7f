//! The page's parts, each small and fed by the signals of [`crate::app`].

pub mod calibration_panel;
pub mod charts;
pub mod controls;
pub mod download;
pub mod loader;
pub mod map_panel;
pub mod progress;
pub mod results_table;
pub mod scores_panel;
pub mod scores_table;
pub mod state_panel;
pub mod summary;
