//! `cargo bench -p forecast-engine`: wall time of whole runs on the built-in 2016 data,
//! 4-date, 16-date and daily grids with 1 and 2 workers, taking turns so that the
//! machine's drift weighs on both. Prints the median and the fastest of several runs of
//! the run itself (cells, house effects, scores; the plan and loading excluded, as in the
//! page's timing), and the speed-up of 2 workers by both.

use std::time::Instant;

use forecast_engine::{
    builtin, load_polls, load_results, run, DateGrid, Plan, Progress, RunConfig,
};

fn main() {
    let polls = load_polls(builtin::POLLS_2016).expect("built-in polls");
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
        "{:<10} {:>7} {:>7} {:>11} {:>11} {:>10} {:>19}",
        "grid", "workers", "cells", "median ms", "fastest ms", "cells/s", "speed-up (fastest)"
    );
    for (name, grid, repeats) in [
        ("4 dates", DateGrid::Count(4), 30),
        ("16 dates", DateGrid::Count(16), 20),
        ("daily", DateGrid::Daily, 10),
    ] {
        let config = RunConfig {
            grid,
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
                "{name:<10} {workers:>7} {:>7} {median:>11.1} {fastest:>11.1} {:>10.0} {speedup:>19}",
                plan.cell_count(),
                plan.cell_count() as f64 / median * 1e3
            );
        }
    }
}
