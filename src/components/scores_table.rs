//! Brier score, log loss and mean absolute margin error per model and forecast date.

use forecast_engine::output::scores_csv;
use leptos::prelude::*;

use forecast_charts::format;

use crate::components::download::DownloadButton;
use crate::state::run::use_run;

#[component]
pub fn ScoresTable() -> impl IntoView {
    let run = use_run();
    // The electoral college's score of each (model, date), when the result is known.
    let ec_scores = Memo::new(move |_| {
        run.outcome.with(|o| {
            let Some(Ok(electoral)) = o.as_ref().map(|o| &o.output.electoral) else {
                return Vec::new();
            };
            electoral
                .pairs
                .iter()
                .filter_map(|p| {
                    let a = p.result.as_ref().ok()?.outcome.actual?;
                    Some(((p.model, p.forecast_date), a.brier))
                })
                .collect::<Vec<_>>()
        })
    });
    let rows = move || {
        run.scores.with(|scores| {
            scores
                .iter()
                .map(|s| {
                    let ec_brier = ec_scores.with(|e| {
                        e.iter()
                            .find(|(key, _)| *key == (s.model, s.forecast_date))
                            .map(|(_, b)| *b)
                    });
                    view! {
                        <tr
                            data-model=s.model.name()
                            data-date=s.forecast_date.to_string()
                            data-brier=format::full(s.brier)
                            data-log-loss=format::full(s.log_loss)
                            data-mae=format::full(s.mae)
                            data-ec-brier=ec_brier.map(format::full).unwrap_or_default()
                        >
                            <td>{s.model.label()}</td>
                            <td>{s.forecast_date.to_string()}</td>
                            <td class="num">{s.n_states}</td>
                            <td class="num">{format::score(s.brier)}</td>
                            <td class="num">{format::score(s.log_loss)}</td>
                            <td class="num">{format::points(s.mae)}</td>
                            <td class="num">{ec_brier.map_or_else(|| "–".to_string(), format::score)}</td>
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
            <section class="panel scores" class:stale=move || run.dimmed()>
                <h2>"Scores " <DownloadButton make=csv file="scores.csv" testid="download-scores" /></h2>
                <Show when=move || run.scores.with(Vec::is_empty)>
                    <crate::components::charts::NoResultsYet />
                </Show>
                <div class="scroll short" tabindex="0" role="region" aria-label="Scores table">
                    <table data-testid="scores">
                        <thead>
                            <tr>
                                <th scope="col">"Model"</th>
                                <th scope="col">"Forecast date"</th>
                                <th scope="col" class="num">"States"</th>
                                <th scope="col" class="num">"Brier"</th>
                                <th scope="col" class="num">"Log loss"</th>
                                <th scope="col" class="num">"MAE (pts)"</th>
                                <th scope="col" class="num" title="Brier score of the chance of winning the electoral college">"Electoral college Brier"</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </section>
        </Show>
    }
}
