//! Polls and results in: file pickers, a drop zone, the built-in data, the load report.

use std::sync::Arc;

use forecast_engine::{load_polls, load_results, LoadReport, PollSet, ResultSet};
use js_sys::Uint8Array;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DragEvent, File, FileList, HtmlInputElement};

use crate::app::{Data, PoolState};
use crate::runner;

/// What a file is meant to be.
#[derive(Clone, Copy)]
enum FileKind {
    Polls,
    Results,
    /// Dropped: polls if it reads as polls, otherwise results.
    Either,
}

enum Loaded {
    Polls(PollSet),
    Results(ResultSet),
}

/// Reads `bytes` as `kind`; the engine's error text when the file cannot be used.
fn parse(bytes: &[u8], kind: FileKind) -> Result<Loaded, String> {
    match kind {
        FileKind::Polls => load_polls(bytes)
            .map(Loaded::Polls)
            .map_err(|e| e.to_string()),
        FileKind::Results => load_results(bytes)
            .map(Loaded::Results)
            .map_err(|e| e.to_string()),
        // A results file (state,year,dem,rep) reads as plain polls missing their dates, so
        // any polls error sends it to the results loader.
        FileKind::Either => match load_polls(bytes) {
            Ok(polls) => Ok(Loaded::Polls(polls)),
            Err(polls_error) => match load_results(bytes) {
                Ok(results) => Ok(Loaded::Results(results)),
                Err(results_error) => Err(format!(
                    "neither a polls file ({polls_error}) nor a results file ({results_error})"
                )),
            },
        },
    }
}

/// Reads and parses `file`; on success it replaces the data, otherwise the previous data stays
/// and the error is shown. Parsing runs on the pool once it is up: a large file would
/// otherwise freeze the page.
fn load_file(file: File, kind: FileKind, data: Data, pool: PoolState) {
    let name = file.name();
    data.loading.update(|names| names.push(name.clone()));
    spawn_local(async move {
        let loaded = match JsFuture::from(file.array_buffer()).await {
            Ok(buffer) => {
                let bytes = Uint8Array::new(&buffer).to_vec();
                if pool.started.get_untracked() == Some(Ok(())) {
                    runner::on_pool(move || parse(&bytes, kind), || {}).await
                } else {
                    parse(&bytes, kind)
                }
            }
            Err(e) => Err(format!("the browser could not read it ({e:?})")),
        };
        data.loading.update(|names| {
            if let Some(at) = names.iter().position(|n| *n == name) {
                names.remove(at);
            }
        });
        match loaded {
            Ok(Loaded::Polls(polls)) => {
                data.polls.set(Arc::new(polls));
                data.polls_source.set(name);
                data.error.set(None);
            }
            Ok(Loaded::Results(results)) => {
                data.results.set(Arc::new(results));
                data.results_source.set(name);
                data.error.set(None);
            }
            Err(message) => data
                .error
                .set(Some(format!("{name} was not loaded: {message}"))),
        }
    });
}

fn files_of(list: Option<FileList>) -> Vec<File> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.item(i)).collect()
}

#[component]
pub fn Loader(data: Data, pool: PoolState) -> impl IntoView {
    let dragging = RwSignal::new(false);
    let picked = move |kind: FileKind| {
        move |ev: leptos::ev::Event| {
            let input: HtmlInputElement = event_target(&ev);
            for file in files_of(input.files()) {
                load_file(file, kind, data, pool);
            }
            // Choosing the same file again should load it again.
            input.set_value("");
        }
    };
    let on_drop = move |ev: DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        for file in files_of(ev.data_transfer().and_then(|t| t.files())) {
            load_file(file, FileKind::Either, data, pool);
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
                            on:change=picked(FileKind::Polls)
                        />
                    </label>
                    <label>
                        "Results file (optional) "
                        <input
                            type="file"
                            accept=".csv,.tsv,.txt,text/csv"
                            data-testid="results-file"
                            on:change=picked(FileKind::Results)
                        />
                    </label>
                    <button type="button" data-testid="use-builtin" on:click=move |_| data.use_builtin()>
                        "Use the built-in 2016 data"
                    </button>
                </div>
                <Show when=move || data.loading.with(|names| !names.is_empty())>
                    <p class="loading">"Reading " {move || data.loading.get().join(", ")} "…"</p>
                </Show>
            </div>
            <div class="load-report" data-testid="load-report">
                <PollsReport data=data />
                <ResultsReport data=data />
            </div>
        </section>
    }
}

#[component]
fn PollsReport(data: Data) -> impl IntoView {
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
                <h3>"Polls: " {data.polls_source.get()}</h3>
                <p>{summary}</p>
                <ReportDetails report=polls.report.clone() />
            </div>
        }
    }
}

#[component]
fn ResultsReport(data: Data) -> impl IntoView {
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
                <h3>"Results: " {data.results_source.get()}</h3>
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
