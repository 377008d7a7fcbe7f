//! Brier score, log loss and mean absolute margin error per model and forecast date.

use std::fmt::Write;

use forecast_engine::output::scores_csv;
use forecast_engine::ScoreRow;
use leptos::prelude::*;

use forecast_charts::format::{self, escape};

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
    // One HTML string for the body (a daily grid has 272 rows of eight elements each),
    // parsed by the browser at once rather than built element by element.
    let rows = move || {
        run.scores.with(|scores| {
            ec_scores.with(|ec| {
                let mut html = String::with_capacity(scores.len() * 400);
                for s in scores {
                    let ec_brier = ec
                        .iter()
                        .find(|(key, _)| *key == (s.model, s.forecast_date))
                        .map(|(_, b)| *b);
                    write_row(&mut html, s, ec_brier);
                }
                html
            })
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
                        <tbody inner_html=rows></tbody>
                    </table>
                </div>
            </section>
        </Show>
    }
}

/// One `<tr>`: numbers for people in the cells, full precision in the data-* attributes.
fn write_row(html: &mut String, s: &ScoreRow, ec_brier: Option<f64>) {
    let _ = write!(
        html,
        "<tr data-model=\"{model}\" data-date=\"{date}\" data-brier=\"{brier}\" \
         data-log-loss=\"{log_loss}\" data-mae=\"{mae}\" data-ec-brier=\"{ec}\">\
         <td>{label}</td><td>{date}</td><td class=\"num\">{states}</td>\
         <td class=\"num\">{brier_text}</td><td class=\"num\">{log_loss_text}</td>\
         <td class=\"num\">{mae_text}</td><td class=\"num\">{ec_text}</td></tr>",
        model = escape(s.model.name()),
        label = escape(s.model.label()),
        date = s.forecast_date,
        brier = format::full(s.brier),
        log_loss = format::full(s.log_loss),
        mae = format::full(s.mae),
        ec = ec_brier.map(format::full).unwrap_or_default(),
        states = s.n_states,
        brier_text = format::score(s.brier),
        log_loss_text = format::score(s.log_loss),
        mae_text = format::points(s.mae),
        ec_text = ec_brier.map_or_else(|| "–".to_string(), format::score),
    );
}
