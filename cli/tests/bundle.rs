//! The files that say what a run's files are: `README.txt`, `skipped.csv` and
//! `settings.txt`, whose command makes the same files again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use forecast_engine::states::State;

const CLI: &str = env!("CARGO_BIN_EXE_forecast");

fn temp_dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("forecast-cli-bundle-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Runs `forecast` in `dir`, insisting that it succeeds.
fn forecast_in(dir: &Path, args: &[&str]) {
    let run = Command::new(CLI)
        .args(args)
        .current_dir(dir)
        .output()
        .expect("runs");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

/// The command line of `settings.txt`, run by the shell in `dir` with this build's
/// `forecast`.
fn run_settings_command(dir: &Path, settings: &str) {
    let command = settings
        .lines()
        .find_map(|l| l.strip_prefix("command: "))
        .expect("a command line");
    let rest = command
        .strip_prefix("forecast ")
        .expect("the command is forecast's");
    let cli = format!("'{}'", CLI.replace('\'', "'\\''"));
    let run = Command::new("sh")
        .arg("-c")
        .arg(format!("{cli} {rest}"))
        .current_dir(dir)
        .output()
        .expect("sh runs");
    assert!(
        run.status.success(),
        "{command}: {}",
        String::from_utf8_lossy(&run.stderr)
    );
}

/// Every file of a folder, by name.
fn files(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .expect("the output folder")
        .map(|e| {
            let e = e.expect("an entry");
            let name = e.file_name().into_string().expect("a UTF-8 name");
            (
                name,
                std::fs::read_to_string(e.path()).expect("a text file"),
            )
        })
        .collect()
}

/// `settings.txt` without the line of workers (a run's own, not a setting).
fn without_workers(settings: &str) -> String {
    settings
        .lines()
        .filter(|l| !l.starts_with("workers: "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The value of a `label: value` line of `settings.txt`.
fn setting<'a>(settings: &'a str, label: &str) -> &'a str {
    settings
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{label}: ")))
        .unwrap_or_else(|| panic!("{label} in {settings}"))
}

/// The model files and `skipped.csv` hold every (model, state, date) of the grid exactly
/// once: the grid of the models and dates of `settings.txt` and the states not left out.
fn assert_covers_the_grid(out: &BTreeMap<String, String>) {
    let settings = &out["settings.txt"];
    let models: Vec<&str> = setting(settings, "models").split(',').collect();
    let dates: Vec<&str> = setting(settings, "forecast dates")
        .split(' ')
        .next()
        .unwrap()
        .split(',')
        .collect();
    let mut seen: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    for model in &models {
        for line in out[&format!("{model}.csv")].lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            *seen
                .entry((model.to_string(), f[0].into(), f[1].into()))
                .or_default() += 1;
        }
    }
    let mut left_out = Vec::new();
    let skipped = &out["skipped.csv"];
    assert!(skipped.starts_with("model,state,forecast_date,reason\n"));
    for line in skipped.lines().skip(1) {
        let f: Vec<&str> = line.splitn(4, ',').collect();
        assert_eq!(f.len(), 4, "{line}");
        // A reason with a comma in it is quoted.
        let reason = f[3].trim_matches('"');
        if f[0].is_empty() {
            assert!(f[2].is_empty(), "{line}");
            assert!(reason.starts_with("state left out: "), "{line}");
            left_out.push(f[1].to_string());
        } else {
            assert!(
                reason.starts_with("too few polls: ") || reason.starts_with("failed: "),
                "{line}"
            );
            *seen
                .entry((f[0].into(), f[1].into(), f[2].into()))
                .or_default() += 1;
        }
    }
    let mut grid = BTreeMap::new();
    for model in &models {
        for state in State::all().filter(|s| !left_out.iter().any(|l| l == s.code())) {
            for date in &dates {
                grid.insert(
                    (model.to_string(), state.code().into(), date.to_string()),
                    1,
                );
            }
        }
    }
    assert!(!grid.is_empty());
    assert_eq!(seen, grid, "each cell of the grid once");
}

#[test]
fn the_settings_command_makes_the_same_files_from_files_with_any_name() {
    let dir = temp_dir("files");
    let inputs =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../engine/tests/data/reference/inputs");
    // Names the shell must be told exactly.
    for (from, to) in [
        (
            "fivethirtyeight_2016_polls_timeseries.csv",
            "polls 2016 (it's).csv",
        ),
        ("mit_president_state_1976_2020.csv", "-results.tsv"),
    ] {
        std::fs::copy(inputs.join(from), dir.join(to)).expect("copied");
    }
    let votes: String = State::all()
        .map(|s| format!("{},{}\n", s.name(), if s.code() == "CA" { 56 } else { 9 }))
        .collect();
    std::fs::write(
        dir.join("votes $file.csv"),
        format!("state,electoral_votes\n{votes}"),
    )
    .expect("written");
    forecast_in(
        &dir,
        &[
            "--polls",
            "polls 2016 (it's).csv",
            "--results",
            "./-results.tsv",
            "--dates",
            "6",
            "--models",
            "hierarchical_bayes,poll_average",
            "--seed",
            "9",
            "--sims",
            "500",
            "--min-polls",
            "30",
            "--hb-bias-slope",
            "-0.01",
            "--ec-sims",
            "2000",
            "--ec-national",
            "0.3",
            "--ec-structure",
            "none",
            "--electoral-votes",
            "votes $file.csv",
            "--workers",
            "1",
            "--out",
            "first",
        ],
    );
    let first = files(&dir.join("first"));
    for name in ["README.txt", "skipped.csv", "settings.txt"] {
        assert!(first.contains_key(name), "{name}");
    }
    let settings = &first["settings.txt"];
    assert_eq!(setting(settings, "polls"), "file polls 2016 (it's).csv");
    assert_eq!(setting(settings, "results"), "file ./-results.tsv");
    assert_eq!(
        setting(settings, "electoral votes"),
        "file votes $file.csv, 506 in all"
    );
    assert_eq!(
        setting(settings, "workers"),
        "1 (the files are the same for any number)"
    );
    // States with fewer than 30 polls in all are left out, and say how many they had.
    assert!(first["skipped.csv"].contains(",,\"state left out: "));

    run_settings_command(&dir, settings);
    let again = files(&dir.join("forecast-run"));
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        again.keys().collect::<Vec<_>>()
    );
    for (name, text) in &first {
        if name == "settings.txt" {
            assert_eq!(without_workers(text), without_workers(&again[name]));
        } else {
            assert!(*text == again[name], "{name} is the same, byte for byte");
        }
    }
    assert_covers_the_grid(&first);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_settings_command_of_the_built_in_data_makes_the_same_files() {
    let dir = temp_dir("builtin");
    forecast_in(&dir, &["--out", "first", "--workers", "2"]);
    let first = files(&dir.join("first"));
    let settings = &first["settings.txt"];
    assert_eq!(setting(settings, "polls"), "built-in 2016 polls");
    let command = setting(settings, "command");
    assert!(!command.contains("--polls") && !command.contains("--results"));
    run_settings_command(&dir, settings);
    let again = files(&dir.join("forecast-run"));
    assert_eq!(first.len(), 12);
    for (name, text) in &first {
        if name != "settings.txt" {
            assert!(*text == again[name], "{name} is the same, byte for byte");
        }
    }
    assert_covers_the_grid(&first);
    // README.txt names every column of every CSV.
    let readme = &first["README.txt"];
    for (name, text) in first.iter().filter(|(n, _)| n.ends_with(".csv")) {
        assert!(readme.contains(name.as_str()), "{name}");
        for column in text.lines().next().unwrap_or_default().split(',') {
            assert!(readme.contains(column), "{name}: {column}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn without_the_electoral_college_the_command_says_so() {
    let dir = temp_dir("no-electoral");
    forecast_in(
        &dir,
        &[
            "--no-electoral",
            "--year",
            "2016",
            "--election-day",
            "2016-11-08",
            "--daily",
            "--models",
            "improved_kalman",
            "--out",
            "first",
        ],
    );
    let first = files(&dir.join("first"));
    let settings = &first["settings.txt"];
    assert_eq!(setting(settings, "electoral college"), "off");
    assert_eq!(setting(settings, "forecast dates asked for"), "daily");
    assert!(setting(settings, "command")
        .contains(" --year 2016 --election-day 2016-11-08 --dates daily "));
    assert!(setting(settings, "command").contains(" --no-electoral "));
    assert!(first["README.txt"]
        .contains("No electoral-college files: the electoral college was not asked for."));
    run_settings_command(&dir, settings);
    let again = files(&dir.join("forecast-run"));
    assert_eq!(first.len(), again.len());
    for name in [
        "improved_kalman.csv",
        "scores.csv",
        "skipped.csv",
        "README.txt",
    ] {
        assert!(first[name] == again[name], "{name}");
    }
    assert_covers_the_grid(&first);
    let _ = std::fs::remove_dir_all(&dir);
}
