//! The output bytes do not depend on the number of workers.

use forecast_engine::electoral::output::{
    correlation_csv, electoral_csv, electoral_states_csv, electoral_votes_csv,
};
use forecast_engine::output::{predictions_csv, scores_csv};
use std::sync::{mpsc, Arc};

use forecast_engine::{
    builtin, load_polls, load_results, run, run_tasks, DateGrid, ModelError, Plan, Progress,
    RunConfig, RunOutput,
};

fn output_bytes(plan: &Plan, workers: usize) -> String {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(workers)
        .build()
        .expect("pool");
    let output = pool.install(|| run(plan, &Progress::new(), workers));
    bytes(plan, output, workers)
}

fn bytes(plan: &Plan, output: RunOutput, workers: usize) -> String {
    assert_eq!(output.cells_done, output.cells);
    assert!(output.threads >= 1 && output.threads <= workers);
    assert_eq!(output.cells_per_thread.len(), output.threads);
    assert_eq!(
        output
            .cells_per_thread
            .iter()
            .map(|(_, n)| n)
            .sum::<usize>(),
        output.cells_done
    );
    let mut text = String::new();
    for &model in &plan.models {
        text += &predictions_csv(&output.rows, model);
    }
    text += &scores_csv(&output.scores);
    // The electoral college's files too (every (model, date) of the grid).
    let electoral = output.electoral.expect("an electoral college");
    let rows = electoral.scenario_rows();
    assert_eq!(rows.len(), plan.models.len() * plan.dates.len());
    let e = &electoral.electoral;
    text + &electoral_csv(&rows)
        + &electoral_votes_csv(&rows)
        + &electoral_states_csv(&rows, e.votes())
        + &correlation_csv(e.correlation(), e.settings().national)
}

#[test]
fn identical_bytes_for_1_2_3_and_8_workers() {
    let polls = load_polls(builtin::POLLS_2016).expect("polls");
    let results = load_results(builtin::RESULTS).expect("results");
    let config = RunConfig {
        grid: DateGrid::Count(16),
        ..RunConfig::default()
    };
    let plan = Plan::new(&polls, &results, &config).expect("plan");
    let one = output_bytes(&plan, 1);
    assert!(one.lines().count() > 3000, "a real grid was run");
    for workers in [2, 3, 8] {
        assert!(
            output_bytes(&plan, workers) == one,
            "{workers} workers differ from 1"
        );
    }
}

/// The jobs of `run_tasks`, spawned on a pool without waiting or simply called one after
/// another, give the bytes of `run`, and hand the output over exactly once.
#[test]
fn run_tasks_gives_the_bytes_of_run() {
    let polls = load_polls(builtin::POLLS_2016).expect("polls");
    let results = load_results(builtin::RESULTS).expect("results");
    let config = RunConfig {
        grid: DateGrid::Count(4),
        ..RunConfig::default()
    };
    let plan = Arc::new(Plan::new(&polls, &results, &config).expect("plan"));
    let expected = output_bytes(&plan, 1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .expect("pool");
    for tasks in [1, 2, 5] {
        let (sender, outputs) = mpsc::channel();
        let jobs = run_tasks(
            Arc::clone(&plan),
            Arc::new(Progress::new()),
            tasks,
            move |o| sender.send(o).expect("receiver alive"),
        );
        assert_eq!(jobs.len(), tasks);
        for job in jobs {
            pool.spawn(job);
        }
        let output = outputs.recv().expect("an output");
        assert!(
            outputs.recv().is_err(),
            "one output only, then the sender is dropped"
        );
        assert!(
            bytes(&plan, output, tasks.min(2)) == expected,
            "{tasks} spawned jobs"
        );
    }
    let (sender, outputs) = mpsc::channel();
    for job in run_tasks(Arc::clone(&plan), Arc::new(Progress::new()), 3, move |o| {
        sender.send(o).expect("receiver alive")
    }) {
        job();
    }
    let output = outputs.recv().expect("an output");
    assert!(bytes(&plan, output, 1) == expected, "jobs called in turn");
}

/// A different seed gives different simulated forecasts: the streams are really keyed.
#[test]
fn the_seed_matters_for_simulated_models_only() {
    let polls = load_polls(builtin::POLLS_2016).expect("polls");
    let results = load_results(builtin::RESULTS).expect("results");
    let plan = |seed| {
        Plan::new(
            &polls,
            &results,
            &RunConfig {
                seed,
                ..RunConfig::default()
            },
        )
        .expect("plan")
    };
    let (a, b) = (plan(1), plan(2));
    let (ra, rb) = (run(&a, &Progress::new(), 2), run(&b, &Progress::new(), 2));
    for (x, y) in ra.rows.iter().zip(&rb.rows) {
        let simulated = matches!(
            x.model,
            forecast_engine::ModelKind::KalmanDiffusion
                | forecast_engine::ModelKind::ImprovedKalman
        );
        assert_eq!(x.predicted_margin != y.predicted_margin, simulated, "{x:?}");
    }
}

/// Cancelling stops the run early and says so.
#[test]
fn cancel_stops_the_run() {
    let polls = load_polls(builtin::POLLS_2016).expect("polls");
    let results = load_results(builtin::RESULTS).expect("results");
    let plan = Plan::new(
        &polls,
        &results,
        &RunConfig {
            grid: DateGrid::Daily,
            ..RunConfig::default()
        },
    )
    .expect("plan");
    let progress = Progress::new();
    progress.cancel();
    let output = run(&plan, &progress, 2);
    assert!(output.cancelled);
    assert!(output.cells_done < output.cells);
}

/// A cell that fails is reported with its reason; the other cells still run.
#[test]
fn a_failing_cell_is_reported_and_the_rest_go_on() {
    let polls = load_polls(builtin::POLLS_2016).expect("polls");
    let results = load_results(builtin::RESULTS).expect("results");
    let mut plan = Plan::new(&polls, &results, &RunConfig::default()).expect("plan");
    let broken = plan.states[0].state;
    for poll in &mut plan.states[0].polls {
        poll.margin = f64::NAN;
    }
    let output = run(&plan, &Progress::new(), 2);
    assert_eq!(output.cells_done, output.cells);
    assert!(!output.failures.is_empty());
    assert!(
        output.failures.iter().all(|f| f.state == broken),
        "{:?}",
        output.failures
    );
    assert!(
        output
            .failures
            .iter()
            .all(|f| matches!(f.reason, ModelError::NotFinite { .. })
                && f.reason.to_string().contains("numerical")),
        "{:?}",
        output.failures
    );
    assert!(output.rows.iter().all(|r| r.state != broken));
    assert!(output.rows.len() > 600);
}
