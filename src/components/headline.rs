//! The answer first: who wins the presidency, with what chance, for the chosen model and
//! date, with the pickers of both; under what-if pins, the numbers given the pins.

use forecast_charts::format;
use forecast_engine::electoral::{Outcome, Pinned, Pins};
use forecast_engine::{ModelKind, State};
use leptos::prelude::*;

use crate::state::presidency::{use_presidency, PairView};
use crate::state::run::{use_run, Status};
use crate::state::selection::use_selection;

/// What the headline shows: the pair's outcome, or the outcome given the pins.
#[derive(Clone, Debug, PartialEq)]
struct Shown {
    outcome: Outcome,
    /// `Some((pins as text, matching draws, all draws))` under pins.
    given_pins: Option<(String, u64, u64)>,
}

#[component]
pub fn Headline() -> impl IntoView {
    let run = use_run();
    let presidency = use_presidency();
    let shown = Memo::new(move |_| {
        let view = presidency.headline.get()?;
        let all = view.outcome.draws;
        let pins = presidency.pins.get();
        let pinned = presidency.pinned.get().filter(|p| {
            p.model == view.model && p.date == view.date && p.pins == pins && !pins.is_empty()
        });
        Some(match pinned.map(|p| p.pinned) {
            Some(Pinned::Outcome(outcome)) => Shown {
                given_pins: Some((pins_text(&pins), outcome.draws, all)),
                outcome: *outcome,
            },
            _ => Shown {
                outcome: view.outcome.clone(),
                given_pins: None,
            },
        })
    });
    let attr = move |read: fn(&Outcome) -> String| {
        move || shown.with(|s| s.as_ref().map(|s| read(&s.outcome)).unwrap_or_default())
    };
    // The answer is where the eye goes after Run: brought into view when a run ends, if
    // the reader has scrolled it away.
    let section = NodeRef::<leptos::html::Section>::new();
    Effect::new(move |scrolled: Option<u32>| {
        let runs = run.runs.get();
        let done = run.status.get() == Status::Done;
        if done && scrolled.is_some_and(|s| s != runs) {
            // In the next frame, after every panel's update of this run: scrolling needs
            // the layout, which done here would be computed twice (now, and again for the
            // frame after the other panels change).
            if let Some(el) = section.get_untracked() {
                request_animation_frame(move || {
                    let options = web_sys::ScrollIntoViewOptions::new();
                    options.set_block(web_sys::ScrollLogicalPosition::Nearest);
                    el.scroll_into_view_with_scroll_into_view_options(&options);
                });
            }
            return runs;
        }
        scrolled.unwrap_or(runs)
    });
    view! {
        <section
            node_ref=section
            class="panel headline"
            class:stale=move || run.answer_dimmed(presidency.headline.with(|v| v.as_ref().map(|v| v.run)))
            data-stale=move || run.stale.get().map(|s| s.name()).unwrap_or_default()
            data-testid="ec-headline"
            data-dem-win=attr(|o| format::full(o.dem_win))
            data-rep-win=attr(|o| format::full(o.rep_win))
            data-ev-p50=attr(|o| o.ev_p50.to_string())
            data-model=move || presidency.headline.with(|v| v.as_ref().map(|v| v.model.name()).unwrap_or_default())
            data-date=move || presidency.headline.with(|v| v.as_ref().map(|v| v.date.to_string()).unwrap_or_default())
            data-run=move || presidency.headline.with(|v| v.as_ref().map(|v| v.run.to_string()).unwrap_or_default())
            aria-live="polite"
        >
            <h2 class="visually-hidden">"The presidency"</h2>
            {move || match (presidency.headline.get(), shown.get()) {
                (Some(view), Some(shown)) => view! { <Answer view=view shown=shown /> }.into_any(),
                _ => view! { <NoAnswer /> }.into_any(),
            }}
            // Before a run there is nothing to choose from: no empty pickers.
            <Show when=move || run.has_outcome()>
                <div class="pickers">
                    <ModelSelect />
                    <DateSelect />
                </div>
            </Show>
        </section>
    }
}

/// Before a run, or when the chosen pair has no electoral college: why.
#[component]
fn NoAnswer() -> impl IntoView {
    let run = use_run();
    let presidency = use_presidency();
    move || {
        if let Some(why) = presidency.unavailable.get() {
            view! { <p class="lead">{why}</p> }.into_any()
        } else if run.has_outcome() {
            view! { <p class="lead">"Choose a model and a date."</p> }.into_any()
        } else {
            view! {
                <p class="lead">
                    "Who wins the presidency? Press Run to forecast every state from the polls, then the electoral college from 20,000 simulations of the states' errors."
                </p>
            }
            .into_any()
        }
    }
}

