//! The `serde` feature: every value a caller passes to the engine or gets back survives a
//! round trip through a lossless format (postcard here); a deserialized plan runs to the
//! same files as the original, and a deserialized electoral college answers a what-if
//! alike. `cargo test -p forecast-engine --features serde`.
#![cfg(feature = "serde")]

use forecast_engine::electoral::output::{
    correlation_csv, electoral_csv, electoral_states_csv, electoral_votes_csv,
};
use forecast_engine::electoral::{Draws, Electoral, ElectoralVotes, Party, Pinned, Pins};
use forecast_engine::output::{predictions_csv, scores_csv};
use forecast_engine::{
    builtin, load_polls, load_results, run, DateGrid, LoadError, Plan, PlanError, PollSet,
    Progress, ResultSet, RunConfig, RunOutput, State,
};
use serde::de::value::{BorrowedBytesDeserializer, BytesDeserializer, SeqDeserializer};
use serde::de::{DeserializeOwned, IntoDeserializer};
use serde::{Deserialize, Serialize};

type ValueError = serde::de::value::Error;

fn to_bytes<T: Serialize>(value: &T) -> Vec<u8> {
    postcard::to_allocvec(value).expect("serializes")
}

fn round_trip<T: Serialize + DeserializeOwned>(value: &T) -> T {
    postcard::from_bytes(&to_bytes(value)).expect("deserializes")
}

fn st(code: &str) -> State {
    State::parse(code).expect("a state code")
}

fn builtin_inputs() -> (PollSet, ResultSet) {
    (
        load_polls(builtin::POLLS_2016).expect("built-in polls"),
        load_results(builtin::RESULTS).expect("built-in results"),
    )
}

/// The default settings (electoral college on, 20,000 draws) on two forecast dates.
fn small_plan(polls: &PollSet, results: &ResultSet) -> Plan {
    let config = RunConfig {
        grid: DateGrid::Count(2),
        ..RunConfig::default()
    };
    Plan::new(polls, results, &config).expect("plan")
}

/// The files the CLI writes of a run, by name.
fn files(plan: &Plan, output: &RunOutput) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = plan
        .models
        .iter()
        .map(|&m| {
            (
                format!("{}.csv", m.name()),
                predictions_csv(&output.rows, m),
            )
        })
        .collect();
    files.push(("scores.csv".into(), scores_csv(&output.scores)));
    let electoral = output.electoral.as_ref().expect("an electoral college");
    let rows = electoral.scenario_rows();
    assert_eq!(rows.len(), plan.models.len() * plan.dates.len());
    let e = &electoral.electoral;
    files.push(("electoral.csv".into(), electoral_csv(&rows)));
    files.push(("electoral_votes.csv".into(), electoral_votes_csv(&rows)));
    files.push((
        "electoral_states.csv".into(),
        electoral_states_csv(&rows, e.votes()),
    ));
    files.push((
        "correlation.csv".into(),
        correlation_csv(e.correlation(), e.settings().national),
    ));
    files
}

fn assert_same_files(expected: &[(String, String)], got: &[(String, String)], what: &str) {
    assert_eq!(expected.len(), got.len(), "{what}: the same files");
    for ((name, a), (other, b)) in expected.iter().zip(got) {
        assert_eq!(name, other);
        assert!(a == b, "{what}: {name} differs");
        assert!(a.lines().count() > 1, "{name} has rows");
    }
}

#[test]
fn polls_and_results_round_trip() {
    let (polls, results) = builtin_inputs();
    let polls_back = round_trip(&polls);
    assert_eq!(polls_back, polls);
    assert!(polls_back.polls.len() > 1000 && !polls_back.report.examples.is_empty());
    let results_back = round_trip(&results);
    assert_eq!(results_back, results);
    // The private vote counts came back too.
    let ny = st("NY");
    assert_eq!(results_back.votes(2016, ny), results.votes(2016, ny));
    assert!(results.votes(2016, ny).is_some());
}

