//! Files and settings as an attacker or a careless user gives them: each one loads with
//! what is wrong named by line and column, or is refused naming the setting, and no NaN
//! or infinity reaches a result.

use chrono::NaiveDate;
use forecast_engine::models::{Setting, SettingsError};
use forecast_engine::report::{ElectionRule, Encoding, RowIssue};
use forecast_engine::{
    builtin, load_polls, load_results, run, DateGrid, LoadError, LoadReport, ModelKind, Plan,
    PlanError, PollSet, Progress, ResultSet, RunConfig, Settings, SkipReason, State,
};

fn state(code: &str) -> State {
    State::parse(code).expect("state")
}

fn date(text: &str) -> NaiveDate {
    text.parse().expect("date")
}

/// Every data row is used or skipped for a counted reason.
fn assert_accounted(report: &LoadReport) {
    assert_eq!(
        report.used_rows + report.skipped_rows(),
        report.rows,
        "{report}"
    );
}

fn example(report: &LoadReport, reason: SkipReason) -> &RowIssue {
    report
        .examples
        .iter()
        .filter(|e| e.reason == reason)
        .min_by_key(|e| e.line)
        .unwrap_or_else(|| panic!("no example of {reason}: {report}"))
}

fn builtin_results() -> ResultSet {
    load_results(builtin::RESULTS).expect("built-in results")
}

const PLAIN: &str = "state,start_date,end_date,pollster,sample_size,dem,rep";

/// `n` polls of Ohio in October 2016, each different.
fn ohio_polls(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            format!(
                "Ohio,2016-10-{:02},2016-10-{:02},P{},{},{},{}",
                1 + i % 25,
                3 + i % 25,
                i % 4,
                500 + i,
                44 + i % 5,
                45 + i % 3
            )
        })
        .collect()
}

// Messages that point at the line.

#[test]
fn lines_are_the_file_lines_for_every_line_ending() {
    let rows = [PLAIN, "Narnia,2016-10-01,2016-10-03,A,400,45,47"];
    for ending in ["\n", "\r\n", "\r"] {
        let mut lines: Vec<String> = rows.iter().map(|r| r.to_string()).collect();
        lines.extend(ohio_polls(3));
        lines.push(String::new());
        lines.push("Narnia,2016-10-01,2016-10-03,B,400,45,47".into());
        let set = load_polls(lines.join(ending).as_bytes()).expect("loads");
        let found: Vec<u64> = set
            .report
            .examples
            .iter()
            .filter(|e| e.reason == SkipReason::NotAState)
            .map(|e| e.line)
            .collect();
        // Line 6 is blank: the last row is line 7.
        assert_eq!(found, [2, 7], "{ending:?}: {}", set.report);
        assert_eq!(set.polls[0].line, 3, "{ending:?}");
    }
}

#[test]
fn a_quoted_field_over_several_lines_is_named_by_its_first() {
    let csv = format!(
        "{PLAIN}\nOhio,2016-10-01,2016-10-03,\"Two\nline\r\npollster\",400,45,47\n\
         Narnia,2016-10-01,2016-10-03,\"A\rB\",400,45,47\nOhio,2016-10-01,2016-10-03,C,0,45,47\n"
    );
    let set = load_polls(csv.as_bytes()).expect("loads");
    assert_eq!(set.polls[0].line, 2);
    assert_eq!(set.pollster_name(&set.polls[0]), "Two\nline\r\npollster");
    assert_eq!(example(&set.report, SkipReason::NotAState).line, 5);
    assert_eq!(
        example(&set.report, SkipReason::SampleSizeNotPositive).line,
        7
    );
}

