//! What to run: models, dates, seed, N, minimum polls, workers, and the electoral
//! college's simulations, national share of error and structure.

use forecast_charts::format;
use forecast_engine::dates::{election_day, forecast_dates};
use forecast_engine::electoral::{ElectoralSettings, Structure};
use forecast_engine::{DateGrid, ModelKind, Settings};
use leptos::prelude::*;

use crate::state::data::use_data;
use crate::state::layout::field_element_id;
use crate::state::pool::use_pool;
use crate::state::run::use_run;
use crate::state::settings::{use_settings, Field};

#[component]
pub fn Controls() -> impl IntoView {
    let choices = use_settings();
    let pool = use_pool();
    let max_workers = pool.threads;
    let single = pool.not_isolated().is_some();

    view! {
        <section class="panel controls">
            <h2>"Settings"</h2>
            <fieldset class="models">
                <legend>"Models"</legend>
                {ModelKind::ALL.into_iter().map(|model| view! { <ModelBox model=model /> }).collect_view()}
            </fieldset>
            <div class="fields">
                <TextField field=Field::Dates label="Forecast dates" value=choices.dates size=6 list="date-grids">
                    <DatesHint />
                </TextField>
                <datalist id="date-grids">
                    <option value="4"></option>
                    <option value="16"></option>
                    <option value="daily"></option>
                </datalist>
                <TextField field=Field::Seed label="Seed" value=choices.seed size=8 numeric=true>
                    "Where the random numbers start: the same seed gives the same results, to the last digit."
                </TextField>
                <TextField field=Field::Sims label="Simulations N" value=choices.sims size=7 numeric=true>
                    "Paths simulated per state and date by the two Kalman models (1 to "
                    {format::count(Settings::MAX_SIMS as u64)}
                    "): more is smoother and slower."
                </TextField>
                <TextField field=Field::MinPolls label="Minimum polls" value=choices.min_polls size=4 numeric=true>
                    "A state is forecast on a date once it has this many polls by then; before that it is listed as skipped."
                </TextField>
                <label class="workers">
                    <span>
                        "Workers "
                        <output data-testid="workers-value">{move || choices.workers.get()}</output>
                        " of " {max_workers}
                    </span>
                    <input
                        type="range"
                        aria-label="Workers"
                        aria-describedby="workers-hint"
                        min="1"
                        max=max_workers
                        step="1"
                        data-testid="workers"
                        disabled=single
                        prop:value=move || choices.workers.get().to_string()
                        on:input=move |ev| {
                            let asked = event_target_value(&ev).parse::<usize>().unwrap_or(1);
                            choices.workers.set(asked.clamp(1, max_workers));
                        }
                    />
                    {if single {
                        view! {
                            <small id="workers-hint" data-testid="workers-fixed">
                                "fixed at 1: this page is not cross-origin isolated (see the note above)"
                            </small>
                        }
                        .into_any()
                    } else {
                        view! {
                            <small id="workers-hint">
                                "Threads a run uses; the results are the same for any number. By default one core is left to the page."
                            </small>
                        }
                        .into_any()
                    }}
                </label>
            </div>
            <ElectoralControls />
        </section>
    }
}

#[component]
fn ModelBox(model: ModelKind) -> impl IntoView {
    let choices = use_settings();
    let checked = move || choices.models.with(|m| m.contains(&model));
    let toggle = move |ev| {
        let on = event_target_checked(&ev);
        choices.models.update(|models| {
            models.retain(|m| *m != model);
            if on {
                models.push(model);
                models.sort();
            }
        });
    };
    view! {
        <label class="model">
            <input
                type="checkbox"
                data-testid=format!("model-{}", model.name())
                prop:checked=checked
                on:change=toggle
            />
            <span>
                {model.label()}
                <small class="model-note">{model.description()}</small>
            </span>
        </label>
    }
}

