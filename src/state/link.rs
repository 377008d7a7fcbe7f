//! The settings and what the charts show, in the page's address: read once when the page
//! opens (a value that cannot be used is left out, with a note saying so), written back on
//! every change, so that a link opens the page as it was. Files are not in the link.

use chrono::NaiveDate;
use forecast_engine::electoral::Structure;
use forecast_engine::{ModelKind, State};
use leptos::prelude::*;

use super::pool::Pool;
use super::selection::Selection;
use super::settings::RunSettings;

/// The names of the settings in the address.
mod key {
    pub const MODELS: &str = "models";
    pub const DATES: &str = "dates";
    pub const SEED: &str = "seed";
    pub const SIMS: &str = "sims";
    pub const MIN_POLLS: &str = "min_polls";
    pub const WORKERS: &str = "workers";
    pub const EC: &str = "ec";
    pub const EC_SIMS: &str = "ec_sims";
    pub const EC_NATIONAL: &str = "ec_national";
    pub const EC_STRUCTURE: &str = "ec_structure";
    pub const MODEL: &str = "model";
    pub const DATE: &str = "date";
    pub const STATE: &str = "state";
}

#[derive(Clone, Copy)]
pub struct Link {
    /// What the link asked for that could not be used.
    pub notes: RwSignal<Vec<String>>,
}

impl Link {
    pub fn provide(pool: Pool, settings: RunSettings, selection: Selection) -> Link {
        let link = Link {
            notes: RwSignal::new(Vec::new()),
        };
        let query = web_sys::window()
            .and_then(|w| w.location().search().ok())
            .unwrap_or_default();
        let notes = apply(&query, pool, settings, selection);
        link.notes.set(notes);
        // Written back on every change (the values that differ from the defaults);
        // replaceState keeps the history clean.
        let defaults = Defaults::of(pool);
        Effect::new(move |_| {
            let query = query_of(settings, selection, &defaults);
            let Some(window) = web_sys::window() else {
                return;
            };
            let url = if query.is_empty() {
                "?".to_string()
            } else {
                format!("?{query}")
            };
            // A run's end refits the selection, mostly to what it was: no history entry
            // to rewrite then.
            let search = window.location().search().unwrap_or_default();
            if search == url || (search.is_empty() && url == "?") {
                return;
            }
            if let Ok(history) = window.history() {
                let _ =
                    history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
            }
        });
        provide_context(link);
        link
    }

    /// The page's address as it is now.
    pub fn url() -> Option<String> {
        web_sys::window()?.location().href().ok()
    }
}

/// Pairs of the query string, decoded.
fn pairs(query: &str) -> Vec<(String, String)> {
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(query) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for key in [
        key::MODELS,
        key::DATES,
        key::SEED,
        key::SIMS,
        key::MIN_POLLS,
        key::WORKERS,
        key::EC,
        key::EC_SIMS,
        key::EC_NATIONAL,
        key::EC_STRUCTURE,
        key::MODEL,
        key::DATE,
        key::STATE,
    ] {
        if let Some(value) = params.get(key) {
            out.push((key.to_string(), value));
        }
    }
    out
}

