//! Polls and results in: file pickers, a drop zone, the built-in data, the load report.

use forecast_engine::LoadReport;
use leptos::prelude::*;
use web_sys::{DragEvent, File, FileList, HtmlInputElement};

use crate::state::data::{use_data, FileKind};

fn files_of(list: Option<FileList>) -> Vec<File> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.item(i)).collect()
}

#[component]
pub fn Loader() -> impl IntoView {
    let data = use_data();
    let dragging = RwSignal::new(false);
    let picked = move |kind: FileKind| {
        move |ev: leptos::ev::Event| {
            let input: HtmlInputElement = event_target(&ev);
            for file in files_of(input.files()) {
                data.load_file(file, kind);
            }
            // Choosing the same file again should load it again.
            input.set_value("");
        }
    };
    let on_drop = move |ev: DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        for file in files_of(ev.data_transfer().and_then(|t| t.files())) {
            data.load_file(file, FileKind::Either);
        }
    };

    view! {
        <section class="panel loader">
            <h2>"Data"</h2>
            <div
                class="dropzone"
                class:dragging=move || dragging.get()
                data-testid="dropzone"
                on:dragover=move |ev: DragEvent| {
                    ev.prevent_default();
                    dragging.set(true);
                }
                on:dragleave=move |_| dragging.set(false)
                on:drop=on_drop
            >
                <p class="hint">
                    "Drop a polls CSV here (FiveThirtyEight 2016 timeseries, FiveThirtyEight president_polls, or plain state,start_date,end_date,pollster,sample_size,dem,rep), and a results CSV if you have one, or choose them:"
                </p>
                <div class="pickers">
                    <label>
                        "Polls file "
                        <input
                            type="file"
                            accept=".csv,.tsv,.txt,text/csv"
                            data-testid="polls-file"
                            aria-invalid=move || data.error.with(Option::is_some).to_string()
                            aria-describedby=move || data.error.with(|e| e.is_some().then_some("data-error"))
                            on:change=picked(FileKind::Polls)
                        />
                    </label>
                    <label>
                        "Results file (optional) "
                        <input
                            type="file"
                            accept=".csv,.tsv,.txt,text/csv"
                            data-testid="results-file"
                            aria-invalid=move || data.error.with(Option::is_some).to_string()
                            aria-describedby=move || data.error.with(|e| e.is_some().then_some("data-error"))
                            on:change=picked(FileKind::Results)
                        />
                    </label>
                    <button type="button" data-testid="use-builtin" on:click=move |_| data.use_builtin()>
                        "Use the built-in 2016 data"
                    </button>
                    <Show when=move || data.kept.with(|k| k.0 || k.1)>
                        <button type="button" data-testid="forget-files" on:click=move |_| data.forget_files()>
                            "Forget my files"
                        </button>
                    </Show>
                </div>
                <Show when=move || data.error.with(Option::is_some)>
                    <p class="error" role="alert" id="data-error" data-testid="error" data-kind="data">
                        {move || data.error.get().map(|e| e.to_string()).unwrap_or_default()}
                    </p>
                </Show>
                <Show when=move || data.is_loading()>
                    <p class="loading" data-testid="data-loading">"Reading " {move || data.loading.get().join(", ")} "…"</p>
                </Show>
            </div>
            <p class="hint">
                "Files you load stay on this machine: the page reads them here, and keeps the last polls and results files in this browser for your next visit (Forget my files deletes them)."
            </p>
            <Show when=move || data.notes.with(|n| !n.is_empty())>
                <ul class="notes" data-testid="data-notes">
                    {move || data.notes.get().into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
                </ul>
            </Show>
            <div class="load-report" data-testid="load-report">
                <PollsReport />
                <ResultsReport />
            </div>
        </section>
    }
}

#[component]
fn PollsReport() -> impl IntoView {
    let data = use_data();
    move || {
        let polls = data.polls.get();
        let summary = format!(
            "{} polls from {} pollsters{}",
            polls.polls.len(),
            polls.pollsters.len(),
            polls
                .year
                .map(|y| format!(", election of {y}"))
                .unwrap_or_default()
        );
        view! {
            <div class="report" data-testid="polls-report" data-used=polls.polls.len()>
                <h3>
                    "Polls: " {data.polls_source.get()}
                    {data.kept.get().0.then_some(" (kept in this browser)")}
                </h3>
                <p>{summary}</p>
                <ReportDetails report=polls.report.clone() />
            </div>
        }
    }
}

#[component]
fn ResultsReport() -> impl IntoView {
    let data = use_data();
    move || {
        let results = data.results.get();
        let years = results.years();
        let span = match (years.first(), years.last()) {
            (Some(first), Some(last)) => {
                format!("{} state results, {first}-{last}", results.margins.len())
            }
            _ => "no results".to_string(),
        };
        view! {
            <div class="report" data-testid="results-report" data-used=results.margins.len()>
                <h3>
                    "Results: " {data.results_source.get()}
                    {data.kept.get().1.then_some(" (kept in this browser)")}
                </h3>
                <p>{span}</p>
                <ReportDetails report=results.report.clone() />
            </div>
        }
    }
}

/// Rows used and skipped by reason, with the first rows of each reason named.
#[component]
fn ReportDetails(report: LoadReport) -> impl IntoView {
    let totals = format!(
        "{} layout: {} rows, {} used, {} skipped",
        report.layout,
        report.rows,
        report.used_rows,
        report.skipped_rows()
    );
    let mut examples = report.examples.clone();
    examples.sort_by_key(|e| e.line);
    let reasons = report
        .skipped
        .iter()
        .map(|(reason, count)| {
            view! {
                <li data-reason=format!("{reason:?}") data-count=*count>
                    <span class="count">{*count}</span>
                    " "
                    {reason.describe()}
                </li>
            }
        })
        .collect_view();
    let skipped = (!report.skipped.is_empty()).then(|| {
        view! {
            <ul class="skipped">{reasons}</ul>
            <details>
                <summary>"First skipped rows"</summary>
                <ul class="examples">
                    {examples.iter().map(|e| view! { <li>{e.to_string()}</li> }).collect_view()}
                </ul>
            </details>
        }
    });
    view! {
        <p>{totals}</p>
        {skipped}
    }
}
