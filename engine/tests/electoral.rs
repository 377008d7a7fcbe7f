//! The electoral college against ELECTORAL.md: every expected number is computed here,
//! independently of the module (dynamic programmes, quadrature, the §3 recipe), and the
//! simulation must land within 4.5 Monte Carlo standard errors of it.

mod common;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use forecast_engine::electoral::output::{
    correlation_csv, electoral_csv, electoral_states_csv, electoral_votes_csv, ScenarioRow,
    ELECTORAL_HEADER,
};
use forecast_engine::electoral::{
    ev_percentile, Actual, Correlation, CorrelationNote, Electoral, ElectoralSettings,
    ElectoralVotes, Inputs, InputsError, ModelForecast, Party, Pinned, Pins, PopularWeights,
    RowProblemKind, SettingsError, Source, Structure, UnitInput, VotesError, VotesSource, UNITS,
};
use forecast_engine::{load_results, ModelKind, State};
use nalgebra::{Cholesky, DMatrix, SymmetricEigen};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

const SIMS: usize = 20_000;
const SEED: u64 = 42;

fn st(code: &str) -> State {
    State::parse(code).expect("a unit code")
}

/// The standard normal distribution function, written here from `erfc`.
fn phi(x: f64) -> f64 {
    0.5 * libm::erfc(-x / std::f64::consts::SQRT_2)
}

fn votes_2016() -> ElectoralVotes {
    ElectoralVotes::builtin(2016).expect("2016 table")
}

fn mit_results() -> forecast_engine::ResultSet {
    let path = common::reference_dir().join("inputs/mit_president_state_1976_2020.csv");
    load_results(&std::fs::read(path).expect("MIT results")).expect("MIT results load")
}

/// Realistic inputs: the 2012 margins moved 2 points to the right, standard deviations
/// from 2 to 7 points, so that a dozen races are close.
fn realistic_inputs() -> Inputs {
    let results = mit_results();
    let mut units = [UnitInput {
        mu: 0.0,
        sigma: 0.05,
        source: Source::Model,
    }; UNITS];
    for (i, s) in State::all().enumerate() {
        let m = results.margin(2012, s).expect("2012 margin");
        units[i] = UnitInput {
            mu: m - 0.02,
            sigma: 0.02 + 0.01 * (i % 6) as f64,
            source: if i % 7 == 0 {
                Source::Prior
            } else {
                Source::Model
            },
        };
    }
    Inputs::from_units(units).expect("valid inputs")
}

fn prepare(national: f64, structure: Structure, sims: usize) -> Electoral {
    let settings = ElectoralSettings {
        sims,
        national,
        structure,
    };
    let correlation = match structure {
        Structure::None => Correlation::none(),
        Structure::Historical => {
            Correlation::new(structure, 2016, &mit_results().margins).expect("correlation")
        }
    };
    Electoral::prepare(&settings, votes_2016(), correlation, SEED).expect("prepare")
}

fn simulate_one(electoral: &Electoral, inputs: &Inputs) -> forecast_engine::electoral::Outcome {
    let never = || false;
    electoral
        .simulate_all(std::slice::from_ref(inputs), &never)
        .expect("not cancelled")
        .remove(0)
}

/// P(sum of votes of the units that win >= majority), units independent with
/// probabilities `p`: a dynamic programme over the distribution of the total.
fn dp_win(p: &[f64], votes: &[u32], majority: u32) -> f64 {
    let total: u32 = votes.iter().sum();
    let mut dist = vec![0.0; total as usize + 1];
    dist[0] = 1.0;
    for (&ps, &v) in p.iter().zip(votes) {
        let mut next = vec![0.0; dist.len()];
        for (e, &q) in dist.iter().enumerate() {
            if q == 0.0 {
                continue;
            }
            next[e] += q * (1.0 - ps);
            next[e + v as usize] += q * ps;
        }
        dist = next;
    }
    dist[majority as usize..].iter().sum()
}

fn assert_within_se(label: &str, simulated: f64, exact: f64, draws: usize) {
    let se = (exact * (1.0 - exact) / draws as f64).sqrt();
    assert!(
        (simulated - exact).abs() <= 4.5 * se + 1e-12,
        "{label}: simulated {simulated}, exact {exact}, 4.5 SE = {}",
        4.5 * se
    );
}

// ---------------------------------------------------------------- §1 electoral votes