/// Applies what the query asks for; returns a note per value left out.
fn apply(query: &str, pool: Pool, settings: RunSettings, selection: Selection) -> Vec<String> {
    let mut notes = Vec::new();
    let mut refuse = |key: &str, value: &str, why: &str| {
        let value: String = value.chars().take(40).collect();
        notes.push(format!("The link's {key}={value:?} was left out: {why}."));
    };
    for (k, value) in pairs(query) {
        let v = value.trim();
        match k.as_str() {
            key::MODELS => {
                let models: Option<Vec<ModelKind>> = v.split(',').map(ModelKind::parse).collect();
                match models {
                    Some(mut models) if !models.is_empty() => {
                        models.sort();
                        models.dedup();
                        settings.models.set(models);
                    }
                    _ => refuse(&k, v, "models are poll_average, kalman_diffusion, improved_kalman, hierarchical_bayes"),
                }
            }
            key::DATES => match v.parse::<forecast_engine::DateGrid>() {
                Ok(grid) => settings.dates.set(grid.to_string()),
                Err(e) => refuse(&k, v, &e.to_string()),
            },
            // Numbers are checked when a run starts, with the field marked; here they only
            // need to be numbers.
            key::SEED | key::SIMS | key::MIN_POLLS | key::EC_SIMS => {
                if v.parse::<u64>().is_ok() {
                    let field = match k.as_str() {
                        key::SEED => settings.seed,
                        key::SIMS => settings.sims,
                        key::MIN_POLLS => settings.min_polls,
                        _ => settings.ec_sims,
                    };
                    field.set(v.to_string());
                } else {
                    refuse(&k, v, "not a whole number");
                }
            }
            key::WORKERS => match v.parse::<usize>() {
                Ok(n) if (1..=pool.threads).contains(&n) => settings.workers.set(n),
                _ => refuse(
                    &k,
                    v,
                    &format!("this machine runs 1 to {} workers", pool.threads),
                ),
            },
            key::EC => match v {
                "1" | "on" | "true" => settings.ec_on.set(true),
                "0" | "off" | "false" => settings.ec_on.set(false),
                _ => refuse(&k, v, "1 (on) or 0 (off)"),
            },
            key::EC_NATIONAL => match v.parse::<f64>() {
                Ok(x) if (0.0..=1.0).contains(&x) => settings.ec_national.set(x),
                _ => refuse(&k, v, "a share from 0 to 1"),
            },
            key::EC_STRUCTURE => match Structure::parse(v) {
                Some(s) => settings.ec_structure.set(s),
                None => refuse(&k, v, "historical or none"),
            },
            key::MODEL => match ModelKind::parse(v) {
                Some(m) => selection.model.set(Some(m)),
                None => refuse(&k, v, "not a model"),
            },
            key::DATE => match v.parse::<NaiveDate>() {
                Ok(d) => selection.date.set(Some(d)),
                Err(_) => refuse(&k, v, "not a date (YYYY-MM-DD)"),
            },
            key::STATE => match State::parse(v) {
                Some(s) => selection.state.set(Some(s)),
                None => refuse(&k, v, "not a state"),
            },
            _ => {}
        }
    }
    notes
}

/// The settings' defaults as the address writes them.
struct Defaults {
    models: String,
    dates: String,
    seed: String,
    sims: String,
    min_polls: String,
    workers: String,
    ec_sims: String,
    ec_national: String,
    ec_structure: String,
}

impl Defaults {
    fn of(pool: Pool) -> Defaults {
        let run = forecast_engine::RunConfig::default();
        let ec = forecast_engine::electoral::ElectoralSettings::DEFAULT;
        Defaults {
            models: names(&run.models),
            dates: run.grid.to_string(),
            seed: run.seed.to_string(),
            sims: run.settings.sims.to_string(),
            min_polls: run.settings.min_polls.to_string(),
            workers: RunSettings::default_workers(pool.threads).to_string(),
            ec_sims: ec.sims.to_string(),
            ec_national: ec.national.to_string(),
            ec_structure: ec.structure.name().to_string(),
        }
    }
}

fn names(models: &[ModelKind]) -> String {
    models
        .iter()
        .map(|m| m.name())
        .collect::<Vec<_>>()
        .join(",")
}

/// The query string of the settings that differ from the defaults and the charts'
/// choices, as they are now.
fn query_of(settings: RunSettings, selection: Selection, defaults: &Defaults) -> String {
    let mut pairs: Vec<(&str, String)> = [
        (key::MODELS, names(&settings.models.get()), &defaults.models),
        (key::DATES, settings.dates.get(), &defaults.dates),
        (key::SEED, settings.seed.get(), &defaults.seed),
        (key::SIMS, settings.sims.get(), &defaults.sims),
        (
            key::MIN_POLLS,
            settings.min_polls.get(),
            &defaults.min_polls,
        ),
        (
            key::WORKERS,
            settings.workers.get().to_string(),
            &defaults.workers,
        ),
        (key::EC_SIMS, settings.ec_sims.get(), &defaults.ec_sims),
        (
            key::EC_NATIONAL,
            settings.ec_national.get().to_string(),
            &defaults.ec_national,
        ),
        (
            key::EC_STRUCTURE,
            settings.ec_structure.get().name().into(),
            &defaults.ec_structure,
        ),
    ]
    .into_iter()
    .filter(|(_, value, default)| value.trim() != default.as_str())
    .map(|(k, value, _)| (k, value))
    .collect();
    if !settings.ec_on.get() {
        pairs.push((key::EC, "0".into()));
    }
    if let Some(m) = selection.model.get() {
        pairs.push((key::MODEL, m.name().into()));
    }
    if let Some(d) = selection.date.get() {
        pairs.push((key::DATE, d.to_string()));
    }
    if let Some(s) = selection.state.get() {
        pairs.push((key::STATE, s.code().into()));
    }
    let Ok(params) = web_sys::UrlSearchParams::new() else {
        return String::new();
    };
    for (k, v) in pairs {
        params.append(k, v.trim());
    }
    params.to_string().into()
}

pub fn use_link() -> Link {
    super::expect()
}
