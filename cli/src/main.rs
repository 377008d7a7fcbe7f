//! `forecast`: the engine on native threads. Reads polls and results (or the built-in
//! 2016 data), runs the grid, writes one CSV per model, `scores.csv`, the electoral
//! college's files, and `README.txt`, `skipped.csv` and `settings.txt` to `--out`.

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{CommandFactory, FromArgMatches, Parser};
use forecast_engine::bundle::{self, BundleError, FinishedRun, Input, Inputs};
use forecast_engine::electoral::{
    ElectoralConfig, ElectoralOutput, ElectoralSettings, ElectoralVotes, Structure, VotesError,
};
use forecast_engine::models::SettingsError;
use forecast_engine::{
    builtin, load_polls, load_results, run, DateGrid, LoadError, ModelKind, Plan, PlanError,
    Progress, RunConfig, Settings,
};

/// The defaults, from the engine (written once there).
const DEFAULTS: Settings = Settings::DEFAULT;
const EC_DEFAULTS: ElectoralSettings = ElectoralSettings::DEFAULT;

#[derive(Parser, Debug)]
#[command(
    name = "forecast",
    about = "State-level election forecasts from polls, four models"
)]
struct Args {
    /// Polls CSV (FiveThirtyEight 2016 timeseries, FiveThirtyEight president_polls, or plain); default: built-in 2016 polls.
    #[arg(long)]
    polls: Option<PathBuf>,
    /// Results (MIT Election Lab tab-separated, or plain state,year,dem,rep); default: built-in results.
    #[arg(long)]
    results: Option<PathBuf>,
    /// Election year; default: the election of most polls (the polls report says which).
    #[arg(long)]
    year: Option<i32>,
    /// Election day (YYYY-MM-DD); default: the Tuesday after the first Monday of November.
    #[arg(long)]
    election_day: Option<chrono::NaiveDate>,
    /// Forecast dates: a number of dates evenly spaced from September 1 to the day before
    /// the election (as many as there are days, or more, is every day), or `daily`.
    #[arg(long, default_value_t = DateGrid::default(), conflicts_with = "daily")]
    dates: DateGrid,
    /// Every day from September 1 to the day before the election (`--dates daily`).
    #[arg(long)]
    daily: bool,
    /// Models, comma-separated.
    #[arg(long, value_enum, value_delimiter = ',', default_values_t = ModelKind::ALL)]
    models: Vec<ModelKind>,
    /// Worker threads; default, and most: the threads the machine runs in parallel.
    #[arg(long)]
    workers: Option<usize>,
    #[arg(long, default_value_t = RunConfig::DEFAULT_SEED)]
    seed: u64,
    /// Monte Carlo paths per simulated cell (its range is added by `command`).
    #[arg(long, default_value_t = DEFAULTS.sims)]
    sims: usize,
    /// Minimum polls for a state and for a forecast.
    #[arg(long, default_value_t = DEFAULTS.min_polls)]
    min_polls: usize,
    /// Hierarchical Bayes systematic-bias intercept (fitted by hand to 2016).
    #[arg(long, default_value_t = DEFAULTS.hb_bias_intercept, allow_negative_numbers = true)]
    hb_bias_intercept: f64,
    /// Hierarchical Bayes systematic-bias slope on the prior (fitted by hand to 2016).
    #[arg(long, default_value_t = DEFAULTS.hb_bias_slope, allow_negative_numbers = true)]
    hb_bias_slope: f64,
    /// Electoral-college simulations (draws of every state's error).
    #[arg(long, default_value_t = EC_DEFAULTS.sims)]
    ec_sims: usize,
    /// Share of every state's error common to all states (a national polling miss), 0 to 1.
    #[arg(long, default_value_t = EC_DEFAULTS.national)]
    ec_national: f64,
    /// How the rest of the states' errors move together: from the swings of past
    /// elections, or independently.
    #[arg(long, value_enum, default_value_t = EC_DEFAULTS.structure)]
    ec_structure: Structure,
    /// Electoral votes (state,electoral_votes, every state and DC once); default: the
    /// apportionment in force for the election year (1992-2028).
    #[arg(long)]
    electoral_votes: Option<PathBuf>,
    /// State forecasts only: no electoral college.
    #[arg(long, conflicts_with_all = ["ec_sims", "ec_national", "ec_structure", "electoral_votes"])]
    no_electoral: bool,
    /// Output folder.
    #[arg(long)]
    out: PathBuf,
}

