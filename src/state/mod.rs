//! The page's state, one module per concern, each shared through Leptos context
//! (`provide` once in [`crate::app::App`], `use_…` in any component below it):
//!
//! - [`pool`]: where the engine runs (a rayon pool of Web Workers, or one worker) and
//!   whether it has started;
//! - [`data`]: the polls and results a run uses, their load reports, files being read;
//! - [`settings`]: what to run, as typed in the controls;
//! - [`layout`]: what is folded and what is open;
//! - [`run`]: starting, cancelling and the outcome of a run, with memos the panels read;
//! - [`selection`]: what the charts show (state, model, date), refitted to each outcome;
//! - [`presidency`]: the chosen (model, date)'s electoral college and the what-if pins;
//! - [`link`]: the settings and choices in the page's address;
//! - [`speedup`]: the speed-up measured on this machine.

pub mod data;
pub mod layout;
pub mod link;
pub mod pool;
pub mod presidency;
pub mod run;
pub mod selection;
pub mod settings;
pub mod speedup;
pub mod store;

use leptos::prelude::*;

/// Provides every piece of the page's state, in dependency order.
pub fn provide(threads: usize) -> pool::Pool {
    let pool = pool::Pool::provide(threads);
    let data = data::Data::provide(pool);
    let settings = settings::RunSettings::provide(pool.threads);
    layout::Layout::provide();
    let run = run::Run::provide(pool, data, settings);
    let selection = selection::Selection::provide(run);
    presidency::Presidency::provide(run, selection);
    speedup::Speedup::provide(pool, run);
    link::Link::provide(pool, settings, selection);
    pool
}

/// A piece of state provided by [`provide`]; a component outside the app has none.
fn expect<T: Clone + Send + Sync + 'static>() -> T {
    expect_context::<T>()
}
