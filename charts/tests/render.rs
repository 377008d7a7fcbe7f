//! Renders the components to HTML natively (no browser) and checks what the page and
//! the browser tests rely on: test ids, ids, one element per poll and per state, the
//! wrapper with its details box, one tab stop per chart, and that user text is escaped.

use chrono::NaiveDate;
use forecast_charts::calibration_chart::CalibrationChart;
use forecast_charts::{
    EcOverTime, EvHistogram, OverTimePoint, PollPoint, ScoresChart, SnakeChart, SnakeUnit,
    StateChart, TileMap,
};
use forecast_engine::calibration::calibration;
use forecast_engine::electoral::Party;
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

/// The start tag of the element whose attributes hold `needle`.
fn tag_with<'a>(html: &'a str, needle: &str) -> &'a str {
    let at = html
        .find(needle)
        .unwrap_or_else(|| panic!("no {needle} in {html}"));
    let start = html[..at].rfind('<').unwrap();
    let end = at + html[at..].find('>').unwrap();
    &html[start..=end]
}

/// The frame every chart shares: the wrapper named after the chart, the `<svg>` with
/// its test id and title, the details box after the `<svg>` (outside it) showing `hint`
/// text, and exactly one tab stop among `items` focusable items.
fn check_frame(html: &str, testid: &str, items: usize) {
    let wrap = format!("<div data-chart=\"{testid}\" class=\"fc-chart-wrap\">");
    assert!(html.starts_with(&wrap), "{html}");
    let svg = tag_with(html, &format!("data-testid=\"{testid}\""));
    assert!(svg.starts_with("<svg"), "{svg}");
    assert!(svg.contains("aria-labelledby="));
    let details = html
        .find("<p data-testid=\"chart-details\"")
        .expect("a details box");
    assert!(
        html.find("</svg>").unwrap() < details,
        "the details box follows the svg"
    );
    let p = tag_with(html, "data-testid=\"chart-details\"");
    assert!(p.contains("class=\"fc-detail\"") && p.contains("aria-live=\"polite\""));
    assert!(html[details..].contains("</p></div>"));
    assert!(
        !html[..details].contains("fc-detail"),
        "no detail line inside the svg"
    );
    assert_eq!(
        html.matches("tabindex=\"0\"").count(),
        1,
        "one tab stop: {html}"
    );
    assert_eq!(html.matches("tabindex=\"-1\"").count(), items - 1);
    assert_eq!(html.matches("data-fc-item=").count(), items);
    for i in 0..items {
        assert!(html.contains(&format!("data-fc-item=\"{i}\"")), "item {i}");
    }
}

#[test]
fn every_chart_is_one_tab_stop_with_a_details_box() {
    let fl = State::parse("FL");
    let html = render(|| {
        view! {
            <StateChart
                state=Signal::stored(fl)
                rows=Signal::stored(rows())
                polls=Signal::stored(polls())
                election_day=Signal::stored(Some(d(11, 8)))
            />
        }
        .into_any()
    });
    // 7 polls, then 2 models' 3 forecast points each (FL has rows: index 9 < 20).
    check_frame(&html, "state-chart", 7 + 6);
    assert!(tag_with(&html, "tabindex=\"0\"").contains("data-poll=\"0\""));
    assert!(html.contains("Hover over, tap or focus a poll"));

    let html = render(|| {
        view! {
            <TileMap
                rows=Signal::stored(rows())
                model=Signal::stored(Some(ModelKind::PollAverage))
                date=Signal::stored(Some(d(10, 15)))
            />
        }
        .into_any()
    });
    check_frame(&html, "map", 51);
    // No selection: the first tile in reading order (Alaska, top left).
    assert!(tag_with(&html, "tabindex=\"0\"").contains("data-state=\"AK\""));

    let scores: Vec<ScoreRow> = forecast_engine::scores::score(&rows());
    let points = 3 * scores.len();
    let html = render(move || view! { <ScoresChart scores=Signal::stored(scores) /> }.into_any());
    check_frame(&html, "scores-chart", points);

    let bins = calibration(&rows(), &ModelKind::ALL, 10);
    let n = bins.len();
    let html = render(move || view! { <CalibrationChart bins=Signal::stored(bins) /> }.into_any());
    check_frame(&html, "calibration-chart", n);
    assert_eq!(
        html.matches("role=\"img\"").count(),
        n,
        "each bin is named by its title"
    );
}

