//! Buttons that save something made on click (a CSV, a chart's SVG, an archive) as a
//! local file; nothing is uploaded.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Saves the CSV that `make` returns (if any) as `file`; disabled while `waiting`.
#[component]
pub fn DownloadButton(
    make: Callback<(), Option<String>>,
    file: &'static str,
    testid: &'static str,
    #[prop(default = "Download CSV")] label: &'static str,
    #[prop(optional, into)] waiting: Option<Signal<bool>>,
) -> impl IntoView {
    let save = move |_| {
        if let Some(csv) = make.run(()) {
            save_text(&csv, "text/csv", file);
        }
    };
    view! {
        <button
            type="button"
            class="download"
            data-testid=testid
            on:click=save
            prop:disabled=move || waiting.is_some_and(|w| w.get())
        >
            {label}
        </button>
    }
}

/// Saves the `<svg>` with id `target`, as drawn now, as `file`.
#[component]
pub fn SvgDownloadButton(
    target: &'static str,
    file: &'static str,
    testid: &'static str,
) -> impl IntoView {
    let save = move |_| {
        if let Some(svg) = svg_text(target) {
            save_text(&svg, "image/svg+xml", file);
        }
    };
    view! {
        <button type="button" class="download" data-testid=testid on:click=save>
            "Download SVG"
        </button>
    }
}

/// The element `id` serialised as a standalone SVG document. The charts give fonts and
/// colours as attributes, so the file looks as the page does without the page's CSS.
fn svg_text(id: &str) -> Option<String> {
    let element = web_sys::window()?.document()?.get_element_by_id(id)?;
    let text = web_sys::XmlSerializer::new()
        .ok()?
        .serialize_to_string(&element)
        .ok()?;
    Some(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{text}\n"
    ))
}

/// Hands `text` to the browser as a download named `file`.
fn save_text(text: &str, mime: &str, file: &str) -> Option<()> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
    save_blob(&blob, file)
}

/// Hands `bytes` to the browser as a download named `file`; `None` if it refused.
pub fn save_bytes(bytes: &[u8], mime: &str, file: &str) -> Option<()> {
    // A copy in a buffer of its own: a Blob refuses a view of the threaded build's shared
    // memory.
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).ok()?;
    save_blob(&blob, file)
}

/// Saves `blob` as `file` through a link clicked for the reader.
fn save_blob(blob: &web_sys::Blob, file: &str) -> Option<()> {
    let url = web_sys::Url::create_object_url_with_blob(blob).ok()?;
    let document = web_sys::window()?.document()?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a").ok()?.dyn_into().ok()?;
    link.set_href(&url);
    link.set_download(file);
    link.click();
    web_sys::Url::revoke_object_url(&url).ok()
}
