//! One state's polls and forecasts over the campaign, with a state selector.

use forecast_charts::{PollPoint, StateChart};
use forecast_engine::{ForecastRow, State};
use leptos::prelude::*;

use crate::app::{ChartChoices, RunState, STATE_CHART_ID};
use crate::components::download::SvgDownloadButton;

#[component]
pub fn StatePanel(
    run: RunState,
    charts: ChartChoices,
    rows: Memo<Vec<ForecastRow>>,
) -> impl IntoView {
    let states = Memo::new(move |_| {
        run.outcome
            .with(|o| {
                o.as_ref()
                    .map(|o| o.plan.states.iter().map(|s| s.state).collect::<Vec<_>>())
            })
            .unwrap_or_default()
    });
    // The chosen state's rows only: a daily run has ~14,000 rows, the chart needs ~270.
    let state_rows = Memo::new(move |_| {
        let Some(state) = charts.state.get() else {
            return Vec::new();
        };
        rows.with(|rows| rows.iter().filter(|r| r.state == state).cloned().collect())
    });
    let polls = Memo::new(move |_| {
        let Some(state) = charts.state.get() else {
            return Vec::new();
        };
        run.outcome
            .with(|o| {
                o.as_ref()
                    .map(|o| PollPoint::for_state(&o.plan, &o.polls, state))
            })
            .unwrap_or_default()
    });
    let election_day = Memo::new(move |_| {
        run.outcome
            .with(|o| o.as_ref().map(|o| o.plan.election_day))
    });
    let models = Memo::new(move |_| {
        run.outcome
            .with(|o| o.as_ref().map(|o| o.plan.models.clone()))
            .unwrap_or_default()
    });

    let options = move || {
        states
            .get()
            .into_iter()
            .map(|s| {
                let selected = move || charts.state.get() == Some(s);
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
            charts.state.set(Some(state));
        }
    };

    view! {
        <figure class="chart state-chart">
            <div class="chart-controls">
                <label>
                    "State "
                    <select data-testid="state-select" on:change=on_change prop:value=move || {
                        charts.state.get().map(|s| s.code()).unwrap_or_default()
                    }>{options}</select>
                </label>
                <SvgDownloadButton
                    target=STATE_CHART_ID
                    file="state-chart.svg"
                    testid="download-state-svg"
                />
            </div>
            <div class="chart-scroll">
                <StateChart
                    state=charts.state
                    rows=state_rows
                    polls=polls
                    election_day=election_day
                    models=models
                    id=STATE_CHART_ID
                />
            </div>
            <p class="scroll-hint">"Scroll sideways for the whole chart."</p>
        </figure>
    }
}
