//! What is open on the page: the data and settings fold away once a run has answered,
//! and open again when the reader (or a setting to fix) needs them.

use leptos::prelude::*;

use super::settings::Field;

#[derive(Clone, Copy)]
pub struct Layout {
    /// Whether the data and settings are unfolded.
    pub setup_open: RwSignal<bool>,
}

impl Layout {
    pub fn provide() -> Layout {
        let layout = Layout {
            setup_open: RwSignal::new(true),
        };
        provide_context(layout);
        layout
    }

    /// Unfolds the settings and puts the cursor in `field`, once it is drawn.
    pub fn show_field(&self, field: Field) {
        self.setup_open.set(true);
        focus_when_shown(field_element_id(field), FOCUS_FRAMES);
    }
}

/// Frames to wait for a field to show: the page's effects (which unfold the settings) may
/// run a frame or two after the click.
const FOCUS_FRAMES: u32 = 10;

/// Focuses the element `id` in one of the next `frames` frames, once focusing it works.
fn focus_when_shown(id: String, frames: u32) {
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        let document = web_sys::window().and_then(|w| w.document());
        let input = document
            .as_ref()
            .and_then(|d| d.get_element_by_id(&id))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(input) = &input {
            let _ = input.focus();
        }
        let focused = match (&document, &input) {
            (Some(d), Some(input)) => d
                .active_element()
                .is_some_and(|a| a.is_same_node(Some(input))),
            _ => false,
        };
        if !focused && frames > 1 {
            focus_when_shown(id, frames - 1);
        }
    });
}

/// The element id of `field`'s input.
pub fn field_element_id(field: Field) -> String {
    format!("field-{}", field.id())
}

pub fn use_layout() -> Layout {
    super::expect()
}
