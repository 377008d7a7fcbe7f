//! The project's predictions against the original program's (corrected) predictions for
//! 2016, by the rules of the reference (see `tests/data/README.md`): the deterministic models
//! to 1e-9 in every value, the simulated ones in distribution.

mod common;

use std::collections::BTreeMap;

use forecast_engine::{run, DateGrid, ForecastRow, ModelKind, Plan, Progress, RunConfig};

#[derive(Debug)]
struct RefRow {
    win: f64,
    margin: f64,
    std: f64,
    actual: f64,
}

fn reference(folder: &str, model: ModelKind) -> BTreeMap<(String, String), RefRow> {
    let path = common::reference_dir()
        .join(folder)
        .join(format!("{}.csv", model.name()));
    let mut reader =
        csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    reader
        .records()
        .map(|r| {
            let r = r.expect("reference row");
            let num = |i: usize| r[i].parse::<f64>().expect("number");
            (
                (r[0].to_string(), r[1].to_string()),
                RefRow {
                    win: num(2),
                    margin: num(3),
                    std: num(4),
                    actual: num(5),
                },
            )
        })
        .collect()
}

fn ours(grid: DateGrid) -> Vec<ForecastRow> {
    let (polls, results) = common::reference_inputs();
    let config = RunConfig {
        year: Some(2016),
        grid,
        ..RunConfig::default()
    };
    let plan = Plan::new(&polls, &results, &config).expect("plan");
    let output = run(&plan, &Progress::new(), 2);
    assert!(output.failures.is_empty(), "{:?}", output.failures);
    output.rows
}

fn check(folder: &str, grid: DateGrid, rows_per_model: usize) {
    let rows = ours(grid);
    for model in ModelKind::ALL {
        let expected = reference(folder, model);
        let got: BTreeMap<(String, String), &ForecastRow> = rows
            .iter()
            .filter(|r| r.model == model)
            .map(|r| ((r.state.code().to_string(), r.forecast_date.to_string()), r))
            .collect();
        assert_eq!(
            expected.len(),
            rows_per_model,
            "{folder}/{model}: reference rows"
        );
        let missing: Vec<_> = expected.keys().filter(|k| !got.contains_key(*k)).collect();
        let extra: Vec<_> = got.keys().filter(|k| !expected.contains_key(*k)).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{folder}/{model}: missing {missing:?}, extra {extra:?}"
        );

        let mut z_sum = 0.0;
        let mut z_max: (f64, String) = (0.0, String::new());
        for (key, want) in &expected {
            let row = got[key];
            let at = format!("{folder}/{model} {key:?}");
            assert!(
                row.actual_margin
                    .is_some_and(|a| (a - want.actual).abs() < 1e-9),
                "{at}: actual {:?} vs {}",
                row.actual_margin,
                want.actual
            );
            match model {
                // Deterministic: every value within 1e-9.
                ModelKind::PollAverage | ModelKind::HierarchicalBayes => {
                    for (name, a, b) in [
                        ("win", row.win_probability, want.win),
                        ("margin", row.predicted_margin, want.margin),
                        ("std", row.margin_std, want.std),
                    ] {
                        assert!((a - b).abs() <= 1e-9, "{at}: {name} {a} vs {b}");
                    }
                }
                ModelKind::KalmanDiffusion | ModelKind::ImprovedKalman => {
                    let se = want.std / 2000f64.sqrt();
                    let z = (row.predicted_margin - want.margin).abs() / se;
                    assert!(
                        z <= 6.0,
                        "{at}: z = {z} (margin {} vs {})",
                        row.predicted_margin,
                        want.margin
                    );
                    assert!(
                        (row.margin_std / want.std - 1.0).abs() <= 0.10,
                        "{at}: std {} vs {}",
                        row.margin_std,
                        want.std
                    );
                    assert!(
                        (row.win_probability - want.win).abs() <= 0.05,
                        "{at}: win {} vs {}",
                        row.win_probability,
                        want.win
                    );
                    z_sum += z;
                    if z > z_max.0 {
                        z_max = (z, format!("{key:?}"));
                    }
                }
            }
        }
        if matches!(
            model,
            ModelKind::KalmanDiffusion | ModelKind::ImprovedKalman
        ) {
            let z_mean = z_sum / expected.len() as f64;
            println!(
                "{folder}/{model}: mean z {z_mean:.3}, max z {:.3} at {}",
                z_max.0, z_max.1
            );
            assert!(z_mean <= 1.5, "{folder}/{model}: mean z {z_mean}");
        }
    }
}

#[test]
fn matches_corrected_4_dates() {
    check("corrected_4dates", DateGrid::Count(4), 184);
}

#[test]
fn matches_corrected_16_dates() {
    check("corrected_16dates", DateGrid::Count(16), 759);
}

/// Scores from our deterministic predictions agree with scores of the reference files
/// to the third decimal.
#[test]
fn scores_match_the_reference_scores() {
    let rows = ours(DateGrid::Count(4));
    let ours = forecast_engine::scores::score(&rows);
    for model in [ModelKind::PollAverage, ModelKind::HierarchicalBayes] {
        let reference_rows: Vec<ForecastRow> = reference("corrected_4dates", model)
            .into_iter()
            .map(|((state, date), r)| ForecastRow {
                model,
                state: forecast_engine::State::parse(&state).expect("state"),
                forecast_date: date.parse().expect("date"),
                win_probability: r.win,
                predicted_margin: r.margin,
                margin_std: r.std,
                actual_margin: Some(r.actual),
            })
            .collect();
        let theirs = forecast_engine::scores::score(&reference_rows);
        let ours: Vec<_> = ours.iter().filter(|s| s.model == model).collect();
        assert_eq!(ours.len(), theirs.len());
        for (a, b) in ours.iter().zip(&theirs) {
            assert_eq!((a.forecast_date, a.n_states), (b.forecast_date, b.n_states));
            for (x, y) in [(a.brier, b.brier), (a.log_loss, b.log_loss), (a.mae, b.mae)] {
                assert!(
                    (x - y).abs() < 5e-4,
                    "{model} {}: {x} vs {y}",
                    a.forecast_date
                );
            }
        }
    }
}
