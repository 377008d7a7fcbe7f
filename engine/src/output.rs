//! The forecast table and the scores as CSV text (the CLI's files and the page's downloads).

use std::fmt::Write;

use crate::models::ModelKind;
use crate::runner::ForecastRow;
use crate::scores::ScoreRow;

pub const PREDICTION_HEADER: &str =
    "state,forecast_date,win_probability,predicted_margin,margin_std,actual_margin";
pub const SCORES_HEADER: &str = "model,forecast_date,n_states,brier,log_loss,mae";

/// One model's predictions: `state,forecast_date,...`, rows sorted by state then date.
pub fn predictions_csv(rows: &[ForecastRow], model: ModelKind) -> String {
    let mut out = format!("{PREDICTION_HEADER}\n");
    for row in rows.iter().filter(|r| r.model == model) {
        write_prediction(&mut out, row);
    }
    out
}

/// Every model's predictions in one table, with a leading `model` column.
pub fn all_predictions_csv(rows: &[ForecastRow]) -> String {
    let mut out = format!("model,{PREDICTION_HEADER}\n");
    for row in rows {
        let _ = write!(out, "{},", csv_text_field(row.model.name()));
        write_prediction(&mut out, row);
    }
    out
}

fn write_prediction(out: &mut String, row: &ForecastRow) {
    // `{}` prints the shortest text that reads back as the same f64.
    let _ = write!(
        out,
        "{},{},{},{},{},",
        row.state, row.forecast_date, row.win_probability, row.predicted_margin, row.margin_std,
    );
    // An election not yet held has no result: the field is empty.
    if let Some(actual) = row.actual_margin {
        let _ = write!(out, "{actual}");
    }
    out.push('\n');
}

pub fn scores_csv(scores: &[ScoreRow]) -> String {
    let mut out = format!("{SCORES_HEADER}\n");
    for s in scores {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{}",
            s.model, s.forecast_date, s.n_states, s.brier, s.log_loss, s.mae
        );
    }
    out
}

/// Makes text safe to open in a spreadsheet: a cell that begins with `=`, `+`, `-` or
/// `@` (or a tab or carriage return) is read as a formula, so it gets a leading `'`;
/// quotes and separators are quoted as CSV requires.
pub fn csv_text_field(text: &str) -> String {
    let guarded = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_text_is_defused() {
        assert_eq!(
            csv_text_field("=HYPERLINK(\"x\")"),
            "\"'=HYPERLINK(\"\"x\"\")\""
        );
        assert_eq!(csv_text_field("+1"), "'+1");
        assert_eq!(csv_text_field("@SUM"), "'@SUM");
        assert_eq!(csv_text_field("-2"), "'-2");
        assert_eq!(csv_text_field("Ipsos, Reuters"), "\"Ipsos, Reuters\"");
        assert_eq!(csv_text_field("YouGov"), "YouGov");
    }
}
