//! Forecasting the presidency: elections not yet held, the FiveThirtyEight
//! `president_polls.csv` layout of a later election, the electoral college of a backtest
//! and of a run without a table.

mod common;

use std::fmt::Write;

use chrono::NaiveDate;
use forecast_engine::electoral::output::electoral_csv;
use forecast_engine::electoral::{ElectoralConfig, ElectoralVotes, NoElectoral, Source};
use forecast_engine::{
    builtin, load_polls, load_results, run, DateGrid, PollSet, Progress, ResultSet, RunConfig,
    State,
};
use forecast_engine::{dates::election_day, Plan};

fn st(code: &str) -> State {
    State::parse(code).expect("state")
}

/// The built-in results of the years before `year` only, as a plain file.
fn results_before(year: i32) -> ResultSet {
    let all = load_results(builtin::RESULTS).expect("built-in results");
    let mut text = String::from("state,year,dem,rep\n");
    for (&(y, state), _) in all.margins.iter().filter(|((y, _), _)| *y < year) {
        let (dem, rep) = all.votes(y, state).expect("counts");
        let _ = writeln!(text, "{},{y},{dem},{rep}", state.code());
    }
    load_results(text.as_bytes()).expect("results before")
}

fn config(grid: DateGrid) -> RunConfig {
    RunConfig {
        grid,
        ..RunConfig::default()
    }
}

#[test]
fn an_election_without_results_is_forecast_all_the_same() {
    let polls = load_polls(builtin::POLLS_2016).expect("polls");
    let results = results_before(2016);
    let plan = Plan::new(&polls, &results, &config(DateGrid::Count(4))).expect("plan");
    assert_eq!(plan.year, 2016);
    let output = run(&plan, &Progress::new(), 2);
    assert!(!output.rows.is_empty());
    assert!(output.rows.iter().all(|r| r.actual_margin.is_none()));
    assert!(output.scores.is_empty(), "no result, no score");
    let text = forecast_engine::output::predictions_csv(&output.rows, plan.models[0]);
    assert!(
        text.lines().skip(1).all(|l| l.ends_with(',')),
        "an empty actual_margin"
    );
    let electoral = output.electoral.expect("an electoral college");
    for pair in &electoral.pairs {
        let outcome = &pair
            .result
            .as_ref()
            .expect("every state has a forecast or prior")
            .outcome;
        assert!(
            outcome.actual.is_none(),
            "no result, no actual electoral votes"
        );
        assert!(outcome.popular.is_some(), "weights from 2012");
        assert!((outcome.dem_win + outcome.tie + outcome.rep_win - 1.0).abs() < 1e-12);
    }
    let csv = electoral_csv(&electoral.scenario_rows());
    assert!(
        csv.lines().skip(1).all(|l| l.ends_with(",,,")),
        "actual_dem_ev, brier and log_loss empty:\n{csv}"
    );
}

/// The 2016 polls moved to the 2024 campaign (every date shifted by the days between the
/// two elections) in FiveThirtyEight's long `president_polls.csv` layout: one row per
/// poll and party, US dates, cycle 2024.
fn polls_2024_long(polls: &PollSet) -> Vec<u8> {
    let shift = election_day(2024).expect("2024") - election_day(2016).expect("2016");
    let us = |d: NaiveDate| (d + shift).format("%-m/%-d/%y").to_string();
    let mut text = String::from(
        "poll_id,pollster,state,start_date,end_date,sample_size,cycle,office_type,stage,party,pct\n",
    );
    for (i, poll) in polls.polls.iter().enumerate() {
        for (party, pct) in [("DEM", poll.dem), ("REP", poll.rep), ("LIB", 4.0)] {
            let _ = writeln!(
                text,
                "{i},\"{}\",{},{},{},{},2024,U.S. President,general,{party},{pct}",
                polls.pollster_name(poll).replace('"', ""),
                poll.state.name(),
                us(poll.start),
                us(poll.end),
                poll.sample_size,
            );
        }
    }
    text.into_bytes()
}