#[test]
fn long_layout_lines_start_at_2() {
    let csv = "\
poll_id,pollster,state,start_date,end_date,sample_size,question_id,party,pct
1,Siena,Ohio,10/1/20,10/4/20,800,1,LIB,3
1,Siena,Ohio,10/1/20,10/4/20,800,1,DEM,48
1,\"Siena\nCollege\",Ohio,10/1/20,10/4/20,800,1,REP,44
2,Ipsos,Ohio,10/1/20,10/4/20,600,2,GRN,2
3,Emerson,Ohio,10/2/20,10/3/20,700,3,DEM,45
3,Emerson,Ohio,10/2/20,10/3/20,700,3,REP,46
";
    let set = load_polls(csv.as_bytes()).expect("loads");
    assert_eq!(set.polls[0].line, 7);
    // The REP answer spans lines 4 and 5 and belongs to another pollster's name: Siena's
    // poll lacks it. The Green answer is on line 6.
    let third: Vec<u64> = set
        .report
        .examples
        .iter()
        .filter(|e| e.reason == SkipReason::ThirdParty)
        .map(|e| e.line)
        .collect();
    assert_eq!(third, [2, 6]);
    let missing: Vec<u64> = set
        .report
        .examples
        .iter()
        .filter(|e| e.reason == SkipReason::MissingParty)
        .map(|e| e.line)
        .collect();
    assert_eq!(missing, [3, 4], "{}", set.report);
}

#[test]
fn windows_1252_is_read_and_said() {
    let mut csv = format!("{PLAIN}\n").into_bytes();
    for (i, row) in ohio_polls(3).iter().enumerate() {
        let row = row.replace(&format!("P{i}"), "Siena \u{2013} NYT");
        // The en dash is 0x96 in Windows-1252.
        csv.extend(row.replace('\u{2013}', "\u{96}").chars().map(|c| c as u8));
        csv.push(b'\n');
    }
    assert!(std::str::from_utf8(&csv).is_err());
    let set = load_polls(&csv).expect("loads");
    assert_eq!(set.polls.len(), 3, "{}", set.report);
    assert_eq!(set.report.encoding, Encoding::Windows1252);
    assert_eq!(set.pollsters, ["Siena \u{2013} NYT"]);
    assert!(set
        .report
        .to_string()
        .contains("read as Windows-1252 (not UTF-8)"));
}

#[test]
fn utf16_with_a_byte_order_mark_is_read() {
    let text = format!("{PLAIN}\n{}\n", ohio_polls(12).join("\n"));
    let utf8 = load_polls(text.as_bytes()).expect("loads");
    let le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    for (bytes, encoding) in [(&le, Encoding::Utf16Le), (&be, Encoding::Utf16Be)] {
        let set = load_polls(bytes).expect("loads");
        assert_eq!(set.polls, utf8.polls);
        assert_eq!(set.report.encoding, encoding);
    }
    // Without the mark, the NUL bytes of UTF-16 say what to do, and where.
    let error = load_polls(&le[2..]).unwrap_err();
    assert_eq!(error, LoadError::NulByte { line: 1 });
    assert!(
        error.to_string().contains("save it as CSV UTF-8"),
        "{error}"
    );
    // A lone surrogate on line 3.
    let text = format!("{PLAIN}\n{}\nOhio", ohio_polls(1)[0]);
    let bad: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .chain([0x00, 0xD8, b',', 0])
        .collect();
    assert_eq!(
        load_polls(&bad).unwrap_err(),
        LoadError::BadUtf16 { line: 3 }
    );
}

#[test]
fn a_nul_byte_is_named_by_its_line() {
    let csv = format!("{PLAIN}\n{}\nOhio,2016-10-01\0,x\n", ohio_polls(1)[0]);
    let error = load_polls(csv.as_bytes()).unwrap_err();
    assert_eq!(error, LoadError::NulByte { line: 3 });
    assert!(error.to_string().contains("line 3"), "{error}");
}

#[test]
fn a_trailing_tab_does_not_switch_the_delimiter() {
    let csv = format!("{PLAIN}\t\n{}\n", ohio_polls(2).join("\n"));
    let set = load_polls(csv.as_bytes()).expect("loads");
    assert_eq!(set.polls.len(), 2);
    // Split as it is read: a stray tab makes no single column of the whole header.
    let error = load_polls(b"name,when\t\nx,y\n").unwrap_err();
    assert_eq!(
        error,
        LoadError::UnknownLayout {
            columns: vec!["name".into(), "when".into()],
            accepted: match &error {
                LoadError::UnknownLayout { accepted, .. } => accepted,
                _ => "",
            },
        }
    );
    assert!(
        error
            .to_string()
            .contains("the header's 2 column(s) are \"name\", \"when\""),
        "{error}"
    );
    // A tab-separated header is still read as one.
    let tabs = format!(
        "{}\n{}\n",
        PLAIN.replace(',', "\t"),
        ohio_polls(2)[0].replace(',', "\t")
    );
    assert_eq!(load_polls(tabs.as_bytes()).expect("loads").polls.len(), 1);
}

