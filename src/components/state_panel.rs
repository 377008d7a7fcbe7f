//! One state's polls and forecasts over the campaign, with a state selector.

use forecast_charts::{PollPoint, StateChart};
use forecast_engine::{ForecastRow, State};
use leptos::prelude::*;

use crate::components::chart_panel::ChartPanel;
use crate::state::run::use_run;
use crate::state::selection::{use_selection, STATE_CHART_ID};

/// The state chart starts this many days before the first forecast date, unless all
/// polls are asked for.
const CAMPAIGN_LEAD_DAYS: i64 = 30;

#[component]
pub fn StatePanel() -> impl IntoView {
    let run = use_run();
    let selection = use_selection();
    // The chosen state's rows only: a daily run has ~14,000 rows, the chart needs ~270.
    let state_rows: Memo<Vec<ForecastRow>> = Memo::new(move |_| {
        let Some(state) = selection.state.get() else {
            return Vec::new();
        };
        run.rows
            .with(|rows| rows.iter().filter(|r| r.state == state).cloned().collect())
    });
    let polls = Memo::new(move |_| {
        let Some(state) = selection.state.get() else {
            return Vec::new();
        };
        run.outcome
            .with(|o| {
                o.as_ref()
                    .map(|o| PollPoint::for_state(&o.plan, &o.polls, state))
            })
            .unwrap_or_default()
    });
    // The campaign by default: from a month before the first forecast date.
    let all_polls = RwSignal::new(false);
    let from = Memo::new(move |_| {
        if all_polls.get() {
            return None;
        }
        run.dates
            .with(|d| d.first().copied())
            .and_then(|first| first.checked_sub_signed(chrono::TimeDelta::days(CAMPAIGN_LEAD_DAYS)))
    });
    view! {
        <ChartPanel
            class="state-chart"
            label="One state's polls and forecasts"
            svg_id=STATE_CHART_ID
            file="state-chart.svg"
            download_testid="download-state-svg"
            controls=move || {
                view! {
                    <StateSelect />
                    <label>
                        <input type="checkbox" data-testid="state-all-polls" bind:checked=all_polls />
                        " Show all polls"
                    </label>
                }
            }
        >
            <StateChart
                state=selection.state
                rows=state_rows
                polls=polls
                election_day=run.election_day
                models=run.models
                from=from
                id=STATE_CHART_ID
            />
        </ChartPanel>
    }
}

#[component]
fn StateSelect() -> impl IntoView {
    let run = use_run();
    let selection = use_selection();
    let options = move || {
        run.states
            .get()
            .into_iter()
            .map(|s| {
                let selected = move || selection.state.get() == Some(s);
                view! {
                    <option value=s.code() selected=selected>
                        {format!("{} – {}", s.code(), s.name())}
                    </option>
                }
            })
            .collect_view()
    };
    let on_change = move |ev| {
        if let Some(state) = State::parse(&event_target_value(&ev)) {
            selection.state.set(Some(state));
        }
    };
    view! {
        <label>
            "State "
            <select
                data-testid="state-select"
                on:change=on_change
                prop:value=move || selection.state.get().map(|s| s.code()).unwrap_or_default()
            >
                {options}
            </select>
        </label>
    }
}
