//! Why the answer is what it is: the distribution of electoral votes, the states in order
//! of margin (the snake), the states most likely to decide it, what-if pins, and the
//! chances over the campaign; the electoral college's files.

use forecast_charts::{format, EcOverTime, EvHistogram, SnakeChart, SnakeUnit};
use forecast_engine::electoral::output::{
    electoral_csv, electoral_states_csv, electoral_votes_csv,
};
use forecast_engine::electoral::{ElectoralSettings, Party, Pinned};
use forecast_engine::State;
use leptos::prelude::*;

use crate::components::chart_panel::ChartPanel;
use crate::components::download::DownloadButton;
use crate::state::presidency::{use_presidency, ClickAction};
use crate::state::run::use_run;
use crate::state::selection::use_selection;

const HISTOGRAM_ID: &str = "ec-histogram-svg";
const OVER_TIME_ID: &str = "ec-over-time-svg";
const SNAKE_ID: &str = "snake-chart-svg";
/// Tipping-point states listed.
const TIPPING_LISTED: usize = 10;

#[component]
pub fn Presidency() -> impl IntoView {
    let run = use_run();
    let presidency = use_presidency();
    view! {
        <Show when=move || presidency.view.with(Option::is_some)>
            <section class="panel presidency" class:stale=move || run.dimmed() data-testid="presidency">
                <h2>"The electoral college"</h2>
                <div class="chart-grid">
                    <SnakePanel />
                    <HistogramPanel />
                    <TippingPoints />
                    <OverTimePanel />
                    <WhatIf />
                </div>
                <ElectoralDownloads />
            </section>
        </Show>
    }
}

#[component]
fn HistogramPanel() -> impl IntoView {
    let presidency = use_presidency();
    let view = presidency.view;
    let distribution = Memo::new(move |_| {
        view.with(|v| v.as_ref().map(|v| v.outcome.distribution.clone()))
            .unwrap_or_default()
    });
    let total = Memo::new(move |_| view.with(|v| v.as_ref().map_or(538, |v| v.total)));
    let majority = Memo::new(move |_| view.with(|v| v.as_ref().map_or(270, |v| v.majority)));
    let actual = Memo::new(move |_| {
        view.with(|v| {
            v.as_ref()
                .and_then(|v| v.outcome.actual.map(|a| a.actual_dem_ev))
        })
    });
    let title = Memo::new(move |_| {
        view.with(|v| {
            v.as_ref()
                .map(|v| {
                    format!(
                        "Democratic electoral votes: {}, forecast of {}",
                        v.model.label(),
                        format::long_date(v.date)
                    )
                })
                .unwrap_or_default()
        })
    });
    view! {
        <ChartPanel
            class="ec-histogram-chart"
            label="Distribution of Democratic electoral votes"
            svg_id=HISTOGRAM_ID
            file="electoral-votes.svg"
            download_testid="download-ec-histogram-svg"
        >
            <EvHistogram
                distribution=distribution
                total=total
                majority=majority
                actual=actual
                title=title
                id=HISTOGRAM_ID
            />
        </ChartPanel>
    }
}

#[component]
fn SnakePanel() -> impl IntoView {
    let presidency = use_presidency();
    let selection = use_selection();
    let units = Memo::new(move |_| {
        let pins = presidency.pins.get();
        presidency
            .view
            .with(|v| {
                v.as_ref().map(|v| {
                    State::all()
                        .map(|s| SnakeUnit {
                            state: s,
                            votes: v.votes[s.index()],
                            mu: v.inputs.unit(s).mu,
                            win: v.outcome.unit(s).win_draws,
                            tipping: v.outcome.unit(s).tipping_point,
                            pin: pins.get(s),
                        })
                        .collect::<Vec<_>>()
                })
            })
            .unwrap_or_default()
    });
    let total = Memo::new(move |_| {
        presidency
            .view
            .with(|v| v.as_ref().map_or(538, |v| v.total))
    });
    let majority = Memo::new(move |_| {
        presidency
            .view
            .with(|v| v.as_ref().map_or(270, |v| v.majority))
    });
    let on_select = Callback::new(move |state| match presidency.click.get_untracked() {
        ClickAction::Pin => presidency.cycle_pin(state),
        ClickAction::OpenChart => selection.pick(state),
    });
    view! {
        <ChartPanel
            class="snake"
            label="States in order of margin"
            svg_id=SNAKE_ID
            file="snake.svg"
            download_testid="download-snake-svg"
            controls=move || view! { <ClickMode /> }
        >
            <SnakeChart
                units=units
                total=total
                majority=majority
                selected=selection.state
                on_select=on_select
                id=SNAKE_ID
            />
        </ChartPanel>
    }
}