/// Errors that hold the engine's own texts (`&'static str`) come back as those texts.
#[test]
fn load_and_votes_errors_round_trip() {
    for (bytes, what) in [
        (&b"x,y\n1,2\n"[..], "polls"),
        (&b"state,dem\nOH,1\n"[..], "polls with a column missing"),
    ] {
        let error = load_polls(bytes).expect_err(what);
        assert!(matches!(
            error,
            LoadError::UnknownLayout { .. } | LoadError::MissingColumns { .. }
        ));
        assert_eq!(round_trip(&error), error, "{what}");
    }
    let error = load_results(b"state,year,dem\nOH,2016,1\n").expect_err("results");
    assert!(matches!(error, LoadError::MissingColumns { .. }));
    assert_eq!(round_trip(&error), error);
    let bad_rows = ElectoralVotes::from_csv(b"state,electoral_votes\nXX,3\nOH,-1\n\"a\n")
        .expect_err("bad rows");
    assert_eq!(round_trip(&bad_rows), bad_rows);
    let no_column = ElectoralVotes::from_csv(b"state,votes\nOH,18\n").expect_err("a column");
    assert_eq!(round_trip(&no_column), no_column);
    // A text the engine never writes is an error, not a leaked string: the layouts' text
    // comes last, and its last character is changed.
    let mut bytes = to_bytes(&load_polls(b"x,y\n1,2\n").expect_err("polls"));
    *bytes.last_mut().expect("bytes") = b'!';
    assert!(postcard::from_bytes::<LoadError>(&bytes).is_err());
}

#[test]
fn a_state_past_the_last_is_an_error() {
    assert_eq!(round_trip(&st("WY")), st("WY"));
    assert_eq!(to_bytes(&st("AK")), vec![0]);
    assert!(postcard::from_bytes::<State>(&[51]).is_err());
    assert!(postcard::from_bytes::<State>(&[255, 1]).is_err());
}

#[test]
fn plan_errors_round_trip() {
    let (polls, results) = builtin_inputs();
    let error = Plan::new(
        &polls,
        &results,
        &RunConfig {
            year: Some(2020),
            ..RunConfig::default()
        },
    )
    .expect_err("no polls of 2020");
    assert!(matches!(error, PlanError::NoPolls { .. }));
    assert_eq!(round_trip(&error), error);
}

/// A plan, its run and a what-if: the deserialized plan equals the original and runs to
/// the same files; the deserialized run output writes the same files; a deserialized
/// electoral college pins to the same outcome.
#[test]
fn a_deserialized_plan_runs_to_the_same_files_and_pins_alike() {
    let (polls, results) = builtin_inputs();
    let plan = small_plan(&polls, &results);
    assert!(plan.electoral.is_ok(), "the electoral college is on");
    let plan_back = round_trip(&plan);
    assert_eq!(plan_back, plan);

    let output = run(&plan, &Progress::new(), 2);
    assert!(!output.cancelled);
    let expected = files(&plan, &output);
    let output_of_back = run(&plan_back, &Progress::new(), 2);
    assert_same_files(
        &expected,
        &files(&plan, &output_of_back),
        "run of the plan read back",
    );

    let output_back = round_trip(&output);
    assert_same_files(&expected, &files(&plan, &output_back), "output read back");
    assert_eq!(output_back.rows, output.rows);
    assert_eq!(output_back.scores, output.scores);
    assert_eq!(
        (
            output_back.cells,
            output_back.cells_done,
            output_back.no_forecast
        ),
        (output.cells, output.cells_done, output.no_forecast)
    );

    let electoral = &output.electoral.as_ref().expect("electoral").electoral;
    let electoral_back = &output_back.electoral.as_ref().expect("electoral").electoral;
    assert_eq!(electoral_back.settings(), electoral.settings());
    assert_eq!(electoral_back.votes(), electoral.votes());
    assert_eq!(electoral_back.correlation(), electoral.correlation());
    assert_eq!(electoral_back.draws(), electoral.draws());
    assert_eq!(electoral_back.popular(), electoral.popular());
    assert_eq!(electoral_back.actual(), electoral.actual());
    // The draws are most of the bytes, one byte string of 4 bytes a lane.
    let draws = electoral.draws().sims() * 52 * 4;
    let size = to_bytes(electoral.as_ref()).len();
    assert!(
        size > draws && size < draws + 64 * 1024,
        "{size} bytes for {draws} bytes of draws"
    );

    let pair = output
        .electoral
        .as_ref()
        .expect("electoral")
        .pairs
        .last()
        .expect("a pair");
    let inputs = &pair.result.as_ref().expect("inputs").inputs;
    let pins = Pins::new()
        .pin(st("FL"), Party::Rep)
        .pin(st("PA"), Party::Dem);
    assert_eq!(round_trip(&pins), pins);
    let pinned = electoral.simulate_pinned(inputs, &pins);
    assert!(
        matches!(pinned, Pinned::Outcome(_)),
        "draws enough: {pinned:?}"
    );
    let alone: Electoral = round_trip(electoral.as_ref());
    assert_eq!(alone.simulate_pinned(&round_trip(inputs), &pins), pinned);
    assert_eq!(electoral_back.simulate_pinned(inputs, &pins), pinned);
    assert_eq!(round_trip(&pinned), pinned);
}

