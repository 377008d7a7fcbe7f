//! Brier score, log loss and mean absolute margin error per model and forecast date.

use forecast_engine::output::scores_csv;
use leptos::prelude::*;

use forecast_charts::format;

use crate::components::download::DownloadButton;
use crate::state::run::use_run;

#[component]
pub fn ScoresTable() -> impl IntoView {
    let run = use_run();
    let rows = move || {
        run.scores.with(|scores| {
            scores
                .iter()
                .map(|s| {
                    view! {
                        <tr
                            data-model=s.model.name()
                            data-date=s.forecast_date.to_string()
                            data-brier=format::full(s.brier)
                            data-log-loss=format::full(s.log_loss)
                            data-mae=format::full(s.mae)
                        >
                            <td>{s.model.label()}</td>
                            <td>{s.forecast_date.to_string()}</td>
                            <td class="num">{s.n_states}</td>
                            <td class="num">{format::score(s.brier)}</td>
                            <td class="num">{format::score(s.log_loss)}</td>
                            <td class="num">{format::points(s.mae)}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    let csv = Callback::new(move |()| {
        run.has_outcome()
            .then(|| run.scores.with_untracked(|scores| scores_csv(scores)))
    });
    view! {
        <Show when=move || run.has_outcome()>
            <section class="panel scores" class:stale=move || run.is_running()>
                <h2>"Scores " <DownloadButton make=csv file="scores.csv" testid="download-scores" /></h2>
                <Show when=move || run.scores.with(Vec::is_empty)>
                    <crate::components::charts::NoResultsYet />
                </Show>
                <div class="scroll short">
                    <table data-testid="scores">
                        <thead>
                            <tr>
                                <th scope="col">"Model"</th>
                                <th scope="col">"Forecast date"</th>
                                <th scope="col" class="num">"States"</th>
                                <th scope="col" class="num">"Brier"</th>
                                <th scope="col" class="num">"Log loss"</th>
                                <th scope="col" class="num">"MAE (pts)"</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </section>
        </Show>
    }
}
