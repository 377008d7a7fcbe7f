//! What the charts show: the state chart's state, the map's model and date. Refitted to
//! each new outcome by an effect: choices that still make sense stay, the others default.

use chrono::NaiveDate;
use forecast_engine::{ModelKind, Plan, State};
use leptos::prelude::*;

use super::run::Run;

/// The id of the state chart's `<svg>`, scrolled to when a state is picked.
pub const STATE_CHART_ID: &str = "state-chart-svg";

/// States shown first when the last choice was not run: competitive ones.
const FIRST_STATES: [&str; 6] = ["FL", "PA", "OH", "NC", "MI", "WI"];

#[derive(Clone, Copy)]
pub struct Selection {
    pub state: RwSignal<Option<State>>,
    pub model: RwSignal<Option<ModelKind>>,
    /// One of the run's forecast dates.
    pub date: RwSignal<Option<NaiveDate>>,
}

impl Selection {
    pub fn provide(run: Run) -> Selection {
        let selection = Selection {
            state: RwSignal::new(None),
            model: RwSignal::new(None),
            date: RwSignal::new(None),
        };
        run.follow_choice(selection);
        Effect::new(move |_| {
            run.outcome.with(|outcome| {
                if let Some(outcome) = outcome {
                    selection.fit(&outcome.plan);
                }
            })
        });
        provide_context(selection);
        selection
    }

    /// Keeps choices that still make sense for `plan`, defaults the others: a competitive
    /// state if run, hierarchical Bayes if run, the last date.
    fn fit(&self, plan: &Plan) {
        let run_states: Vec<State> = plan.states.iter().map(|s| s.state).collect();
        let state = self
            .state
            .get_untracked()
            .filter(|s| run_states.contains(s))
            .or_else(|| {
                FIRST_STATES
                    .iter()
                    .filter_map(|c| State::parse(c))
                    .find(|s| run_states.contains(s))
                    .or_else(|| run_states.first().copied())
            });
        self.state.set(state);
        self.model
            .set(Self::model_for(self.model.get_untracked(), plan));
        let date = Self::date_for(self.date.get_untracked(), plan);
        self.date.set(date);
    }

    /// The model chosen for `plan`: `chosen` if run, else hierarchical Bayes if run, else
    /// the first.
    pub fn model_for(chosen: Option<ModelKind>, plan: &Plan) -> Option<ModelKind> {
        chosen.filter(|m| plan.models.contains(m)).or_else(|| {
            if plan.models.contains(&ModelKind::HierarchicalBayes) {
                Some(ModelKind::HierarchicalBayes)
            } else {
                plan.models.first().copied()
            }
        })
    }

    /// The date chosen for `plan`: `chosen` if one of its dates, else the last.
    pub fn date_for(chosen: Option<NaiveDate>, plan: &Plan) -> Option<NaiveDate> {
        chosen
            .filter(|d| plan.dates.contains(d))
            .or_else(|| plan.dates.last().copied())
    }

    /// Shows `state` in the state chart and scrolls the chart into view.
    pub fn pick(&self, state: State) {
        self.state.set(Some(state));
        if let Some(chart) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(STATE_CHART_ID))
        {
            chart.scroll_into_view();
        }
    }
}

pub fn use_selection() -> Selection {
    super::expect()
}
