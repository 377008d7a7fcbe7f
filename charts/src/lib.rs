//! SVG charts of forecasts as small Leptos components: the state chart, the tile map,
//! scores over the campaign and calibration, and for the presidency the electoral-vote
//! histogram, the chances over the campaign and the snake of states.
//!
//! Every chart sits in a `<div class="fc-chart-wrap" data-chart=testid>` with its
//! details box after the `<svg>`, and is one tab stop: the arrow keys move among its
//! items (roving tabindex, see [`parts::Interaction`]).
//!
//! Own SVG rather than a charting crate: the charts need per-poll elements with test
//! ids, `<title>` text and keyboard focus, bands, a tile map and a reliability diagram.
//! `leptos-chartistry` 0.2.3 (the maintained Leptos chart crate, leptos 0.8) draws line,
//! bar and stacked series with a mouse-only HTML tooltip: no scatter points with our
//! attributes, no bands, maps or calibration plots, and it adds `leptos-use` and an
//! MPL-2.0 dependency. The components here only place data (scales, ticks, paths);
//! every statistic comes from the engine.
//!
//! All user data (pollster names) is rendered as text nodes, never as HTML.

pub mod calibration_chart;
pub mod colour;
pub mod ec_over_time;
pub mod ev_histogram;
pub mod format;
pub mod layout;
pub mod map;
pub mod parts;
pub mod path;
pub mod scale;
pub mod scores_chart;
pub mod snake_chart;
pub mod speedup_chart;
pub mod state_chart;
pub mod tiles;

pub use calibration_chart::CalibrationChart;
pub use colour::{model_colour, win_colour};
pub use ec_over_time::{EcOverTime, OverTimePoint};
pub use ev_histogram::EvHistogram;
pub use map::TileMap;
pub use scores_chart::ScoresChart;
pub use snake_chart::{SnakeChart, SnakeUnit};
pub use speedup_chart::SpeedupChart;
pub use state_chart::{PollPoint, StateChart};