#[test]
fn a_column_named_twice() {
    let csv = format!("{PLAIN},dem\n{},40\n", ohio_polls(1)[0]);
    let error = load_polls(csv.as_bytes()).unwrap_err();
    assert_eq!(
        error,
        LoadError::DuplicateColumn {
            column: "dem".into()
        }
    );
    assert!(error.to_string().contains("\"dem\""), "{error}");
    // A column the layout does not read may be twice: it is noted.
    let csv = format!("{PLAIN},notes,Notes\n{},a,b\n", ohio_polls(1)[0]);
    let set = load_polls(csv.as_bytes()).expect("loads");
    assert_eq!(set.report.duplicate_columns, ["notes"]);
    assert!(set
        .report
        .to_string()
        .contains("named more than once, not read: notes"));
    // Results too.
    let mit = "year\tstate_po\tparty_simplified\tcandidatevotes\tcandidatevotes\n";
    assert_eq!(
        load_results(mit.as_bytes()).unwrap_err(),
        LoadError::DuplicateColumn {
            column: "candidatevotes".into()
        }
    );
}

#[test]
fn a_header_wider_than_any_layout_is_refused() {
    let header: Vec<String> = (0..5000).map(|i| format!("c{i}")).collect();
    let error = load_polls(header.join(",").as_bytes()).unwrap_err();
    assert_eq!(
        error,
        LoadError::TooManyColumns {
            columns: 5000,
            max: 1000
        }
    );
}

// Every poll counted once.

#[test]
fn duplicate_polls_are_counted_once_and_named() {
    let rows = ohio_polls(12);
    let once = format!("{PLAIN}\n{}\n", rows.join("\n"));
    let twice = format!("{PLAIN}\n{}\n{}\n", rows.join("\n"), rows.join("\n"));
    let (once, twice) = (
        load_polls(once.as_bytes()).expect("loads"),
        load_polls(twice.as_bytes()).expect("loads"),
    );
    let fields = |set: &PollSet| -> Vec<(State, NaiveDate, NaiveDate, String, f64, f64, f64)> {
        set.polls
            .iter()
            .map(|p| {
                let name = set.pollster_name(p).to_string();
                (p.state, p.start, p.end, name, p.sample_size, p.dem, p.rep)
            })
            .collect()
    };
    assert_eq!(fields(&twice), fields(&once));
    assert_eq!(twice.report.count(SkipReason::DuplicatePoll), 12);
    // The second copy of the first poll (line 2) is line 14.
    let copy = example(&twice.report, SkipReason::DuplicatePoll);
    assert_eq!((copy.line, copy.value.as_str()), (14, "same as line 2"));
    assert_accounted(&twice.report);
    // A poll that differs in one share is another poll.
    let other = rows[0].replace(",44,", ",43,");
    let csv = format!("{PLAIN}\n{}\n{other}\n", rows.join("\n"));
    assert_eq!(load_polls(csv.as_bytes()).expect("loads").polls.len(), 13);
}

#[test]
fn a_row_given_twice_in_a_long_file_is_counted_once() {
    let csv = "\
poll_id,pollster,state,start_date,end_date,sample_size,question_id,party,pct
1,Siena,Ohio,10/1/20,10/4/20,800,1,DEM,48
1,Siena,Ohio,10/1/20,10/4/20,800,1,REP,44
1,Siena,Ohio,10/1/20,10/4/20,800,1,DEM,48
1,Siena,Ohio,10/1/20,10/4/20,800,2,DEM,46
";
    let set = load_polls(csv.as_bytes()).expect("loads");
    assert_eq!(set.polls.len(), 1);
    // Questions 1 and 2: the mean of 48 and 46, the copy of line 2 left out.
    assert_eq!((set.polls[0].dem, set.polls[0].rep), (47.0, 44.0));
    let copy = example(&set.report, SkipReason::DuplicateRow);
    assert_eq!((copy.line, copy.value.as_str()), (4, "same as line 2"));
    assert_accounted(&set.report);
}

