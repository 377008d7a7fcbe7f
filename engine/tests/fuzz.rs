//! No input bytes may panic: random bytes, and random CSV in each layout pushed through
//! the whole pipeline (load, plan, run). The case counts are the inputs tried per run.

use forecast_engine::{
    load_polls, load_results, run, DateGrid, Plan, Progress, RunConfig, Settings,
};
use proptest::prelude::*;

const HEADERS: [&str; 5] = [
    "state,startdate,enddate,pollster,samplesize,rawpoll_clinton,rawpoll_trump",
    "poll_id,pollster,state,start_date,end_date,sample_size,cycle,party,pct",
    "state,start_date,end_date,pollster,sample_size,dem,rep",
    "state,date,pollster,sample_size,dem,rep",
    "state,year,dem,rep",
];

fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        prop::sample::select(vec![
            "Ohio",
            "OH",
            "U.S.",
            "Maine CD-2",
            "District of Columbia",
            "DEM",
            "REP",
            "LIB",
            "2016",
            "2020"
        ])
        .prop_map(str::to_string),
        (2015i32..2022, 0u32..14, 0u32..33).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
        (0u32..14, 0u32..33, 0u32..100).prop_map(|(m, d, y)| format!("{m}/{d}/{y}")),
        (-5.0f64..1e6).prop_map(|v| v.to_string()),
        prop::sample::select(vec![
            "NaN", "inf", "-0", "1e308", "\"a,b\"", "\"", "\u{feff}", "0.0"
        ])
        .prop_map(str::to_string),
        "[ -~]{0,12}",
    ]
}

fn csv_text() -> impl Strategy<Value = String> {
    (
        prop::sample::select(HEADERS.to_vec()),
        prop::collection::vec(prop::collection::vec(field(), 0..10), 0..40),
    )
        .prop_map(|(header, rows)| {
            let mut text = format!("{header}\n");
            for row in rows {
                text += &row.join(",");
                text.push('\n');
            }
            text
        })
}

/// Load, plan and run whatever loaded, with a small grid; nothing may panic.
fn pipeline(bytes: &[u8]) {
    let polls = load_polls(bytes);
    let results = load_results(bytes);
    if let Ok(polls) = polls {
        let results = results
            .unwrap_or_else(|_| load_results(forecast_engine::builtin::RESULTS).expect("builtin"));
        let config = RunConfig {
            grid: DateGrid::Count(3),
            settings: Settings {
                sims: 20,
                min_polls: 1,
                ..Settings::default()
            },
            ..RunConfig::default()
        };
        if let Ok(plan) = Plan::new(&polls, &results, &config) {
            let output = run(&plan, &Progress::new(), 1);
            for row in &output.rows {
                assert!(
                    row.win_probability.is_finite()
                        && row.predicted_margin.is_finite()
                        && row.margin_std.is_finite()
                );
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 20_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        pipeline(&bytes);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 5_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_csv_in_every_layout_never_panics(text in csv_text()) {
        pipeline(text.as_bytes());
    }
}

/// Odd but valid polls: one poll, identical polls, huge samples, extreme shares.
#[test]
fn degenerate_polls_forecast_or_fail_cleanly() {
    let mut csv = String::from("state,date,pollster,sample_size,dem,rep\n");
    for day in 1..=20 {
        csv += &format!("Ohio,2016-08-{day:02},Same,1000000000,100,0\n");
        csv += &format!("Iowa,2016-08-{day:02},Same,1,50,50\n");
    }
    csv += "Utah,2016-08-01,Once,500,40,50\n";
    let polls = load_polls(csv.as_bytes()).expect("loads");
    let results = load_results(forecast_engine::builtin::RESULTS).expect("builtin");
    for min_polls in [1, 10] {
        let config = RunConfig {
            settings: Settings {
                min_polls,
                ..Settings::default()
            },
            ..RunConfig::default()
        };
        let plan = Plan::new(&polls, &results, &config).expect("plan");
        let output = run(&plan, &Progress::new(), 2);
        assert_eq!(output.cells_done, output.cells);
        assert!(output.failures.is_empty(), "{:?}", output.failures);
        assert!(!output.rows.is_empty());
    }
}

/// Mostly valid polls with some fields spoiled, so that the models themselves meet odd
/// data (single polls, same-day polls, zero spread, extreme margins).
#[test]
fn mostly_valid_random_polls_run_through_every_model() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let states = ["Ohio", "IA", "Florida", "UT", "dc", "U.S."];
    let mut plans_run = 0;
    for _ in 0..1500 {
        let mut csv = String::from("state,start_date,end_date,pollster,sample_size,dem,rep\n");
        for _ in 0..rng.random_range(1..60) {
            let start = rng.random_range(180..310);
            let end = start + rng.random_range(0..15);
            let date = |d: i32| {
                let day = chrono::NaiveDate::from_yo_opt(2016, d as u32).map(|d| d.to_string());
                day.unwrap_or_default()
            };
            let mut fields = [
                states[rng.random_range(0..states.len())].to_string(),
                date(start),
                date(end),
                format!("P{}", rng.random_range(0..6)),
                rng.random_range(1..3000).to_string(),
                rng.random_range(0.0..100.0f64).to_string(),
                rng.random_range(0.0..100.0f64).to_string(),
            ];
            if rng.random_bool(0.1) {
                let i = rng.random_range(0..fields.len());
                fields[i] =
                    ["", "x", "-1", "1e400", "2016-13-01"][rng.random_range(0..5)].to_string();
            }
            csv += &fields.join(",");
            csv.push('\n');
        }
        let Ok(polls) = load_polls(csv.as_bytes()) else {
            continue;
        };
        let results = load_results(forecast_engine::builtin::RESULTS).expect("builtin");
        let config = RunConfig {
            grid: DateGrid::Count(4),
            settings: Settings {
                sims: 50,
                min_polls: rng.random_range(1..4),
                ..Settings::default()
            },
            ..RunConfig::default()
        };
        if let Ok(plan) = Plan::new(&polls, &results, &config) {
            let output = run(&plan, &Progress::new(), 1);
            assert!(output.failures.is_empty(), "{:?}\n{csv}", output.failures);
            plans_run += 1;
        }
    }
    assert!(
        plans_run > 1000,
        "only {plans_run} files reached the models"
    );
}
