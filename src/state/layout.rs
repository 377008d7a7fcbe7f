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
        request_animation_frame(move || {
            let element = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(&field_element_id(field)));
            if let Some(element) = element {
                use wasm_bindgen::JsCast;
                if let Ok(input) = element.dyn_into::<web_sys::HtmlElement>() {
                    let _ = input.focus();
                }
            }
        });
    }
}

/// The element id of `field`'s input.
pub fn field_element_id(field: Field) -> String {
    format!("field-{}", field.id())
}

pub fn use_layout() -> Layout {
    super::expect()
}