#[test]
fn the_2024_long_layout_runs_with_results_up_to_2020() {
    let builtin_polls = load_polls(builtin::POLLS_2016).expect("polls");
    let polls = load_polls(&polls_2024_long(&builtin_polls)).expect("2024 polls");
    assert_eq!(polls.year, Some(2024));
    assert_eq!(polls.polls.len(), builtin_polls.polls.len());
    let (_, mit) = common::reference_inputs();
    assert_eq!(mit.years().last(), Some(&2020));
    let plan = Plan::new(&polls, &mit, &config(DateGrid::Count(4))).expect("plan");
    assert_eq!(plan.year, 2024);
    assert_eq!(
        plan.election_day,
        NaiveDate::from_ymd_opt(2024, 11, 5).unwrap()
    );
    // The prior is 0.7 * m2020 + 0.3 * m2016.
    let fl = plan
        .states
        .iter()
        .find(|s| s.state == st("FL"))
        .expect("FL");
    let (m20, m16) = (
        mit.margin(2020, st("FL")).unwrap(),
        mit.margin(2016, st("FL")).unwrap(),
    );
    assert_eq!(fl.prior, Some(0.7 * m20 + 0.3 * m16));
    assert_eq!(fl.actual_margin, None);

    let output = run(&plan, &Progress::new(), 2);
    assert!(output.rows.len() > 600);
    assert!(output.scores.is_empty());
    let electoral = output.electoral.expect("an electoral college");
    // The 2020 census: California has 54 electoral votes, Texas 40.
    let votes = electoral.electoral.votes();
    assert_eq!((votes.votes(st("CA")), votes.votes(st("TX"))), (54, 40));
    assert!(
        electoral.no_popular.is_none(),
        "weights from the 2020 counts"
    );
    // On September 1 some states have too few polls yet: they take their prior.
    let first = plan.dates[0];
    let mut priors = 0;
    for &model in &plan.models {
        let pair = electoral.pair(model, first).expect("pair");
        let r = pair.result.as_ref().expect("outcome");
        assert!(r.outcome.actual.is_none());
        for state in State::all() {
            let forecast = output
                .rows
                .iter()
                .any(|row| row.model == model && row.forecast_date == first && row.state == state);
            let source = r.inputs.unit(state).source;
            assert_eq!(source == Source::Model, forecast, "{model} {state}");
            priors += usize::from(source == Source::Prior);
        }
    }
    assert!(priors > 0);
}

#[test]
fn the_2016_backtest_scores_the_electoral_college() {
    let polls = load_polls(builtin::POLLS_2016).expect("polls");
    let results = load_results(builtin::RESULTS).expect("results");
    let plan = Plan::new(&polls, &results, &config(DateGrid::Count(4))).expect("plan");
    let output = run(&plan, &Progress::new(), 2);
    let electoral = output.electoral.expect("an electoral college");
    assert_eq!(electoral.pairs.len(), 4 * 4);
    // Clinton's states, Maine whole: 233 electoral votes of 538.
    let csv = electoral_csv(&electoral.scenario_rows());
    for line in csv.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        assert_eq!(fields.len(), 15);
        assert_eq!(fields[12], "233", "{line}");
        let dem_win: f64 = fields[2].parse().unwrap();
        let brier: f64 = fields[13].parse().unwrap();
        // Clinton lost: the Brier score is the square of her chance.
        assert!((brier - dem_win * dem_win).abs() < 1e-12, "{line}");
        let log_loss: f64 = fields[14].parse().unwrap();
        assert!(
            (log_loss + (1.0 - dem_win + 1e-10).ln()).abs() < 1e-9,
            "{line}"
        );
    }
}

