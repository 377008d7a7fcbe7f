//! Brier score, log loss and mean absolute margin error per model and forecast date.

use forecast_engine::output::scores_csv;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::app::RunState;
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
                <h2>"Scores " <DownloadButton make=csv file="scores.csv" /></h2>
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

/// A button that saves a CSV made on click as a local file; nothing is uploaded.
#[component]
pub fn DownloadButton(make: Callback<(), Option<String>>, file: &'static str) -> impl IntoView {
    let save = move |_| {
        if let Some(csv) = make.run(()) {
            save_text(&csv, file);
        }
    };
    view! {
        <button type="button" class="download" on:click=save>
            "Download CSV"
        </button>
    }
}

/// Hands `text` to the browser as a download named `file`.
fn save_text(text: &str, file: &str) -> Option<()> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/csv");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let document = web_sys::window()?.document()?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a").ok()?.dyn_into().ok()?;
    link.set_href(&url);
    link.set_download(file);
    link.click();
    web_sys::Url::revoke_object_url(&url).ok()
}