/// Why a run of the command failed.
#[derive(Debug)]
enum CliError {
    /// A file could not be read or written.
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    /// A file was read but cannot be used.
    Load {
        source: String,
        error: LoadError,
    },
    Plan(PlanError),
    /// A model setting out of its range.
    Settings(SettingsError),
    /// An electoral-college setting out of its range.
    Electoral(forecast_engine::electoral::SettingsError),
    /// The electoral-votes file cannot be used.
    Votes {
        path: PathBuf,
        error: VotesError,
    },
    /// `--workers 0`.
    NoWorkers,
    Threads {
        workers: usize,
        message: String,
    },
    /// The files of the run could not be made.
    Bundle(BundleError),
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Io { path, error } => write!(f, "{}: {error}", path.display()),
            CliError::Load { source, error } => write!(f, "{source}: {error}"),
            CliError::Plan(error) => write!(f, "{error}"),
            CliError::Settings(error) => {
                write!(f, "{}: {error}", flag(error.setting().name()))
            }
            CliError::Electoral(error) => {
                let flag = match error {
                    forecast_engine::electoral::SettingsError::National(_) => "--ec-national",
                    forecast_engine::electoral::SettingsError::Sims(_) => "--ec-sims",
                };
                write!(f, "{flag}: {error}")
            }
            CliError::Votes { path, error } => write!(f, "{}: {error}", path.display()),
            CliError::NoWorkers => f.write_str("--workers: must be at least 1"),
            CliError::Threads { workers, message } => {
                write!(f, "cannot start {workers} threads: {message}")
            }
            CliError::Bundle(error) => write!(f, "{error}"),
        }
    }
}

/// The flag of a setting: `--min-polls` for `min_polls`.
fn flag(setting: &str) -> String {
    format!("--{}", setting.replace('_', "-"))
}

/// The command, with the ranges of the settings from the engine in its help.
fn command() -> clap::Command {
    let max_sims = Settings::MAX_SIMS;
    let max_min_polls = Settings::MAX_MIN_POLLS;
    let max_bias = Settings::MAX_HB_BIAS;
    Args::command()
        .mut_arg("sims", |a| {
            a.help(format!("Monte Carlo paths per simulated cell, 1 to {max_sims}"))
        })
        .mut_arg("min_polls", |a| {
            a.help(format!(
                "Minimum polls for a state and for a forecast, 1 to {max_min_polls}"
            ))
        })
        .mut_arg("hb_bias_intercept", |a| {
            a.help(format!(
                "Hierarchical Bayes systematic-bias intercept (fitted by hand to 2016), -{max_bias} to {max_bias}"
            ))
        })
        .mut_arg("hb_bias_slope", |a| {
            a.help(format!(
                "Hierarchical Bayes systematic-bias slope on the prior (fitted by hand to 2016), -{max_bias} to {max_bias}"
            ))
        })
}

fn main() -> ExitCode {
    // Every failure exits with 1, a flag clap refuses too (clap's own code is 2).
    let args = match command()
        .try_get_matches()
        .and_then(|matches| Args::from_arg_matches(&matches))
    {
        Ok(args) => args,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match forecast(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("forecast: {error}");
            ExitCode::FAILURE
        }
    }
}

fn read(path: &Path) -> Result<Vec<u8>, CliError> {
    std::fs::read(path).map_err(|error| CliError::Io {
        path: path.to_path_buf(),
        error,
    })
}

/// The worker threads to start: as asked, but no more than the machine runs at once
/// (more only share the same cores, and a huge number takes minutes to start).
fn workers(asked: Option<usize>) -> Result<usize, CliError> {
    let available = std::thread::available_parallelism().map_or(1, |n| n.get());
    match asked {
        None => Ok(available),
        Some(0) => Err(CliError::NoWorkers),
        Some(n) if n > available => {
            eprintln!(
                "forecast: --workers {n}: using {available}, the threads this machine runs in parallel"
            );
            Ok(available)
        }
        Some(n) => Ok(n),
    }
}

