//! "Download all": every file of the run shown, as the command line writes them (its CSVs,
//! `README.txt`, `skipped.csv`, `settings.txt`, made by the engine's
//! [`forecast_engine::bundle`]), in one `forecast-run.zip` made on the page.

use std::fmt;
use std::io::{Cursor, Write};

use forecast_engine::bundle::{self, BundleError, FinishedRun, Input, Inputs};
use leptos::prelude::*;
use zip::result::ZipError;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::components::download::save_bytes;
use crate::state::data::{BUILTIN_POLLS, BUILTIN_RESULTS};
use crate::state::run::{use_run, Outcome};

pub const ZIP_FILE: &str = "forecast-run.zip";

/// Why the archive was not saved.
#[derive(Debug)]
enum Problem {
    Bundle(BundleError),
    Zip(ZipError),
    /// The browser did not take the download.
    Refused,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
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
    let problem: RwSignal<Option<String>> = RwSignal::new(None);
    let save = move |_| {
        let Some(outcome) = run.outcome.get_untracked() else {
            return;
        };
        let saved = archive(&outcome).and_then(|bytes| {
            save_bytes(&bytes, "application/zip", ZIP_FILE).ok_or(Problem::Refused)
        });
        problem.set(saved.err().map(|p| format!("Download all: {p}.")));
    };
    view! {
        // The archive holds every date's tipping points: it waits for them.
        <button
            type="button"
            class="download"
            data-testid="download-all"
            on:click=save
            prop:disabled=move || run.tipping_pending.get()
        >
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

/// The zip of the files of the run shown, with the settings and inputs it ran with.
fn archive(outcome: &Outcome) -> Result<Vec<u8>, Problem> {
    let input = |name: &str, builtin: &str| {
        if name == builtin {
            Input::BuiltIn(name.to_string())
        } else {
            Input::File(name.to_string())
        }
    };
    let inputs = Inputs {
        polls: input(&outcome.sources.0, BUILTIN_POLLS),
        results: input(&outcome.sources.1, BUILTIN_RESULTS),
        // The page reads no electoral-votes file.
        electoral_votes: None,
    };
    let files = bundle::files(&FinishedRun {
        plan: &outcome.plan,
        output: &outcome.output,
        config: &outcome.config,
        inputs: &inputs,
        workers: Some(outcome.workers),
    })
    .map_err(Problem::Bundle)?;
    zip(&files).map_err(Problem::Zip)
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
