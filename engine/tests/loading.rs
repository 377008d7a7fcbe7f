//! The three poll layouts, the two result layouts, every rejected-row reason, and
//! files that cannot be used at all.

use forecast_engine::polls::PollLayout;
use forecast_engine::{load_polls, load_results, LoadError, SkipReason, State};

fn state(code: &str) -> State {
    State::parse(code).expect("state")
}

#[test]
fn fivethirtyeight_2016_layout() {
    let csv = "\
rownames,state,startdate,enddate,pollster,grade,samplesize,population,rawpoll_clinton,rawpoll_trump
1,U.S.,2016-11-03,2016-11-06,ABC News,A+,2220,lv,47,43
2,Florida,2016-10-01,2016-10-04,\"Quinnipiac, University\",A-,600,lv,46,44
3,Florida,2016-09-28,2016-09-30,Gravis,B,500,rv,44,46
4,Maine CD-2,2016-09-28,2016-09-30,Gravis,B,500,rv,44,46
";
    let set = load_polls(csv.as_bytes()).expect("loads");
    assert_eq!(
        set.report.layout,
        PollLayout::FiveThirtyEight2016.to_string()
    );
    assert_eq!(set.polls.len(), 2);
    // Time order: the September poll first, though it comes second in the file.
    assert_eq!(set.polls[0].line, 4);
    let p = &set.polls[1];
    assert_eq!(p.state, state("FL"));
    assert_eq!(set.pollster_name(p), "Quinnipiac, University");
    assert!((p.margin - 2.0 / 90.0).abs() < 1e-15);
    // Oct 1 to Oct 4: the middle is noon of Oct 2.
    assert_eq!(p.mid.fract(), 0.5);
    assert_eq!(set.report.count(SkipReason::NotAState), 2);
    assert_eq!(set.year, Some(2016));
}

#[test]
fn fivethirtyeight_long_layout() {
    let csv = "\
poll_id,pollster,state,start_date,end_date,sample_size,cycle,office_type,stage,question_id,party,pct
10,Siena,Arizona,10/1/20,10/4/20,800,2020,U.S. President,general,1,DEM,48
10,Siena,Arizona,10/1/20,10/4/20,800,2020,U.S. President,general,1,REP,44
10,Siena,Arizona,10/1/20,10/4/20,800,2020,U.S. President,general,1,LIB,3
11,Ipsos,Arizona,10/2/20,10/6/20,600,2020,U.S. President,general,2,DEM,47
11,Ipsos,Arizona,10/2/20,10/6/20,600,2020,U.S. President,general,2,REP,47
11,Ipsos,Arizona,10/2/20,10/6/20,600,2020,U.S. President,general,3,DEM,49
11,Ipsos,Arizona,10/2/20,10/6/20,600,2020,U.S. President,general,3,REP,45
12,Emerson,Ohio,10/2/20,10/3/20,700,2020,U.S. President,general,4,DEM,45
13,Emerson,Ohio,10/2/20,10/3/20,700,2020,U.S. Senate,general,5,DEM,45
14,Emerson,,10/2/20,10/3/20,700,2020,U.S. President,general,6,DEM,45
15,Old,Ohio,10/2/16,10/3/16,700,2016,U.S. President,general,7,DEM,45
16,Primary,Ohio,3/2/20,3/3/20,700,2020,U.S. President,primary,8,DEM,45
";
    let set = load_polls(csv.as_bytes()).expect("loads");
    assert_eq!(
        set.report.layout,
        PollLayout::FiveThirtyEightLong.to_string()
    );
    assert_eq!(set.year, Some(2020));
    assert_eq!(set.polls.len(), 2, "{}", set.report);
    let siena = &set.polls[0];
    assert_eq!(
        (siena.dem, siena.rep, siena.sample_size),
        (48.0, 44.0, 800.0)
    );
    // Two questions of one poll: the mean of its DEM and of its REP answers.
    let ipsos = &set.polls[1];
    assert_eq!((ipsos.dem, ipsos.rep), (48.0, 46.0));
    assert_eq!(ipsos.start.to_string(), "2020-10-02");
    let r = &set.report;
    assert_eq!(r.count(SkipReason::ThirdParty), 1);
    assert_eq!(r.count(SkipReason::MissingParty), 1);
    assert_eq!(r.count(SkipReason::NotGeneralPresidential), 2);
    assert_eq!(r.count(SkipReason::NotAState), 1);
    assert_eq!(r.count(SkipReason::OtherCycle), 1);
    // Every row is accounted for.
    assert_eq!(r.used_rows + r.skipped_rows(), r.rows);
}

#[test]
fn plain_layout_with_codes_names_and_one_date() {
    let two_dates = "state,start_date,end_date,pollster,sample_size,dem,rep\nPA,2020-10-01,2020-10-03,Me,400,0.51,0.47\nnew york,2020-10-01,2020-10-03,Me,400,60,35\n";
    let set = load_polls(two_dates.as_bytes()).expect("loads");
    assert_eq!(set.report.layout, PollLayout::Plain.to_string());
    assert_eq!(set.polls.len(), 2);
    assert_eq!(set.polls[1].state, state("NY"));
    let one_date = "state,date,pollster,sample_size,dem,rep\nOhio,2020-10-01,Me,400,45,47\n";
    let set = load_polls(one_date.as_bytes()).expect("loads");
    assert_eq!(set.polls[0].start, set.polls[0].end);
    assert!((set.polls[0].margin + 2.0 / 92.0).abs() < 1e-15);
}

