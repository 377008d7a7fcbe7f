//! "Download all": every file of the run shown, as the command line writes them (its CSVs,
//! `README.txt`, `skipped.csv`, `settings.txt`, made by the engine's
//! [`forecast_engine::bundle`]), in one `forecast-run.zip` made on the page.

use std::fmt;
use std::io::{Cursor, Write};
use std::sync::Arc;

use forecast_engine::bundle::{self, BundleError, FinishedRun, Input, Inputs};
use forecast_engine::{PollSet, RunConfig};
use leptos::prelude::*;
use zip::result::ZipError;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::components::download::save_bytes;
use crate::state::data::{use_data, Data, BUILTIN_POLLS, BUILTIN_RESULTS};
use crate::state::run::{use_run, Outcome};
use crate::state::settings::{use_settings, RunSettings, SettingError};

pub const ZIP_FILE: &str = "forecast-run.zip";

/// What a run started with, as the page had it then: the settings, and the polls and the
/// names of the data in use.
#[derive(Clone)]
struct Started {
    config: Result<RunConfig, SettingError>,
    polls: Arc<PollSet>,
    inputs: Inputs,
}

impl Started {
    fn now(data: Data, settings: RunSettings) -> Started {
        let input = |name: String, builtin: &str| {
            if name == builtin {
                Input::BuiltIn(name)
            } else {
                Input::File(name)
            }
        };
        Started {
            config: settings.config(),
            polls: data.polls.get_untracked(),
            inputs: Inputs {
                polls: input(data.polls_source.get_untracked(), BUILTIN_POLLS),
                results: input(data.results_source.get_untracked(), BUILTIN_RESULTS),
                // The page reads no electoral-votes file.
                electoral_votes: None,
            },
        }
    }
}

/// Why the archive was not saved.
#[derive(Debug)]
enum Problem {
    /// The polls in use are no longer the run's, so their name may not be either.
    DataChanged,
    /// The settings cannot be read any more.
    Settings(SettingError),
    Bundle(BundleError),
    Zip(ZipError),
    /// The browser did not take the download.
    Refused,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::DataChanged => f.write_str(
                "the data has changed since this run: run again to download all of its files",
            ),
            Problem::Settings(error) => {
                write!(f, "the settings cannot be read ({error}): run again")
            }
            Problem::Bundle(error) => write!(f, "{error}"),
            Problem::Zip(error) => write!(f, "the archive could not be made: {error}"),
            Problem::Refused => f.write_str("the browser did not take the download"),
        }
    }
}

/// The button, and why its last click saved nothing.
#[component]
pub fn DownloadAllButton() -> impl IntoView {
    let run = use_run();
    let data = use_data();
    let settings = use_settings();
    // The start of the run shown, and of the run going on (its outcome replaces the one
    // shown when it ends). The button appears with the first outcome: the first run's
    // start is taken to be now.
    let shown = StoredValue::new(Started::now(data, settings));
    let going: StoredValue<Option<Started>> = StoredValue::new(None);
    Effect::new(move |before: Option<()>| {
        run.runs.track();
        if before.is_some() {
            going.set_value(Some(Started::now(data, settings)));
        }
    });
    Effect::new(move |before: Option<()>| {
        run.outcome.track();
        if before.is_some() {
            let started = going
                .try_update_value(Option::take)
                .flatten()
                .unwrap_or_else(|| Started::now(data, settings));
            shown.set_value(started);
        }
    });
    let problem: RwSignal<Option<String>> = RwSignal::new(None);
    let save = move |_| {
        let Some(outcome) = run.outcome.get_untracked() else {
            return;
        };
        // The settings the run started with, else (a change while it was planned) those now.
        let candidates = [shown.get_value(), Started::now(data, settings)];
        let saved = archive(&outcome, &candidates).and_then(|bytes| {
            save_bytes(&bytes, "application/zip", ZIP_FILE).ok_or(Problem::Refused)
        });
        problem.set(saved.err().map(|p| format!("Download all: {p}.")));
    };
    view! {
        <button type="button" class="download" data-testid="download-all" on:click=save>
            "Download all"
        </button>
        {move || {
            problem
                .get()
                .map(|text| {
                    view! {
                        <span class="download-problem" role="status" data-testid="download-all-problem">
                            {text}
                        </span>
                    }
                })
        }}
    }
}

/// The zip of the run's files, from the first of `candidates` that describes the run.
fn archive(outcome: &Outcome, candidates: &[Started]) -> Result<Vec<u8>, Problem> {
    let mut problem = Problem::DataChanged;
    for started in candidates {
        if !Arc::ptr_eq(&started.polls, &outcome.polls) {
            continue;
        }
        let config = match &started.config {
            Ok(config) => config,
            Err(error) => {
                problem = Problem::Settings(error.clone());
                continue;
            }
        };
        let files = bundle::files(&FinishedRun {
            plan: &outcome.plan,
            output: &outcome.output,
            config,
            inputs: &started.inputs,
            workers: Some(outcome.workers),
        });
        match files {
            Ok(files) => return zip(&files).map_err(Problem::Zip),
            // The first reason is the run's own settings'.
            Err(error) if matches!(problem, Problem::DataChanged) => {
                problem = Problem::Bundle(error)
            }
            Err(_) => {}
        }
    }
    Err(problem)
}

/// The files as a zip archive. Stored, not compressed: a compressor would add to the
/// page's module, and the archive stays on this machine. Every entry dated 1980-01-01 (the
/// format's first day): the same run gives the same bytes.
fn zip(files: &[(String, String)]) -> Result<Vec<u8>, ZipError> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(DateTime::DEFAULT)
        .unix_permissions(0o644);
    for (name, text) in files {
        zip.start_file(name.as_str(), options)?;
        zip.write_all(text.as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}