#[test]
fn builtin_tables_sum_to_538_with_known_values() {
    // (year, CA, TX, FL, NY, PA, OH, IL, MI)
    let known = [
        (1992, [54, 32, 25, 33, 23, 21, 22, 18]),
        (2000, [54, 32, 25, 33, 23, 21, 22, 18]),
        (2004, [55, 34, 27, 31, 21, 20, 21, 17]),
        (2008, [55, 34, 27, 31, 21, 20, 21, 17]),
        (2012, [55, 38, 29, 29, 20, 18, 20, 16]),
        (2016, [55, 38, 29, 29, 20, 18, 20, 16]),
        (2020, [55, 38, 29, 29, 20, 18, 20, 16]),
        (2024, [54, 40, 30, 28, 19, 17, 19, 15]),
        (2028, [54, 40, 30, 28, 19, 17, 19, 15]),
    ];
    let codes = ["CA", "TX", "FL", "NY", "PA", "OH", "IL", "MI"];
    for (year, values) in known {
        let t = ElectoralVotes::builtin(year).expect("table");
        assert_eq!(t.total(), 538, "{year}");
        assert_eq!(t.all().iter().sum::<u32>(), 538, "{year}");
        assert_eq!(t.majority(), 270);
        assert_eq!(t.tie(), Some(269));
        for (code, v) in codes.iter().zip(values) {
            assert_eq!(t.votes(st(code)), v, "{year} {code}");
        }
        assert_eq!(t.votes(st("DC")), 3);
        assert_eq!(t.votes(st("WY")), 3);
        assert!(State::all().all(|s| t.votes(s) >= 3), "{year}");
    }
    // A few more that changed: AZ 8/10/11/11, GA 13/15/16/16, NC 14/15/15/16.
    for (year, az, ga, nc) in [
        (1996, 8, 13, 14),
        (2004, 10, 15, 15),
        (2012, 11, 16, 15),
        (2024, 11, 16, 16),
    ] {
        let t = ElectoralVotes::builtin(year).expect("table");
        assert_eq!(
            (t.votes(st("AZ")), t.votes(st("GA")), t.votes(st("NC"))),
            (az, ga, nc)
        );
    }
    assert_eq!(
        ElectoralVotes::builtin(2016).map(|t| t.source()),
        Some(VotesSource::Census(2010))
    );
    for year in [1988, 2017, 2032] {
        assert!(ElectoralVotes::builtin(year).is_none(), "{year}");
    }
}

fn user_file(rows: &[(&str, &str)]) -> Vec<u8> {
    let mut text = String::from("state,electoral_votes\n");
    for (s, v) in rows {
        text.push_str(&format!("{s},{v}\n"));
    }
    text.into_bytes()
}

fn full_user_rows() -> Vec<(String, String)> {
    State::all()
        .enumerate()
        .map(|(i, s)| {
            let name = if i % 2 == 0 {
                s.code().to_string()
            } else {
                s.name().to_string()
            };
            (name, ((i % 5) + 1).to_string())
        })
        .collect()
}

#[test]
fn user_table_reads_names_and_codes_with_any_total() {
    let rows = full_user_rows();
    let borrowed: Vec<(&str, &str)> = rows.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let t = ElectoralVotes::from_csv(&user_file(&borrowed)).expect("valid table");
    let expected: u32 = (0..UNITS).map(|i| (i % 5) as u32 + 1).sum();
    assert_eq!(t.total(), expected);
    assert_eq!(t.votes(st("AL")), 2);
    assert_eq!(t.source(), VotesSource::UserFile);
    assert_eq!(t.majority(), expected / 2 + 1);
    assert_eq!(t.tie(), expected.is_multiple_of(2).then_some(expected / 2));
}

#[test]
fn user_table_errors_name_lines_and_columns() {
    let rows = full_user_rows();
    let mut borrowed: Vec<(&str, &str)> =
        rows.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    // Line numbers: the header is line 1, unit i is on line i + 2.
    borrowed[3].1 = "-2"; // line 5
    borrowed[4].1 = "many"; // line 6
    borrowed[5].0 = "Atlantis"; // line 7
    borrowed.push(("ak", "3")); // line 53, AK again
    match ElectoralVotes::from_csv(&user_file(&borrowed)) {
        Err(VotesError::BadRows { problems, missing }) => {
            // Atlantis took Colorado's line: Colorado has no row.
            assert_eq!(missing, vec![st("CO")]);
            let found: Vec<(u64, &str, RowProblemKind)> = problems
                .iter()
                .map(|p| (p.line, p.column, p.kind.clone()))
                .collect();
            assert_eq!(
                found,
                vec![
                    (5, "electoral_votes", RowProblemKind::Negative),
                    (6, "electoral_votes", RowProblemKind::NotACount),
                    (7, "state", RowProblemKind::UnknownState),
                    (53, "state", RowProblemKind::Duplicate { first_line: 2 }),
                ]
            );
            let text = VotesError::BadRows {
                problems,
                missing: Vec::new(),
            }
            .to_string();
            assert!(text.contains("line 5, column electoral_votes"), "{text}");
            assert!(text.contains("line 53, column state"), "{text}");
        }
        other => panic!("expected bad rows, got {other:?}"),
    }
    // Missing units are named.
    let short: Vec<(&str, &str)> = rows[2..]
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    match ElectoralVotes::from_csv(&user_file(&short)) {
        Err(VotesError::MissingUnits(units)) => {
            assert_eq!(units, vec![st("AK"), st("AL")]);
            let text = VotesError::MissingUnits(units).to_string();
            assert!(text.contains("AK, AL"), "{text}");
        }
        other => panic!("expected missing units, got {other:?}"),
    }
    assert!(matches!(
        ElectoralVotes::from_csv(b"state,votes\nAK,3\n"),
        Err(VotesError::MissingColumns { .. })
    ));
    assert!(matches!(
        ElectoralVotes::from_csv(b""),
        Err(VotesError::Unreadable(_))
    ));
}

// ---------------------------------------------------------------- §2 inputs