#[test]
fn without_a_table_the_states_are_forecast_and_the_reason_given() {
    // A made-up election in 1988 (no built-in table before 1992).
    let polls = load_polls(
        b"state,date,pollster,sample_size,dem,rep\n\
OH,1988-09-10,A,500,45,44\nOH,1988-09-12,B,500,44,46\nOH,1988-09-20,A,600,47,45\n",
    )
    .expect("polls");
    let results = load_results(builtin::RESULTS).expect("results");
    let mut config = config(DateGrid::Count(4));
    config.settings.min_polls = 2;
    let plan = Plan::new(&polls, &results, &config).expect("plan");
    assert_eq!(
        plan.electoral.as_ref().err(),
        Some(&NoElectoral::NoTable { year: 1988 })
    );
    let output = run(&plan, &Progress::new(), 1);
    assert!(!output.rows.is_empty());
    let why = output.electoral.expect_err("no table").to_string();
    assert!(why.contains("no electoral-vote table for 1988"), "{why}");

    // A table of one's own: every unit once, any total.
    let mut table = String::from("state,electoral_votes\n");
    for s in State::all() {
        let _ = writeln!(
            table,
            "{},{}",
            s.name(),
            if s == st("OH") { 25 } else { 10 }
        );
    }
    config.electoral = Some(ElectoralConfig {
        votes: Some(ElectoralVotes::from_csv(table.as_bytes()).expect("table")),
        ..ElectoralConfig::default()
    });
    let plan = Plan::new(&polls, &results, &config).expect("plan");
    let output = run(&plan, &Progress::new(), 1);
    let electoral = output.electoral.expect("an electoral college");
    assert_eq!(electoral.electoral.votes().total(), 525);
    assert_eq!(electoral.electoral.votes().majority(), 263);
}

/// Every electoral file of a run, as the CLI writes them.
fn electoral_files(output: &forecast_engine::RunOutput) -> String {
    let electoral = output.electoral.as_ref().expect("an electoral college");
    let rows = electoral.scenario_rows();
    electoral_csv(&rows)
        + &forecast_engine::electoral::output::electoral_votes_csv(&rows)
        + &forecast_engine::electoral::output::electoral_states_csv(
            &rows,
            electoral.electoral.votes(),
        )
}

fn electoral(config: &mut RunConfig) -> &mut ElectoralConfig {
    config.electoral.as_mut().expect("on by default")
}

#[test]
fn a_run_again_takes_the_earlier_draws_only_where_they_are_the_same() {
    let polls = load_polls(builtin::POLLS_2016).expect("polls");
    let results = load_results(builtin::RESULTS).expect("results");
    let first = run(
        &Plan::new(&polls, &results, &config(DateGrid::Count(4))).expect("plan"),
        &Progress::new(),
        2,
    );
    let draws_of = |output: &forecast_engine::RunOutput| {
        let electoral = output.electoral.as_ref().expect("an electoral college");
        electoral.electoral.draws() as *const _
    };
    let with_settings = |change: &dyn Fn(&mut RunConfig), reused: bool| {
        let mut config = config(DateGrid::Count(16));
        change(&mut config);
        let fresh = run(
            &Plan::new(&polls, &results, &config).expect("plan"),
            &Progress::new(),
            2,
        );
        let mut plan = Plan::new(&polls, &results, &config).expect("plan");
        plan.reuse_draws(&first);
        let again = run(&plan, &Progress::new(), 2);
        assert_eq!(electoral_files(&again), electoral_files(&fresh));
        assert_eq!(draws_of(&again) == draws_of(&first), reused);
        assert_ne!(draws_of(&fresh), draws_of(&first));
    };
    // Other dates and models: the same draws.
    with_settings(&|c| c.models.truncate(2), true);
    with_settings(&|c| c.seed = 7, false);
    with_settings(&|c| electoral(c).settings.national = 0.4, false);
    with_settings(&|c| electoral(c).settings.sims = 3_000, false);
    with_settings(
        &|c| electoral(c).settings.structure = forecast_engine::electoral::Structure::None,
        false,
    );

    // A plan does not keep the earlier run alive: once that run is gone, the plan's run
    // draws its own, with the same results.
    let mut plan = Plan::new(&polls, &results, &config(DateGrid::Count(4))).expect("plan");
    let earlier = run(&plan, &Progress::new(), 2);
    plan.reuse_draws(&earlier);
    let kept = std::sync::Arc::downgrade(&earlier.electoral.as_ref().expect("on").electoral);
    drop(earlier);
    assert!(kept.upgrade().is_none(), "the plan keeps no earlier run");
    assert_eq!(
        electoral_files(&run(&plan, &Progress::new(), 2)),
        electoral_files(&first)
    );
}

