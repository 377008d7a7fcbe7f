//! Renders the components to HTML natively (no browser) and checks what the page and
//! the browser tests rely on: test ids, ids, one element per poll and per state, and
//! that user text is escaped.

use chrono::NaiveDate;
use forecast_charts::calibration_chart::CalibrationChart;
use forecast_charts::{PollPoint, ScoresChart, StateChart, TileMap};
use forecast_engine::calibration::calibration;
use forecast_engine::{ForecastRow, ModelKind, ScoreRow, State};
use leptos::prelude::*;

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2016, m, day).unwrap()
}

fn rows() -> Vec<ForecastRow> {
    let mut rows = Vec::new();
    for model in [ModelKind::PollAverage, ModelKind::HierarchicalBayes] {
        for state in State::all().take(20) {
            for day in [1, 15, 29] {
                rows.push(ForecastRow {
                    model,
                    state,
                    forecast_date: d(10, day),
                    win_probability: (state.index() as f64 / 20.0).min(1.0),
                    predicted_margin: 0.01 * state.index() as f64 - 0.1,
                    margin_std: 0.03,
                    actual_margin: Some(0.02),
                });
            }
        }
    }
    rows
}

fn polls() -> Vec<PollPoint> {
    (1..=7)
        .map(|i| PollPoint {
            start: d(9, i),
            end: d(9, i + 3),
            mid: forecast_engine::dates::day_number(d(9, i)) as f64 + 1.5,
            pollster: if i == 3 {
                "<img src=x onerror=alert(1)>".to_string()
            } else {
                format!("Pollster {i}")
            },
            sample_size: 600.0,
            margin: 0.01 * i as f64,
        })
        .collect()
}

fn render(f: impl FnOnce() -> AnyView) -> String {
    let owner = Owner::new();
    let html = owner.with(|| f().to_html());
    // To look at the charts: CHARTS_DUMP=dir cargo test -p forecast-charts --test render
    if let Ok(dir) = std::env::var("CHARTS_DUMP") {
        let name = html
            .split("data-testid=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap_or("chart");
        let _ = std::fs::write(format!("{dir}/{name}-{}.svg.html", html.len()), &html);
    }
    html
}

#[test]
fn state_chart_renders_a_circle_per_poll_and_escapes_pollsters() {
    let fl = State::parse("FL");
    let html = render(|| {
        view! {
            <StateChart
                state=Signal::stored(fl)
                rows=Signal::stored(rows())
                polls=Signal::stored(polls())
                election_day=Signal::stored(Some(d(11, 8)))
                id="fl-chart"
            />
        }
        .into_any()
    });
    assert!(html.contains("data-testid=\"state-chart\""), "{html}");
    assert!(html.contains("id=\"fl-chart\""));
    assert_eq!(html.matches("data-poll=").count(), 7, "{html}");
    assert!(!html.contains("<img"), "pollster must be escaped: {html}");
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(html.contains("tabindex=\"0\""));
    assert!(html.contains("viewBox=\"0 0 640"));
    assert!(html.contains("<title"));
}

#[test]
fn map_renders_51_tiles_with_their_probability() {
    let html = render(|| {
        view! {
            <TileMap
                rows=Signal::stored(rows())
                model=Signal::stored(Some(ModelKind::PollAverage))
                date=Signal::stored(Some(d(10, 15)))
                on_select=Callback::new(|_s: State| {})
            />
        }
        .into_any()
    });
    assert!(html.contains("data-testid=\"map\""));
    assert!(html.contains("id=\"map-svg\""));
    assert_eq!(html.matches("data-state=").count(), 51, "{html}");
    assert_eq!(html.matches("data-win=").count(), 51);
    // AK is index 0 (p = 0), AL index 1 (p = 0.05).
    assert!(
        html.contains("data-state=\"AL\" data-win=\"0.05\""),
        "{html}"
    );
    assert!(html.contains("data-reason="));
}

#[test]
fn scores_and_calibration_render() {
    let scores: Vec<ScoreRow> = forecast_engine::scores::score(&rows());
    let html = render(move || view! { <ScoresChart scores=Signal::stored(scores) /> }.into_any());
    assert!(html.contains("data-testid=\"scores-chart\""));
    assert_eq!(html.matches("data-metric=").count(), 3);
    let bins = calibration(&rows(), &ModelKind::ALL, 10);
    let html = render(move || view! { <CalibrationChart bins=Signal::stored(bins) /> }.into_any());
    assert!(html.contains("data-testid=\"calibration-chart\""));
    assert!(html.contains("data-count="));
    let html = render(|| view! { <CalibrationChart bins=Signal::stored(Vec::new()) /> }.into_any());
    assert!(html.contains("No calibration yet"));
}

#[test]
fn state_chart_of_a_daily_grid_draws_curves() {
    let fl = State::parse("FL").unwrap();
    let mut rows = Vec::new();
    for (k, model) in ModelKind::ALL.into_iter().enumerate() {
        for i in 0..68u64 {
            let t = i as f64;
            rows.push(ForecastRow {
                model,
                state: fl,
                forecast_date: d(9, 1) + chrono::Days::new(i),
                win_probability: 0.6,
                predicted_margin: 0.01 * k as f64 + 0.02 * (t / 9.0).sin(),
                margin_std: 0.05 - t / 68.0 * 0.03,
                actual_margin: Some(-0.012),
            });
        }
    }
    let many_polls: Vec<PollPoint> = (0..120)
        .map(|i| {
            let start = d(6, 1) + chrono::Days::new(i);
            PollPoint {
                start,
                end: start + chrono::Days::new(2),
                mid: forecast_engine::dates::day_number(start) as f64 + 1.0,
                pollster: format!("Pollster {}", i % 9),
                sample_size: 500.0 + i as f64,
                margin: 0.04 * ((i as f64) / 7.0).cos(),
            }
        })
        .collect();
    let html = render(move || {
        view! {
            <StateChart
                state=Signal::stored(Some(fl))
                rows=Signal::stored(rows)
                polls=Signal::stored(many_polls)
                election_day=Signal::stored(Some(d(11, 8)))
                models=Signal::stored(ModelKind::ALL.to_vec())
            />
        }
        .into_any()
    });
    assert_eq!(html.matches("data-poll=").count(), 120);
    assert!(html.contains(" C"), "smooth curves");
    assert!(html.contains("id=\"state-chart-svg\""));
}
