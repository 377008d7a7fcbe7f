//! The forecasting engine: CSV bytes in, a forecast table out. Pure computation, no I/O,
//! no browser API: the page, the `forecast` CLI and the tests drive it the same way.
//!
//! ```text
//! load_polls + load_results -> Plan::new(config) -> run(plan, progress, tasks) -> RunOutput
//! ```

pub mod builtin;
pub mod bundle;
pub mod calibration;
pub mod dates;
pub mod electoral;
mod house_effects;
mod kalman;
pub mod models;
pub mod output;
pub mod plan;
pub mod polls;
pub mod report;
pub mod results;
pub mod runner;
pub mod scores;
#[cfg(feature = "serde")]
mod serde_text;
pub mod speedup;
pub mod states;
mod table;

pub use dates::DateGrid;
pub use models::{ModelError, ModelKind, Settings};
pub use plan::{Plan, PlanError, RunConfig};
pub use polls::{load_polls, Poll, PollSet};
pub use report::{LoadError, LoadReport, SkipReason};
pub use results::{load_results, ResultSet};
pub use runner::{run, run_tasks, ForecastRow, NoForecast, Progress, RunOutput};
pub use scores::ScoreRow;
pub use states::State;
