//! `cargo bench -p forecast-engine --bench electoral`: the electoral college on the
//! built-in 2016 data. The four models are run once on the 16-date and daily grids; each
//! (model, date) becomes its inputs (model forecasts, else the fundamentals prior). Then,
//! with 1 and 2 workers taking turns, the wall time of: drawing `w` (20,000 draws),
//! simulating every (model, date), and a what-if with 3 pins. Prints the median and the
//! fastest of several runs, and the time per unit-draw (51 units x draws x scenarios,
//! per worker-second).

use std::collections::BTreeMap;
use std::time::Instant;

use forecast_engine::electoral::{
    Correlation, Electoral, ElectoralSettings, ElectoralVotes, Inputs, ModelForecast, Party, Pins,
    Tipping, UNITS,
};
use forecast_engine::{
    builtin, load_polls, load_results, run, DateGrid, Plan, Progress, RunConfig, State,
};

fn inputs_of(plan: &Plan, results: &forecast_engine::ResultSet) -> Vec<Inputs> {
    let output = run(plan, &Progress::new(), 2);
    let mut forecasts: BTreeMap<(usize, usize), [Option<ModelForecast>; UNITS]> = BTreeMap::new();
    for row in &output.rows {
        let m = plan
            .models
            .iter()
            .position(|m| *m == row.model)
            .unwrap_or(0);
        let d = plan
            .dates
            .iter()
            .position(|d| *d == row.forecast_date)
            .unwrap_or(0);
        forecasts.entry((m, d)).or_insert([None; UNITS])[row.state.index()] = Some(ModelForecast {
            margin: row.predicted_margin,
            std: row.margin_std,
        });
    }
    let year = plan.year;
    let prior: [Option<f64>; UNITS] = std::array::from_fn(|i| {
        let s = State::from_index(i)?;
        let m4 = results.margin(year - 4, s)?;
        Some(match results.margin(year - 8, s) {
            Some(m8) => 0.7 * m4 + 0.3 * m8,
            None => m4,
        })
    });
    let mut all = Vec::new();
    for m in 0..plan.models.len() {
        for d in 0..plan.dates.len() {
            let model = forecasts.get(&(m, d)).copied().unwrap_or([None; UNITS]);
            if let Ok(inputs) = Inputs::build(&model, &prior, plan.days_to_election(d)) {
                all.push(inputs);
            }
        }
    }
    all
}

/// CPU time of the process so far (every thread), in ms, from /proc/self/stat (Linux;
/// 0 elsewhere); clock ticks of 10 ms, so only means over many runs are meaningful.
fn cpu_ms() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which ends with ')'): utime and stime are the
    // 12th and 13th of them.
    let after = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks: f64 = [11, 12]
        .iter()
        .filter_map(|&i| fields.get(i).and_then(|f| f.parse::<f64>().ok()))
        .sum();
    ticks * 10.0
}

/// Median and fastest of `times`, in ms.
fn stats(times: &mut [f64]) -> (f64, f64) {
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], times[0])
}

/// Wall and CPU time of `f`, in ms.
fn time_ms(f: impl FnOnce()) -> (f64, f64) {
    let cpu = cpu_ms();
    let started = Instant::now();
    f();
    (started.elapsed().as_secs_f64() * 1e3, cpu_ms() - cpu)
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len().max(1) as f64
}

fn main() {
    let polls = load_polls(builtin::POLLS_2016).expect("built-in polls");
    let results = load_results(builtin::RESULTS).expect("built-in results");
    let settings = ElectoralSettings::DEFAULT;
    let votes = ElectoralVotes::builtin(2016).expect("2016 table");
    let correlation =
        Correlation::new(settings.structure, 2016, &results.margins).expect("correlation");
    let pools: Vec<(usize, rayon::ThreadPool)> = [1, 2]
        .into_iter()
        .map(|n| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .expect("pool");
            (n, pool)
        })
        .collect();
    let prepare =
        || Electoral::prepare(&settings, votes.clone(), correlation.clone(), 42).expect("prepare");
    let never = || false;

    println!(
        "{:<24} {:>7} {:>9} {:>10} {:>11} {:>11} {:>10}",
        "what", "workers", "scenarios", "median ms", "fastest ms", "mean CPU ms", "ns/unit"
    );
    let report = |what: &str, scenarios: usize, units: f64, times: &mut Vec<Vec<(f64, f64)>>| {
        for (k, (workers, _)) in pools.iter().enumerate() {
            let mut wall: Vec<f64> = times[k].iter().map(|t| t.0).collect();
            let cpu = mean(&times[k].iter().map(|t| t.1).collect::<Vec<_>>());
            let (median, fastest) = stats(&mut wall);
            println!(
                "{what:<24} {workers:>7} {scenarios:>9} {median:>10.2} {fastest:>11.2} {cpu:>11.2} {:>10.3}",
                cpu * 1e6 / units
            );
        }
    };
    let timed = |repeats: usize, f: &(dyn Fn() + Sync)| -> Vec<Vec<(f64, f64)>> {
        let mut times = vec![Vec::new(); pools.len()];
        // One warm-up round, then the timed ones, the pools taking turns.
        for round in 0..=repeats {
            for (k, (_, pool)) in pools.iter().enumerate() {
                let t = time_ms(|| pool.install(f));
                if round > 0 {
                    times[k].push(t);
                }
            }
        }
        times
    };

    // Drawing w: ns per normal drawn (52 per draw).
    let mut times = timed(20, &|| {
        prepare();
    });
    report(
        "draw w (per normal)",
        0,
        (settings.sims * (UNITS + 1)) as f64,
        &mut times,
    );

    let electoral = pools[1].1.install(prepare);
    for (name, grid, repeats) in [
        ("16 dates", DateGrid::Count(16), 15),
        ("daily", DateGrid::Daily, 7),
    ] {
        let config = RunConfig {
            grid,
            ..RunConfig::default()
        };
        let plan = Plan::new(&polls, &results, &config).expect("plan");
        let inputs = inputs_of(&plan, &results);
        let mut times = timed(repeats, &|| {
            assert!(electoral.simulate_all(&inputs, &never).is_ok());
        });
        let unit_draws = (inputs.len() * settings.sims * UNITS) as f64;
        report(
            &format!("simulate all, {name}"),
            inputs.len(),
            unit_draws,
            &mut times,
        );
        // As the page runs it: the tipping points of one pair (the last), the rest after.
        let last = Tipping::Only(vec![inputs.len() - 1]);
        let mut times = timed(repeats, &|| {
            assert!(electoral
                .simulate_all_counted(&inputs, &last, &never, &|_| {})
                .is_ok());
        });
        report(
            &format!("one pair's tipping, {name}"),
            inputs.len(),
            unit_draws,
            &mut times,
        );
        if name == "16 dates" {
            // A what-if: the last date of the first model, 3 swing states pinned.
            let scenario = &inputs[plan.dates.len() - 1];
            let pins = Pins::new()
                .pin(State::parse("FL").expect("FL"), Party::Rep)
                .pin(State::parse("PA").expect("PA"), Party::Dem)
                .pin(State::parse("NC").expect("NC"), Party::Rep);
            let matching = electoral.simulate_pinned(scenario, &pins).matching();
            let mut times = timed(40, &|| {
                electoral.simulate_pinned(scenario, &pins);
            });
            report(
                &format!("what-if, 3 pins ({matching})"),
                1,
                (settings.sims * UNITS) as f64,
                &mut times,
            );
        }
    }
}
