//! `cargo bench -p forecast-engine`: wall time of whole runs on the built-in 2016 data,
//! 4-date, 16-date and daily grids with 1 and 2 workers. Prints the median and the
//! fastest of several runs (plan and run; loading excluded, as in the page).

use std::time::Instant;

use forecast_engine::{
    builtin, load_polls, load_results, run, DateGrid, Plan, Progress, RunConfig,
};

fn main() {
    let polls = load_polls(builtin::POLLS_2016).expect("built-in polls");
    let results = load_results(builtin::RESULTS).expect("built-in results");
    println!(
        "{:<10} {:>7} {:>7} {:>11} {:>11} {:>12}",
        "grid", "workers", "cells", "median ms", "fastest ms", "cells/s"
    );
    for (name, grid, repeats) in [
        ("4 dates", DateGrid::Count(4), 30),
        ("16 dates", DateGrid::Count(16), 15),
        ("daily", DateGrid::Daily, 7),
    ] {
        let config = RunConfig {
            grid,
            ..RunConfig::default()
        };
        for workers in [1, 2] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(workers)
                .build()
                .expect("pool");
            let mut times = Vec::new();
            let mut cells = 0;
            for _ in 0..repeats {
                let started = Instant::now();
                let plan = Plan::new(&polls, &results, &config).expect("plan");
                let output = pool.install(|| run(&plan, &Progress::new(), workers));
                times.push(started.elapsed().as_secs_f64() * 1e3);
                cells = output.cells;
            }
            times.sort_by(f64::total_cmp);
            let median = times[times.len() / 2];
            println!(
                "{name:<10} {workers:>7} {cells:>7} {median:>11.1} {:>11.1} {:>12.0}",
                times[0],
                cells as f64 / median * 1e3
            );
        }
    }
}