/// A run that finds the tipping points of one pair only gives every other output the same,
/// and the pending tipping points found afterwards make its files the full run's, byte for
/// byte.
#[test]
fn tipping_points_found_later_equal_the_full_runs() {
    use forecast_engine::electoral::output::{electoral_states_csv, electoral_votes_csv};
    use forecast_engine::ModelKind;

    let polls = load_polls(builtin::POLLS_2016).expect("polls");
    let results = load_results(builtin::RESULTS).expect("results");
    let mut cfg = config(DateGrid::Count(4));
    if let Some(ec) = cfg.electoral.as_mut() {
        ec.settings.sims = 3_000;
    }
    let full_plan = Plan::new(&polls, &results, &cfg).expect("plan");
    let first = (
        ModelKind::HierarchicalBayes,
        *full_plan.dates.last().expect("a date"),
    );
    let mut partial_plan = full_plan.clone();
    partial_plan.find_tipping_only(vec![first]);

    let full = run(&full_plan, &Progress::new(), 2)
        .electoral
        .expect("full");
    let mut partial = run(&partial_plan, &Progress::new(), 2)
        .electoral
        .expect("partial");
    assert!(full.has_all_tipping());
    assert!(!partial.has_all_tipping());
    assert_eq!(partial.pending_tipping().len(), full.pairs.len() - 1);
    for (f, p) in full.pairs.iter().zip(&partial.pairs) {
        let (f, p) = (
            &f.result.as_ref().expect("full outcome").outcome,
            &p.result.as_ref().expect("partial outcome").outcome,
        );
        let shown = (p.units[0].tipping_point.is_some(), f == p);
        if shown.0 {
            assert!(shown.1, "the shown pair is the full run's");
        } else {
            // Everything but the tipping points is the same.
            let mut without = f.clone();
            for u in without.units.iter_mut() {
                u.tipping_point = None;
            }
            assert_eq!(&without, p);
        }
    }
    let outcome_of = |e: &forecast_engine::electoral::ElectoralOutput| {
        let pair = e.pair(first.0, first.1).expect("the shown pair");
        pair.result.as_ref().expect("its outcome").outcome.clone()
    };
    assert_eq!(outcome_of(&partial), outcome_of(&full));
    assert!(outcome_of(&partial).has_tipping());
    // Written before they are found, the tipping points are empty fields.
    let votes = full.electoral.votes().clone();
    let pending_text = electoral_states_csv(&partial.scenario_rows(), &votes);
    assert!(pending_text.lines().skip(1).any(|l| l.ends_with(',')));

    partial
        .find_pending_tipping(&|| false)
        .expect("not cancelled");
    assert!(partial.has_all_tipping());
    assert_eq!(
        electoral_states_csv(&partial.scenario_rows(), &votes),
        electoral_states_csv(&full.scenario_rows(), &votes)
    );
    assert_eq!(
        electoral_votes_csv(&partial.scenario_rows()),
        electoral_votes_csv(&full.scenario_rows())
    );
    assert_eq!(
        electoral_csv(&partial.scenario_rows()),
        electoral_csv(&full.scenario_rows())
    );
}