#[test]
fn every_rejection_reason_names_line_and_column() {
    let csv = "\
state,start_date,end_date,pollster,sample_size,dem,rep
Ohio,2020-10-01,2020-10-03,A,400,45,47
Narnia,2020-10-01,2020-10-03,A,400,45,47
Ohio,2020-10-01,2020-10-03,A,,45,47
Ohio,2020-10-01,2020-10-03,A,0,45,47
Ohio,2020-10-01,2020-10-03,A,4x0,45,47
Ohio,2020-10-01,2020-10-03,A,400,,47
Ohio,2020-10-01,2020-10-03,A,400,145,47
Ohio,2020-10-01,2020-10-03,A,400,0,0
Ohio,,2020-10-03,A,400,45,47
Ohio,2020-02-30,2020-10-03,A,400,45,47
Ohio,2020-10-05,2020-10-03,A,400,45,47
Ohio,2020-10-01,2020-10-03,A,400,45
";
    let set = load_polls(csv.as_bytes()).expect("loads");
    assert_eq!(set.polls.len(), 1);
    let expected = [
        (3, SkipReason::NotAState, "state"),
        (4, SkipReason::MissingSampleSize, "sample_size"),
        (5, SkipReason::SampleSizeNotPositive, "sample_size"),
        (6, SkipReason::BadNumber, "sample_size"),
        (7, SkipReason::MissingShare, "dem"),
        (8, SkipReason::ShareOutOfRange, "dem"),
        (9, SkipReason::NoTwoPartyTotal, ""),
        (10, SkipReason::MissingDate, "start_date"),
        (11, SkipReason::BadDate, "start_date"),
        (12, SkipReason::EndBeforeStart, "end_date"),
        (13, SkipReason::MalformedRow, ""),
    ];
    for (line, reason, column) in expected {
        assert_eq!(set.report.count(reason), 1, "{reason}: {}", set.report);
        let example = set
            .report
            .examples
            .iter()
            .find(|e| e.reason == reason)
            .expect("example");
        assert_eq!(
            (example.line, example.column.as_str()),
            (line, column),
            "{reason}"
        );
    }
    assert_eq!(set.report.rows, 12);
    assert_eq!(set.report.skipped_rows(), 11);
    let text = set.report.to_string();
    assert!(
        text.contains("line 11, column start_date: impossible date (\"2020-02-30\")"),
        "{text}"
    );
}

#[test]
fn unusable_files_say_what_is_wrong() {
    assert_eq!(load_polls(b"").unwrap_err(), LoadError::Empty);
    assert_eq!(load_polls(b"  \n\n").unwrap_err(), LoadError::Empty);
    assert_eq!(
        load_polls(b"\x00\x01PNG").unwrap_err(),
        LoadError::NulByte { line: 1 }
    );
    let unknown = load_polls(b"a,b,c\n1,2,3\n").unwrap_err();
    assert!(
        unknown.to_string().contains("accepted layouts"),
        "{unknown}"
    );
    let missing =
        load_polls(b"state,start_date,pollster,dem,rep\nOhio,2020-10-01,A,45,47\n").unwrap_err();
    let text = missing.to_string();
    assert!(
        text.contains("end_date") && text.contains("sample_size"),
        "{text}"
    );
    let nothing =
        load_polls(b"state,date,pollster,sample_size,dem,rep\nU.S.,2020-10-01,A,400,45,47\n")
            .unwrap_err();
    assert!(
        matches!(nothing, LoadError::NoUsableRows { .. }),
        "{nothing}"
    );
    assert!(nothing.to_string().contains("not a state"));
}

#[test]
fn results_in_both_layouts() {
    let mit = "year\tstate\tstate_po\toffice\tcandidatevotes\tparty_simplified\n\
2016\t\"OHIO\"\t\"OH\"\t\"US PRESIDENT\"\t100\t\"DEMOCRAT\"\n\
2016\t\"OHIO\"\t\"OH\"\t\"US PRESIDENT\"\t20\t\"DEMOCRAT\"\n\
2016\t\"OHIO\"\t\"OH\"\t\"US PRESIDENT\"\t80\t\"REPUBLICAN\"\n\
2016\t\"OHIO\"\t\"OH\"\t\"US PRESIDENT\"\t30\t\"LIBERTARIAN\"\n";
    let set = load_results(mit.as_bytes()).expect("loads");
    assert_eq!(set.margin(2016, state("OH")), Some(40.0 / 200.0));
    assert_eq!(set.report.count(SkipReason::ThirdParty), 1);
    let plain = "state,year,dem,rep\nOH,2012,50.7,47.7\nOhio,2012,1,1\nTexas,20x2,1,1\n";
    let set = load_results(plain.as_bytes()).expect("loads");
    assert!((set.margin(2012, state("OH")).unwrap() - 3.0 / 98.4).abs() < 1e-12);
    assert_eq!(set.report.count(SkipReason::DuplicateResult), 1);
    assert_eq!(set.report.count(SkipReason::BadYear), 1);
    assert!(load_results(b"x,y\n1,2\n")
        .unwrap_err()
        .to_string()
        .contains("accepted layouts"));
}

#[test]
fn the_builtin_data_loads_whole() {
    let polls = load_polls(forecast_engine::builtin::POLLS_2016).expect("polls");
    assert_eq!(polls.report.rows, 4208);
    assert_eq!(polls.polls.len(), 3072);
    assert_eq!(polls.report.count(SkipReason::MissingSampleSize), 1);
    let results = load_results(forecast_engine::builtin::RESULTS).expect("results");
    for year in [2008, 2012, 2016] {
        assert_eq!(
            State::all()
                .filter(|s| results.margin(year, *s).is_some())
                .count(),
            51,
            "{year}"
        );
    }
}
