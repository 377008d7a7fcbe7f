//! The electoral-college files of ELECTORAL.md §7 as CSV text. Numbers are printed with
//! `{}` (the shortest text that reads back as the same f64), empty fields where a value
//! is not known; rows sorted by model, then date.

use std::fmt::Write;

use chrono::NaiveDate;

use super::correlation::Correlation;
use super::inputs::Inputs;
use super::simulate::Outcome;
use super::votes::ElectoralVotes;
use crate::models::ModelKind;
use crate::states::State;

pub const ELECTORAL_HEADER: &str = "model,forecast_date,dem_win,tie,rep_win,ev_mean,ev_p05,\
ev_p50,ev_p95,popular_dem_win,dem_popular_rep_ec,rep_popular_dem_ec,actual_dem_ev,brier,log_loss";
pub const ELECTORAL_VOTES_HEADER: &str = "model,forecast_date,dem_ev,probability";
pub const ELECTORAL_STATES_HEADER: &str =
    "model,forecast_date,state,electoral_votes,source,mu,sigma,win_draws,tipping_point";

/// One (model, date) as the files see it.
#[derive(Clone, Copy, Debug)]
pub struct ScenarioRow<'a> {
    pub model: ModelKind,
    pub forecast_date: NaiveDate,
    pub inputs: &'a Inputs,
    pub outcome: &'a Outcome,
}

fn sorted<'a>(rows: &'a [ScenarioRow<'a>]) -> Vec<&'a ScenarioRow<'a>> {
    let mut rows: Vec<&ScenarioRow> = rows.iter().collect();
    rows.sort_by_key(|r| (r.model, r.forecast_date));
    rows
}

/// `{}` of a value, or nothing.
fn opt<T: std::fmt::Display>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// `electoral.csv`: one row per (model, date), the EC Brier score and log loss last.
pub fn electoral_csv(rows: &[ScenarioRow]) -> String {
    let mut out = format!("{ELECTORAL_HEADER}\n");
    for row in sorted(rows) {
        let o = row.outcome;
        let popular = o.popular.as_ref();
        let actual = o.actual.as_ref();
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
            row.model.name(),
            row.forecast_date,
            o.dem_win,
            o.tie,
            o.rep_win,
            o.ev_mean,
            o.ev_p05,
            o.ev_p50,
            o.ev_p95,
            opt(popular.map(|p| p.popular_dem_win)),
            opt(popular.map(|p| p.dem_popular_rep_ec)),
            opt(popular.map(|p| p.rep_popular_dem_ec)),
            opt(actual.map(|a| a.actual_dem_ev)),
            opt(actual.map(|a| a.brier)),
            opt(actual.map(|a| a.log_loss)),
        );
    }
    out
}

/// `electoral_votes.csv`: the share of draws of each Democratic total that occurs.
pub fn electoral_votes_csv(rows: &[ScenarioRow]) -> String {
    let mut out = format!("{ELECTORAL_VOTES_HEADER}\n");
    for row in sorted(rows) {
        for (ev, p) in &row.outcome.distribution {
            let _ = writeln!(out, "{},{},{ev},{p}", row.model.name(), row.forecast_date);
        }
    }
    out
}

/// `electoral_states.csv`: per (model, date) and unit, its inputs and outputs.
pub fn electoral_states_csv(rows: &[ScenarioRow], votes: &ElectoralVotes) -> String {
    let mut out = format!("{ELECTORAL_STATES_HEADER}\n");
    for row in sorted(rows) {
        for state in State::all() {
            let input = row.inputs.unit(state);
            let unit = row.outcome.unit(state);
            let _ = writeln!(
                out,
                "{},{},{},{},{},{},{},{},{}",
                row.model.name(),
                row.forecast_date,
                state.code(),
                votes.votes(state),
                input.source.name(),
                input.mu,
                input.sigma,
                unit.win_draws,
                // Empty where not found (a page's run before it finds them all).
                unit.tipping_point
                    .map(|t| t.to_string())
                    .unwrap_or_default()
            );
        }
    }
    out
}

/// `correlation.csv`: `R = national J + (1 - national) C`, a row per unit.
pub fn correlation_csv(correlation: &Correlation, national: f64) -> String {
    let mut out = String::from("state");
    for s in State::all() {
        let _ = write!(out, ",{}", s.code());
    }
    out.push('\n');
    for a in State::all() {
        out.push_str(a.code());
        for b in State::all() {
            let _ = write!(out, ",{}", correlation.r(national, a, b));
        }
        out.push('\n');
    }
    out
}
