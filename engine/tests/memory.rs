//! Loading takes memory in proportion to the file, whatever the file holds: the peak of
//! heap bytes allocated while `load_polls` or `load_results` runs, counted by this test
//! binary's allocator, stays under 20 times the file's size (plus a fixed allowance for
//! the CSV reader's buffers, which matters only for small files).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use forecast_engine::{load_polls, load_results, LoadError};
use proptest::prelude::*;

/// Counts each thread's live heap bytes and their peak: tests run on several threads, and
/// a load runs on the thread that calls it.
struct Counting;

thread_local! {
    static LIVE: Cell<usize> = const { Cell::new(0) };
    static PEAK: Cell<usize> = const { Cell::new(0) };
}

fn grow(bytes: usize) {
    let _ = LIVE.try_with(|live| {
        let now = live.get() + bytes;
        live.set(now);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
    });
}

fn shrink(bytes: usize) {
    let _ = LIVE.try_with(|live| live.set(live.get().saturating_sub(bytes)));
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grow(layout.size());
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        shrink(layout.size());
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        grow(layout.size());
        unsafe { System.alloc_zeroed(layout) }
    }

    /// Counted as a resize in place, as the allocators resize the large blocks that
    /// matter here: glibc remaps their pages, and the page's allocator extends the block
    /// at the top of its heap (a vector that grows while nothing else does).
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() {
            grow(new_size - layout.size());
        } else {
            shrink(layout.size() - new_size);
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The peak of heap bytes above what was live when `load` started.
fn peak_of<T>(load: impl FnOnce() -> T) -> (usize, T) {
    let start = LIVE.with(Cell::get);
    PEAK.with(|peak| peak.set(start));
    let out = load();
    (PEAK.with(Cell::get) - start, out)
}

/// The CSV reader's buffers and the loaders' fixed tables.
const ALLOWANCE: usize = 64 * 1024;

fn assert_bounded(what: &str, bytes: &[u8]) {
    let (polls_peak, polls) = peak_of(|| load_polls(bytes));
    let (results_peak, results) = peak_of(|| load_results(bytes));
    for (loader, peak) in [("polls", polls_peak), ("results", results_peak)] {
        assert!(
            peak <= 20 * bytes.len() + ALLOWANCE,
            "{what}: {loader} loader peaked at {peak} bytes for a file of {}",
            bytes.len()
        );
    }
    drop((polls, results));
}

fn poll_rows(text: &mut String, rows: usize) {
    for i in 0..rows {
        text.push_str(&format!(
            "Ohio,2016-10-{:02},2016-10-{:02},Pollster {},{},{},{}\n",
            1 + i % 20,
            3 + i % 20,
            i % 50,
            400 + i,
            40 + i % 13,
            38 + i % 11
        ));
    }
}

const PLAIN: &str = "state,start_date,end_date,pollster,sample_size,dem,rep\n";

#[test]
fn a_huge_field_early_in_a_polls_file() {
    let mut text = String::from(PLAIN);
    poll_rows(&mut text, 1);
    text += &format!(
        "Ohio,2016-10-01,2016-10-03,{},500,45,44\n",
        "x".repeat(1 << 20)
    );
    poll_rows(&mut text, 3000);
    let (peak, polls) = peak_of(|| load_polls(text.as_bytes()));
    let polls = polls.expect("loads");
    // The row with the huge field is a poll like the others.
    assert_eq!(polls.polls.len(), 3001, "{}", polls.report);
    assert!(
        peak < 20 * text.len(),
        "peak {peak} for {} bytes",
        text.len()
    );
    assert_bounded("huge field", text.as_bytes());
}

/// The CSV reader keeps a field end (8 bytes) per field of the widest row, in a vector
/// that doubles: a row of just over 2^20 empty fields is the worst case, 16 bytes a byte.
#[test]
fn a_row_of_a_million_commas() {
    for commas in [1_000_000, (1 << 20) + 1] {
        a_row_of_commas(commas);
    }
}

fn a_row_of_commas(commas: usize) {
    let mut text = String::from(PLAIN);
    text += &",".repeat(commas);
    text.push('\n');
    poll_rows(&mut text, 600);
    let (peak, polls) = peak_of(|| load_polls(text.as_bytes()));
    let polls = polls.expect("loads");
    assert_eq!(polls.polls.len(), 600);
    let malformed = &polls.report.examples[0];
    assert_eq!(malformed.line, 2);
    assert!(
        malformed
            .value
            .starts_with(&format!("{} fields", commas + 1)),
        "{malformed}"
    );
    assert!(
        peak < 20 * text.len(),
        "peak {peak} for {} bytes",
        text.len()
    );
    assert_bounded("a million commas", text.as_bytes());
}

#[test]
fn a_results_file_with_a_huge_field() {
    let mut text = String::from(
        "year\tstate\tstate_po\toffice\tcandidate\tcandidatevotes\tparty_simplified\n",
    );
    text += &format!(
        "2016\tOHIO\tOH\tUS PRESIDENT\t{}\t100\tDEMOCRAT\n",
        "y".repeat(1 << 20)
    );
    for year in (1976..=2016).step_by(4) {
        for state in ["OH", "PA", "FL", "TX"] {
            text += &format!("{year}\tX\t{state}\tUS PRESIDENT\tA\t100\tDEMOCRAT\n");
            text += &format!("{year}\tX\t{state}\tUS PRESIDENT\tB\t90\tREPUBLICAN\n");
        }
    }
    let (peak, results) = peak_of(|| load_results(text.as_bytes()));
    assert!(results
        .expect("loads")
        .margin(2012, forecast_engine::State::parse("PA").unwrap())
        .is_some());
    assert!(
        peak < 20 * text.len(),
        "peak {peak} for {} bytes",
        text.len()
    );
    assert_bounded("results with a huge field", text.as_bytes());
}

#[test]
fn many_columns() {
    // Rows far wider than the header: malformed, named, and not kept.
    let mut text = String::from(PLAIN);
    for _ in 0..20 {
        text += &"1,".repeat(50_000);
        text.push('\n');
    }
    poll_rows(&mut text, 20);
    assert_bounded("wide rows", text.as_bytes());
    let polls = load_polls(text.as_bytes()).expect("loads");
    assert_eq!(
        polls
            .report
            .count(forecast_engine::SkipReason::MalformedRow),
        20
    );

    // A header wider than any layout: refused before it is stored.
    let header: Vec<String> = (0..200_000).map(|i| format!("c{i}")).collect();
    let text = header.join(",") + "\n1,2\n";
    assert_bounded("wide header", text.as_bytes());
    assert!(matches!(
        load_polls(text.as_bytes()),
        Err(LoadError::TooManyColumns {
            columns: 200_000,
            ..
        })
    ));
}

/// Short rows that each make a poll, or half of one: what is kept per poll is the most
/// for the bytes read.
#[test]
fn short_rows() {
    let mut long = String::from(
        "poll_id,pollster,state,start_date,end_date,sample_size,question_id,party,pct\n",
    );
    let mut plain = String::from("state,date,pollster,sample_size,dem,rep\n");
    for i in 0..30_000 {
        let n = 100 + i;
        long += &format!(
            "{i},A,OH,10/1/16,10/2/16,{n},{i},DEM,4\n{i},A,OH,10/1/16,10/2/16,{n},{i},REP,5\n"
        );
        plain += &format!("OH,10/1/16,A,{n},4,5\n");
    }
    assert_eq!(
        load_polls(long.as_bytes()).expect("loads").polls.len(),
        30_000
    );
    assert_eq!(
        load_polls(plain.as_bytes()).expect("loads").polls.len(),
        30_000
    );
    assert_bounded("short long-layout rows", long.as_bytes());
    assert_bounded("short plain rows", plain.as_bytes());
}

#[test]
fn other_encodings_of_a_big_file() {
    let mut text = String::from(PLAIN);
    poll_rows(&mut text, 2000);
    text += &format!(
        "Ohio,2016-10-01,2016-10-03,{},500,45,44\n",
        "–".repeat(100_000)
    );
    let windows_1252: Vec<u8> = text
        .chars()
        .map(|c| if c == '–' { 0x96 } else { c as u8 })
        .collect();
    assert_bounded("Windows-1252", &windows_1252);
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    assert_bounded("UTF-16", &utf16);
    assert_eq!(load_polls(&utf16).expect("loads").polls.len(), 2001);
}

/// A file in one of the layouts, its rows ordinary or not.
#[derive(Clone, Debug)]
enum Part {
    Rows(usize),
    HugeField(usize),
    Commas(usize),
    Quote,
    Bytes(Vec<u8>),
}

fn part() -> impl Strategy<Value = Part> {
    prop_oneof![
        (1usize..200).prop_map(Part::Rows),
        (1usize..300_000).prop_map(Part::HugeField),
        (1usize..200_000).prop_map(Part::Commas),
        Just(Part::Quote),
        prop::collection::vec(any::<u8>(), 0..200).prop_map(Part::Bytes),
    ]
}

const HEADERS: [&str; 4] = [
    "state,startdate,enddate,pollster,samplesize,rawpoll_clinton,rawpoll_trump\n",
    "poll_id,pollster,state,start_date,end_date,sample_size,cycle,party,pct\n",
    PLAIN,
    "year\tstate_po\toffice\tcandidatevotes\tparty_simplified\n",
];

fn file(header: &str, parts: &[Part], ending: &str, encoding: u8) -> Vec<u8> {
    let mut text = header.to_string();
    for part in parts {
        match part {
            Part::Rows(n) => poll_rows(&mut text, *n),
            Part::HugeField(n) => {
                text += &format!("Ohio,2016-10-01,2016-10-03,{},500,45,44\n", "é".repeat(*n))
            }
            Part::Commas(n) => {
                text += &",".repeat(*n);
                text.push('\n');
            }
            Part::Quote => text += "Ohio,\"2016-10-01\n,\"\"x\"\n",
            Part::Bytes(bytes) => text += &String::from_utf8_lossy(bytes),
        }
    }
    let text = text.replace('\n', ending);
    match encoding {
        0 => text.into_bytes(),
        1 => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
        // Latin-1 bytes: not UTF-8 as soon as a character is above 0x7F.
        2 => text.chars().map(|c| c as u32 as u8).collect(),
        3 => [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect(),
        _ => [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_file_loads_in_bounded_memory(
        header in prop::sample::select(HEADERS.to_vec()),
        parts in prop::collection::vec(part(), 1..6),
        ending in prop::sample::select(vec!["\n", "\r\n", "\r"]),
        encoding in 0u8..5,
    ) {
        let bytes = file(header, &parts, ending, encoding);
        assert_bounded("random file", &bytes);
    }
}