#[component]
fn Answer(view: PairView, shown: Shown) -> impl IntoView {
    let o = &shown.outcome;
    let dem_share = format!("{:.1}%", o.dem_win * 100.0);
    let bar_dem = format!("width: {:.2}%", o.dem_win * 100.0);
    let bar_tie = format!("width: {:.2}%", o.tie * 100.0);
    let tie = (o.tie > 0.0).then(|| format!(" · tie {}", format::percent(o.tie)));
    let popular = match (&o.popular, &view.no_popular) {
        (Some(p), _) => format!(
            "Popular vote: the Democrat wins it in {} of simulations. Split outcomes: the Democrat wins the popular vote and loses the electoral college in {}, the reverse in {}.",
            format::percent(p.popular_dem_win),
            format::percent(p.dem_popular_rep_ec),
            format::percent(p.rep_popular_dem_ec),
        ),
        (None, Some(why)) => format!("{why}."),
        (None, None) => String::new(),
    };
    let actual = o.actual.map(|a| {
        format!(
            "Result: {} electoral votes for the Democrat, who {}.",
            a.actual_dem_ev,
            if a.actual_dem_ev >= view.majority {
                "won"
            } else {
                "lost"
            }
        )
    });
    let given = shown.given_pins.map(|(pins, matching, all)| {
        view! {
            <p class="given" data-testid="ec-given">
                "What-if: given " {pins} ", in the " {format::count(matching)} " of "
                {format::count(all)} " simulations where every pinned state goes that way."
            </p>
        }
    });
    view! {
        <div class="odds">
            <p class="side dem">
                <span class="who">"Democrat"</span>
                <span class="chance">{dem_share}</span>
            </p>
            <p class="side rep">
                <span class="who">"Republican"</span>
                <span class="chance">{format!("{:.1}%", o.rep_win * 100.0)}</span>
            </p>
        </div>
        <div class="odds-bar" aria-hidden="true">
            <span class="dem" style=bar_dem></span>
            <span class="tie" style=bar_tie></span>
        </div>
        <p class="lead">
            "Chance of winning the electoral college" {tie} ". The Democrat's median: "
            <strong>{o.ev_p50} " electoral votes"</strong> " (90% of simulations: "
            {o.ev_p05} " to " {o.ev_p95} "); " {view.majority} " of " {view.total} " win."
        </p>
        {given}
        <p class="detail">{popular}</p>
        {actual.map(|a| view! { <p class="detail result" data-testid="ec-actual">{a}</p> })}
        <p class="caption">
            {format!(
                "{}, forecast of {}, {} simulations. Maine and Nebraska count as whole states.",
                view.model.label(),
                format::long_date(view.date),
                format::count(view.outcome.draws),
            )}
        </p>
    }
}

#[component]
fn ModelSelect() -> impl IntoView {
    let run = use_run();
    let selection = use_selection();
    let options = move || {
        run.models
            .get()
            .into_iter()
            .map(|m| {
                let selected = move || selection.model.get() == Some(m);
                view! { <option value=m.name() selected=selected>{m.label()}</option> }
            })
            .collect_view()
    };
    let on_change = move |ev| {
        if let Some(m) = ModelKind::parse(&event_target_value(&ev)) {
            selection.model.set(Some(m));
        }
    };
    view! {
        <label>
            "Model "
            <select
                data-testid="map-model"
                on:change=on_change
                prop:value=move || selection.model.get().map(|m| m.name()).unwrap_or_default()
            >
                {options}
            </select>
        </label>
    }
}

#[component]
fn DateSelect() -> impl IntoView {
    let run = use_run();
    let selection = use_selection();
    let options = move || {
        run.dates
            .get()
            .into_iter()
            .map(|d| {
                let selected = move || selection.date.get() == Some(d);
                view! { <option value=d.to_string() selected=selected>{format::long_date(d)}</option> }
            })
            .collect_view()
    };
    let on_change = move |ev| {
        if let Ok(d) = event_target_value(&ev).parse::<chrono::NaiveDate>() {
            selection.date.set(Some(d));
        }
    };
    view! {
        <label>
            "Forecast of "
            <select
                data-testid="map-date"
                on:change=on_change
                prop:value=move || selection.date.get().map(|d| d.to_string()).unwrap_or_default()
            >
                {options}
            </select>
        </label>
    }
}

/// The states pinned, as "FL (D), PA (R)".
fn pins_text(pins: &Pins) -> String {
    pins.iter()
        .map(|(s, p): (State, _)| {
            format!(
                "{} ({})",
                s.code(),
                match p {
                    forecast_engine::electoral::Party::Dem => "D",
                    forecast_engine::electoral::Party::Rep => "R",
                }
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}