// One bad row does not sink a file.

#[test]
fn one_typo_in_a_date_does_not_choose_the_election() {
    let mut rows = ohio_polls(12);
    rows.insert(3, "Ohio,2061-10-01,2061-10-03,Typo,500,45,44".into());
    rows.insert(6, "Ohio,1016-10-01,2016-10-03,Typo,501,45,44".into());
    let csv = format!("{PLAIN}\n{}\n", rows.join("\n"));
    let set = load_polls(csv.as_bytes()).expect("loads");
    assert_eq!(set.year, Some(2016));
    assert_eq!(set.polls.len(), 12);
    let election = set.report.election.expect("an election");
    assert_eq!(
        (election.year, election.rule, election.count, election.total),
        (2016, ElectionRule::MostPolls, 13, 14)
    );
    let skipped: Vec<(u64, &str)> = set
        .report
        .examples
        .iter()
        .filter(|e| e.reason == SkipReason::OtherElection)
        .map(|e| (e.line, e.column.as_str()))
        .collect();
    assert_eq!(skipped, [(5, "end_date"), (8, "start_date")]);
    let text = set.report.to_string();
    assert!(
        text.contains("election 2016: the election of most polls (13 of 14"),
        "{text}"
    );
    assert!(text.contains("line 5, column end_date"), "{text}");
    assert_accounted(&set.report);
    Plan::new(&set, &builtin_results(), &RunConfig::default()).expect("plans");
}

#[test]
fn one_row_of_another_cycle_does_not_choose_it() {
    let mut csv =
        String::from("poll_id,pollster,state,start_date,end_date,sample_size,cycle,party,pct\n");
    for i in 0..6 {
        csv += &format!(
            "{i},P,Ohio,10/{d}/20,10/{d}/20,{n},2020,DEM,48\n",
            d = i + 1,
            n = 500 + i
        );
        csv += &format!(
            "{i},P,Ohio,10/{d}/20,10/{d}/20,{n},2020,REP,45\n",
            d = i + 1,
            n = 500 + i
        );
    }
    csv += "9,P,Ohio,10/1/20,10/4/20,800,3000,DEM,48\n";
    let set = load_polls(csv.as_bytes()).expect("loads");
    assert_eq!(set.year, Some(2020));
    assert_eq!(set.polls.len(), 6);
    let other = example(&set.report, SkipReason::OtherCycle);
    assert_eq!((other.line, other.value.as_str()), (14, "3000"));
    let election = set.report.election.expect("an election");
    assert_eq!(
        (election.year, election.rule, election.count, election.total),
        (2020, ElectionRule::Cycle, 12, 13)
    );
    assert_accounted(&set.report);
}

// Results: no result rather than a wrong one.

const MIT: &str = "year\tstate\tstate_po\toffice\tcandidate\tparty_detailed\twritein\tcandidatevotes\tparty_simplified\n";

fn mit_row(
    year: i32,
    code: &str,
    candidate: &str,
    writein: bool,
    votes: &str,
    party: &str,
) -> String {
    let writein = if writein { "TRUE" } else { "FALSE" };
    format!("{year}\tX\t{code}\tUS PRESIDENT\t{candidate}\t{party}\t{writein}\t{votes}\t{party}\n")
}