#[test]
fn inputs_take_the_model_then_the_prior() {
    let mut model = [None; UNITS];
    let mut prior = [None; UNITS];
    for i in 0..UNITS {
        prior[i] = Some(0.01 * i as f64);
        if i % 2 == 0 {
            model[i] = Some(ModelForecast {
                margin: -0.05,
                std: if i == 0 { 0.0 } else { 0.03 },
            });
        }
    }
    let days = 40;
    let inputs = Inputs::build(&model, &prior, days).expect("inputs");
    let ak = inputs.unit(st("AK"));
    assert_eq!((ak.mu, ak.sigma, ak.source), (-0.05, 1e-4, Source::Model));
    let al = inputs.unit(st("AL"));
    let expected_sigma = (0.08f64 * 0.08 + (0.0015 * 40.0) * (0.0015 * 40.0)).sqrt();
    assert_eq!(al.source, Source::Prior);
    assert_eq!(al.mu, 0.01);
    assert!((al.sigma - 0.1).abs() < 1e-15 && (al.sigma - expected_sigma).abs() < 1e-15);

    prior[1] = None;
    prior[3] = None;
    match Inputs::build(&model, &prior, days) {
        Err(e @ InputsError::NoForecast { .. }) => {
            assert_eq!(
                e,
                InputsError::NoForecast {
                    units: vec![st("AL"), st("AZ")]
                }
            );
            assert!(e.to_string().contains("AL, AZ"));
        }
        other => panic!("expected no forecast, got {other:?}"),
    }
}

// ---------------------------------------------------------------- settings

#[test]
fn bad_settings_are_typed_errors() {
    let bad = [
        (f64::NAN, 10, SettingsError::National(f64::NAN)),
        (-0.1, 10, SettingsError::National(-0.1)),
        (1.5, 10, SettingsError::National(1.5)),
        (0.5, 0, SettingsError::Sims(0)),
        (
            0.5,
            ElectoralSettings::MAX_SIMS + 1,
            SettingsError::Sims(ElectoralSettings::MAX_SIMS + 1),
        ),
    ];
    for (national, sims, expected) in bad {
        let settings = ElectoralSettings {
            national,
            sims,
            ..ElectoralSettings::DEFAULT
        };
        let err = Electoral::prepare(&settings, votes_2016(), Correlation::none(), 1)
            .expect_err("bad settings");
        // NaN != NaN: compare the text.
        assert_eq!(err.to_string(), expected.to_string());
    }
    assert_eq!(ElectoralSettings::DEFAULT.sims, 20_000);
    assert_eq!(ElectoralSettings::DEFAULT.national, 0.5);
    assert_eq!(ElectoralSettings::DEFAULT.structure, Structure::Historical);
}

// ---------------------------------------------------------------- §3 correlation

/// The §3 recipe, written again here.
fn recipe_c(results: &BTreeMap<(i32, State), f64>, year: i32) -> DMatrix<f64> {
    let mut years: Vec<i32> = results
        .keys()
        .map(|(y, _)| *y)
        .filter(|y| *y < year)
        .collect();
    years.dedup();
    let complete: Vec<i32> = years
        .into_iter()
        .filter(|y| State::all().all(|s| results.contains_key(&(*y, s))))
        .collect();
    let chosen = &complete[complete.len().saturating_sub(10)..];
    assert!(chosen.len() >= 4);
    let n = UNITS;
    let lean: Vec<Vec<f64>> = chosen
        .iter()
        .map(|y| {
            let m: Vec<f64> = State::all().map(|s| results[&(*y, s)]).collect();
            let mean = m.iter().sum::<f64>() / n as f64;
            m.iter().map(|x| x - mean).collect()
        })
        .collect();
    let swing: Vec<Vec<f64>> = (1..lean.len())
        .map(|t| (0..n).map(|s| lean[t][s] - lean[t - 1][s]).collect())
        .collect();
    let k = swing.len() as f64;
    let mut c1 = DMatrix::<f64>::identity(n, n);
    for a in 0..n {
        for b in 0..n {
            if a == b {
                continue;
            }
            let ma = swing.iter().map(|r| r[a]).sum::<f64>() / k;
            let mb = swing.iter().map(|r| r[b]).sum::<f64>() / k;
            let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
            for r in &swing {
                sab += (r[a] - ma) * (r[b] - mb);
                saa += (r[a] - ma) * (r[a] - ma);
                sbb += (r[b] - mb) * (r[b] - mb);
            }
            let r = if saa == 0.0 || sbb == 0.0 {
                0.0
            } else {
                sab / (saa * sbb).sqrt()
            };
            c1[(a, b)] = r.max(0.0);
        }
    }
    let eig = SymmetricEigen::new(c1);
    let l = DMatrix::from_diagonal(&eig.eigenvalues.map(|x| x.max(0.01)));
    let c2 = &eig.eigenvectors * l * eig.eigenvectors.transpose();
    DMatrix::from_fn(n, n, |a, b| c2[(a, b)] / (c2[(a, a)] * c2[(b, b)]).sqrt())
}

