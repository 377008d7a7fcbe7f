//! What to run: models, dates, seed, N, minimum polls, workers; Run and Cancel.

use forecast_engine::ModelKind;
use leptos::prelude::*;

use crate::state::pool::use_pool;
use crate::state::run::use_run;
use crate::state::settings::use_settings;

#[component]
pub fn Controls() -> impl IntoView {
    let choices = use_settings();
    let run = use_run();
    let max_workers = use_pool().threads;

    view! {
        <section class="panel controls">
            <h2>"Run"</h2>
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
                        prop:value=move || choices.workers.get().to_string()
                        on:input=move |ev| {
                            let asked = event_target_value(&ev).parse::<usize>().unwrap_or(1);
                            choices.workers.set(asked.clamp(1, max_workers));
                        }
                    />
                </label>
            </div>
            <div class="buttons">
                <button
                    type="button"
                    class="primary"
                    data-testid="run"
                    prop:disabled=move || !run.can_start()
                    on:click=move |_| run.start()
                >
                    "Run"
                </button>
                <button
                    type="button"
                    data-testid="cancel"
                    prop:disabled=move || !run.is_running()
                    on:click=move |_| run.cancel()
                >
                    "Cancel"
                </button>
            </div>
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
