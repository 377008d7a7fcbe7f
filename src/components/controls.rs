//! What to run: models, dates, seed, N, minimum polls, workers, and the electoral
//! college's simulations, national share of error and structure.

use forecast_engine::electoral::Structure;
use forecast_engine::ModelKind;
use leptos::prelude::*;

use crate::state::pool::use_pool;
use crate::state::settings::use_settings;

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
                <label>
                    "Forecast dates"
                    <input type="text" list="date-grids" size="6" data-testid="dates" bind:value=choices.dates />
                    <datalist id="date-grids">
                        <option value="4"></option>
                        <option value="16"></option>
                        <option value="daily"></option>
                    </datalist>
                    <small>"a number, or daily"</small>
                </label>
                <label>
                    "Seed"
                    <input type="text" inputmode="numeric" size="8" data-testid="seed" bind:value=choices.seed />
                </label>
                <label>
                    "Simulations N"
                    <input type="text" inputmode="numeric" size="7" data-testid="sims" bind:value=choices.sims />
                </label>
                <label>
                    "Minimum polls"
                    <input type="text" inputmode="numeric" size="4" data-testid="min-polls" bind:value=choices.min_polls />
                </label>
                <label class="workers">
                    <span>
                        "Workers "
                        <output data-testid="workers-value">{move || choices.workers.get()}</output>
                        " of " {max_workers}
                    </span>
                    <input
                        type="range"
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
                    {single.then(|| view! {
                        <small data-testid="workers-fixed">
                            "fixed at 1: this page is not cross-origin isolated (see the note above)"
                        </small>
                    })}
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
            {model.label()}
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
                <label>
                    "Simulations"
                    <input type="text" inputmode="numeric" size="8" data-testid="ec-sims" bind:value=choices.ec_sims />
                    <small>"draws of every state's error at once (1 to 1,000,000)"</small>
                </label>
                <label class="national">
                    <span>"National share of error " <output data-testid="ec-national-value">{national}</output></span>
                    <input
                        type="range"
                        min="0"
                        max="1"
                        step="0.05"
                        data-testid="ec-national"
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