#[test]
fn historical_correlation_follows_the_recipe_and_the_spec_numbers() {
    let results = mit_results();
    let c = Correlation::new(Structure::Historical, 2016, &results.margins).expect("C");
    assert_eq!(
        c.years(),
        &[1976, 1980, 1984, 1988, 1992, 1996, 2000, 2004, 2008, 2012]
    );
    assert!(c.note().is_none());
    let expected = recipe_c(&results.margins, 2016);
    let national = 0.5;
    let (mut c_sum, mut r_sum, mut r_min, mut count) = (0.0, 0.0, f64::INFINITY, 0.0);
    for a in State::all() {
        for b in State::all() {
            let got = c.c(a, b);
            assert!(
                (got - expected[(a.index(), b.index())]).abs() < 1e-6,
                "C[{a},{b}] {got} vs {}",
                expected[(a.index(), b.index())]
            );
            assert_eq!(c.r(national, a, b), c.r(national, b, a), "symmetric");
            if a == b {
                assert_eq!(c.r(national, a, b), 1.0);
            } else {
                c_sum += got;
                let r = c.r(national, a, b);
                r_sum += r;
                r_min = r_min.min(r);
                count += 1.0;
            }
        }
    }
    // ELECTORAL.md §3: C off-diagonal mean 0.157, R mean 0.579, smallest 0.476.
    assert!(
        (c_sum / count - 0.157).abs() < 5e-4,
        "C mean {}",
        c_sum / count
    );
    assert!(
        (r_sum / count - 0.579).abs() < 5e-4,
        "R mean {}",
        r_sum / count
    );
    assert!((r_min - 0.476).abs() < 5e-4, "R min {r_min}");
    // R positive definite, and the factor L the module draws with gives C back.
    let r = DMatrix::from_fn(UNITS, UNITS, |a, b| {
        c.r(
            national,
            State::from_index(a).unwrap(),
            State::from_index(b).unwrap(),
        )
    });
    assert!(Cholesky::new(r).is_some());
    for a in State::all() {
        for b in State::all() {
            let llt: f64 = State::all().map(|t| c.lower(a, t) * c.lower(b, t)).sum();
            assert!((llt - c.c(a, b)).abs() < 1e-12);
        }
    }
    // correlation.csv is that R: 52 lines of 52 fields, "1" on the diagonal.
    let csv = correlation_csv(&c, national);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 52);
    assert!(lines[0].starts_with("state,AK,AL,AR"));
    for (i, line) in lines[1..].iter().enumerate() {
        let fields: Vec<&str> = line.split(',').collect();
        assert_eq!(fields.len(), 52);
        assert_eq!(fields[i + 1], "1");
        let a = State::from_index(i).unwrap();
        for (j, f) in fields[1..].iter().enumerate() {
            let b = State::from_index(j).unwrap();
            let value: f64 = f.parse().unwrap();
            let exact = if a == b {
                1.0
            } else {
                0.5 + 0.5 * expected[(i, j)]
            };
            assert!((value - exact).abs() < 1e-6);
        }
    }
}

#[test]
fn few_complete_years_give_the_identity_and_a_note() {
    let results = mit_results();
    // Only 1976-1984 before 1988: three years.
    let c = Correlation::new(Structure::Historical, 1988, &results.margins).expect("C");
    match c.note() {
        Some(CorrelationNote::TooFewYears { year, years }) => {
            assert_eq!(*year, 1988);
            assert_eq!(years, &vec![1976, 1980, 1984]);
        }
        None => panic!("expected a note"),
    }
    assert_eq!(c.c(st("TX"), st("TX")), 1.0);
    assert_eq!(c.c(st("TX"), st("OK")), 0.0);
    // A year with a unit missing is skipped: drop DC from 2012.
    let mut margins = results.margins.clone();
    margins.remove(&(2012, st("DC")));
    let c = Correlation::new(Structure::Historical, 2016, &margins).expect("C");
    assert_eq!(
        c.years(),
        &[1976, 1980, 1984, 1988, 1992, 1996, 2000, 2004, 2008]
    );
}

#[test]
fn a_unit_without_swings_correlates_with_no_one() {
    // Every unit's margin moves, except DC whose lean stays put by construction.
    let mut margins = BTreeMap::new();
    for (k, year) in (1980..=2012).step_by(4).enumerate() {
        let raw: Vec<f64> = State::all()
            .map(|s| (((s.index() * 7 + k * 13) % 17) as f64 - 8.0) / 40.0)
            .collect();
        let mean = raw.iter().sum::<f64>() / UNITS as f64;
        for s in State::all() {
            let m = if s == st("DC") {
                0.8 + mean
            } else {
                raw[s.index()]
            };
            margins.insert((year, s), m);
        }
    }
    let c = Correlation::new(Structure::Historical, 2016, &margins).expect("C");
    let expected = recipe_c(&margins, 2016);
    for a in State::all() {
        for b in State::all() {
            assert!((c.c(a, b) - expected[(a.index(), b.index())]).abs() < 1e-6);
        }
    }
}

// ---------------------------------------------------------------- §4 draws

#[test]
fn draws_follow_their_streams() {
    // `none`, national 0.3: w = sqrt(0.3) z0 + sqrt(0.7) z_s, chunk j from stream
    // 0xEC << 56 | j, z0 first in each draw.
    let national = 0.3;
    let e = prepare(national, Structure::None, 2_500);
    assert_eq!(e.draws().sims(), 2_500);
    assert_eq!(e.chunk_count(), 3);
    for (chunk, first_row) in [(0usize, 0usize), (2, 2_000)] {
        let mut rng = ChaCha8Rng::seed_from_u64(SEED);
        rng.set_stream((0xEC << 56) | chunk as u64);
        for k in 0..3 {
            let z0: f64 = rng.sample(StandardNormal);
            let row = e.draws().row(first_row + k).expect("row");
            for (s, w) in row.iter().enumerate() {
                let z: f64 = rng.sample(StandardNormal);
                let expected = national.sqrt() * z0 + (1.0 - national).sqrt() * z;
                assert_eq!(*w, expected as f32, "draw {} unit {s}", first_row + k);
            }
        }
    }
    assert!(e.draws().row(2_500).is_none());
}

// ---------------------------------------------------------------- §8 checks

