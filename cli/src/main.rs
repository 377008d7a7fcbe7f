//! `forecast`: the engine on native threads. Reads polls and results (or the built-in
//! 2016 data), runs the grid, writes one CSV per model and `scores.csv` to `--out`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use forecast_engine::output::{predictions_csv, scores_csv};
use forecast_engine::{
    builtin, load_polls, load_results, run, DateGrid, ModelKind, Plan, Progress, RunConfig,
    Settings,
};

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
    /// Election year; default: the year the polls speak of.
    #[arg(long)]
    year: Option<i32>,
    /// Election day (YYYY-MM-DD); default: the Tuesday after the first Monday of November.
    #[arg(long)]
    election_day: Option<chrono::NaiveDate>,
    /// Number of evenly spaced forecast dates from September 1.
    #[arg(long, default_value_t = 4, conflicts_with = "daily")]
    dates: usize,
    /// Every day from September 1 to the day before the election.
    #[arg(long)]
    daily: bool,
    /// Models, comma-separated: poll_average,kalman_diffusion,improved_kalman,hierarchical_bayes.
    #[arg(long, value_delimiter = ',', default_values_t = ModelKind::ALL.map(|m| m.name().to_string()))]
    models: Vec<String>,
    /// Worker threads; default: all cores.
    #[arg(long)]
    workers: Option<usize>,
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Monte Carlo paths per simulated cell.
    #[arg(long, default_value_t = 2000)]
    sims: usize,
    /// Minimum polls for a state and for a forecast.
    #[arg(long, default_value_t = 10)]
    min_polls: usize,
    /// Hierarchical Bayes systematic-bias intercept (fitted by hand to 2016).
    #[arg(long, default_value_t = 0.02)]
    hb_bias_intercept: f64,
    /// Hierarchical Bayes systematic-bias slope on the prior (fitted by hand to 2016).
    #[arg(long, default_value_t = 0.03)]
    hb_bias_slope: f64,
    /// Output folder.
    #[arg(long)]
    out: PathBuf,
}

fn main() -> ExitCode {
    match forecast(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("forecast: {message}");
            ExitCode::FAILURE
        }
    }
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn forecast(args: Args) -> Result<(), String> {
    let models = args
        .models
        .iter()
        .map(|name| {
            ModelKind::parse(name).ok_or_else(|| {
                let known: Vec<&str> = ModelKind::ALL.iter().map(|m| m.name()).collect();
                format!("unknown model {name:?}; models are {}", known.join(", "))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    if args.sims == 0 {
        return Err("--sims must be at least 1".into());
    }
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
    let polls = load_polls(polls_bytes.as_deref().unwrap_or(builtin::POLLS_2016))
        .map_err(|e| format!("{polls_name}: {e}"))?;
    let results = load_results(results_bytes.as_deref().unwrap_or(builtin::RESULTS))
        .map_err(|e| format!("{results_name}: {e}"))?;
    println!("polls: {polls_name}\n{}", polls.report);
    println!("results: {results_name}\n{}", results.report);

    let config = RunConfig {
        year: args.year,
        election_day: args.election_day,
        grid: if args.daily {
            DateGrid::Daily
        } else {
            DateGrid::Count(args.dates)
        },
        models,
        seed: args.seed,
        settings: Settings {
            sims: args.sims,
            min_polls: args.min_polls,
            hb_bias_intercept: args.hb_bias_intercept,
            hb_bias_slope: args.hb_bias_slope,
        },
    };
    let plan = Plan::new(&polls, &results, &config).map_err(|e| e.to_string())?;
    for excluded in &plan.excluded {
        if excluded.polls > 0 {
            println!("skipped state {}: {}", excluded.state, excluded.reason);
        }
    }
    let workers = args
        .workers
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(workers)
        .build()
        .map_err(|e| format!("cannot start {workers} threads: {e}"))?;
    let started = Instant::now();
    let output = pool.install(|| run(&plan, &Progress::new(), workers));
    let seconds = started.elapsed().as_secs_f64();

    std::fs::create_dir_all(&args.out).map_err(|e| format!("{}: {e}", args.out.display()))?;
    let write = |name: String, text: String| {
        let path = args.out.join(name);
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
    };
    for &model in &plan.models {
        write(
            format!("{}.csv", model.name()),
            predictions_csv(&output.rows, model),
        )?;
    }
    write("scores.csv".into(), scores_csv(&output.scores))?;

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
    eprintln!(
        "{} cells ({} forecasts, {} without enough polls, {} failed) on {} threads ({} cells each) in {:.1} ms: {:.0} cells/s; wrote {}",
        output.cells,
        output.rows.len(),
        output.no_forecast,
        output.failures.len(),
        output.threads,
        per_thread.join(" + "),
        seconds * 1e3,
        output.cells as f64 / seconds.max(1e-9),
        args.out.display()
    );
    Ok(())
}