/// The draws are one byte string: every lane of every row, little-endian.
#[test]
fn draws_are_one_byte_string_of_little_endian_lanes() {
    let (polls, results) = builtin_inputs();
    let plan = small_plan(&polls, &results);
    let output = run(&plan, &Progress::new(), 2);
    let draws = output
        .electoral
        .expect("electoral")
        .electoral
        .draws()
        .clone();
    let mut lanes = Vec::new();
    for k in 0..draws.sims() {
        let row = draws.row(k).expect("a row");
        for w in row.iter().chain(&[0.0]) {
            lanes.extend_from_slice(&w.to_le_bytes());
        }
    }
    let bytes = to_bytes(&draws);
    // postcard: the length as a varint, then the bytes.
    assert!(bytes.ends_with(&lanes) && bytes.len() - lanes.len() <= 4);

    // Borrowed bytes, bytes and a sequence of numbers read back alike.
    let borrowed = Draws::deserialize(BorrowedBytesDeserializer::<ValueError>::new(&lanes));
    assert_eq!(borrowed.as_ref(), Ok(&draws));
    let copied = Draws::deserialize(BytesDeserializer::<ValueError>::new(&lanes));
    assert_eq!(copied.as_ref(), Ok(&draws));
    let sequence: SeqDeserializer<_, ValueError> = lanes[..52 * 4 * 3].to_vec().into_deserializer();
    let three = Draws::deserialize(sequence).expect("three rows");
    assert_eq!(three.sims(), 3);
    assert_eq!(three.row(2), draws.row(2));
}

#[test]
fn draws_of_part_of_a_row_are_an_error() {
    let row = 52 * 4;
    for len in [1, row - 1, row + 1, 7 * row + 4] {
        let bytes = vec![0u8; len];
        let error = Draws::deserialize(BytesDeserializer::<ValueError>::new(&bytes))
            .expect_err("part of a row");
        assert!(error.to_string().contains("208"), "{error}");
        assert!(
            postcard::from_bytes::<Draws>(&to_bytes(&serde_bytes::Bytes::new(&bytes))).is_err()
        );
        let sequence: SeqDeserializer<_, ValueError> = bytes.into_deserializer();
        assert!(Draws::deserialize(sequence).is_err());
    }
    let none = Draws::deserialize(BytesDeserializer::<ValueError>::new(&[])).expect("no rows");
    assert_eq!(none.sims(), 0);
    let two = Draws::deserialize(BytesDeserializer::<ValueError>::new(&vec![0u8; 2 * row]))
        .expect("two rows");
    assert_eq!(two.row(1), Some([0.0; 51]));
}

