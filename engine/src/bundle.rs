//! The files of a finished run, as the CLI writes them and the page zips them: every CSV,
//! and three that say what they are: `README.txt` (each file and column, units and signs),
//! `skipped.csv` (every cell of the grid without a forecast, and why) and `settings.txt`
//! (every setting, the inputs, and the `forecast` command that makes the same files).
//! Pure text from the run: the same bytes wherever it is made.
//!
//! ```text
//! files(&FinishedRun { plan, output, config, inputs, workers }) -> [(name, text)]
//! ```

use std::collections::BTreeMap;
use std::fmt::{self, Write};

use chrono::NaiveDate;

use crate::dates::forecast_dates;
use crate::electoral::output::{
    correlation_csv, electoral_csv, electoral_states_csv, electoral_votes_csv,
};
use crate::electoral::{
    ElectoralConfig, ElectoralOutput, ElectoralVotes, NoElectoral, VotesSource,
};
use crate::models::ModelKind;
use crate::output::{csv_text_field, predictions_csv, scores_csv};
use crate::plan::{Plan, RunConfig};
use crate::runner::{cell_training, RunOutput};
use crate::states::State;

pub const README_FILE: &str = "README.txt";
pub const SETTINGS_FILE: &str = "settings.txt";
pub const SKIPPED_FILE: &str = "skipped.csv";
pub const SCORES_FILE: &str = "scores.csv";
pub const ELECTORAL_FILE: &str = "electoral.csv";
pub const ELECTORAL_VOTES_FILE: &str = "electoral_votes.csv";
pub const ELECTORAL_STATES_FILE: &str = "electoral_states.csv";
pub const CORRELATION_FILE: &str = "correlation.csv";
pub const SKIPPED_HEADER: &str = "model,state,forecast_date,reason";
/// The folder the reproducing command of `settings.txt` writes to.
pub const OUT_DIR: &str = "forecast-run";
/// The line of `settings.txt` that holds the reproducing command, before the command.
pub const COMMAND_PREFIX: &str = "command: ";

/// The engine that made the files.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Where an input of the run came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// Data that comes with the program, by its description.
    BuiltIn(String),
    /// A file, by the name or path it was read from.
    File(String),
}

impl Input {
    fn describe(&self) -> String {
        match self {
            Input::BuiltIn(name) => one_line(name),
            Input::File(name) => format!("file {}", one_line(name)),
        }
    }
}

/// The inputs of a run, by name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inputs {
    pub polls: Input,
    pub results: Input,
    /// The electoral-votes file, when the run read one.
    pub electoral_votes: Option<String>,
}

/// A finished (or cancelled) run and what it was made from.
#[derive(Clone, Copy, Debug)]
pub struct FinishedRun<'a> {
    pub plan: &'a Plan,
    pub output: &'a RunOutput,
    /// The configuration the plan was made from.
    pub config: &'a RunConfig,
    pub inputs: &'a Inputs,
    /// Workers the run had, when known: recorded, though the files do not depend on them.
    pub workers: Option<usize>,
}

/// A setting in which a configuration and a plan disagree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Differs {
    Year,
    ElectionDay,
    Dates,
    Models,
    Seed,
    ModelSettings,
    Electoral,
}

impl Differs {
    fn name(self) -> &'static str {
        match self {
            Differs::Year => "the election year",
            Differs::ElectionDay => "the election day",
            Differs::Dates => "the forecast dates",
            Differs::Models => "the models",
            Differs::Seed => "the seed",
            Differs::ModelSettings => "the models' settings",
            Differs::Electoral => "the electoral-college settings",
        }
    }
}

/// Why the files of a run cannot be made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BundleError {
    /// The configuration is not the one the plan was made from: its files would
    /// misreport the run.
    NotTheRunsConfig(Differs),
    /// The run read its electoral votes from a file, and the inputs name none.
    UnnamedVotesFile,
}

impl fmt::Display for BundleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BundleError::NotTheRunsConfig(what) => write!(
                f,
                "the settings are not those of the run ({} differ): run again to save its files",
                what.name()
            ),
            BundleError::UnnamedVotesFile => {
                f.write_str("the run read its electoral votes from a file whose name is not known")
            }
        }
    }
}

impl std::error::Error for BundleError {}

/// Every file of the run, in order: `README.txt`, `settings.txt`, one CSV per model,
/// `scores.csv`, the electoral college's four (when it ran), `skipped.csv`.
pub fn files(run: &FinishedRun) -> Result<Vec<(String, String)>, BundleError> {
    check(run)?;
    let csvs = csv_files(run.plan, run.output);
    let names: Vec<&str> = csvs.iter().map(|(name, _)| name.as_str()).collect();
    let mut files = vec![
        (README_FILE.to_string(), readme(run, &names)),
        (SETTINGS_FILE.to_string(), settings_text(run)),
    ];
    files.extend(csvs);
    files.push((SKIPPED_FILE.to_string(), skipped_csv(run.plan, run.output)));
    Ok(files)
}

/// The CSVs the CLI has always written: one per model, `scores.csv`, and the electoral
/// college's when it ran.
pub fn csv_files(plan: &Plan, output: &RunOutput) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = plan
        .models
        .iter()
        .map(|&model| (model_file(model), predictions_csv(&output.rows, model)))
        .collect();
    files.push((SCORES_FILE.to_string(), scores_csv(&output.scores)));
    if let Ok(electoral) = &output.electoral {
        files.extend(electoral_files(electoral));
    }
    files
}

/// `poll_average.csv`, ...
pub fn model_file(model: ModelKind) -> String {
    format!("{}.csv", model.name())
}