#[test]
fn the_selected_tile_is_the_tab_stop_and_looks_selected() {
    let tx = State::parse("TX");
    let html = render(move || {
        view! {
            <TileMap
                rows=Signal::stored(rows())
                model=Signal::stored(Some(ModelKind::PollAverage))
                date=Signal::stored(Some(d(10, 15)))
                selected=Signal::stored(tx)
                on_select=Callback::new(|_s: State| {})
            />
        }
        .into_any()
    });
    let stop = tag_with(&html, "tabindex=\"0\"");
    assert!(stop.contains("data-state=\"TX\""), "{stop}");
    assert!(stop.contains("aria-pressed=\"true\"") && stop.contains("role=\"button\""));
    assert_eq!(html.matches("aria-pressed=\"true\"").count(), 1);
    // Selection is a thick outline of the tile; nothing shows a focus ring until focus.
    assert_eq!(html.matches("stroke-width=\"3\"").count(), 1);
    assert!(!html.contains("fc-focus-ring"));
}

fn distribution() -> Vec<(u32, f64)> {
    // 200..=340 in steps of 2, the shares summing to 1.
    let evs: Vec<u32> = (200..=340).step_by(2).collect();
    let n = evs.len() as f64;
    evs.into_iter().map(|ev| (ev, 1.0 / n)).collect()
}

#[test]
fn histogram_renders_a_bar_per_total_with_the_majority_and_result() {
    let dist = distribution();
    let bars = dist.len();
    let html = render(move || {
        view! {
            <EvHistogram
                distribution=Signal::stored(dist)
                total=Signal::stored(538)
                majority=Signal::stored(270)
                actual=Signal::stored(Some(232))
                title=Signal::stored("Democratic electoral votes: Poll average".to_string())
            />
        }
        .into_any()
    });
    check_frame(&html, "ec-histogram", bars);
    assert!(html.contains("id=\"ec-histogram-svg\""));
    assert_eq!(html.matches("class=\"fc-bar\"").count(), bars);
    assert_eq!(html.matches("data-ev=").count(), bars);
    assert_eq!(html.matches("data-p=").count(), bars);
    let tie = tag_with(&html, "data-ev=\"268\"");
    assert!(tie.contains("fill=\"#c23b2e\""), "268 loses: {tie}");
    let tie = tag_with(&html, "data-ev=\"270\"");
    assert!(tie.contains("fill=\"#1f5fbf\""), "270 wins: {tie}");
    // 269 does not occur (odd); an even table's tie is grey when it occurs.
    assert!(!html.contains("data-ev=\"269\""));
    assert!(html.contains("270 to win") && html.contains("Result: 232"));
    assert!(html.contains("class=\"fc-majority\"") && html.contains("class=\"fc-actual\""));
    assert!(html.contains("300 electoral votes: 1.4% of simulations"));
    assert!(html.contains("Democratic electoral votes: Poll average</title>"));

    let html = render(|| {
        view! {
            <EvHistogram
                distribution=Signal::stored(vec![(269, 0.5), (270, 0.5)])
                total=Signal::stored(538)
                majority=Signal::stored(270)
                actual=Signal::stored(None)
                title=Signal::stored(String::new())
                id="h2"
            />
        }
        .into_any()
    });
    assert!(tag_with(&html, "data-ev=\"269\"").contains("fill=\"#9aa1ad\""));
    assert!(!html.contains("fc-actual"));
    let html = render(|| {
        view! {
            <EvHistogram
                distribution=Signal::stored(Vec::new())
                total=Signal::stored(538)
                majority=Signal::stored(270)
                actual=Signal::stored(None)
                title=Signal::stored(String::new())
            />
        }
        .into_any()
    });
    assert!(html.contains("No electoral-college forecast yet"));
    assert!(!html.contains("tabindex"));
}