#[test]
fn independent_units_match_the_dynamic_programme() {
    let inputs = realistic_inputs();
    let e = prepare(0.0, Structure::None, SIMS);
    let o = simulate_one(&e, &inputs);
    let votes = votes_2016();
    let p: Vec<f64> = inputs.units().iter().map(|u| phi(u.mu / u.sigma)).collect();
    let exact = dp_win(&p, votes.all(), votes.majority());
    assert!(exact > 0.05 && exact < 0.95, "a contest: {exact}");
    assert_within_se("dem_win", o.dem_win, exact, SIMS);
    for (i, u) in inputs.units().iter().enumerate() {
        assert_within_se(
            &format!("win_draws {i}"),
            o.units[i].win_draws,
            phi(u.mu / u.sigma),
            SIMS,
        );
    }
    // Shares add up.
    assert!((o.dem_win + o.tie + o.rep_win - 1.0).abs() < 1e-12);
    let tipping: f64 = o.units.iter().filter_map(|u| u.tipping_point).sum();
    assert!((tipping - (1.0 - o.tie)).abs() < 1e-12);
}

#[test]
fn a_national_share_matches_the_integral_over_z0() {
    for national in [0.3, 0.7] {
        let inputs = realistic_inputs();
        let e = prepare(national, Structure::None, SIMS);
        let o = simulate_one(&e, &inputs);
        let votes = votes_2016();
        // Trapezoid over z0 in [-8, 8] of the programme given z0, against N(0, 1).
        let steps = 1_600;
        let h = 16.0 / steps as f64;
        let mut exact = 0.0;
        for i in 0..=steps {
            let z0 = -8.0 + i as f64 * h;
            let p: Vec<f64> = inputs
                .units()
                .iter()
                .map(|u| {
                    phi((u.mu + u.sigma * national.sqrt() * z0)
                        / (u.sigma * (1.0 - national).sqrt()))
                })
                .collect();
            let weight = if i == 0 || i == steps { 0.5 } else { 1.0 };
            let density = (-0.5 * z0 * z0).exp() / (2.0 * std::f64::consts::PI).sqrt();
            exact += weight * h * density * dp_win(&p, votes.all(), votes.majority());
        }
        assert!(exact > 0.05 && exact < 0.95, "a contest: {exact}");
        assert_within_se(&format!("dem_win at {national}"), o.dem_win, exact, SIMS);
        for (i, u) in inputs.units().iter().enumerate() {
            assert_within_se("win_draws", o.units[i].win_draws, phi(u.mu / u.sigma), SIMS);
        }
    }
}

/// Under national 1 every margin is `mu_s + sigma_s z0`: the intervals of z0 between
/// the units' breakpoints `-mu_s / sigma_s`, with the votes of the units won in each.
fn national_one_intervals(inputs: &Inputs, votes: &ElectoralVotes) -> Vec<(f64, f64, u32)> {
    let mut cuts: Vec<f64> = inputs.units().iter().map(|u| -u.mu / u.sigma).collect();
    cuts.sort_by(f64::total_cmp);
    let mut edges = vec![f64::NEG_INFINITY];
    edges.extend(cuts);
    edges.push(f64::INFINITY);
    edges
        .windows(2)
        .map(|w| {
            let mid = if w[0].is_infinite() {
                w[1] - 1.0
            } else if w[1].is_infinite() {
                w[0] + 1.0
            } else {
                0.5 * (w[0] + w[1])
            };
            let ev: u32 = inputs
                .units()
                .iter()
                .zip(votes.all())
                .filter(|(u, _)| u.mu + u.sigma * mid > 0.0)
                .map(|(_, v)| v)
                .sum();
            (w[0], w[1], ev)
        })
        .collect()
}

#[test]
fn national_one_matches_the_normal_measure_of_the_winning_z0() {
    let inputs = realistic_inputs();
    let votes = votes_2016();
    let e = prepare(1.0, Structure::Historical, SIMS);
    let o = simulate_one(&e, &inputs);
    let exact: f64 = national_one_intervals(&inputs, &votes)
        .iter()
        .filter(|(_, _, ev)| *ev >= votes.majority())
        .map(|(lo, hi, _)| phi(*hi) - phi(*lo))
        .sum();
    assert!(exact > 0.05 && exact < 0.95, "a contest: {exact}");
    assert_within_se("dem_win", o.dem_win, exact, SIMS);
    for (i, u) in inputs.units().iter().enumerate() {
        assert_within_se("win_draws", o.units[i].win_draws, phi(u.mu / u.sigma), SIMS);
    }
}

#[test]
fn popular_vote_under_national_one() {
    // nat = sum v (mu + sigma z0) > 0  <=>  z0 > -sum(v mu) / sum(v sigma).
    let inputs = realistic_inputs();
    let votes = votes_2016();
    let counts: [Option<f64>; UNITS] =
        std::array::from_fn(|i| Some(1_000.0 + 250.0 * (i % 9) as f64));
    let sum: f64 = counts.iter().flatten().sum();
    let v: Vec<f64> = counts.iter().map(|c| c.unwrap() / sum).collect();
    let weights = PopularWeights::from_votes(&counts).expect("weights");
    let e = prepare(1.0, Structure::None, SIMS).with_popular(Some(weights));
    let o = simulate_one(&e, &inputs);
    let a: f64 = v.iter().zip(inputs.units()).map(|(v, u)| v * u.mu).sum();
    let b: f64 = v.iter().zip(inputs.units()).map(|(v, u)| v * u.sigma).sum();
    let cut = -a / b;
    let popular = o.popular.expect("popular vote");
    assert_within_se(
        "popular_dem_win",
        popular.popular_dem_win,
        1.0 - phi(cut),
        SIMS,
    );
    // Popular vote won with the electoral college lost, and the reverse.
    let intervals = national_one_intervals(&inputs, &votes);
    let measure = |want_dem_pop: bool, want_dem_ec: bool| -> f64 {
        intervals
            .iter()
            .filter(|(_, _, ev)| (*ev >= votes.majority()) == want_dem_ec)
            .map(|(lo, hi, _)| {
                let (lo, hi) = if want_dem_pop {
                    (lo.max(cut), *hi)
                } else {
                    (*lo, hi.min(cut))
                };
                if hi > lo {
                    phi(hi) - phi(lo)
                } else {
                    0.0
                }
            })
            .sum()
    };
    assert_within_se(
        "dem_popular_rep_ec",
        popular.dem_popular_rep_ec,
        measure(true, false),
        SIMS,
    );
    assert_within_se(
        "rep_popular_dem_ec",
        popular.rep_popular_dem_ec,
        measure(false, true),
        SIMS,
    );
    // Without weights: no popular vote, and the reason is typed.
    assert!(simulate_one(&prepare(1.0, Structure::None, 1_000), &inputs)
        .popular
        .is_none());
    let mut missing = counts;
    missing[7] = None;
    assert!(PopularWeights::from_votes(&missing)
        .expect_err("DC missing")
        .to_string()
        .contains("DC"));
}