/// Writes `encoded` to `data/{file}` when asked (`FORECAST_WRITE_ENCODED`), then checks
/// that the file holds exactly those bytes.
fn check_encoded_file(file: &str, encoded: &[u8], csv: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(file);
    if std::env::var_os("FORECAST_WRITE_ENCODED").is_some() {
        std::fs::write(&path, encoded).expect("writes the encoded data");
    }
    let bytes = std::fs::read(&path).expect("the encoded file");
    assert!(
        bytes == encoded,
        "{} is not what the loader makes of {csv}: write it again with \
         FORECAST_WRITE_ENCODED=1 cargo test -p forecast-engine --features serde --test serde",
        path.display()
    );
    bytes
}

/// The page fetches the built-in polls already read (`data/polls_2016.postcard`): they
/// must be what the loader makes of `polls_2016.csv` today. After a change to the loader
/// or to `PollSet`, write the file again with
/// `FORECAST_WRITE_ENCODED=1 cargo test -p forecast-engine --features serde --test serde`.
#[test]
fn encoded_builtin_polls_are_what_the_loader_reads() {
    let read = load_polls(builtin::POLLS_2016).expect("built-in polls");
    let encoded = builtin::encode_polls(&read).expect("encodes");
    let file = check_encoded_file(builtin::POLLS_2016_ENCODED_FILE, &encoded, "polls_2016.csv");
    let decoded = builtin::decode_polls(&file).expect("decodes");
    assert_eq!(decoded, read);
    // Every poll, its pollster and the report, not only the first.
    assert_eq!(decoded.polls.len(), 3_072);
    assert_eq!(decoded.report.rows, 4_208);
}

/// The page carries the built-in results already read (`data/results.postcard`, embedded
/// as `builtin::RESULTS_ENCODED`): what the loader makes of `results.csv` today.
#[test]
fn encoded_builtin_results_are_what_the_loader_reads() {
    let read = load_results(builtin::RESULTS).expect("built-in results");
    let encoded = builtin::encode_results(&read).expect("encodes");
    let file = check_encoded_file(builtin::RESULTS_ENCODED_FILE, &encoded, "results.csv");
    // The binary embeds the file as it was built (a run that writes it is one build behind).
    if std::env::var_os("FORECAST_WRITE_ENCODED").is_none() {
        assert_eq!(
            file,
            builtin::RESULTS_ENCODED,
            "the embedded copy is the file"
        );
    }
    let decoded = builtin::decode_results(&file).expect("decodes");
    assert_eq!(decoded, read);
    // Every result (51 units, 12 elections), with its vote counts and the report.
    assert_eq!(decoded.margins.len(), 612);
    assert_eq!(decoded.report.rows, 612);
    for year in (1976..=2020).step_by(4) {
        for state in State::all() {
            assert_eq!(decoded.margin(year, state), read.margin(year, state));
            assert_eq!(decoded.votes(year, state), read.votes(year, state));
        }
    }
}

#[test]
fn damaged_encoded_polls_are_an_error() {
    let read = load_polls(builtin::POLLS_2016).expect("built-in polls");
    let encoded = builtin::encode_polls(&read).expect("encodes");
    for cut in [0, 1, 100, encoded.len() / 2, encoded.len() - 1] {
        let error = builtin::decode_polls(&encoded[..cut]).expect_err("a cut file");
        assert!(error.to_string().contains("do not decode"), "{error}");
    }
    // A CSV handed to the decoder, and a length prefix far beyond the bytes: an error,
    // without reserving memory for it.
    assert!(builtin::decode_polls(builtin::POLLS_2016).is_err());
    assert!(builtin::decode_polls(&[0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]).is_err());
}

#[test]
fn damaged_encoded_results_are_an_error() {
    let encoded = builtin::RESULTS_ENCODED;
    for cut in [0, 1, 100, encoded.len() / 2, encoded.len() - 1] {
        let error = builtin::decode_results(&encoded[..cut]).expect_err("a cut file");
        assert!(
            error
                .to_string()
                .starts_with("the encoded results do not decode"),
            "{error}"
        );
    }
    assert!(builtin::decode_results(builtin::RESULTS).is_err());
    // Polls are not results.
    assert!(builtin::decode_results(&builtin::encode_polls(&builtin_inputs().0).unwrap()).is_err());
}