/// The electoral college: simulations, the national share of the error, the structure.
#[component]
fn ElectoralControls() -> impl IntoView {
    let choices = use_settings();
    let national = move || format!("{:.2}", choices.ec_national.get());
    view! {
        <fieldset class="electoral-settings">
            <legend>"Electoral college"</legend>
            <label class="toggle">
                <input type="checkbox" data-testid="ec-on" bind:checked=choices.ec_on />
                " Forecast the presidency after the states (about four times the states' time)"
            </label>
            <div class="fields">
                <TextField field=Field::EcSims label="Simulations" value=choices.ec_sims size=8 numeric=true>
                    "Draws of every state's error at once (1 to "
                    {format::count(ElectoralSettings::MAX_SIMS as u64)}
                    "); each draw is one possible election night."
                </TextField>
                <label class="national">
                    <span>"National share of error " <output data-testid="ec-national-value">{national}</output></span>
                    <input
                        type="range"
                        min="0"
                        max="1"
                        step="0.05"
                        data-testid="ec-national"
                        aria-label="National share of error"
                        prop:value=move || choices.ec_national.get().to_string()
                        on:input=move |ev| {
                            if let Ok(x) = event_target_value(&ev).parse::<f64>() {
                                choices.ec_national.set(x.clamp(0.0, 1.0));
                            }
                        }
                    />
                    <small>"0: states miss independently; 1: every state misses by the same amount, as when all polls lean one way"</small>
                </label>
                <label>
                    "Structure"
                    <select
                        data-testid="ec-structure"
                        prop:value=move || choices.ec_structure.get().name()
                        on:change=move |ev| {
                            if let Some(s) = Structure::parse(&event_target_value(&ev)) {
                                choices.ec_structure.set(s);
                            }
                        }
                    >
                        <option value="historical">"historical"</option>
                        <option value="none">"none"</option>
                    </select>
                    <small>"historical: states that swung together in past elections miss together; none: only the national share is shared"</small>
                </label>
            </div>
        </fieldset>
    }
}

/// A setting typed as text: its label, the input, a one-line hint, and what is wrong
/// with the value typed (the input then `aria-invalid`, described by the message).
#[component]
fn TextField(
    field: Field,
    label: &'static str,
    value: RwSignal<String>,
    size: u32,
    #[prop(optional)] numeric: bool,
    #[prop(optional)] list: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let choices = use_settings();
    let error = Memo::new(move |_| choices.error_of(field).map(|e| e.to_string()));
    let id = field_element_id(field);
    let label_for = id.clone();
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            if error.with(Option::is_some) {
                format!("{error_id} {hint_id}")
            } else {
                hint_id.clone()
            }
        }
    };
    view! {
        <label class="field" for=label_for>
            <span class="field-name">{label}</span>
            <input
                type="text"
                id=id
                inputmode=numeric.then_some("numeric")
                list=list
                size=size
                data-testid=field.id()
                aria-invalid=move || error.with(Option::is_some).to_string()
                aria-describedby=described
                bind:value=value
            />
            <Show when=move || error.with(Option::is_some)>
                <small class="field-error" id=error_id.clone() data-testid=format!("{}-error", field.id())>
                    {move || error.get().unwrap_or_default()}
                </small>
            </Show>
            <small class="field-hint" id=hint_id>{children()}</small>
        </label>
    }
}

/// What the dates typed mean: how many dates, from when to when, for the election of the
/// data in use (known once a run has planned them).
#[component]
fn DatesHint() -> impl IntoView {
    let choices = use_settings();
    let run = use_run();
    let data = use_data();
    let resolved = move || {
        let grid: DateGrid = choices.dates.get().parse().ok()?;
        // The last run's election day, or that of the polls' year before a run.
        let day = run
            .election_day
            .get()
            .or_else(|| data.polls.with(|p| p.year).and_then(election_day))?;
        let dates = forecast_dates(grid, day);
        let (first, last) = (dates.first()?, dates.last()?);
        Some(format!(
            " Now: {} {} from {} to {}.",
            dates.len(),
            if dates.len() == 1 { "date" } else { "dates" },
            format::short_date(*first),
            format::short_date(*last)
        ))
    };
    view! {
        "A number of dates evenly spaced from September 1 to the day before the election (more than the days in between means every day), or daily."
        {resolved}
    }
}