fn csv_text(e: &Electoral, inputs: &[Inputs]) -> String {
    let never = || false;
    let outcomes = e.simulate_all(inputs, &never).expect("not cancelled");
    let dates = [
        NaiveDate::from_ymd_opt(2016, 9, 1).unwrap(),
        NaiveDate::from_ymd_opt(2016, 10, 1).unwrap(),
    ];
    let rows: Vec<ScenarioRow> = inputs
        .iter()
        .zip(&outcomes)
        .enumerate()
        .map(|(i, (inputs, outcome))| ScenarioRow {
            // Deliberately out of order: the writers sort by model, then date.
            model: ModelKind::ALL[3 - i % 4],
            forecast_date: dates[(i / 4) % 2],
            inputs,
            outcome,
        })
        .collect();
    [
        electoral_csv(&rows),
        electoral_votes_csv(&rows),
        electoral_states_csv(&rows, e.votes()),
        correlation_csv(e.correlation(), e.settings().national),
    ]
    .join("\n")
}

fn shifted_inputs(n: usize) -> Vec<Inputs> {
    let base = realistic_inputs();
    (0..n)
        .map(|k| {
            let mut units = *base.units();
            for u in units.iter_mut() {
                u.mu += 0.004 * k as f64 - 0.01;
            }
            Inputs::from_units(units).expect("inputs")
        })
        .collect()
}

#[test]
fn outputs_are_byte_identical_for_any_number_of_workers() {
    let inputs = shifted_inputs(8);
    let results = mit_results();
    let actual_margins: [Option<f64>; UNITS] =
        std::array::from_fn(|i| results.margin(2016, State::from_index(i).unwrap()));
    let mut texts = Vec::new();
    for threads in [1, 2, 3] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool");
        let text = pool.install(|| {
            let e = prepare(0.5, Structure::Historical, 5_500)
                .with_actual(Actual::new(&votes_2016(), &actual_margins));
            csv_text(&e, &inputs)
        });
        texts.push(text);
    }
    assert_eq!(texts[0], texts[1]);
    assert_eq!(texts[0], texts[2]);
    // And the tasks of simulate_chunk, merged in reverse order, give the same counts.
    let e = prepare(0.5, Structure::Historical, 5_500);
    let scenario = e.scenario(&inputs[0], &Pins::new());
    let mut merged = e.counts();
    for chunk in (0..e.chunk_count()).rev() {
        let mut c = [e.counts()];
        e.simulate_chunk(chunk, std::slice::from_ref(&scenario), &mut c);
        merged.merge(&c[0]);
    }
    let never = || false;
    let all = e.simulate_all(&inputs[..1], &never).expect("outcome");
    assert_eq!(e.outcome(&merged).as_ref(), all.first());
}

#[test]
fn electoral_csv_is_sorted_and_leaves_unknowns_empty() {
    let inputs = shifted_inputs(8);
    let e = prepare(0.5, Structure::None, 1_000);
    let text = csv_text(&e, &inputs);
    let electoral: Vec<&str> = text.lines().take(9).collect();
    assert_eq!(electoral[0], ELECTORAL_HEADER);
    assert!(ELECTORAL_HEADER.ends_with("actual_dem_ev,brier,log_loss"));
    let keys: Vec<(String, String)> = electoral[1..]
        .iter()
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            assert_eq!(f.len(), 15);
            assert!(f[9..].iter().all(|x| x.is_empty()), "unknowns empty: {l}");
            (f[0].to_string(), f[1].to_string())
        })
        .collect();
    let order: Vec<String> = ModelKind::ALL
        .iter()
        .map(|m| m.name().to_string())
        .collect();
    let mut sorted = keys.clone();
    sorted.sort_by_key(|(m, d)| (order.iter().position(|x| x == m), d.clone()));
    assert_eq!(keys, sorted);
    assert_eq!(keys[0], ("poll_average".into(), "2016-09-01".into()));
    // 51 state rows per scenario.
    assert_eq!(
        text.lines()
            .filter(|l| l.starts_with("hierarchical_bayes,2016-10-01,"))
            .filter(|l| l.split(',').count() == 9)
            .count(),
        51
    );
}