#[test]
fn a_state_without_both_parties_has_no_result() {
    let mut mit = MIT.to_string();
    mit += &mit_row(2016, "OH", "C", false, "2394164", "DEMOCRAT");
    mit += &mit_row(2016, "OH", "T", false, "2841005", "REPUBLICAN");
    mit += &mit_row(2016, "PA", "C", false, "-5", "DEMOCRAT");
    mit += &mit_row(2016, "PA", "T", false, "2970733", "REPUBLICAN");
    mit += &mit_row(2016, "IA", "C", false, "NaN", "DEMOCRAT");
    mit += &mit_row(2016, "IA", "T", false, "800983", "REPUBLICAN");
    mit += &mit_row(2016, "TX", "T", false, "4685047", "REPUBLICAN");
    let set = load_results(mit.as_bytes()).expect("loads");
    assert!(set.margin(2016, state("OH")).is_some());
    for code in ["PA", "IA", "TX"] {
        assert_eq!(set.margin(2016, state(code)), None, "{code}");
    }
    let r = &set.report;
    assert_eq!(r.count(SkipReason::BadNumber), 2);
    assert_eq!(r.count(SkipReason::IncompleteResult), 2);
    let mut incomplete: Vec<(u64, &str)> = r
        .examples
        .iter()
        .filter(|e| e.reason == SkipReason::IncompleteResult)
        .map(|e| (e.line, e.value.as_str()))
        .collect();
    incomplete.sort();
    assert_eq!(incomplete, [(4, "PA 2016"), (6, "IA 2016")]);
    let one = example(r, SkipReason::OneParty);
    assert_eq!(
        (one.line, one.value.as_str()),
        (8, "TX 2016: no DEMOCRAT row")
    );
    assert_accounted(r);
}

#[test]
fn a_repeated_mit_row_is_counted_once_and_write_ins_still_add_up() {
    let mut mit = MIT.to_string();
    mit += &mit_row(2016, "FL", "CLINTON", false, "4504975", "DEMOCRAT");
    mit += &mit_row(2016, "FL", "TRUMP", false, "4617886", "REPUBLICAN");
    mit += &mit_row(2016, "FL", "CLINTON", false, "4504975", "DEMOCRAT");
    mit += &mit_row(2016, "AZ", "CLINTON", false, "1161167", "DEMOCRAT");
    mit += &mit_row(2016, "AZ", "TRUMP", false, "1252401", "REPUBLICAN");
    mit += &mit_row(2016, "AZ", "", true, "42", "DEMOCRAT");
    let set = load_results(mit.as_bytes()).expect("loads");
    let fl = (4504975.0 - 4617886.0) / (4504975.0 + 4617886.0);
    assert_eq!(set.margin(2016, state("FL")), Some(fl));
    let az = (1161167.0 + 42.0 - 1252401.0) / (1161167.0 + 42.0 + 1252401.0);
    assert_eq!(set.margin(2016, state("AZ")), Some(az));
    assert_eq!(set.votes(2016, state("AZ")), Some((1161209.0, 1252401.0)));
    let copy = example(&set.report, SkipReason::DuplicateRow);
    assert_eq!((copy.line, copy.value.as_str()), (4, "same as line 2"));
    assert_accounted(&set.report);
}

#[test]
fn the_reference_mit_file_keeps_its_several_rows_of_a_party() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/reference/inputs/mit_president_state_1976_2020.csv"
    );
    let set = load_results(&std::fs::read(path).expect("reference results")).expect("loads");
    assert_eq!(set.report.count(SkipReason::DuplicateRow), 0);
    // Maryland 2016 has a write-in row for each party besides its main one.
    let (dem, rep) = (1677928.0 + 78.0, 943169.0 + 259.0);
    assert_eq!(set.votes(2016, state("MD")), Some((dem, rep)));
    assert_eq!(
        set.margin(2016, state("MD")),
        Some((dem - rep) / (dem + rep))
    );
    assert_accounted(&set.report);
}

