//! The page's parts, each small; they read the state of [`crate::state`] from context.

pub mod calibration_panel;
pub mod chart_panel;
pub mod charts;
pub mod controls;
pub mod download;
pub mod download_all;
pub mod headline;
pub mod loader;
pub mod map_panel;
pub mod presidency;
pub mod progress;
pub mod results_table;
pub mod run_bar;
pub mod scores_panel;
pub mod scores_table;
pub mod setup;
pub mod share;
pub mod speedup;
pub mod state_panel;
pub mod summary;
