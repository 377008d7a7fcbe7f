//! The polls and results a run uses, where they came from, the files being read and the
//! last file that could not be used. Reading a file happens here; the loader component
//! only hands files over.

use std::fmt;
use std::sync::Arc;

use forecast_engine::builtin::{self, Encoded, EncodedDataError};
use forecast_engine::{LoadError, PollSet, ResultSet};

use crate::jobs::Loaded;
use js_sys::Uint8Array;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::File;

use super::pool::Pool;
use super::store;
use crate::runner::{self, PoolLost};

pub const BUILTIN_POLLS: &str = "built-in 2016 polls (FiveThirtyEight via dslabs)";
/// The built-in polls, next to the page and already read (`builtin::decode_polls`): a
/// file the browser fetches (and caches) rather than 200 kB that the WebAssembly module
/// would carry.
pub const BUILTIN_POLLS_FILE: &str = builtin::POLLS_2016_ENCODED_FILE;
pub const BUILTIN_RESULTS: &str = "built-in results 1976-2020 (MIT Election Lab)";
/// Loading while the files kept from the last visit are looked up.
const KEPT_FILES: &str = "the files kept from your last visit";

/// What a file is meant to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(
    not(target_feature = "atomics"),
    derive(serde::Serialize, serde::Deserialize)
)]
pub enum FileKind {
    Polls,
    Results,
    /// Dropped: polls if it reads as polls, otherwise results.
    Either,
}

/// A file, or the built-in data, that could not be used.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(
    not(target_feature = "atomics"),
    derive(serde::Serialize, serde::Deserialize)
)]
pub enum DataError {
    /// The built-in polls file could not be fetched.
    BuiltinUnavailable(String),
    /// The built-in polls file, or the built-in results the module carries, do not
    /// decode.
    BuiltinDamaged(EncodedDataError),
    /// The browser could not read the file.
    Unreadable {
        file: String,
        message: String,
    },
    NotLoaded {
        file: String,
        error: LoadError,
    },
    /// The engine's worker went away while reading the file.
    Pool(PoolLost),
    /// A dropped file that is neither polls nor results.
    Neither {
        file: String,
        polls: LoadError,
        results: LoadError,
    },
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DataError::BuiltinUnavailable(why) => write!(
                f,
                "the built-in polls ({BUILTIN_POLLS_FILE}) could not be fetched ({why}); load a polls file instead"
            ),
            DataError::BuiltinDamaged(error @ EncodedDataError::Decode(Encoded::Results, _)) => {
                write!(
                    f,
                    "the built-in results cannot be used: {error}; reload the page, or load a results file instead"
                )
            }
            DataError::BuiltinDamaged(error) => write!(
                f,
                "the built-in polls ({BUILTIN_POLLS_FILE}) cannot be used: {error}; reload the page, or load a polls file instead"
            ),
            DataError::Unreadable { file, message } => {
                write!(f, "{file} was not loaded: the browser could not read it ({message})")
            }
            DataError::NotLoaded { file, error } => write!(f, "{file} was not loaded: {error}"),
            DataError::Pool(lost) => write!(f, "{lost}"),
            DataError::Neither {
                file,
                polls,
                results,
            } => write!(
                f,
                "{file} was not loaded: neither a polls file ({polls}) nor a results file ({results})"
            ),
        }
    }
}

#[derive(Clone, Copy)]
pub struct Data {
    pub polls: RwSignal<Arc<PollSet>>,
    pub polls_source: RwSignal<String>,
    pub results: RwSignal<Arc<ResultSet>>,
    pub results_source: RwSignal<String>,
    /// The files being read.
    pub loading: RwSignal<Vec<String>>,
    /// The last file that could not be used; the data in use stays as it was.
    pub error: RwSignal<Option<DataError>>,
    /// Whether the polls and the results in use are files kept in this browser.
    pub kept: RwSignal<(bool, bool)>,
    /// Whether the built-in data's fetch and decoding have ended, loaded or not: the
    /// page's start is then over (the panels below the Run bar wait for it).
    pub started: RwSignal<bool>,
    /// The built-in polls (once fetched and decoded) and results.
    builtin: StoredValue<Option<(Arc<PollSet>, Arc<ResultSet>)>>,
    /// What happened to the files kept from the last visit, or to keeping one.
    pub notes: RwSignal<Vec<String>>,
    pool: Pool,
}

