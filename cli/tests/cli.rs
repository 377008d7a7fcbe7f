//! The `forecast` command as a user runs it.

use std::path::PathBuf;
use std::process::Command;

fn forecast(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_forecast"))
        .args(args)
        .output()
        .expect("runs")
}

/// Insists that `forecast` succeeded, showing its stderr if not.
fn assert_succeeded(run: &std::process::Output) {
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("forecast-cli-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn builtin_data_writes_one_file_per_model_and_scores() {
    let out = temp_dir("builtin");
    let run = forecast(&["--out", out.to_str().unwrap(), "--workers", "2"]);
    assert_succeeded(&run);
    let mut files: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "README.txt",
            "correlation.csv",
            "electoral.csv",
            "electoral_states.csv",
            "electoral_votes.csv",
            "hierarchical_bayes.csv",
            "improved_kalman.csv",
            "kalman_diffusion.csv",
            "poll_average.csv",
            "scores.csv",
            "settings.txt",
            "skipped.csv"
        ]
    );
    let pa = std::fs::read_to_string(out.join("poll_average.csv")).unwrap();
    let mut lines = pa.lines();
    assert_eq!(
        lines.next(),
        Some("state,forecast_date,win_probability,predicted_margin,margin_std,actual_margin")
    );
    assert_eq!(lines.count(), 184);
    let scores = std::fs::read_to_string(out.join("scores.csv")).unwrap();
    assert!(scores.starts_with("model,forecast_date,n_states,brier,log_loss,mae\n"));
    assert_eq!(scores.lines().count(), 1 + 4 * 4);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("electoral college of 16 (model, date) pairs"),
        "{stderr}"
    );
    // The headline: each model's chance on the last date, and the result.
    let stdout = String::from_utf8_lossy(&run.stdout);
    for model in [
        "poll_average",
        "kalman_diffusion",
        "improved_kalman",
        "hierarchical_bayes",
    ] {
        assert!(
            stdout.contains(&format!(
                "electoral college, {model} on 2016-11-07: Democrat wins"
            )),
            "{stdout}"
        );
    }
    assert!(stdout.contains("; result 233 (Brier "), "{stdout}");
    let electoral = std::fs::read_to_string(out.join("electoral.csv")).unwrap();
    assert!(electoral.starts_with("model,forecast_date,dem_win,tie,rep_win,ev_mean,ev_p05,ev_p50,ev_p95,popular_dem_win,dem_popular_rep_ec,rep_popular_dem_ec,actual_dem_ev,brier,log_loss\n"));
    assert_eq!(electoral.lines().count(), 1 + 4 * 4);
    let states = std::fs::read_to_string(out.join("electoral_states.csv")).unwrap();
    assert_eq!(states.lines().count(), 1 + 4 * 4 * 51);
    let correlation = std::fs::read_to_string(out.join("correlation.csv")).unwrap();
    assert_eq!(correlation.lines().count(), 52);
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn chosen_models_and_daily_grid() {
    let out = temp_dir("daily");
    let run = forecast(&[
        "--daily",
        "--models",
        "poll_average,hierarchical_bayes",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_succeeded(&run);
    assert!(out.join("hierarchical_bayes.csv").exists());
    assert!(!out.join("kalman_diffusion.csv").exists());
    let dates: std::collections::BTreeSet<String> =
        std::fs::read_to_string(out.join("poll_average.csv"))
            .unwrap()
            .lines()
            .skip(1)
            .map(|l| l.split(',').nth(1).unwrap().to_string())
            .collect();
    assert_eq!(dates.len(), 68);
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn bad_input_fails_with_a_message_not_a_panic() {
    let out = temp_dir("bad");
    let bad = out.with_extension("csv");
    std::fs::write(&bad, "name,when\nx,y\n").unwrap();
    let run = forecast(&[
        "--polls",
        bad.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("unknown layout") && stderr.contains("accepted layouts"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"));
    assert!(!out.exists(), "nothing written for a failed load");

    let run = forecast(&["--models", "crystal_ball", "--out", out.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("invalid value 'crystal_ball'") && stderr.contains("poll_average"),
        "{stderr}"
    );

    let run = forecast(&[
        "--polls",
        "/nonexistent/polls.csv",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("/nonexistent/polls.csv"));
    let _ = std::fs::remove_file(&bad);
}

/// The reference inputs (the engine tests' copy) give the same 4-date poll
/// averages as the reference, through the command line.
#[test]
fn reference_inputs_through_the_command_line() {
    let inputs =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../engine/tests/data/reference/inputs");
    let out = temp_dir("reference");
    let run = forecast(&[
        "--polls",
        inputs
            .join("fivethirtyeight_2016_polls_timeseries.csv")
            .to_str()
            .unwrap(),
        "--results",
        inputs
            .join("mit_president_state_1976_2020.csv")
            .to_str()
            .unwrap(),
        "--models",
        "poll_average",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_succeeded(&run);
    let ours = std::fs::read_to_string(out.join("poll_average.csv")).unwrap();
    let reference =
        std::fs::read_to_string(inputs.join("../corrected_4dates/poll_average.csv")).unwrap();
    assert_eq!(ours.lines().count(), reference.lines().count());
    for (a, b) in ours.lines().zip(reference.lines()).skip(1) {
        let (a, b): (Vec<&str>, Vec<&str>) = (a.split(',').collect(), b.split(',').collect());
        assert_eq!(a[..2], b[..2]);
        for i in 2..6 {
            let (x, y): (f64, f64) = (a[i].parse().unwrap(), b[i].parse().unwrap());
            assert!((x - y).abs() < 1e-9, "{a:?} vs {b:?}");
        }
    }
    let _ = std::fs::remove_dir_all(&out);
}

/// The files a run wrote, by name.
fn outputs(dir: &std::path::Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let text = std::fs::read_to_string(e.path()).unwrap();
            (e.file_name().into_string().unwrap(), text)
        })
        .collect();
    files.sort();
    files
}

/// A count of dates far past the days in the window is every day, and allocates nothing
/// in proportion to the count.
#[test]
fn a_huge_date_count_is_every_day() {
    let (huge, daily) = (temp_dir("huge-dates"), temp_dir("daily-dates"));
    for (out, grid) in [(&huge, "4611686018427387904"), (&daily, "daily")] {
        let run = forecast(&[
            "--dates",
            grid,
            "--models",
            "poll_average",
            "--workers",
            "1",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_succeeded(&run);
    }
    // The same files but for the settings, which record the count asked for.
    let without_settings = |dir| {
        let mut files = outputs(dir);
        files.retain(|(name, _)| name != "settings.txt");
        files
    };
    assert_eq!(without_settings(&huge), without_settings(&daily));
    for dir in [huge, daily] {
        let _ = std::fs::remove_dir_all(dir);
    }
}

#[test]
fn workers_are_at_least_one_and_at_most_the_machine_runs() {
    let out = temp_dir("workers");
    let run = forecast(&["--workers", "0", "--out", out.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("--workers: must be at least 1"), "{stderr}");

    let run = forecast(&[
        "--workers",
        "100000",
        "--models",
        "poll_average",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_succeeded(&run);
    let stderr = String::from_utf8_lossy(&run.stderr);
    let available = std::thread::available_parallelism().map_or(1, |n| n.get());
    assert!(
        stderr.contains(&format!("--workers 100000: using {available}")),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&out);
}

/// Settings out of range are refused before anything is read or written, naming the flag.
#[test]
fn absurd_settings_are_refused_at_the_start() {
    let out = temp_dir("settings");
    let cases: [(&str, &str, &str); 7] = [
        ("--sims", "100000000", "from 1 to 1000000, not 100000000"),
        ("--sims", "0", "from 1 to 1000000, not 0"),
        ("--min-polls", "0", "from 1 to 100000, not 0"),
        ("--hb-bias-intercept", "NaN", "not NaN"),
        ("--hb-bias-intercept", "inf", "not inf"),
        ("--hb-bias-intercept", "1e308", "not 1e308"),
        ("--hb-bias-slope", "-2", "from -1 to 1, not -2"),
    ];
    for (flag, value, says) in cases {
        let run = forecast(&[
            flag,
            value,
            "--polls",
            "/nonexistent/polls.csv",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(run.status.code(), Some(1), "{flag} {value}");
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(
            stderr.contains(&format!("forecast: {flag}: ")) && stderr.contains(says),
            "{flag} {value}: {stderr}"
        );
        assert!(!stderr.contains("/nonexistent"), "{stderr}");
    }
    assert!(!out.exists());
}

#[test]
fn an_election_without_polls_or_out_of_its_year_is_an_error() {
    let out = temp_dir("election");
    let cases: [(&[&str], &str); 3] = [
        (
            &["--election-day", "9999-12-31", "--year", "2016"],
            "the election day 9999-12-31 is not in the election year 2016",
        ),
        (
            &["--election-day", "2020-11-03"],
            "the election day 2020-11-03 is not in the election year 2016",
        ),
        (
            &["--year", "2012"],
            "no poll of the 2012 election: the polls are of 2016",
        ),
    ];
    for (args, says) in cases {
        let mut args = args.to_vec();
        args.extend(["--out", out.to_str().unwrap()]);
        let run = forecast(&args);
        assert_eq!(run.status.code(), Some(1), "{args:?}");
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(!out.exists(), "no empty files for {args:?}");
    }
}

/// One typo in a date is named, and the election is that of the other polls.
#[test]
fn the_report_names_the_row_and_the_election() {
    let out = temp_dir("typo");
    let polls = out.with_extension("csv");
    let mut text = String::from("state,start_date,end_date,pollster,sample_size,dem,rep\n");
    for i in 0..12 {
        text += &format!(
            "Ohio,2016-10-{:02},2016-10-{:02},P,{},45,44\n",
            i + 1,
            i + 3,
            500 + i
        );
    }
    text.insert_str(
        text.find("\nOhio").unwrap() + 1,
        "Ohio,2061-10-01,2061-10-03,P,600,45,44\n",
    );
    std::fs::write(&polls, text).unwrap();
    let run = forecast(&[
        "--polls",
        polls.to_str().unwrap(),
        "--models",
        "poll_average",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_succeeded(&run);
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        stdout.contains("election 2016: the election of most polls (12 of 13"),
        "{stdout}"
    );
    assert!(
        stdout.contains("line 2, column end_date: dates outside the election's campaign"),
        "{stdout}"
    );
    let _ = std::fs::remove_dir_all(&out);
    let _ = std::fs::remove_file(&polls);
}

#[test]
fn no_electoral_writes_the_state_files_only() {
    let out = temp_dir("no-electoral");
    let run = forecast(&[
        "--no-electoral",
        "--models",
        "poll_average",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_succeeded(&run);
    assert!(out.join("poll_average.csv").exists());
    assert!(!out.join("electoral.csv").exists());
    assert!(String::from_utf8_lossy(&run.stdout)
        .contains("no electoral college: the electoral college was not asked for"));
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn electoral_settings_out_of_range_are_refused() {
    let out = temp_dir("ec-settings");
    for (flag, value, message) in [
        (
            "--ec-sims",
            "0",
            "--ec-sims: electoral-college simulations must be from 1 to 1000000, not 0",
        ),
        (
            "--ec-sims",
            "10000000",
            "--ec-sims: electoral-college simulations must be from 1 to 1000000, not 10000000",
        ),
        (
            "--ec-national",
            "2",
            "--ec-national: the national share of the error must be in [0, 1], not 2",
        ),
        (
            "--ec-national",
            "NaN",
            "--ec-national: the national share of the error must be in [0, 1], not NaN",
        ),
    ] {
        let run = forecast(&[flag, value, "--out", out.to_str().unwrap()]);
        assert_eq!(run.status.code(), Some(1), "{flag} {value}");
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(stderr.contains(message), "{stderr}");
        assert!(!stderr.contains("panicked"));
        assert!(!out.exists(), "nothing written");
    }
    let run = forecast(&["--ec-structure", "tribal", "--out", out.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("[possible values: historical, none]"));
}

/// An electoral-votes file with a missing state, a state twice, a negative and a
/// non-numeric count: refused, every line named, nothing run on half a table.
#[test]
fn a_bad_electoral_votes_file_names_its_lines() {
    let out = temp_dir("ev-file");
    let file = out.with_extension("ev.csv");
    let mut text = String::from("state,electoral_votes\n");
    for (i, state) in forecast_engine::State::all().enumerate() {
        match state.code() {
            // Line 2 + i is the state's line; Texas is left out.
            "TX" => continue,
            "OH" => text += "Ohio,-3\n",
            "FL" => text += "Florida,many\n",
            _ => text += &format!("{},{}\n", state.code(), 3 + i % 7),
        }
    }
    text += "Ohio,18\n";
    std::fs::write(&file, &text).unwrap();
    let run = forecast(&[
        "--electoral-votes",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    let line_of = |needle: &str| text.lines().position(|l| l.starts_with(needle)).unwrap() + 1;
    for (line, column) in [
        (line_of("Ohio,-3"), "electoral_votes"),
        (line_of("Florida,many"), "electoral_votes"),
        (line_of("Ohio,18"), "state"),
    ] {
        assert!(
            stderr.contains(&format!("line {line}, column {column}")),
            "line {line}: {stderr}"
        );
    }
    assert!(stderr.contains("and no row for TX"), "{stderr}");
    assert!(!out.exists(), "nothing written: {stderr}");

    // Only Texas missing: named.
    let complete: String = text
        .lines()
        .filter(|l| !l.starts_with("Ohio,-3") && !l.starts_with("Florida,many"))
        .collect::<Vec<_>>()
        .join("\n")
        + "\nFL,30\n";
    std::fs::write(&file, complete).unwrap();
    let run = forecast(&[
        "--electoral-votes",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("TX"), "{stderr}");
    let _ = std::fs::remove_file(&file);
}
