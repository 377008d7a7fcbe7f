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
            "hierarchical_bayes.csv",
            "improved_kalman.csv",
            "kalman_diffusion.csv",
            "poll_average.csv",
            "scores.csv"
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
    assert!(stderr.contains("cells/s"), "{stderr}");
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