impl Data {
    /// The data state, with the built-in data loaded so that Run works at once; the files
    /// kept from the last visit replace it once read.
    pub fn provide(pool: Pool) -> Data {
        let data = Data {
            polls: RwSignal::new(Arc::new(PollSet::default())),
            polls_source: RwSignal::new(String::new()),
            results: RwSignal::new(Arc::new(ResultSet::default())),
            results_source: RwSignal::new(String::new()),
            loading: RwSignal::new(Vec::new()),
            error: RwSignal::new(None),
            kept: RwSignal::new((false, false)),
            started: RwSignal::new(false),
            builtin: StoredValue::new(None),
            notes: RwSignal::new(Vec::new()),
            pool,
        };
        // The built-in data first, then the files kept from the last visit over it.
        spawn_local(async move {
            let waiting = data.fetch_builtin().await;
            data.restore().await;
            if waiting {
                data.done_loading(KEPT_FILES);
            }
        });
        provide_context(data);
        data
    }

    /// Fetches the built-in polls (Run waits for them) and decodes them, with the built-in
    /// results: the polls are already read, and decoding takes a few milliseconds where
    /// the read took tens.
    ///
    /// Where files may be kept from the last visit ([`store::maybe_kept`], looked at once
    /// the workers have started, while one decodes), they count as loading before the
    /// built-in data is in use: Run then waits for them rather than being enabled with
    /// the built-in data until they are found. Returns whether they do.
    async fn fetch_builtin(&self) -> bool {
        let name = BUILTIN_POLLS.to_string();
        self.loading.update(|names| names.push(name.clone()));
        let builtin = async {
            match fetch_bytes(BUILTIN_POLLS_FILE).await {
                Ok(bytes) => {
                    let on_engine =
                        cfg!(target_feature = "atomics") && self.pool.until_started().await.is_ok();
                    runner::builtin_data(bytes, on_engine).await
                }
                Err(why) => Err(DataError::BuiltinUnavailable(why)),
            }
        };
        let kept = async {
            let _ = self.pool.until_started().await;
            let kept = store::maybe_kept();
            if kept {
                self.loading
                    .update(|names| names.push(KEPT_FILES.to_string()));
            }
            kept
        };
        let (builtin, kept) = futures::join!(builtin, kept);
        self.done_loading(&name);
        match builtin {
            Ok((polls, results)) => {
                self.builtin
                    .set_value(Some((Arc::new(polls), Arc::new(results))));
                self.use_builtin();
            }
            Err(error) => self.error.set(Some(error)),
        }
        self.started.set(true);
        kept
    }

    pub fn is_loading(&self) -> bool {
        self.loading.with(|names| !names.is_empty())
    }

    /// The built-in data set (once fetched and decoded).
    pub fn use_builtin(&self) {
        let Some((polls, results)) = self.builtin.get_value() else {
            return;
        };
        self.polls.set(polls);
        self.polls_source.set(BUILTIN_POLLS.to_string());
        self.results.set(results);
        self.results_source.set(BUILTIN_RESULTS.to_string());
        self.kept.set((false, false));
        self.error.set(None);
    }

    /// Forgets the files kept in this browser and goes back to the built-in data.
    pub fn forget_files(&self) {
        let data = *self;
        spawn_local(async move {
            match store::forget(None).await {
                Ok(()) => data.notes.set(vec![
                    "Your files are forgotten: this browser keeps none of them now.".into(),
                ]),
                Err(e) => data.notes.set(vec![e.to_string()]),
            }
        });
        self.use_builtin();
    }

    /// Reads `file` and loads it; see [`Data::load_bytes`].
    pub fn load_file(&self, file: File, kind: FileKind) {
        let data = *self;
        let name = file.name();
        data.loading.update(|names| names.push(name.clone()));
        spawn_local(async move {
            match JsFuture::from(file.array_buffer()).await {
                Ok(buffer) => {
                    let bytes = Uint8Array::new(&buffer).to_vec();
                    data.load_bytes(name, bytes, kind, Origin::Reader).await;
                }
                Err(e) => {
                    data.done_loading(&name);
                    data.error.set(Some(DataError::Unreadable {
                        file: name,
                        message: format!("{e:?}"),
                    }));
                }
            }
        });
    }

