//! The last polls and results files a reader loaded, kept in this browser (IndexedDB: on
//! this machine only, never sent anywhere) so that the next visit opens with them.

use std::fmt;
use std::future::IntoFuture;

use idb::builder::{DatabaseBuilder, ObjectStoreBuilder};
use idb::{Database, TransactionMode, TransactionResult};
use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

use super::data::FileKind;

const DATABASE: &str = "election-forecaster";
const FILES: &str = "files";
/// The `localStorage` key of a flag set while files may be kept: it is read at once,
/// where opening IndexedDB takes tens of milliseconds (and slows the workers' start).
const MAYBE_KEPT: &str = "election-forecaster.kept";

/// Whether files may be kept in this browser (then [`kept`] may find some). False where
/// the browser gives no `localStorage`.
pub fn maybe_kept() -> bool {
    local_storage().is_some_and(|s| s.get_item(MAYBE_KEPT).ok().flatten().is_some())
}

/// Sets or clears the flag of [`maybe_kept`]; where there is no `localStorage`, the files
/// are still kept, and only found after the start.
pub fn set_maybe_kept(kept: bool) {
    if let Some(storage) = local_storage() {
        let _ = if kept {
            storage.set_item(MAYBE_KEPT, "1")
        } else {
            storage.remove_item(MAYBE_KEPT)
        };
    }
}

/// The page's `localStorage`, where the browser gives one (private windows and sandboxed
/// frames may refuse it).
fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// The browser's storage refused (private windows may have none).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreError(pub String);

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the browser's storage refused ({})", self.0)
    }
}

impl From<idb::Error> for StoreError {
    fn from(error: idb::Error) -> Self {
        StoreError(error.to_string())
    }
}

/// A file as kept: its name and bytes.
#[derive(Clone, Debug)]
pub struct KeptFile {
    pub kind: FileKind,
    pub name: String,
    pub bytes: Vec<u8>,
}

fn key(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Polls => "polls",
        FileKind::Results => "results",
        // A dropped file is kept as what it turned out to be.
        FileKind::Either => "either",
    }
}

async fn open() -> Result<Database, StoreError> {
    Ok(DatabaseBuilder::new(DATABASE)
        .version(1)
        .add_object_store(ObjectStoreBuilder::new(FILES))
        .build()
        .await?)
}

// Every request of a transaction is made, and its listeners attached, before the first
// `await`: IndexedDB commits a transaction as soon as control returns to the event loop with
// no request pending, and the page's futures may resume a task later than that.

/// Keeps `bytes` as the last file of `kind`, replacing the one kept before.
pub async fn keep(kind: FileKind, name: &str, bytes: &[u8]) -> Result<(), StoreError> {
    let database = open().await?;
    let record = Object::new();
    let set = |field: &str, value: &JsValue| Reflect::set(&record, &field.into(), value);
    set("name", &name.into()).map_err(|e| StoreError(format!("{e:?}")))?;
    set("bytes", &Uint8Array::from(bytes).into()).map_err(|e| StoreError(format!("{e:?}")))?;
    let transaction = database.transaction(&[FILES], TransactionMode::ReadWrite)?;
    let store = transaction.object_store(FILES)?;
    let put = store.put(&record, Some(&key(kind).into()))?.into_future();
    let done = transaction.into_future();
    put.await?;
    committed(done.await?)?;
    database.close();
    set_maybe_kept(true);
    Ok(())
}

/// The files kept, polls first.
pub async fn kept() -> Result<Vec<KeptFile>, StoreError> {
    let database = open().await?;
    let transaction = database.transaction(&[FILES], TransactionMode::ReadOnly)?;
    let store = transaction.object_store(FILES)?;
    let mut gets = Vec::new();
    for kind in [FileKind::Polls, FileKind::Results] {
        gets.push((kind, store.get(JsValue::from(key(kind)))?.into_future()));
    }
    let done = transaction.into_future();
    let mut files = Vec::new();
    for (kind, get) in gets {
        let Some(record) = get.await? else {
            continue;
        };
        let name = Reflect::get(&record, &"name".into())
            .ok()
            .and_then(|n| n.as_string());
        let bytes = Reflect::get(&record, &"bytes".into())
            .ok()
            .and_then(|b| b.dyn_into::<Uint8Array>().ok());
        if let (Some(name), Some(bytes)) = (name, bytes) {
            files.push(KeptFile {
                kind,
                name,
                bytes: bytes.to_vec(),
            });
        }
    }
    done.await?;
    database.close();
    Ok(files)
}

/// Forgets the file of `kind` (or every file, for `None`).
pub async fn forget(kind: Option<FileKind>) -> Result<(), StoreError> {
    let database = open().await?;
    let transaction = database.transaction(&[FILES], TransactionMode::ReadWrite)?;
    let store = transaction.object_store(FILES)?;
    let done = match kind {
        Some(kind) => {
            let delete = store.delete(JsValue::from(key(kind)))?.into_future();
            let done = transaction.into_future();
            delete.await?;
            done
        }
        None => {
            let clear = store.clear()?.into_future();
            let done = transaction.into_future();
            clear.await?;
            done
        }
    };
    committed(done.await?)?;
    database.close();
    if kind.is_none() {
        set_maybe_kept(false);
    }
    Ok(())
}

fn committed(result: TransactionResult) -> Result<(), StoreError> {
    match result {
        TransactionResult::Committed => Ok(()),
        TransactionResult::Aborted => Err(StoreError("the transaction was aborted".into())),
    }
}