fn electoral_files(electoral: &ElectoralOutput) -> Vec<(String, String)> {
    let rows = electoral.scenario_rows();
    let e = &electoral.electoral;
    vec![
        (ELECTORAL_FILE.to_string(), electoral_csv(&rows)),
        (ELECTORAL_VOTES_FILE.to_string(), electoral_votes_csv(&rows)),
        (
            ELECTORAL_STATES_FILE.to_string(),
            electoral_states_csv(&rows, e.votes()),
        ),
        (
            CORRELATION_FILE.to_string(),
            correlation_csv(e.correlation(), e.settings().national),
        ),
    ]
}

/// Whether `config` is the configuration `run.plan` was made from, and names every file
/// the run read.
fn check(run: &FinishedRun) -> Result<(), BundleError> {
    let (plan, config) = (run.plan, run.config);
    let differs = |what| Err(BundleError::NotTheRunsConfig(what));
    if config.year.is_some_and(|year| year != plan.year) {
        return differs(Differs::Year);
    }
    if config
        .election_day
        .is_some_and(|day| day != plan.election_day)
    {
        return differs(Differs::ElectionDay);
    }
    if forecast_dates(config.grid, plan.election_day) != plan.dates {
        return differs(Differs::Dates);
    }
    let mut models = config.models.clone();
    models.sort();
    models.dedup();
    if models != plan.models {
        return differs(Differs::Models);
    }
    if config.seed != plan.seed {
        return differs(Differs::Seed);
    }
    if config.settings != plan.settings {
        return differs(Differs::ModelSettings);
    }
    if !electoral_matches(config.electoral.as_ref(), plan) {
        return differs(Differs::Electoral);
    }
    let reads_votes = config.electoral.as_ref().is_some_and(|e| e.votes.is_some());
    if reads_votes && run.inputs.electoral_votes.is_none() {
        return Err(BundleError::UnnamedVotesFile);
    }
    Ok(())
}

fn electoral_matches(config: Option<&ElectoralConfig>, plan: &Plan) -> bool {
    match (config, &plan.electoral) {
        (None, Err(NoElectoral::Off)) => true,
        (None, _) | (Some(_), Err(NoElectoral::Off)) => false,
        (Some(config), Ok(planned)) => {
            config.settings == planned.settings
                && match &config.votes {
                    Some(votes) => *votes == planned.votes,
                    None => planned.votes.source() != VotesSource::UserFile,
                }
        }
        // No table for the year (or no plan of it otherwise): the settings were not used.
        (Some(_), Err(_)) => true,
    }
}

/// `skipped.csv`: every cell of the grid without a forecast row, in grid order (model,
/// state, date), and why; then the states left out of the whole run, with empty model and
/// date.
pub fn skipped_csv(plan: &Plan, output: &RunOutput) -> String {
    let forecast: std::collections::BTreeSet<(ModelKind, State, NaiveDate)> = output
        .rows
        .iter()
        .map(|r| (r.model, r.state, r.forecast_date))
        .collect();
    let failed: BTreeMap<(ModelKind, State, NaiveDate), String> = output
        .failures
        .iter()
        .map(|f| {
            (
                (f.model, f.state, f.forecast_date),
                format!("failed: {}", f.reason),
            )
        })
        .collect();
    let not_run = if output.cancelled {
        "not run: the run was cancelled"
    } else {
        "not run"
    };
    let mut out = format!("{SKIPPED_HEADER}\n");
    for &model in &plan.models {
        for (s, state) in plan.states.iter().enumerate() {
            for (d, &date) in plan.dates.iter().enumerate() {
                let key = (model, state.state, date);
                if forecast.contains(&key) {
                    continue;
                }
                // A failure is what the run recorded; otherwise the rule the run applies
                // tells a cell without polls enough from one not run.
                let reason = match (failed.get(&key), cell_training(plan, s, d)) {
                    (Some(failure), _) => failure.clone(),
                    (None, Err(no_forecast)) => no_forecast.to_string(),
                    (None, Ok(_)) => not_run.to_string(),
                };
                let _ = writeln!(
                    out,
                    "{},{},{},{}",
                    csv_text_field(model.name()),
                    csv_text_field(state.state.code()),
                    date,
                    csv_text_field(&reason)
                );
            }
        }
    }
    for excluded in &plan.excluded {
        let _ = writeln!(
            out,
            ",{},,{}",
            csv_text_field(excluded.state.code()),
            csv_text_field(&format!("state left out: {}", excluded.reason))
        );
    }
    out
}

/// The `forecast` command that makes the same files, to [`OUT_DIR`]: every setting
/// spelled out (a later version's defaults may differ) but the election year and day when
/// the run took them from the polls and the calendar, the inputs by the names they were
/// read from. Workers are left out: the files do not depend on them.
pub fn command_line(run: &FinishedRun) -> String {
    let (plan, config) = (run.plan, run.config);
    let mut words: Vec<String> = vec!["forecast".into()];
    let mut flag = |name: &str, value: String| {
        words.push(format!("--{name}"));
        words.push(value);
    };
    if let Input::File(name) = &run.inputs.polls {
        flag("polls", shell_word(name));
    }
    if let Input::File(name) = &run.inputs.results {
        flag("results", shell_word(name));
    }
    // As asked: left out, the year is the polls' and the day the legal rule's, as in the run.
    if config.year.is_some() {
        flag("year", plan.year.to_string());
    }
    if config.election_day.is_some() {
        flag("election-day", plan.election_day.to_string());
    }
    flag("dates", config.grid.to_string());
    let models: Vec<&str> = plan.models.iter().map(|m| m.name()).collect();
    flag("models", models.join(","));
    flag("seed", plan.seed.to_string());
    flag("sims", plan.settings.sims.to_string());
    flag("min-polls", plan.settings.min_polls.to_string());
    flag(
        "hb-bias-intercept",
        plan.settings.hb_bias_intercept.to_string(),
    );
    flag("hb-bias-slope", plan.settings.hb_bias_slope.to_string());
    match &config.electoral {
        Some(electoral) => {
            let s = &electoral.settings;
            flag("ec-sims", s.sims.to_string());
            flag("ec-national", s.national.to_string());
            flag("ec-structure", s.structure.name().to_string());
            if electoral.votes.is_some() {
                if let Some(name) = &run.inputs.electoral_votes {
                    flag("electoral-votes", shell_word(name));
                }
            }
        }
        None => words.push("--no-electoral".into()),
    }
    words.push("--out".into());
    words.push(OUT_DIR.into());
    words.join(" ")
}