    /// Parses `bytes`; on success they replace the polls or results (and a file the reader
    /// chose is kept for the next visit), otherwise the data stays as it was and the error
    /// is kept. Parsing waits for the engine's workers and runs there: on the page's
    /// thread a large file would freeze the page, and during the start it would hold back
    /// the messages that start the workers. The page's thread parses only if the workers
    /// failed.
    async fn load_bytes(&self, name: String, bytes: Vec<u8>, kind: FileKind, origin: Origin) {
        let data = *self;
        if !data.loading.with_untracked(|names| names.contains(&name)) {
            data.loading.update(|names| names.push(name.clone()));
        }
        // The bytes are kept only once they have loaded.
        let keep = (origin == Origin::Reader).then(|| bytes.clone());
        let on_engine = data.pool.until_started().await.is_ok();
        let loaded = runner::load(name.clone(), bytes, kind, on_engine).await;
        data.done_loading(&name);
        let kind = match loaded {
            Ok(Loaded::Polls(polls)) => {
                data.polls.set(Arc::new(polls));
                data.polls_source.set(name.clone());
                data.kept.update(|k| k.0 = origin == Origin::Kept);
                data.error.set(None);
                FileKind::Polls
            }
            Ok(Loaded::Results(results)) => {
                data.results.set(Arc::new(results));
                data.results_source.set(name.clone());
                data.kept.update(|k| k.1 = origin == Origin::Kept);
                data.error.set(None);
                FileKind::Results
            }
            Err(error) => {
                if origin == Origin::Kept {
                    // A kept file that no longer loads (a new version of the page reads it
                    // otherwise): dropped, with a note.
                    let _ = store::forget(Some(kind)).await;
                    data.notes.update(|n| {
                        n.push(format!(
                            "{name}, kept from your last visit, no longer loads and was dropped: {error}"
                        ))
                    });
                } else {
                    data.error.set(Some(error));
                }
                return;
            }
        };
        if let Some(bytes) = keep {
            match store::keep(kind, &name, &bytes).await {
                Ok(()) => data.kept.update(|k| match kind {
                    FileKind::Polls => k.0 = true,
                    _ => k.1 = true,
                }),
                Err(e) => data
                    .notes
                    .update(|n| n.push(format!("{name} is not kept for your next visit: {e}"))),
            }
        }
    }

    fn done_loading(&self, name: &str) {
        self.loading.update(|names| {
            if let Some(at) = names.iter().position(|n| n == name) {
                names.remove(at);
            }
        });
    }

    /// Loads the files kept from the last visit, once the pool is up to parse them.
    async fn restore(&self) {
        let files = match store::kept().await {
            Ok(files) => files,
            Err(e) => {
                self.notes.update(|n| {
                    n.push(format!(
                        "The files kept in this browser could not be read: {e}"
                    ))
                });
                return;
            }
        };
        // The flag follows what the store holds, files kept before it existed included.
        store::set_maybe_kept(!files.is_empty());
        for file in files {
            self.load_bytes(file.name, file.bytes, file.kind, Origin::Kept)
                .await;
        }
    }
}

/// The bytes at `url` (relative to the page), or why not.
async fn fetch_bytes(url: &str) -> Result<Vec<u8>, String> {
    let window = web_sys::window().ok_or("no window")?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|e| format!("{e:?}"))?
        .dyn_into()
        .map_err(|_| "not a response".to_string())?;
    if !response.ok() {
        return Err(format!("HTTP {}", response.status()));
    }
    let buffer = response.array_buffer().map_err(|e| format!("{e:?}"))?;
    let buffer = JsFuture::from(buffer).await.map_err(|e| format!("{e:?}"))?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// Where bytes to load come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Origin {
    /// A file the reader chose or dropped now.
    Reader,
    /// A file kept in this browser from an earlier visit.
    Kept,
}

pub fn use_data() -> Data {
    super::expect()
}
