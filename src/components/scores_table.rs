//! Brier score, log loss and mean absolute margin error per model and forecast date.

use forecast_engine::output::scores_csv;
use leptos::prelude::*;

use crate::app::RunState;
use crate::components::download::DownloadButton;
use crate::format;

#[component]
pub fn ScoresTable(run: RunState) -> impl IntoView {
    let rows = move || {
        run.outcome.get().map(|outcome| {
            outcome
                .output
                .scores
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
        run.outcome
            .with_untracked(|o| o.as_ref().map(|o| scores_csv(&o.output.scores)))
    });
    view! {
        <Show when=move || run.outcome.with(Option::is_some)>
            <section class="panel scores" class:stale=move || run.is_running()>
                <h2>"Scores " <DownloadButton make=csv file="scores.csv" testid="download-scores" /></h2>
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