#[test]
fn overflowing_votes_give_no_result_and_no_nan() {
    let mut mit = MIT.to_string();
    mit += &mit_row(2016, "OH", "A", false, "1e308", "DEMOCRAT");
    mit += &mit_row(2016, "OH", "B", false, "1e308", "DEMOCRAT");
    mit += &mit_row(2016, "OH", "T", false, "5", "REPUBLICAN");
    mit += &mit_row(2016, "PA", "C", false, "1e400", "DEMOCRAT");
    mit += &mit_row(2016, "PA", "T", false, "5", "REPUBLICAN");
    mit += &mit_row(2016, "IA", "C", false, "3", "DEMOCRAT");
    mit += &mit_row(2016, "IA", "T", false, "1", "REPUBLICAN");
    let set = load_results(mit.as_bytes()).expect("loads");
    assert_eq!(set.margins.len(), 1);
    assert_eq!(set.margin(2016, state("IA")), Some(0.5));
    let mut overflow: Vec<(u64, &str)> = set
        .report
        .examples
        .iter()
        .filter(|e| e.reason == SkipReason::VotesOverflow)
        .map(|e| (e.line, e.column.as_str()))
        .collect();
    overflow.sort();
    assert_eq!(overflow, [(2, "candidatevotes"), (5, "candidatevotes")]);
    assert_eq!(example(&set.report, SkipReason::IncompleteResult).line, 5);

    let plain = "state,year,dem,rep\nOH,2016,1e308,1e308\nPA,2016,0,0\nIA,2016,3,1\n";
    let set = load_results(plain.as_bytes()).expect("loads");
    assert!(set.margins.values().all(|m| m.is_finite()));
    assert_eq!(example(&set.report, SkipReason::VotesOverflow).line, 2);
    // A zero total is named by its line, not line 0.
    assert_eq!(example(&set.report, SkipReason::NoTwoPartyTotal).line, 3);
    assert_accounted(&set.report);
}

#[test]
fn vote_counts_are_kept_where_the_file_has_them() {
    let plain = "state,year,dem,rep\nOH,2016,2394164,2841005\nPA,2016,47.5,48.2\n";
    let set = load_results(plain.as_bytes()).expect("loads");
    assert_eq!(set.votes(2016, state("OH")), Some((2394164.0, 2841005.0)));
    assert_eq!(set.votes(2016, state("PA")), None);
    assert_eq!(
        set.margin(2016, state("PA")),
        Some((47.5 - 48.2) / (47.5 + 48.2))
    );
}

// Settings and elections refused at the start.

#[test]
fn absurd_settings_are_refused_naming_the_setting() {
    let polls = load_polls(builtin::POLLS_2016).expect("polls");
    let results = builtin_results();
    let with = |settings: Settings| {
        let config = RunConfig {
            settings,
            ..RunConfig::default()
        };
        match Plan::new(&polls, &results, &config) {
            Err(PlanError::Settings(error)) => error,
            other => panic!("{settings:?}: {other:?}"),
        }
    };
    let d = Settings::DEFAULT;
    for value in [f64::NAN, f64::INFINITY, -f64::INFINITY, 1e308, -1.5] {
        let error = with(Settings {
            hb_bias_intercept: value,
            ..d
        });
        assert_eq!(error.setting(), Setting::HbBiasIntercept);
        let text = error.to_string();
        assert!(
            text.contains("hb_bias_intercept") && text.len() < 200,
            "{text}"
        );
        let error = with(Settings {
            hb_bias_slope: value,
            ..d
        });
        assert_eq!(error.setting(), Setting::HbBiasSlope);
    }
    assert!(with(Settings {
        hb_bias_intercept: 1e308,
        ..d
    })
    .to_string()
    .contains("not 1e308"));
    assert_eq!(
        with(Settings {
            sims: Settings::MAX_SIMS + 1,
            ..d
        }),
        SettingsError::Count {
            setting: Setting::Sims,
            value: 1_000_001,
            min: 1,
            max: 1_000_000
        }
    );
    for sims in [0, usize::MAX] {
        assert_eq!(with(Settings { sims, ..d }).setting(), Setting::Sims);
    }
    for min_polls in [0, Settings::MAX_MIN_POLLS + 1] {
        let error = with(Settings { min_polls, ..d });
        assert_eq!(error.setting(), Setting::MinPolls);
        assert!(error.to_string().contains("min_polls"));
    }
    for ok in [
        d,
        Settings {
            sims: Settings::MAX_SIMS,
            hb_bias_intercept: -1.0,
            hb_bias_slope: 1.0,
            ..d
        },
    ] {
        assert_eq!(ok.validate(), Ok(()));
    }
}