fn forecast(args: Args) -> Result<(), CliError> {
    let settings = Settings {
        sims: args.sims,
        min_polls: args.min_polls,
        hb_bias_intercept: args.hb_bias_intercept,
        hb_bias_slope: args.hb_bias_slope,
    };
    settings.validate().map_err(CliError::Settings)?;
    let electoral = electoral_config(&args)?;
    let workers = workers(args.workers)?;
    let polls_bytes = args.polls.as_deref().map(read).transpose()?;
    let results_bytes = args.results.as_deref().map(read).transpose()?;
    let polls_name = args
        .polls
        .as_ref()
        .map_or("built-in 2016 polls".into(), |p| p.display().to_string());
    let results_name = args
        .results
        .as_ref()
        .map_or("built-in results".into(), |p| p.display().to_string());
    let polls =
        load_polls(polls_bytes.as_deref().unwrap_or(builtin::POLLS_2016)).map_err(|error| {
            CliError::Load {
                source: polls_name.clone(),
                error,
            }
        })?;
    let results =
        load_results(results_bytes.as_deref().unwrap_or(builtin::RESULTS)).map_err(|error| {
            CliError::Load {
                source: results_name.clone(),
                error,
            }
        })?;
    println!("polls: {polls_name}\n{}", polls.report);
    println!("results: {results_name}\n{}", results.report);

    let config = RunConfig {
        year: args.year,
        election_day: args.election_day,
        grid: if args.daily {
            DateGrid::Daily
        } else {
            args.dates
        },
        models: args.models,
        seed: args.seed,
        settings,
        electoral,
    };
    let plan = Plan::new(&polls, &results, &config).map_err(CliError::Plan)?;
    for excluded in &plan.excluded {
        if excluded.polls > 0 {
            println!("skipped state {}: {}", excluded.state, excluded.reason);
        }
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(workers)
        .build()
        .map_err(|e| CliError::Threads {
            workers,
            message: e.to_string(),
        })?;
    let started = Instant::now();
    let output = pool.install(|| run(&plan, &Progress::new(), workers));
    let seconds = started.elapsed().as_secs_f64();

    let inputs = Inputs {
        polls: match &args.polls {
            Some(path) => Input::File(path.display().to_string()),
            None => Input::BuiltIn(polls_name),
        },
        results: match &args.results {
            Some(path) => Input::File(path.display().to_string()),
            None => Input::BuiltIn(results_name),
        },
        electoral_votes: args
            .electoral_votes
            .as_ref()
            .map(|path| path.display().to_string()),
    };
    // The page saves the same files through the same function: the same bytes.
    let files = bundle::files(&FinishedRun {
        plan: &plan,
        output: &output,
        config: &config,
        inputs: &inputs,
        workers: Some(workers),
    })
    .map_err(CliError::Bundle)?;
    std::fs::create_dir_all(&args.out).map_err(|error| CliError::Io {
        path: args.out.clone(),
        error,
    })?;
    for (name, text) in files {
        let path = args.out.join(name);
        std::fs::write(&path, text).map_err(|error| CliError::Io { path, error })?;
    }
    if output.scores.is_empty() {
        println!(
            "no results for {} yet: forecasts without scores (scores.csv has its header only)",
            plan.year
        );
    }

    match &output.electoral {
        Ok(electoral) => {
            for line in headline(electoral, &plan) {
                println!("{line}");
            }
        }
        Err(why) => println!("no electoral college: {why}"),
    }

    for failure in &output.failures {
        eprintln!(
            "failed cell {} {} {}: {}",
            failure.model, failure.state, failure.forecast_date, failure.reason
        );
    }
    let per_thread: Vec<String> = output
        .cells_per_thread
        .iter()
        .map(|(_, n)| n.to_string())
        .collect();
    let pairs = output.electoral.as_ref().map_or(0, |e| e.pairs.len());
    eprintln!(
        "{} cells ({} forecasts, {} without enough polls, {} failed) on {} threads ({} cells each) \
         and the electoral college of {pairs} (model, date) pairs in {:.1} ms; wrote {}",
        output.cells,
        output.rows.len(),
        output.no_forecast,
        output.failures.len(),
        output.threads,
        per_thread.join(" + "),
        seconds * 1e3,
        args.out.display()
    );
    Ok(())
}

/// The electoral-college settings of the flags, checked before any file is read; the
/// electoral-votes file read and checked too.
fn electoral_config(args: &Args) -> Result<Option<ElectoralConfig>, CliError> {
    if args.no_electoral {
        return Ok(None);
    }
    let settings = ElectoralSettings {
        sims: args.ec_sims,
        national: args.ec_national,
        structure: args.ec_structure,
    };
    settings.check().map_err(CliError::Electoral)?;
    let votes = match &args.electoral_votes {
        Some(path) => {
            Some(
                ElectoralVotes::from_csv(&read(path)?).map_err(|error| CliError::Votes {
                    path: path.clone(),
                    error,
                })?,
            )
        }
        None => None,
    };
    Ok(Some(ElectoralConfig { settings, votes }))
}

/// For each model, the latest date's chance of winning and median electoral votes; and
/// the pairs without a forecast, and why.
fn headline(electoral: &ElectoralOutput, plan: &Plan) -> Vec<String> {
    let mut lines = Vec::new();
    let votes = electoral.electoral.votes();
    for &model in &plan.models {
        let latest = electoral
            .pairs
            .iter()
            .filter(|p| p.model == model)
            .filter_map(|p| Some((p.forecast_date, p.result.as_ref().ok()?)))
            .next_back();
        match latest {
            Some((date, r)) => {
                let o = &r.outcome;
                let mut line = format!(
                    "electoral college, {} on {date}: Democrat wins {:.1}%, Republican {:.1}%, \
                     median {} of {} electoral votes (90%: {} to {})",
                    model.name(),
                    o.dem_win * 100.0,
                    o.rep_win * 100.0,
                    o.ev_p50,
                    votes.total(),
                    o.ev_p05,
                    o.ev_p95
                );
                if let Some(actual) = &o.actual {
                    line += &format!(
                        "; result {} (Brier {:.4})",
                        actual.actual_dem_ev, actual.brier
                    );
                }
                lines.push(line);
            }
            None => lines.push(format!(
                "electoral college, {}: no date with a forecast of every state or its prior",
                model.name()
            )),
        }
    }
    for pair in &electoral.pairs {
        if let Err(why) = &pair.result {
            lines.push(format!(
                "no electoral college for {} on {}: {why}",
                pair.model, pair.forecast_date
            ));
        }
    }
    if let Some(why) = &electoral.no_popular {
        lines.push(why.to_string());
    }
    if let Some(note) = electoral.electoral.correlation().note() {
        lines.push(note.to_string());
    }
    lines
}