#[test]
fn actual_result_gives_brier_and_log_loss() {
    let inputs = realistic_inputs();
    let votes = votes_2016();
    let results = mit_results();
    let margins: [Option<f64>; UNITS] =
        std::array::from_fn(|i| results.margin(2016, State::from_index(i).unwrap()));
    // 2016, every unit to its statewide winner: Clinton 233 (232 pledged, Maine whole).
    let expected_ev: u32 = State::all()
        .filter(|s| margins[s.index()].unwrap() > 0.0)
        .map(|s| votes.votes(s))
        .sum();
    assert_eq!(expected_ev, 233);
    let actual = Actual::new(&votes, &margins).expect("all units");
    assert!(!actual.won);
    let e = prepare(0.5, Structure::None, 2_000).with_actual(Some(actual));
    let o = simulate_one(&e, &inputs);
    let a = o.actual.expect("scored");
    assert_eq!(a.actual_dem_ev, 233);
    assert_eq!(a.brier, o.dem_win * o.dem_win);
    assert_eq!(a.log_loss, -(1.0 - o.dem_win + 1e-10).ln());
    let mut partial = margins;
    partial[0] = None;
    assert!(Actual::new(&votes, &partial).is_none());
}

// ---------------------------------------------------------------- tipping point

/// Five units with votes; the other 46 have none. With sigma 1e-4 every draw's margins
/// keep the order of mu.
fn tiny(mus: [f64; 5], votes: [u32; 5]) -> (ElectoralVotes, Inputs) {
    let units = ["FL", "OH", "PA", "MI", "WI"];
    let mut table = [0u32; UNITS];
    let mut input = [UnitInput {
        mu: -0.5,
        sigma: 1e-4,
        source: Source::Model,
    }; UNITS];
    for (k, code) in units.iter().enumerate() {
        table[st(code).index()] = votes[k];
        input[st(code).index()].mu = mus[k];
    }
    (
        ElectoralVotes::new(table, VotesSource::UserFile).expect("table"),
        Inputs::from_units(input).expect("inputs"),
    )
}

fn tiny_outcome(votes: ElectoralVotes, inputs: &Inputs) -> forecast_engine::electoral::Outcome {
    let settings = ElectoralSettings {
        sims: 1_000,
        ..ElectoralSettings::DEFAULT
    };
    let e = Electoral::prepare(&settings, votes, Correlation::none(), 7).expect("prepare");
    simulate_one(&e, inputs)
}

#[test]
fn tipping_point_by_hand() {
    // FL 5 (+30), OH 4 (+10), PA 3 (+2), MI 6 (-5), WI 2 (-20): total 20, majority 11.
    // Democrats win 12; from their best: FL 5, OH 9, PA 12 >= 11: PA tips.
    let (votes, inputs) = tiny([0.30, 0.10, 0.02, -0.05, -0.20], [5, 4, 3, 6, 2]);
    let o = tiny_outcome(votes.clone(), &inputs);
    assert_eq!((o.dem_win, o.tie, o.rep_win), (1.0, 0.0, 0.0));
    assert_eq!(o.distribution, vec![(12, 1.0)]);
    assert_eq!(o.unit(st("PA")).tipping_point, Some(1.0));
    // OH at -1: Republicans win OH 4, MI 6, WI 2 = 12; from their best: WI 2, MI 8,
    // OH 12 >= 11: OH tips.
    let (votes, inputs) = tiny([0.30, -0.01, 0.02, -0.05, -0.20], [5, 4, 3, 6, 2]);
    let o = tiny_outcome(votes, &inputs);
    assert_eq!(o.rep_win, 1.0);
    assert_eq!(o.distribution, vec![(8, 1.0)]);
    assert_eq!(o.unit(st("OH")).tipping_point, Some(1.0));
    // A tie (10 of 20): nobody tips.
    let (votes, inputs) = tiny([0.30, 0.10, -0.02, -0.05, 0.20], [5, 4, 4, 6, 1]);
    assert_eq!((votes.total(), votes.tie()), (20, Some(10)));
    let o = tiny_outcome(votes, &inputs);
    assert_eq!(o.tie, 1.0);
    assert!(o.units.iter().all(|u| u.tipping_point == Some(0.0)));
}

#[test]
fn percentiles_of_a_hand_made_distribution() {
    // Draws per total 0..=5: 0, 0, 5, 0, 10, 85 (100 draws).
    let ev = [0, 0, 5, 0, 10, 85];
    assert_eq!(ev_percentile(&ev, 5), Some(2)); // 5/100 >= 0.05
    assert_eq!(ev_percentile(&ev, 6), Some(4));
    assert_eq!(ev_percentile(&ev, 15), Some(4)); // 15/100 >= 0.15
    assert_eq!(ev_percentile(&ev, 50), Some(5));
    let ev = [10, 40, 50];
    assert_eq!(ev_percentile(&ev, 5), Some(0));
    assert_eq!(ev_percentile(&ev, 50), Some(1)); // exactly half: 1
    assert_eq!(ev_percentile(&ev, 95), Some(2));
    assert_eq!(ev_percentile(&[0, 0], 50), None);
}

// ---------------------------------------------------------------- §6 pins

