//! The presidency on the page: the electoral college of the chosen (model, date), the
//! what-if pins and the outcome under them (recomputed on the pool, never on the page's
//! thread), and what a click on a state in the map or the snake does.

use std::sync::Arc;

use chrono::NaiveDate;
use forecast_charts::OverTimePoint;
use forecast_engine::electoral::{Inputs, Outcome as PairOutcome, Party, Pinned, Pins};
use forecast_engine::{ModelKind, State};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::run::{Outcome, Run};
use super::selection::Selection;
use crate::runner;

/// What a click on a state in the map or the snake does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClickAction {
    OpenChart,
    /// Cycles the state's pin: none, Democrat, Republican.
    Pin,
}

/// The electoral college of one (model, date), as the panels show it.
#[derive(Clone, Debug, PartialEq)]
pub struct PairView {
    pub model: ModelKind,
    pub date: NaiveDate,
    pub outcome: PairOutcome,
    pub inputs: Inputs,
    pub votes: [u32; 51],
    pub total: u32,
    pub majority: u32,
    /// What the page says instead of the popular vote, when it has none.
    pub no_popular: Option<String>,
    /// The run's number on the page.
    pub run: u32,
}

/// The electoral college of `(model, date)` in `outcome`, if it has one.
fn pair_view(outcome: &Outcome, model: ModelKind, date: NaiveDate) -> Option<PairView> {
    let electoral = outcome.output.electoral.as_ref().ok()?;
    let pair = electoral.pair(model, date)?;
    let r = pair.result.as_ref().ok()?;
    let votes = electoral.electoral.votes();
    Some(PairView {
        model,
        date,
        outcome: r.outcome.clone(),
        inputs: r.inputs.clone(),
        votes: *votes.all(),
        total: votes.total(),
        majority: votes.majority(),
        no_popular: electoral.no_popular.as_ref().map(|p| p.to_string()),
        run: outcome.number,
    })
}

/// The outcome under the pins, for the pair and pins it was computed for.
#[derive(Clone, Debug, PartialEq)]
pub struct PinnedView {
    pub model: ModelKind,
    pub date: NaiveDate,
    pub pins: Pins,
    pub pinned: Pinned,
}

#[derive(Clone, Copy)]
pub struct Presidency {
    pub pins: RwSignal<Pins>,
    pub click: RwSignal<ClickAction>,
    /// The last what-if computed; `None` without pins.
    pub pinned: RwSignal<Option<PinnedView>>,
    /// The chosen (model, date)'s electoral college.
    pub view: Memo<Option<PairView>>,
    /// What the answer shows: [`Presidency::view`], but of the newest outcome a frame
    /// before the other panels.
    pub headline: Memo<Option<PairView>>,
    /// Why there is no electoral college for the chosen (model, date), if so.
    pub unavailable: Memo<Option<String>>,
    /// Each model's chance and electoral votes over the forecast dates.
    pub over_time: Memo<Vec<OverTimePoint>>,
}

impl Presidency {
    pub fn provide(run: Run, selection: Selection) -> Presidency {
        let view = Memo::new(move |_| {
            let model = selection.model.get()?;
            let date = selection.date.get()?;
            run.outcome.with(|o| pair_view(o.as_deref()?, model, date))
        });
        let pins = RwSignal::new(Pins::new());
        // The answer's pair, of the newest outcome as soon as the run ends (the selection
        // refits to it a frame later, with the other panels). Under pins it waits for
        // them: their what-if is recomputed from the outcome the panels show.
        let headline = Memo::new(move |_| {
            if !pins.with(Pins::is_empty) {
                return view.get();
            }
            let chosen = (selection.model.get(), selection.date.get());
            run.latest.with(|o| {
                let o = o.as_deref()?;
                let model = Selection::model_for(chosen.0, &o.plan)?;
                let date = Selection::date_for(chosen.1, &o.plan)?;
                pair_view(o, model, date)
            })
        });
        let unavailable = Memo::new(move |_| {
            run.outcome.with(|o| {
                let o = o.as_ref()?;
                match &o.output.electoral {
                    Err(why) => Some(why.to_string()),
                    Ok(electoral) => {
                        let model = selection.model.get()?;
                        let date = selection.date.get()?;
                        let pair = electoral.pair(model, date)?;
                        pair.result.as_ref().err().map(|why| {
                            format!(
                                "No electoral college for {} on {date}: {why}",
                                model.label()
                            )
                        })
                    }
                }
            })
        });
        let over_time = Memo::new(move |_| {
            run.outcome.with(|o| {
                let Some(Ok(electoral)) = o.as_ref().map(|o| &o.output.electoral) else {
                    return Vec::new();
                };
                electoral
                    .pairs
                    .iter()
                    .filter_map(|p| {
                        let o = &p.result.as_ref().ok()?.outcome;
                        Some(OverTimePoint {
                            model: p.model,
                            date: p.forecast_date,
                            dem_win: o.dem_win,
                            ev_p05: o.ev_p05,
                            ev_p50: o.ev_p50,
                            ev_p95: o.ev_p95,
                        })
                    })
                    .collect()
            })
        });
        let presidency = Presidency {
            pins,
            headline,
            click: RwSignal::new(ClickAction::OpenChart),
            pinned: RwSignal::new(None),
            view,
            unavailable,
            over_time,
        };
        presidency.recompute_on_pins(run);
        provide_context(presidency);
        presidency
    }

    /// Recomputes the what-if on the pool when the pins or the chosen pair change; a
    /// result that arrives after a newer question is dropped.
    fn recompute_on_pins(self, run: Run) {
        let asked = StoredValue::new(0u64);
        Effect::new(move |_| {
            let pins = self.pins.get();
            let Some(view) = self.view.get() else {
                self.pinned.set(None);
                return;
            };
            if pins.is_empty() {
                self.pinned.set(None);
                return;
            }
            let Some(electoral) = run.outcome.with_untracked(|o| {
                o.as_ref()
                    .and_then(|o| o.output.electoral.as_ref().ok())
                    .map(|e| Arc::clone(&e.electoral))
            }) else {
                return;
            };
            asked.update_value(|n| *n += 1);
            let this = asked.get_value();
            let (model, date, inputs) = (view.model, view.date, view.inputs.clone());
            spawn_local(async move {
                let question = pins.clone();
                let answer = runner::pinned(electoral, inputs, question).await;
                if asked.get_value() != this {
                    return;
                }
                if let Ok(pinned) = answer {
                    self.pinned.set(Some(PinnedView {
                        model,
                        date,
                        pins,
                        pinned,
                    }));
                }
            });
        });
    }

    /// The next pin of `state`: none, Democrat, Republican, none.
    pub fn cycle_pin(&self, state: State) {
        self.pins.update(|pins| {
            let next = match pins.get(state) {
                None => Some(Party::Dem),
                Some(Party::Dem) => Some(Party::Rep),
                Some(Party::Rep) => None,
            };
            pins.set(state, next);
        });
    }

    pub fn clear_pins(&self) {
        self.pins.set(Pins::new());
    }
}

pub fn use_presidency() -> Presidency {
    super::expect()
}