/// A word the shell reads back as `text`: as it is when plain, otherwise in single
/// quotes. A leading `-` gets `./` so that it is not read as a flag.
fn shell_word(text: &str) -> String {
    let text = one_line(text);
    let text = if text.starts_with('-') {
        format!("./{text}")
    } else {
        text
    };
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-./,:=+@%".contains(c));
    if plain {
        text
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// A name on one line: control characters (a newline in a file name) become `?`.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

/// `settings.txt`: `label: value` lines, then the reproducing command on its own line
/// after [`COMMAND_PREFIX`].
pub fn settings_text(run: &FinishedRun) -> String {
    let (plan, config, output) = (run.plan, run.config, run.output);
    let mut out = String::new();
    let mut line = |label: &str, value: String| {
        let _ = writeln!(out, "{label}: {value}");
    };
    line("engine", format!("forecast-engine {ENGINE_VERSION}"));
    line(
        "run",
        if output.cancelled {
            format!(
                "cancelled: {} of {} cells run; the files hold what was done",
                output.cells_done, output.cells
            )
        } else {
            format!("complete, {} cells", output.cells)
        },
    );
    line(
        "election year",
        match config.year {
            Some(_) => format!("{} (asked for)", plan.year),
            None => format!("{} (the election of the polls)", plan.year),
        },
    );
    line(
        "election day",
        match config.election_day {
            Some(_) => format!("{} (asked for)", plan.election_day),
            None => format!(
                "{} (the Tuesday after the first Monday of November)",
                plan.election_day
            ),
        },
    );
    line("polls", run.inputs.polls.describe());
    line("results", run.inputs.results.describe());
    let models: Vec<&str> = plan.models.iter().map(|m| m.name()).collect();
    line("models", models.join(","));
    line("forecast dates asked for", config.grid.to_string());
    let dates: Vec<String> = plan.dates.iter().map(NaiveDate::to_string).collect();
    line(
        "forecast dates",
        format!("{} ({} dates)", dates.join(","), dates.len()),
    );
    line("seed", plan.seed.to_string());
    line("simulations per cell", plan.settings.sims.to_string());
    line("minimum polls", plan.settings.min_polls.to_string());
    line(
        "hierarchical-Bayes bias intercept",
        plan.settings.hb_bias_intercept.to_string(),
    );
    line(
        "hierarchical-Bayes bias slope",
        plan.settings.hb_bias_slope.to_string(),
    );
    match &config.electoral {
        None => line("electoral college", "off".into()),
        Some(electoral) => {
            let s = &electoral.settings;
            line("electoral college", "on".into());
            line("electoral-college simulations", s.sims.to_string());
            line("national share of the error", s.national.to_string());
            line("error structure", s.structure.name().into());
            line(
                "electoral votes",
                match (
                    &electoral.votes,
                    &run.inputs.electoral_votes,
                    &plan.electoral,
                ) {
                    (Some(votes), Some(name), _) => {
                        format!("file {}, {} in all", one_line(name), votes.total())
                    }
                    (_, _, Ok(planned)) => format!(
                        "{}, built in, {} in all",
                        planned.votes.source(),
                        planned.votes.total()
                    ),
                    (_, _, Err(why)) => format!("none: {why}"),
                },
            );
        }
    }
    if let Some(workers) = run.workers {
        line(
            "workers",
            format!("{workers} (the files are the same for any number)"),
        );
    }
    let _ = writeln!(
        out,
        "\nThe command that makes these files again, byte for byte, in the folder {OUT_DIR}\n\
         (with the input files, if any, where it is run):"
    );
    let _ = writeln!(out, "{COMMAND_PREFIX}{}", command_line(run));
    out
}

/// `README.txt`: each file of `csvs` (and the three of this module), each column with its
/// unit and sign, and what this run left out.
/// "Each model clips its win_probability: ...", from the models' own bounds.
fn clips_text() -> String {
    let clips: Vec<String> = ModelKind::ALL
        .iter()
        .map(|m| {
            let (low, high) = m.win_bounds();
            format!(
                "{} to {low}-{high} ({:.0}-{:.0} %)",
                m.label(),
                low * 100.0,
                high * 100.0
            )
        })
        .collect();
    format!(
        "Each model clips its win_probability: {}.",
        clips.join(", ")
    )
}

pub fn readme(run: &FinishedRun, csvs: &[&str]) -> String {
    let (plan, output) = (run.plan, run.output);
    let mut out = String::new();
    let _ = write!(
        out,
        "\
The files of one forecast run
=============================

Made by forecast-engine {ENGINE_VERSION}, through the `forecast` command line or the web page
(the same run makes the same files in both). settings.txt says how the run was made and
gives the command that makes these files again.

Conventions
-----------
- Margins are fractions of the two-party vote, Democrat minus Republican:
  (dem - rep) / (dem + rep). +0.05 is a Democratic lead of 5 points (D+5), -0.05 a
  Republican lead of 5 points (R+5).
- Probabilities are fractions from 0 to 1 (0.75 is 75 %). A state's win_probability is
  the Democrat's chance of carrying it.
- Dates are YYYY-MM-DD. States are two-letter codes (DC is one).
- Numbers are written in full: the shortest text that reads back as the same 64-bit
  float, not rounded.
- An empty field is a value that is not known.

Files
-----
"
    );
    let models: Vec<&str> = csvs
        .iter()
        .copied()
        .filter(|name| plan.models.iter().any(|&m| model_file(m) == *name))
        .collect();
    if !models.is_empty() {
        let _ = write!(
            out,
            "\
{}
  Each model's forecast of each state on each forecast date: a row per (state, date)
  with a forecast, sorted by state, then date. Cells without one are in skipped.csv.
  Columns:
  state             the state's two-letter code
  forecast_date     the day of the forecast: it uses the polls whose middle date is not
                    after the start of that day
  win_probability   the Democrat's chance of carrying the state, 0 to 1
  predicted_margin  the forecast margin on election day (fraction of the two-party vote,
                    Democrat minus Republican)
  margin_std        the standard deviation of predicted_margin, in the same unit:
                    predicted_margin +/- 1.645 margin_std is a 90 % range
  actual_margin     the state's actual margin in that election, in the same unit; empty
                    when the result is not in (an election not yet held, or no result
                    for the state in the results data)
{}
  Poll average and hierarchical Bayes give the normal probability
  Phi(predicted_margin / margin_std) before the clip; the two Kalman models the share of
  their simulated election-day margins above zero.

",
            wrap(&format!("{} (one file per model)", models.join(", ")), ""),
            wrap(&clips_text(), "  ")
        );
    }
    if csvs.contains(&SCORES_FILE) {
        let _ = write!(
            out,
            "\
{SCORES_FILE}
  How well each model did on each forecast date, over the states with a result. Its
  header alone when no state has a result yet. Columns (won = 1 when actual_margin > 0,
  else 0; p = win_probability):
  model          the model
  forecast_date  the day of the forecasts scored
  n_states       the states scored: forecast that day and with a result
  brier          Brier score, mean of (p - won)^2: 0 is perfect, 0.25 is a coin toss
  log_loss       mean of -(won ln(p + 1e-10) + (1 - won) ln(1 - p + 1e-10)), natural
                 logarithm; lower is better
  mae            mean absolute error of the margin, mean of
                 |predicted_margin - actual_margin| (fraction of the two-party vote:
                 0.03 is 3 points)

"
        );
    }
    if let Ok(electoral) = &output.electoral {
        readme_electoral(&mut out, electoral, csvs);
    }
    let _ = write!(
        out,
        "\
{SKIPPED_FILE}
  Every cell of the grid (model, state, forecast date) that has no row in its model's
  file, in grid order, then the states left out of the whole run. With the model files
  it covers the grid: each cell is in exactly one of them. Columns:
  model          the model; empty for a state left out of the whole run
  state          the state's two-letter code
  forecast_date  the day; empty for a state left out of the whole run
  reason         why there is no forecast:
                 too few polls: N by this date, fewer than the minimum of M
                 failed: <what went wrong> (the model gave no usable number)
                 not run: the run was cancelled
                 state left out: no polls, or N polls, fewer than the minimum of M
                 (in the whole election)

{SETTINGS_FILE}
  Every setting of the run, its inputs, the engine's version, and the `forecast` command
  that makes these files again (on the line that begins \"{}\").

{README_FILE}
  This file.
",
        COMMAND_PREFIX.trim_end()
    );
    let notes = run_notes(plan, output);
    if !notes.is_empty() {
        let _ = write!(out, "\nThis run\n--------\n");
        for note in notes {
            let _ = writeln!(
                out,
                "{}",
                wrap(&format!("- {}", sentence(&note)), "").replace('\n', "\n  ")
            );
        }
    }
    out
}

/// `text` in lines of at most [`WIDTH`] characters (a longer word alone on its line), each
/// after `indent`; no line break at the end.
fn wrap(text: &str, indent: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && indent.len() + line.len() + 1 + word.len() > WIDTH {
            lines.push(format!("{indent}{line}"));
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(format!("{indent}{line}"));
    }
    lines.join("\n")
}

/// The width of `README.txt`'s lines.
const WIDTH: usize = 88;

/// `text` with a capital first letter.
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

fn readme_electoral(out: &mut String, electoral: &ElectoralOutput, csvs: &[&str]) {
    let e = &electoral.electoral;
    let votes: &ElectoralVotes = e.votes();
    let (total, majority) = (votes.total(), votes.majority());
    let sims = e.settings().sims;
    if csvs.contains(&ELECTORAL_FILE) {
        let tie = match votes.tie() {
            Some(tie) => format!("exactly {tie} votes each"),
            None => "impossible with an odd total".into(),
        };
        let _ = write!(
            out,
            "\
{ELECTORAL_FILE}
  The presidency: for each (model, forecast date), {sims} simulations of every state's
  election-day margin from the model's forecasts (states' errors correlated, see
  {CORRELATION_FILE}). A state gives all its electoral votes to the side with the larger
  margin (Maine and Nebraska too). {total} electoral votes in all, {majority} to win.
  Sorted by model, then date. Columns (shares of the simulations, 0 to 1):
  model               the model
  forecast_date       the day of the forecasts
  dem_win             the Democrat wins at least {majority} electoral votes
  tie                 a tie ({tie})
  rep_win             the Republican wins: 1 - dem_win - tie
  ev_mean             the mean of the Democrat's electoral votes
  ev_p05              the Democrat's electoral votes, 5th percentile (the smallest total
                      v with at least 5 % of simulations at v or fewer)
  ev_p50              the same, median
  ev_p95              the same, 95th percentile
  popular_dem_win     the Democrat wins the national popular vote (the states' margins
                      weighted by their two-party votes in the last election before this
                      one); empty without those vote counts
  dem_popular_rep_ec  the Democrat wins the popular vote and not the electoral college
  rep_popular_dem_ec  the Republican wins the popular vote and the Democrat the
                      electoral college
  actual_dem_ev       the Democrat's electoral votes from the actual margins (same
                      rule); empty unless every state's result is in
  brier               (dem_win - won)^2, won = 1 when actual_dem_ev >= {majority}; empty
                      without a result
  log_loss            -(won ln(dem_win + 1e-10) + (1 - won) ln(1 - dem_win + 1e-10));
                      empty without a result
  The shares are not clipped.

"
        );
    }
    if csvs.contains(&ELECTORAL_VOTES_FILE) {
        let _ = write!(
            out,
            "\
{ELECTORAL_VOTES_FILE}
  The distribution of the Democrat's electoral votes, per (model, forecast date): only
  the totals that occur. Columns:
  model          the model
  forecast_date  the day of the forecasts
  dem_ev         a total of electoral votes for the Democrat
  probability    the share of simulations with that total, 0 to 1

"
        );
    }
    if csvs.contains(&ELECTORAL_STATES_FILE) {
        let _ = write!(
            out,
            "\
{ELECTORAL_STATES_FILE}
  Each state's part in the simulations, per (model, forecast date). Columns:
  model            the model
  forecast_date    the day of the forecasts
  state            the state's two-letter code
  electoral_votes  its electoral votes ({})
  source           where its margin comes from: model (the model's forecast that day),
                   or prior (no forecast: the fundamentals prior, 0.7 of the margin four
                   years before plus 0.3 of the margin eight years before, or the first
                   alone)
  mu               the mean of its simulated margin (fraction of the two-party vote,
                   Democrat minus Republican): the model's predicted_margin, or the
                   prior
  sigma            the standard deviation of its simulated margin, same unit: the
                   model's margin_std (at least 0.0001), or for a prior
                   sqrt(0.08^2 + (0.0015 days to the election)^2)
  win_draws        the share of simulations in which the Democrat carries it, 0 to 1
  tipping_point    the share of simulations in which it is the tipping point: the
                   winner's states ordered from best margin to worst, the one that takes
                   the winner to {majority}

",
            votes.source()
        );
    }
    if csvs.contains(&CORRELATION_FILE) {
        let codes: Vec<&str> = State::all().map(State::code).collect();
        let _ = write!(
            out,
            "\
{CORRELATION_FILE}
{}
  Columns:
  state  the row's state
{}

",
            wrap(
                &format!(
                    "The correlation of the states' errors in the simulations, entry by entry \
                     R = national + (1 - national) C: national is the share of every state's \
                     error common to all ({}), C {}. A row per state, a column per state; \
                     each entry is the correlation of the row's and the column's errors, from \
                     -1 to 1.",
                    e.settings().national,
                    match e.settings().structure {
                        crate::electoral::Structure::Historical => {
                            "the correlation of the states' swings in past elections"
                        }
                        crate::electoral::Structure::None => "the identity (structure none)",
                    }
                ),
                "  "
            ),
            wrap(
                &format!("then one column per state, by code: {}", codes.join(", ")),
                "  "
            )
        );
    }
}

/// What this run left out, and why: the electoral college, its (model, date) pairs
/// without a forecast, the popular vote, a cancelled run.
fn run_notes(plan: &Plan, output: &RunOutput) -> Vec<String> {
    let mut notes = Vec::new();
    if output.cancelled {
        notes.push(format!(
            "The run was cancelled: {} of {} cells were run (the others are in {SKIPPED_FILE}).",
            output.cells_done, output.cells
        ));
    }
    match &output.electoral {
        Err(why) => notes.push(format!("No electoral-college files: {why}.")),
        Ok(electoral) => {
            for pair in &electoral.pairs {
                if let Err(why) = &pair.result {
                    notes.push(format!(
                        "No electoral college for {} on {}: {why}.",
                        pair.model, pair.forecast_date
                    ));
                }
            }
            if let Some(why) = &electoral.no_popular {
                notes.push(format!("{why}."));
            }
            if let Some(note) = electoral.electoral.correlation().note() {
                notes.push(format!("{note}."));
            }
        }
    }
    if plan.states.is_empty() {
        notes.push("No state was forecast.".into());
    }
    notes
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::dates::DateGrid;
    use crate::electoral::{ElectoralSettings, Structure};
    use crate::models::{ModelError, Settings};
    use crate::runner::{run, CellFailure, Progress};
    use crate::{builtin, load_polls, load_results};

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2016, m, day).unwrap()
    }

    /// The hand-made polls: (state, day of the poll, start and end alike).
    fn tiny_polls() -> Vec<(&'static str, NaiveDate)> {
        vec![
            ("AK", d(9, 5)),
            ("AK", d(9, 10)),
            ("AK", d(9, 24)),
            ("AK", d(10, 1)),
            ("AK", d(10, 20)),
            ("AK", d(11, 1)),
            ("AZ", d(10, 5)),
            ("AZ", d(10, 6)),
            ("AZ", d(10, 20)),
            ("AL", d(10, 1)),
        ]
    }

    const MIN_POLLS: usize = 3;

    fn tiny_config() -> RunConfig {
        RunConfig {
            year: Some(2016),
            grid: DateGrid::Count(4),
            settings: Settings {
                min_polls: MIN_POLLS,
                sims: 200,
                ..Settings::DEFAULT
            },
            electoral: None,
            ..RunConfig::default()
        }
    }

    fn tiny_plan(config: &RunConfig) -> Plan {
        let mut csv = String::from("state,start_date,end_date,pollster,sample_size,dem,rep\n");
        for (i, (state, day)) in tiny_polls().into_iter().enumerate() {
            csv += &format!("{state},{day},{day},P{},600,{},45\n", i % 3, 44 + i % 5);
        }
        let polls = load_polls(csv.as_bytes()).unwrap();
        let results = load_results(
            b"state,year,dem,rep\nAK,2012,40,55\nAK,2016,38,52\nAZ,2012,44,54\nAZ,2016,45,49\n",
        )
        .unwrap();
        Plan::new(&polls, &results, config).unwrap()
    }

    fn builtin_inputs() -> Inputs {
        Inputs {
            polls: Input::BuiltIn("built-in 2016 polls".into()),
            results: Input::BuiltIn("built-in results".into()),
            electoral_votes: None,
        }
    }

    fn finished<'a>(
        plan: &'a Plan,
        output: &'a RunOutput,
        config: &'a RunConfig,
        inputs: &'a Inputs,
    ) -> FinishedRun<'a> {
        FinishedRun {
            plan,
            output,
            config,
            inputs,
            workers: None,
        }
    }

    /// The rows of a CSV text after its header, split on commas outside quotes.
    fn rows(text: &str) -> Vec<Vec<String>> {
        text.lines()
            .skip(1)
            .map(|line| {
                let mut fields = vec![String::new()];
                let mut quoted = false;
                for c in line.chars() {
                    match c {
                        '"' => quoted = !quoted,
                        ',' if !quoted => fields.push(String::new()),
                        c => fields.last_mut().unwrap().push(c),
                    }
                }
                fields
            })
            .collect()
    }

    fn file<'a>(files: &'a [(String, String)], name: &str) -> &'a str {
        &files.iter().find(|(n, _)| n == name).unwrap().1
    }

    #[test]
    fn skipped_and_the_forecasts_cover_the_grid_once_with_the_reasons() {
        let config = tiny_config();
        let plan = tiny_plan(&config);
        let output = run(&plan, &Progress::new(), 2);
        let inputs = builtin_inputs();
        let files = files(&finished(&plan, &output, &config, &inputs)).unwrap();

        let mut seen: BTreeMap<(String, String, String), usize> = BTreeMap::new();
        for model in ModelKind::ALL {
            for row in rows(file(&files, &model_file(model))) {
                *seen
                    .entry((model.name().into(), row[0].clone(), row[1].clone()))
                    .or_default() += 1;
            }
        }
        let skipped = rows(file(&files, SKIPPED_FILE));
        let (cells, states): (Vec<_>, Vec<_>) = skipped.iter().partition(|r| !r[0].is_empty());
        for row in &cells {
            *seen
                .entry((row[0].clone(), row[1].clone(), row[2].clone()))
                .or_default() += 1;
        }
        // The grid, from the hand-made polls: every state with at least MIN_POLLS polls.
        let dates = [d(9, 1), d(9, 24), d(10, 16), d(11, 7)];
        let polls = tiny_polls();
        let grid_states = ["AK", "AZ"];
        let mut grid = BTreeMap::new();
        for model in ModelKind::ALL {
            for state in grid_states {
                for date in dates {
                    grid.insert((model.name().into(), state.into(), date.to_string()), 1);
                }
            }
        }
        assert_eq!(
            seen, grid,
            "each cell once, in a model file or in skipped.csv"
        );

        // The reasons: too few polls by the date, counted from the hand-made list.
        for row in &cells {
            let date: NaiveDate = row[2].parse().unwrap();
            let by_then = polls
                .iter()
                .filter(|(s, day)| *s == row[1] && *day <= date)
                .count();
            assert!(by_then < MIN_POLLS, "{row:?}");
            assert_eq!(
                row[3],
                format!(
                    "too few polls: {by_then} by this date, fewer than the minimum of {MIN_POLLS}"
                )
            );
        }
        assert_eq!(cells.len(), 4 * 4, "AK on Sep 1, AZ on Sep 1, 24, Oct 16");

        // The states left out: AL with too few polls, the other 48 with none.
        assert_eq!(states.len(), 49);
        assert!(states.iter().all(|r| r[2].is_empty()));
        let al = states.iter().find(|r| r[1] == "AL").unwrap();
        assert_eq!(
            al[3],
            "state left out: 1 polls, fewer than the minimum of 3"
        );
        let none = states.iter().filter(|r| r[3] == "state left out: no polls");
        assert_eq!(none.count(), 48);
        assert!(file(&files, SKIPPED_FILE).starts_with("model,state,forecast_date,reason\n"));
    }

    #[test]
    fn failed_and_cancelled_cells_say_so() {
        let config = tiny_config();
        let plan = tiny_plan(&config);
        let mut output = run(&plan, &Progress::new(), 1);
        // As if cancelled before the last model's cells, and one cell's model failed.
        let last = ModelKind::HierarchicalBayes;
        let dropped = output.rows.iter().filter(|r| r.model == last).count();
        assert!(dropped > 0);
        output.rows.retain(|r| r.model != last);
        output.cancelled = true;
        let failed = output
            .rows
            .iter()
            .position(|r| r.model == ModelKind::PollAverage)
            .unwrap();
        let row = output.rows.remove(failed);
        output.failures.push(CellFailure {
            model: row.model,
            state: row.state,
            forecast_date: row.forecast_date,
            reason: ModelError::NotFinite {
                win: f64::NAN,
                margin: 0.5,
                std: f64::INFINITY,
            },
        });
        let text = skipped_csv(&plan, &output);
        let skipped = rows(&text);
        let not_run: Vec<_> = skipped
            .iter()
            .filter(|r| r[3] == "not run: the run was cancelled")
            .collect();
        assert_eq!(not_run.len(), dropped);
        assert!(not_run.iter().all(|r| r[0] == last.name()));
        let failure = skipped.iter().find(|r| r[3].starts_with("failed")).unwrap();
        assert_eq!(
            failure[..3],
            [
                "poll_average".to_string(),
                row.state.code().to_string(),
                row.forecast_date.to_string()
            ]
        );
        assert_eq!(
            failure[3],
            "failed: numerical failure (win NaN, margin 0.5, std inf)"
        );
        // Its commas are inside quotes: the line has four fields.
        assert!(text.contains(",\"failed: numerical failure (win NaN, margin 0.5, std inf)\"\n"));
        // The cancelled cells of the last model without polls enough still say why.
        let too_few = skipped
            .iter()
            .filter(|r| r[0] == last.name() && r[3].starts_with("too few polls"))
            .count();
        assert_eq!(too_few, 4);

        let inputs = builtin_inputs();
        let settings = settings_text(&finished(&plan, &output, &config, &inputs));
        assert!(settings.contains(&format!(
            "run: cancelled: {} of {} cells run",
            output.cells_done, output.cells
        )));
    }

    /// The built-in data with a small electoral college: every file.
    fn builtin_run(config: &RunConfig) -> (Plan, RunOutput) {
        let polls = load_polls(builtin::POLLS_2016).unwrap();
        let results = load_results(builtin::RESULTS).unwrap();
        let plan = Plan::new(&polls, &results, config).unwrap();
        let output = run(&plan, &Progress::new(), 2);
        (plan, output)
    }

    fn small_electoral() -> RunConfig {
        RunConfig {
            electoral: Some(ElectoralConfig {
                settings: ElectoralSettings {
                    sims: 1000,
                    national: 0.25,
                    structure: Structure::Historical,
                },
                votes: None,
            }),
            ..RunConfig::default()
        }
    }

    #[test]
    fn every_csv_the_cli_writes_and_a_readme_naming_each_column() {
        let config = small_electoral();
        let (plan, output) = builtin_run(&config);
        let inputs = builtin_inputs();
        let files = files(&finished(&plan, &output, &config, &inputs)).unwrap();
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "README.txt",
                "settings.txt",
                "poll_average.csv",
                "kalman_diffusion.csv",
                "improved_kalman.csv",
                "hierarchical_bayes.csv",
                "scores.csv",
                "electoral.csv",
                "electoral_votes.csv",
                "electoral_states.csv",
                "correlation.csv",
                "skipped.csv"
            ]
        );
        // The CSVs are the existing functions' text.
        assert_eq!(
            file(&files, "poll_average.csv"),
            predictions_csv(&output.rows, ModelKind::PollAverage)
        );
        assert_eq!(file(&files, "scores.csv"), scores_csv(&output.scores));
        let electoral = output.electoral.as_ref().unwrap();
        assert_eq!(
            file(&files, "electoral.csv"),
            electoral_csv(&electoral.scenario_rows())
        );

        let readme = file(&files, README_FILE);
        let words: BTreeSet<&str> = readme
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
            .map(|w| w.trim_end_matches('.'))
            .collect();
        for (name, text) in files.iter().filter(|(n, _)| n.ends_with(".csv")) {
            assert!(words.contains(name.as_str()), "README names {name}");
            let header = text.lines().next().unwrap();
            for column in header.split(',') {
                assert!(words.contains(column), "README explains {name}'s {column}");
            }
        }
        let flat = readme.split_whitespace().collect::<Vec<_>>().join(" ");
        for clip in [
            "Hierarchical Bayes to 0.02-0.98 (2-98 %)",
            "Poll average to 0.05-0.95 (5-95 %)",
            "Improved Kalman to 0.01-0.99 (1-99 %)",
            "Kalman diffusion to 0.01-0.99 (1-99 %)",
        ] {
            assert!(flat.contains(clip), "{clip}");
        }
        assert!(readme.contains("+0.05 is a Democratic lead of 5 points (D+5)"));
        assert!(
            readme.lines().all(|l| l.chars().count() <= WIDTH),
            "{readme}"
        );
        // No notes: the built-in run has everything.
        assert!(!readme.contains("This run\n"), "{readme}");
    }

    /// The clips the README states are the models' own.
    #[test]
    fn the_clips_in_the_readme_are_the_models() {
        let config = RunConfig {
            grid: DateGrid::Daily,
            electoral: None,
            ..RunConfig::default()
        };
        let (_, output) = builtin_run(&config);
        for (model, low, high) in [
            (ModelKind::HierarchicalBayes, 0.02, 0.98),
            (ModelKind::PollAverage, 0.05, 0.95),
            (ModelKind::KalmanDiffusion, 0.01, 0.99),
            (ModelKind::ImprovedKalman, 0.01, 0.99),
        ] {
            let p: Vec<f64> = output
                .rows
                .iter()
                .filter(|r| r.model == model)
                .map(|r| r.win_probability)
                .collect();
            assert!(p.iter().all(|&p| (low..=high).contains(&p)), "{model}");
            // Safe states reach the bounds.
            assert!(p.contains(&low) && p.contains(&high), "{model}");
        }
    }

    /// A shell's reading of a command line: words split on spaces, single quotes kept
    /// together (all that [`shell_word`] writes).
    fn shell_split(line: &str) -> Vec<String> {
        let mut words = Vec::new();
        let mut word = String::new();
        let (mut quoted, mut started) = (false, false);
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\'' => {
                    quoted = !quoted;
                    started = true;
                }
                '\\' if !quoted => {
                    if let Some(next) = chars.next() {
                        word.push(next);
                    }
                }
                ' ' if !quoted => {
                    if started || !word.is_empty() {
                        words.push(std::mem::take(&mut word));
                    }
                    started = false;
                }
                c => word.push(c),
            }
        }
        if started || !word.is_empty() {
            words.push(word);
        }
        words
    }

    #[test]
    fn settings_hold_every_setting_and_the_command_that_makes_the_run() {
        let config = RunConfig {
            year: Some(2016),
            grid: DateGrid::Daily,
            models: vec![ModelKind::HierarchicalBayes, ModelKind::PollAverage],
            seed: 7,
            settings: Settings {
                sims: 300,
                min_polls: MIN_POLLS,
                hb_bias_intercept: -0.01,
                hb_bias_slope: 0.05,
            },
            electoral: None,
            ..RunConfig::default()
        };
        let plan = tiny_plan(&config);
        let output = run(&plan, &Progress::new(), 1);
        let inputs = Inputs {
            polls: Input::File("my polls 'final'.csv".into()),
            results: Input::File("-results.csv".into()),
            electoral_votes: None,
        };
        let run = FinishedRun {
            workers: Some(3),
            ..finished(&plan, &output, &config, &inputs)
        };
        let text = settings_text(&run);
        for line in [
            "engine: forecast-engine ",
            "run: complete, 272 cells",
            "election year: 2016 (asked for)",
            "election day: 2016-11-08 (the Tuesday after the first Monday of November)",
            "polls: file my polls 'final'.csv",
            "results: file -results.csv",
            "models: poll_average,hierarchical_bayes",
            "forecast dates asked for: daily",
            "forecast dates: 2016-09-01,2016-09-02,",
            "seed: 7",
            "simulations per cell: 300",
            "minimum polls: 3",
            "hierarchical-Bayes bias intercept: -0.01",
            "hierarchical-Bayes bias slope: 0.05",
            "electoral college: off",
            "workers: 3 (the files are the same for any number)",
        ] {
            assert!(
                text.lines().any(|l| l.starts_with(line)),
                "{line:?} in\n{text}"
            );
        }
        assert!(text.contains("2016-11-07 (68 dates)"));
        let command = text
            .lines()
            .find_map(|l| l.strip_prefix(COMMAND_PREFIX))
            .unwrap();
        assert_eq!(command, command_line(&run));
        let words = shell_split(command);
        assert_eq!(
            words,
            [
                "forecast",
                "--polls",
                "my polls 'final'.csv",
                "--results",
                "./-results.csv",
                "--year",
                "2016",
                "--dates",
                "daily",
                "--models",
                "poll_average,hierarchical_bayes",
                "--seed",
                "7",
                "--sims",
                "300",
                "--min-polls",
                "3",
                "--hb-bias-intercept",
                "-0.01",
                "--hb-bias-slope",
                "0.05",
                "--no-electoral",
                "--out",
                "forecast-run"
            ]
        );
    }

    #[test]
    fn the_electoral_settings_and_a_votes_file_are_in_the_command() {
        let mut config = small_electoral();
        let votes = ElectoralVotes::builtin(2016).unwrap();
        let csv: String = State::all()
            .map(|s| format!("{},{}\n", s.code(), votes.votes(s)))
            .collect();
        let from_file =
            ElectoralVotes::from_csv(format!("state,electoral_votes\n{csv}").as_bytes()).unwrap();
        if let Some(electoral) = &mut config.electoral {
            electoral.votes = Some(from_file);
        }
        let (plan, output) = builtin_run(&config);
        let mut inputs = builtin_inputs();
        let unnamed = files(&finished(&plan, &output, &config, &inputs));
        assert_eq!(unnamed, Err(BundleError::UnnamedVotesFile));
        inputs.electoral_votes = Some("ev.csv".into());
        let run = finished(&plan, &output, &config, &inputs);
        let command = command_line(&run);
        assert!(
            command.ends_with(
                "--ec-sims 1000 --ec-national 0.25 --ec-structure historical \
                 --electoral-votes ev.csv --out forecast-run"
            ),
            "{command}"
        );
        assert!(!command.contains("--polls") && !command.contains("--results"));
        let text = settings_text(&run);
        for line in [
            "electoral college: on",
            "electoral-college simulations: 1000",
            "national share of the error: 0.25",
            "error structure: historical",
            "electoral votes: file ev.csv, 538 in all",
            "polls: built-in 2016 polls",
        ] {
            assert!(text.lines().any(|l| l == line), "{line:?} in\n{text}");
        }
    }

    #[test]
    fn a_configuration_not_the_runs_is_refused() {
        let config = tiny_config();
        let plan = tiny_plan(&config);
        let output = run(&plan, &Progress::new(), 1);
        let inputs = builtin_inputs();
        let refused = |other: RunConfig| files(&finished(&plan, &output, &other, &inputs));
        assert!(refused(config.clone()).is_ok());
        // The same run asked otherwise: models in another order, twice; the year left out.
        let mut same = config.clone();
        same.models = vec![ModelKind::HierarchicalBayes, ModelKind::PollAverage]
            .into_iter()
            .chain(ModelKind::ALL)
            .collect();
        same.year = None;
        assert!(refused(same).is_ok());
        for (change, what) in [
            (
                (|c: &mut RunConfig| c.seed += 1) as fn(&mut RunConfig),
                Differs::Seed,
            ),
            (|c| c.year = Some(2012), Differs::Year),
            (|c| c.election_day = Some(d(11, 1)), Differs::ElectionDay),
            (|c| c.grid = DateGrid::Count(5), Differs::Dates),
            (|c| c.models.truncate(1), Differs::Models),
            (|c| c.settings.sims += 1, Differs::ModelSettings),
            (
                |c| c.electoral = Some(ElectoralConfig::default()),
                Differs::Electoral,
            ),
        ] {
            let mut other = config.clone();
            change(&mut other);
            let error = refused(other).unwrap_err();
            assert_eq!(error, BundleError::NotTheRunsConfig(what));
            assert!(error.to_string().contains(what.name()));
        }
    }

    #[test]
    fn shell_words_read_back_as_the_name() {
        for (name, word) in [
            ("polls.csv", "polls.csv"),
            ("data/polls-2024.csv", "data/polls-2024.csv"),
            ("my polls.csv", "'my polls.csv'"),
            ("it's.csv", "'it'\\''s.csv'"),
            ("-x.csv", "./-x.csv"),
            ("$(rm -rf).csv", "'$(rm -rf).csv'"),
            ("", "''"),
            ("a\nb.csv", "'a?b.csv'"),
        ] {
            assert_eq!(shell_word(name), word);
            let back = shell_split(word);
            assert_eq!(back.len(), 1, "{word}");
        }
        assert_eq!(shell_split(&shell_word("it's.csv")), ["it's.csv"]);
    }

    #[test]
    fn wrap_keeps_lines_short() {
        let text = "a ".repeat(100) + &"x".repeat(100);
        let wrapped = wrap(&text, "  ");
        assert!(wrapped.lines().all(|l| l.starts_with("  ")));
        assert!(wrapped
            .lines()
            .all(|l| l.len() <= WIDTH || !l.trim().contains(' ')));
        assert_eq!(wrap("", "  "), "  ");
        assert_eq!(sentence("only 3 years"), "Only 3 years");
        assert_eq!(sentence(""), "");
    }
}