#[test]
fn over_time_renders_two_panels_with_a_line_per_model() {
    let mut points = Vec::new();
    for model in [ModelKind::PollAverage, ModelKind::HierarchicalBayes] {
        for i in 0..68u64 {
            let t = i as f64;
            points.push(OverTimePoint {
                model,
                date: d(9, 1) + chrono::Days::new(i),
                dem_win: 0.6 + 0.2 * (t / 15.0).sin(),
                ev_p05: 240,
                ev_p50: 290 + (i % 5) as u32,
                ev_p95: 340,
            });
        }
    }
    let html = render(move || {
        view! {
            <EcOverTime
                points=Signal::stored(points)
                majority=Signal::stored(270)
                total=Signal::stored(538)
                election_day=Signal::stored(Some(d(11, 8)))
            />
        }
        .into_any()
    });
    check_frame(&html, "ec-over-time", 2 * 68);
    assert!(html.contains("id=\"ec-over-time-svg\""));
    let win = html.find("data-panel=\"win\"").unwrap();
    let ev = html.find("data-panel=\"ev\"").unwrap();
    assert!(win < ev);
    for model in ["poll_average", "hierarchical_bayes"] {
        let g = format!("data-model=\"{model}\"");
        assert_eq!(
            html[win..ev].matches(&g).count(),
            1,
            "{model} in the top panel"
        );
        // A band and a line below.
        assert_eq!(
            html[ev..].matches(&g).count(),
            2,
            "{model} in the bottom panel"
        );
    }
    assert!(html.contains(" C"), "smooth curves");
    assert_eq!(html.matches("class=\"fc-point\"").count(), 2 * 68);
    assert_eq!(html.matches("class=\"fc-ev-point\"").count(), 2 * 68);
    assert_eq!(html[win..ev].matches("data-date=").count(), 2 * 68);
    assert!(html.contains("data-date=\"2016-09-01\""));
    assert!(html.contains("270 to win") && html.contains("Election day"));
}

fn snake_units() -> Vec<SnakeUnit> {
    let votes = forecast_engine::electoral::ElectoralVotes::builtin(2016).unwrap();
    State::all()
        .map(|s| {
            let mu = 0.3 - 0.6 * s.index() as f64 / 50.0;
            SnakeUnit {
                state: s,
                votes: votes.votes(s),
                mu,
                win: (0.5 + 2.0 * mu).clamp(0.0, 1.0),
                tipping: Some(0.02),
                pin: match s.code() {
                    "OH" => Some(Party::Rep),
                    "PA" => Some(Party::Dem),
                    _ => None,
                },
            }
        })
        .collect()
}

#[test]
fn snake_renders_a_segment_per_state_with_tipping_point_and_pins() {
    let fl = State::parse("FL");
    let html = render(move || {
        view! {
            <SnakeChart
                units=Signal::stored(snake_units())
                majority=Signal::stored(270)
                total=Signal::stored(538)
                selected=Signal::stored(fl)
                on_select=Callback::new(|_s: State| {})
            />
        }
        .into_any()
    });
    check_frame(&html, "snake-chart", 51);
    assert!(html.contains("id=\"snake-chart-svg\""));
    assert_eq!(html.matches("class=\"fc-segment\"").count(), 51);
    assert_eq!(html.matches("data-votes=").count(), 51);
    // mu falls with the index: the row runs in code order, AK first.
    let first = html.find("data-state=\"AK\"").unwrap();
    let last = html.find("data-state=\"WY\"").unwrap();
    assert!(first < last);
    assert!(tag_with(&html, "data-state=\"PA\" data-win").contains("data-pin=\"D\""));
    assert!(tag_with(&html, "data-state=\"OH\" data-win").contains("data-pin=\"R\""));
    assert_eq!(html.matches("data-pin=").count(), 2);
    let stop = tag_with(&html, "tabindex=\"0\"");
    assert!(stop.contains("data-state=\"FL\"") && stop.contains("aria-pressed=\"true\""));
    assert!(html.contains("class=\"fc-selected\""));
    assert!(html.contains("tipping point: "));
    assert!(html.contains("270 to win"));
    assert!(html.contains("Florida, 29 electoral votes: Democrat "));

    let html = render(|| {
        view! {
            <SnakeChart
                units=Signal::stored(Vec::new())
                majority=Signal::stored(270)
                total=Signal::stored(538)
            />
        }
        .into_any()
    });
    assert!(html.contains("No electoral-college forecast yet"));
}