#[test]
fn an_election_day_outside_its_year_is_refused() {
    let polls = load_polls(builtin::POLLS_2016).expect("polls");
    let results = builtin_results();
    for day in ["9999-12-31", "2017-01-10", "2015-11-03"] {
        let config = RunConfig {
            year: Some(2016),
            election_day: Some(date(day)),
            ..RunConfig::default()
        };
        let error = Plan::new(&polls, &results, &config).unwrap_err();
        assert_eq!(
            error,
            PlanError::ElectionDayOutsideYear {
                election_day: date(day),
                year: 2016
            }
        );
        assert!(error.to_string().contains(day), "{error}");
    }
    // Before September 1 of its year: no forecast date.
    let config = RunConfig {
        election_day: Some(date("2016-08-15")),
        ..RunConfig::default()
    };
    assert!(matches!(
        Plan::new(&polls, &results, &config),
        Err(PlanError::NoForecastDates { .. })
    ));
}

#[test]
fn a_year_without_polls_is_refused() {
    let polls = load_polls(builtin::POLLS_2016).expect("polls");
    let config = RunConfig {
        year: Some(2012),
        ..RunConfig::default()
    };
    let error = Plan::new(&polls, &builtin_results(), &config).unwrap_err();
    assert_eq!(
        error,
        PlanError::NoPolls {
            year: 2012,
            polls_year: Some(2016)
        }
    );
    assert_eq!(
        error.to_string(),
        "no poll of the 2012 election: the polls are of 2016"
    );
}

/// A page whose built-in polls could not be used holds an empty poll set until a file is
/// loaded: a run says so, with or without a year given, rather than asking for a year.
#[test]
fn no_polls_loaded_is_refused() {
    for year in [None, Some(2016)] {
        let config = RunConfig {
            year,
            ..RunConfig::default()
        };
        let error = Plan::new(&PollSet::default(), &builtin_results(), &config).unwrap_err();
        assert_eq!(error, PlanError::NoPollsLoaded);
        assert_eq!(error.to_string(), "no polls loaded: load a polls file");
    }
}

// Time.

/// 100,000 polls of one state on one day: house effects compare each with its window of
/// the others, and the Kalman models' pollster biases look across a window of a third of
/// them; neither may cost 10¹⁰ steps.
fn one_state_one_day(polls: usize) -> PollSet {
    let mut csv = String::from("state,date,pollster,sample_size,dem,rep\n");
    for i in 0..polls {
        csv += &format!(
            "OH,2016-10-01,P{},{},{},{}\n",
            i % 40,
            400 + i,
            40 + i % 13,
            38 + i % 11
        );
    }
    load_polls(csv.as_bytes()).expect("loads")
}

fn hierarchical_bayes() -> RunConfig {
    RunConfig {
        models: vec![ModelKind::HierarchicalBayes],
        grid: DateGrid::Count(4),
        ..RunConfig::default()
    }
}

#[test]
fn a_hundred_thousand_polls_of_one_state_run() {
    let polls = one_state_one_day(100_000);
    assert_eq!(polls.polls.len(), 100_000);
    let config = RunConfig {
        grid: DateGrid::Count(4),
        ..RunConfig::default()
    };
    let plan = Plan::new(&polls, &builtin_results(), &config).expect("plan");
    let output = run(&plan, &Progress::new(), 2);
    assert_eq!(output.cells_done, output.cells);
    assert!(output.failures.is_empty(), "{:?}", output.failures);
    // October 16 and November 7 come after the polls' day, for each of the four models.
    assert_eq!(output.rows.len(), 2 * 4);
    assert!(output.rows.iter().all(|r| r.predicted_margin.is_finite()));
}

#[test]
fn cancel_before_the_house_effects_ends_the_run() {
    let polls = one_state_one_day(20_000);
    let plan = Plan::new(&polls, &builtin_results(), &hierarchical_bayes()).expect("plan");
    let progress = Progress::new();
    progress.cancel();
    let output = run(&plan, &progress, 2);
    assert!(output.cancelled);
    assert_eq!(output.cells_done, 0);
}
