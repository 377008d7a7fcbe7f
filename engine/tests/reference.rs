//! The project's predictions against the original program's (corrected) predictions for
//! 2016, by the rules of `../shared/reference/README.md`.

mod common;

use std::collections::BTreeMap;

use forecast_engine::{forecast, DateGrid, ForecastRow, ModelKind, PollSet, RunConfig};

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

/// Whether the hierarchical-Bayes window of (state, date) holds polls with the same
/// middle date. Their order then steers the filter (`dt = max(t[i] - t[i-1], 1)`), and the
/// reference's order of such ties is not file order (MODELS.md §1 asks for file order):
/// an unstable sort's. Those rows are held to a looser bound and counted.
fn hb_window_has_ties(polls: &PollSet, state: &str, date: &str) -> bool {
    let date = forecast_engine::dates::day_number(date.parse().expect("date")) as f64;
    let training: Vec<f64> = polls
        .polls
        .iter()
        .filter(|p| p.state.code() == state && p.mid <= date)
        .map(|p| p.mid)
        .collect();
    let recent: Vec<f64> = training
        .iter()
        .copied()
        .filter(|&m| m >= date - 45.0)
        .collect();
    let window = if recent.len() >= 3 {
        recent
    } else {
        training[training.len().saturating_sub(10)..].to_vec()
    };
    window.windows(2).any(|w| w[0] == w[1])
}

fn ours(grid: DateGrid) -> Vec<ForecastRow> {
    let (polls, results) = common::reference_inputs();
    let config = RunConfig {
        year: Some(2016),
        grid,
        ..RunConfig::default()
    };
    let output = forecast(&polls, &results, &config, 2).expect("plan");
    assert!(output.failures.is_empty(), "{:?}", output.failures);
    output.rows
}

fn check(folder: &str, grid: DateGrid, rows_per_model: usize) {
    let rows = ours(grid);
    let (polls, _) = common::reference_inputs();
    let (mut exact, mut tied, mut tied_max) = (0usize, 0usize, 0.0f64);
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
                (row.actual_margin - want.actual).abs() < 1e-9,
                "{at}: actual {} vs {}",
                row.actual_margin,
                want.actual
            );
            match model {
                ModelKind::HierarchicalBayes if hb_window_has_ties(&polls, &key.0, &key.1) => {
                    tied += 1;
                    let diff = (row.predicted_margin - want.margin).abs();
                    exact +=
                        usize::from(diff <= 1e-9 && (row.win_probability - want.win).abs() <= 1e-9);
                    tied_max = tied_max.max(diff);
                    assert!(
                        diff <= 2e-3,
                        "{at}: margin {} vs {} (window with ties)",
                        row.predicted_margin,
                        want.margin
                    );
                    assert!(
                        (row.win_probability - want.win).abs() <= 0.02,
                        "{at}: win (window with ties)"
                    );
                    assert!(
                        (row.margin_std / want.std - 1.0).abs() <= 1e-3,
                        "{at}: std {} vs {} (window with ties)",
                        row.margin_std,
                        want.std
                    );
                }
                ModelKind::PollAverage | ModelKind::HierarchicalBayes => {
                    exact += usize::from(model == ModelKind::HierarchicalBayes);
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
    println!(
        "{folder}/hierarchical_bayes: {exact} of {rows_per_model} rows within 1e-9; {tied} windows hold tied polls, largest margin difference {tied_max:.2e}"
    );
    assert!(
        exact * 10 >= rows_per_model * 7,
        "at least 70 % of hierarchical-Bayes rows match to 1e-9"
    );
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
                actual_margin: r.actual,
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