#[test]
fn pins_filter_the_draws() {
    let base_inputs = realistic_inputs();
    let e = prepare(0.5, Structure::Historical, SIMS);
    // A close-race unit made a ~99 % Democratic state: mu/sigma = 2.2 (98.6 %).
    let mut units = *base_inputs.units();
    let pa = st("PA").index();
    units[pa] = UnitInput {
        mu: 2.2 * 0.03,
        sigma: 0.03,
        source: Source::Model,
    };
    let inputs = Inputs::from_units(units).expect("inputs");
    let base = simulate_one(&e, &inputs);
    let pa_wins = (base.units[pa].win_draws * SIMS as f64).round() as u64;
    assert!(pa_wins > 19_600 && pa_wins < 19_800);

    let with = e.simulate_pinned(&inputs, &Pins::new().pin(st("PA"), Party::Dem));
    let Pinned::Outcome(with) = with else {
        panic!("enough draws")
    };
    assert_eq!(with.draws, pa_wins);
    assert_eq!(with.units[pa].win_draws, 1.0);
    assert!(
        (with.dem_win - base.dem_win).abs() < 0.02,
        "{} {}",
        with.dem_win,
        base.dem_win
    );

    let against = e.simulate_pinned(&inputs, &Pins::new().pin(st("PA"), Party::Rep));
    assert_eq!(against.matching(), SIMS as u64 - pa_wins);
    let Pinned::Outcome(against) = against else {
        panic!("about 1.4 % of 20,000 draws match")
    };
    assert_eq!(against.units[pa].win_draws, 0.0);
    assert!(
        base.dem_win - against.dem_win > 0.1,
        "{} {}",
        against.dem_win,
        base.dem_win
    );

    // Pinning nothing gives the run's numbers.
    let Pinned::Outcome(none) = e.simulate_pinned(&inputs, &Pins::new()) else {
        panic!("all draws")
    };
    assert_eq!(*none, base);

    // A 4-sigma unit pinned the other way: too few draws.
    units[pa].mu = 4.0 * 0.03;
    let inputs = Inputs::from_units(units).expect("inputs");
    match e.simulate_pinned(&inputs, &Pins::new().pin(st("PA"), Party::Rep)) {
        Pinned::TooFew { matching, needed } => {
            assert!(matching < 200);
            assert_eq!(needed, 200);
        }
        Pinned::Outcome(o) => panic!("{} draws should be too few", o.draws),
    }
}

#[test]
fn cancelled_runs_say_so() {
    let e = prepare(0.5, Structure::None, 3_000);
    let always = || true;
    assert!(e.simulate_all(&shifted_inputs(2), &always).is_err());
}

/// Every draw by brute force: margins from the run's `w`, every unit sorted by the
/// winner's margin (equal margins in unit order), votes added until the majority.
fn brute_force(e: &Electoral, inputs: &Inputs) -> (Vec<u64>, [u64; UNITS], [u64; UNITS]) {
    let votes = e.votes();
    let (total, majority) = (votes.total(), votes.majority());
    let mut hist = vec![0u64; total as usize + 1];
    let mut wins = [0u64; UNITS];
    let mut tipping = [0u64; UNITS];
    for k in 0..e.draws().sims() {
        let w = e.draws().row(k).expect("row");
        let w = &w;
        // In single precision, as the simulation computes them.
        let m: Vec<f32> = inputs
            .units()
            .iter()
            .zip(w)
            .map(|(u, w)| u.mu as f32 + u.sigma as f32 * w)
            .collect();
        let ev: u32 = (0..UNITS)
            .filter(|&s| m[s] > 0.0)
            .map(|s| votes.all()[s])
            .sum();
        hist[ev as usize] += 1;
        for s in 0..UNITS {
            wins[s] += u64::from(m[s] > 0.0);
        }
        let dem = ev >= majority;
        if !dem && total - ev < majority {
            continue;
        }
        let mut order: Vec<usize> = (0..UNITS).collect();
        order.sort_by(|&a, &b| {
            let (ka, kb) = if dem { (m[b], m[a]) } else { (m[a], m[b]) };
            ka.partial_cmp(&kb).expect("finite").then(a.cmp(&b))
        });
        let mut cum = 0;
        for s in order {
            cum += votes.all()[s];
            if cum >= majority {
                tipping[s] += 1;
                break;
            }
        }
    }
    (hist, wins, tipping)
}

#[test]
fn every_draw_matches_a_full_sort() {
    let base = realistic_inputs();
    // Early-date spreads, and two units with equal inputs (equal margins under
    // national 1, where the unit order breaks the tie).
    let mut wide = *base.units();
    for (i, u) in wide.iter_mut().enumerate() {
        u.sigma = 0.05 + 0.2 * (i % 3) as f64;
    }
    let mut twins = *base.units();
    let (oh, pa) = (st("OH").index(), st("PA").index());
    twins[oh].mu = 0.001;
    twins[oh].sigma = 0.04;
    twins[pa] = twins[oh];
    let cases = [
        (0.5, Structure::Historical, base.clone()),
        (
            0.0,
            Structure::None,
            Inputs::from_units(wide).expect("inputs"),
        ),
        (
            1.0,
            Structure::None,
            Inputs::from_units(twins).expect("inputs"),
        ),
        (
            0.5,
            Structure::Historical,
            Inputs::from_units(twins).expect("inputs"),
        ),
    ];
    for (national, structure, inputs) in cases {
        let e = prepare(national, structure, 4_000);
        let o = simulate_one(&e, &inputs);
        let (hist, wins, tipping) = brute_force(&e, &inputs);
        let d = 4_000.0;
        let expected: Vec<(u32, f64)> = hist
            .iter()
            .enumerate()
            .filter(|(_, &c)| c > 0)
            .map(|(v, &c)| (v as u32, c as f64 / d))
            .collect();
        assert_eq!(o.distribution, expected, "{national} {structure}");
        for s in 0..UNITS {
            assert_eq!(o.units[s].win_draws, wins[s] as f64 / d, "wins {s}");
            assert_eq!(
                o.units[s].tipping_point,
                Some(tipping[s] as f64 / d),
                "tipping {s}, national {national} {structure}"
            );
        }
    }
}