/// What a click on a state does: open its chart, or pin it.
#[component]
fn ClickMode() -> impl IntoView {
    let presidency = use_presidency();
    let choose = move |action: ClickAction| move |_| presidency.click.set(action);
    view! {
        <div class="click-mode" role="radiogroup" aria-label="A click on a state">
            <span>"A click on a state "</span>
            <label>
                <input
                    type="radio"
                    name="click-mode"
                    data-testid="click-opens-chart"
                    prop:checked=move || presidency.click.get() == ClickAction::OpenChart
                    on:change=choose(ClickAction::OpenChart)
                />
                "opens its chart"
            </label>
            <label>
                <input
                    type="radio"
                    name="click-mode"
                    data-testid="click-pins"
                    prop:checked=move || presidency.click.get() == ClickAction::Pin
                    on:change=choose(ClickAction::Pin)
                />
                "pins it"
            </label>
        </div>
    }
}

#[component]
fn TippingPoints() -> impl IntoView {
    let presidency = use_presidency();
    let selection = use_selection();
    let listed = move || {
        presidency.view.with(|v| {
            let Some(v) = v else { return Vec::new() };
            let mut states: Vec<(State, f64, f64)> = State::all()
                .filter_map(|s| {
                    let u = v.outcome.unit(s);
                    Some((s, u.tipping_point?, u.win_draws))
                })
                .filter(|(_, t, _)| *t > 0.0)
                .collect();
            // Most likely first; equal chances in state order.
            states.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            states.truncate(TIPPING_LISTED);
            states
        })
    };
    view! {
        <figure class="chart tipping" aria-label="States most likely to decide the election">
            <figcaption>"The states most likely to decide it"</figcaption>
            <p class="hint">
                "The tipping point: the state that gives the winner the 270th electoral vote when the winner's states are ordered from best to worst."
            </p>
            {move || {
                presidency
                    .view
                    .with(|v| v.as_ref().is_some_and(|v| !v.outcome.has_tipping()))
                    .then(|| {
                        view! {
                            <p class="hint" role="status" data-testid="tipping-pending">
                                "Finding this date's tipping points…"
                            </p>
                        }
                    })
            }}
            <ol data-testid="tipping-points">
                {move || {
                    listed()
                        .into_iter()
                        .map(|(s, tipping, win)| {
                            view! {
                                <li data-state=s.code() data-tipping=format::full(tipping)>
                                    <button type="button" class="pick" on:click=move |_| selection.pick(s)>
                                        {s.name()}
                                    </button>
                                    {format!(
                                        ": tipping point in {} of simulations; the Democrat wins it in {}",
                                        format::percent(tipping),
                                        format::percent(win)
                                    )}
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ol>
        </figure>
    }
}

/// Pins by state: each button cycles none, Democrat, Republican.
#[component]
fn WhatIf() -> impl IntoView {
    let presidency = use_presidency();
    let matching = move || {
        presidency.pinned.with(|p| {
            p.as_ref().map(|p| match &p.pinned {
                Pinned::Outcome(o) => (o.draws, None),
                Pinned::TooFew { matching, needed } => (*matching, Some(*needed)),
            })
        })
    };
    let all = move || {
        presidency
            .view
            .with(|v| v.as_ref().map_or(0, |v| v.outcome.draws))
    };
    let stop = RwSignal::new(0usize);
    view! {
        <figure class="chart what-if" aria-label="What if: pin states to a party">
            <figcaption>"What if…"</figcaption>
            <p class="hint">
                "Pin states to a party and the headline shows the chances in the simulations where every pinned state goes that way. Each button cycles: not pinned, Democrat, Republican (Tab to the buttons, then the arrow keys)."
            </p>
            // One tab stop for the 51 buttons: the arrow keys (and Home, End) move among them.
            <div class="pins" role="group" aria-label="Pins (arrow keys move between states)" on:keydown=move |ev| step_pins(ev, stop)>
                {State::all().enumerate().map(|(i, s)| view! { <PinButton state=s index=i stop=stop /> }).collect_view()}
            </div>
            <p class="pins-status">
                <button
                    type="button"
                    data-testid="pins-clear"
                    prop:disabled=move || presidency.pins.with(|p| p.is_empty())
                    on:click=move |_| presidency.clear_pins()
                >
                    "Clear all pins"
                </button>
                <span
                    data-testid="ec-matching"
                    data-count=move || matching().map(|(m, _)| m.to_string()).unwrap_or_default()
                >
                    {move || match matching() {
                        None => "No state pinned.".to_string(),
                        Some((m, None)) => format!(
                            "{} of {} simulations match.",
                            format::count(m),
                            format::count(all())
                        ),
                        Some((m, Some(needed))) => format!(
                            "Too few simulations match: {} of {} (at least {} are needed for numbers). Unpin a state, or run more simulations.",
                            format::count(m),
                            format::count(all()),
                            needed
                        ),
                    }}
                </span>
            </p>
        </figure>
    }
}

/// Moves the focus among the pin buttons on an arrow key, Home or End.
fn step_pins(ev: leptos::ev::KeyboardEvent, stop: RwSignal<usize>) {
    use wasm_bindgen::JsCast;
    let Some(group) = ev
        .current_target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    if ev.alt_key() || ev.ctrl_key() || ev.meta_key() {
        // Browser and screen-reader shortcuts (Alt+Left is Back).
        return;
    }
    let count = group.child_element_count() as usize;
    // The charts' roving tabindex, the same keys.
    let Some(next) = forecast_charts::parts::roving_target(&ev.key(), stop.get_untracked(), count)
    else {
        return;
    };
    ev.prevent_default();
    stop.set(next);
    if let Some(button) = group
        .children()
        .item(next as u32)
        .and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = button.focus();
    }
}

#[component]
fn PinButton(state: State, index: usize, stop: RwSignal<usize>) -> impl IntoView {
    let presidency = use_presidency();
    let pin = move || presidency.pins.with(|p| p.get(state));
    let label = move || match pin() {
        // The visible code first: a spoken name includes what is seen.
        None => format!("{} ({}): not pinned", state.code(), state.name()),
        Some(Party::Dem) => format!("{} ({}): pinned Democratic", state.code(), state.name()),
        Some(Party::Rep) => format!("{} ({}): pinned Republican", state.code(), state.name()),
    };
    view! {
        <button
            type="button"
            class="pin"
            class:dem=move || pin() == Some(Party::Dem)
            class:rep=move || pin() == Some(Party::Rep)
            data-testid=format!("pin-{}", state.code())
            data-pin=move || match pin() {
                None => "",
                Some(Party::Dem) => "D",
                Some(Party::Rep) => "R",
            }
            aria-label=label
            title=label
            tabindex=move || if stop.get() == index { "0" } else { "-1" }
            on:focus=move |_| stop.set(index)
            on:click=move |_| presidency.cycle_pin(state)
        >
            {state.code()}
        </button>
    }
}

#[component]
fn OverTimePanel() -> impl IntoView {
    let run = use_run();
    let presidency = use_presidency();
    let total = Memo::new(move |_| {
        presidency
            .view
            .with(|v| v.as_ref().map_or(538, |v| v.total))
    });
    let majority = Memo::new(move |_| {
        presidency
            .view
            .with(|v| v.as_ref().map_or(270, |v| v.majority))
    });
    view! {
        <ChartPanel
            class="ec-over-time-chart"
            label="Chances and electoral votes over the campaign"
            svg_id=OVER_TIME_ID
            file="over-the-campaign.svg"
            download_testid="download-ec-over-time-svg"
        >
            <EcOverTime
                points=presidency.over_time
                total=total
                majority=majority
                election_day=run.election_day
                id=OVER_TIME_ID
            />
        </ChartPanel>
    }
}

/// `electoral.csv`, `electoral_votes.csv` and `electoral_states.csv`, as the CLI writes
/// them.
#[component]
fn ElectoralDownloads() -> impl IntoView {
    let run = use_run();
    let file = move |make: fn(&forecast_engine::electoral::ElectoralOutput) -> String| {
        Callback::new(move |()| {
            run.outcome.with_untracked(|o| {
                o.as_ref()
                    .and_then(|o| o.output.electoral.as_ref().ok())
                    .map(make)
            })
        })
    };
    view! {
        <p class="downloads">
            "The electoral college as the command line writes it: "
            <DownloadButton
                make=file(|e| electoral_csv(&e.scenario_rows()))
                file="electoral.csv"
                testid="download-electoral"
                label="electoral.csv"
            />
            <DownloadButton
                make=file(|e| electoral_votes_csv(&e.scenario_rows()))
                file="electoral_votes.csv"
                testid="download-electoral-votes"
                label="electoral_votes.csv"
            />
            <DownloadButton
                make=file(|e| electoral_states_csv(&e.scenario_rows(), e.electoral.votes()))
                file="electoral_states.csv"
                testid="download-electoral-states"
                label="electoral_states.csv"
                waiting=run.tipping_pending
            />
            {format!(
                " ({} simulations by default; every model and date).",
                format::count(ElectoralSettings::DEFAULT.sims as u64)
            )}
            {move || {
                run.tipping_pending
                    .get()
                    .then_some(" The states' file waits for every date's tipping points, being found now.")
            }}
        </p>
    }
}
