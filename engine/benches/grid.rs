//! `cargo bench -p forecast-engine --bench grid`: wall time of whole runs on the built-in
//! 2016 data, 4-date, 16-date and daily grids, with 1 and 2 workers taking turns so that
//! the machine's drift weighs on both, the state forecasts alone and with the electoral
//! college (20,000 simulations). Prints the median and the fastest of several runs of the
//! run itself (cells, house effects, scores, electoral college; the plan and loading
//! excluded, as in the page's timing), the speed-up of 2 workers, and what the electoral
//! college adds; then a what-if with three pinned states. First, the read of the built-in
//! polls and results (and, with `--features serde`, their decoding already read, as the
//! page does).

use std::time::Instant;

use forecast_engine::electoral::{ElectoralConfig, Party, Pins};
use forecast_engine::{
    builtin, load_polls, load_results, run, DateGrid, ModelKind, Plan, Progress, RunConfig, State,
};

fn main() {
    // The page's first load decodes these polls already read (on a worker, in
    // WebAssembly); a reader's own file is read.
    let (median, fastest) = median_and_fastest(50, || {
        std::hint::black_box(load_polls(builtin::POLLS_2016).expect("built-in polls"));
    });
    println!(
        "reading the built-in polls (400 kB, 4,208 rows): median {median:.2} ms, fastest {fastest:.2} ms\n"
    );
    let polls = load_polls(builtin::POLLS_2016).expect("built-in polls");
    // With `--features serde`: decoding them already read, as the page does.
    #[cfg(feature = "serde")]
    {
        let encoded = builtin::encode_polls(&polls).expect("encodes");
        let (median, fastest) = median_and_fastest(50, || {
            std::hint::black_box(builtin::decode_polls(&encoded).expect("decodes"));
        });
        println!(
            "decoding them already read ({} kB): median {median:.2} ms, fastest {fastest:.2} ms\n",
            encoded.len() / 1000
        );
    }
    let (median, fastest) = median_and_fastest(50, || {
        std::hint::black_box(load_results(builtin::RESULTS).expect("built-in results"));
    });
    println!(
        "reading the built-in results (14 kB, 612 rows): median {median:.3} ms, fastest {fastest:.3} ms\n"
    );
    #[cfg(feature = "serde")]
    {
        let (median, fastest) = median_and_fastest(50, || {
            std::hint::black_box(
                builtin::decode_results(builtin::RESULTS_ENCODED).expect("decodes"),
            );
        });
        println!(
            "decoding them already read ({} kB): median {median:.3} ms, fastest {fastest:.3} ms\n",
            builtin::RESULTS_ENCODED.len() / 1000
        );
    }
    let results = load_results(builtin::RESULTS).expect("built-in results");
    let pools: Vec<(usize, rayon::ThreadPool)> = [1, 2]
        .into_iter()
        .map(|workers| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(workers)
                .build()
                .expect("pool");
            (workers, pool)
        })
        .collect();
    println!(
        "{:<10} {:<17} {:>7} {:>7} {:>11} {:>11} {:>19}",
        "grid", "run", "workers", "cells", "median ms", "fastest ms", "speed-up (fastest)"
    );
    for (name, grid, repeats) in [
        ("4 dates", DateGrid::Count(4), 20),
        ("16 dates", DateGrid::Count(16), 12),
        ("daily", DateGrid::Daily, 5),
    ] {
        let mut medians = Vec::new();
        for (what, electoral) in [
            ("states", None),
            ("+ electoral", Some(ElectoralConfig::default())),
        ] {
            let config = RunConfig {
                grid,
                electoral,
                ..RunConfig::default()
            };
            let plan = Plan::new(&polls, &results, &config).expect("plan");
            let mut times = vec![Vec::new(); pools.len()];
            // One warm-up round, then the timed ones.
            for round in 0..=repeats {
                for (k, (workers, pool)) in pools.iter().enumerate() {
                    let started = Instant::now();
                    pool.install(|| run(&plan, &Progress::new(), *workers));
                    if round > 0 {
                        times[k].push(started.elapsed().as_secs_f64() * 1e3);
                    }
                }
            }
            let stats: Vec<(f64, f64)> = times
                .iter_mut()
                .map(|t| {
                    t.sort_by(f64::total_cmp);
                    (t[t.len() / 2], t[0])
                })
                .collect();
            for (k, (workers, _)) in pools.iter().enumerate() {
                let (median, fastest) = stats[k];
                let speedup = if k == 0 {
                    String::new()
                } else {
                    format!("{:.2}x ({:.2}x)", stats[0].0 / median, stats[0].1 / fastest)
                };
                println!(
                    "{name:<10} {what:<17} {workers:>7} {:>7} {median:>11.1} {fastest:>11.1} {speedup:>19}",
                    plan.cell_count(),
                );
            }
            medians.push(stats.last().map_or(0.0, |s| s.0));
        }
        if let [states, with] = medians[..] {
            println!(
                "{name:<10} electoral college, 2 workers: {:.1} ms more, {:.2}x the states alone",
                with - states,
                with / states
            );
        }
    }
    what_if(&polls, &results, &pools);
}

/// A what-if: the latest date's hierarchical-Bayes electoral college over the draws in
/// which Florida, Pennsylvania and Ohio go Democratic, as a pin on the page asks it.
fn what_if(
    polls: &forecast_engine::PollSet,
    results: &forecast_engine::ResultSet,
    pools: &[(usize, rayon::ThreadPool)],
) {
    let config = RunConfig {
        grid: DateGrid::Count(16),
        ..RunConfig::default()
    };
    let plan = Plan::new(polls, results, &config).expect("plan");
    let Some((workers, pool)) = pools.last() else {
        return;
    };
    let output = pool.install(|| run(&plan, &Progress::new(), *workers));
    let electoral = output.electoral.expect("an electoral college");
    let pair = electoral
        .pairs
        .iter()
        .rfind(|p| p.model == ModelKind::HierarchicalBayes)
        .expect("a hierarchical-Bayes pair");
    let inputs = &pair.result.as_ref().expect("simulated").inputs;
    let pins = ["FL", "PA", "OH"]
        .into_iter()
        .filter_map(State::parse)
        .fold(Pins::new(), |pins, s| pins.pin(s, Party::Dem));
    let (median, fastest) = median_and_fastest(20, || {
        let pinned = pool.install(|| electoral.electoral.simulate_pinned(inputs, &pins));
        std::hint::black_box(pinned);
    });
    println!(
        "what-if, 3 pinned states (16 dates, latest date), {workers} workers: median {median:.2} ms, fastest {fastest:.2} ms"
    );
}

/// The median and fastest of `runs` timings of `work` in milliseconds, after one run
/// that is not counted (the first pays for cold caches).
fn median_and_fastest(runs: usize, mut work: impl FnMut()) -> (f64, f64) {
    let mut times: Vec<f64> = (0..=runs)
        .map(|_| {
            let started = Instant::now();
            work();
            started.elapsed().as_secs_f64() * 1e3
        })
        .skip(1)
        .collect();
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], times[0])
}
