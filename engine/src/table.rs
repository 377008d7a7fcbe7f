//! A CSV file read row by row: its text decoded, its header, and each row with the physical
//! line it starts on. Shared by the polls and results loaders.
//!
//! Rows are not kept: each pass over them parses the text again with one reused record, so
//! that memory stays that of the file and of its longest row, whatever the rows hold.

use std::borrow::Cow;

use crate::report::{Encoding, LoadError};

/// More columns than any accepted layout has (FiveThirtyEight's widest has a few dozen):
/// a header wider than this is not one of them, and is refused before it is stored.
pub(crate) const MAX_COLUMNS: usize = 1000;

/// A CSV file: its decoded text, header (trimmed, lower case) and where its data begin.
pub(crate) struct Table<'a> {
    text: Cow<'a, str>,
    pub header: Vec<String>,
    pub encoding: Encoding,
    delimiter: u8,
    /// Byte offset just past the header record.
    data_start: usize,
}

/// One data row of a [`Table`].
pub(crate) enum Row<'r> {
    Fields(u64, &'r csv::StringRecord),
    /// A row that does not have the header's number of fields (or that the CSV reader
    /// refused): line and why.
    Malformed(u64, String),
}

impl<'a> Table<'a> {
    pub fn read(bytes: &'a [u8]) -> Result<Table<'a>, LoadError> {
        let (text, encoding) = decode(bytes)?;
        if text.bytes().all(|b| b.is_ascii_whitespace()) {
            return Err(LoadError::Empty);
        }
        if let Some(at) = text.bytes().position(|b| b == 0) {
            return Err(LoadError::NulByte {
                line: Lines::new(text.as_bytes()).line_at(at),
            });
        }
        let delimiter = delimiter(&text);
        let mut reader = csv_reader(text.as_bytes(), delimiter);
        let mut record = csv::StringRecord::new();
        loop {
            match reader.read_record(&mut record) {
                Ok(true) if is_blank(&record) => continue,
                Ok(true) => break,
                Ok(false) => return Err(LoadError::Empty),
                Err(e) => return Err(LoadError::NotCsv(e.to_string())),
            }
        }
        if record.len() > MAX_COLUMNS {
            return Err(LoadError::TooManyColumns {
                columns: record.len(),
                max: MAX_COLUMNS,
            });
        }
        let header = record
            .iter()
            .map(|h| h.trim().trim_matches('"').to_ascii_lowercase())
            .collect();
        let data_start = usize::try_from(reader.position().byte())
            .unwrap_or(usize::MAX)
            .min(text.len());
        drop(reader);
        Ok(Table {
            text,
            header,
            encoding,
            delimiter,
            data_start,
        })
    }

    pub fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    /// Names given to more than one column, each once, in header order (unnamed columns
    /// left out).
    pub fn duplicate_names(&self) -> Vec<&str> {
        let mut names = Vec::new();
        for (i, name) in self.header.iter().enumerate() {
            if !name.is_empty()
                && self.header[..i].contains(name)
                && !names.contains(&name.as_str())
            {
                names.push(name.as_str());
            }
        }
        names
    }

    /// The data rows, parsed again from the text on each call.
    pub fn rows(&self) -> Rows<'_> {
        let data = self
            .text
            .as_bytes()
            .get(self.data_start..)
            .unwrap_or_default();
        Rows {
            reader: csv_reader(data, self.delimiter),
            record: csv::StringRecord::new(),
            lines: Lines::new(self.text.as_bytes()),
            base: self.data_start,
            width: self.header.len(),
        }
    }
}

/// The data rows of a [`Table`], one at a time in one reused record.
pub(crate) struct Rows<'t> {
    reader: csv::Reader<&'t [u8]>,
    record: csv::StringRecord,
    lines: Lines<'t>,
    /// Where the reader's input starts in the text.
    base: usize,
    width: usize,
}

impl Rows<'_> {
    /// The next row that is not blank, or `None` at the end.
    pub fn next_row(&mut self) -> Option<Row<'_>> {
        loop {
            match self.reader.read_record(&mut self.record) {
                Ok(false) => return None,
                Ok(true) => {
                    if is_blank(&self.record) {
                        continue;
                    }
                    let line = self.line_of(self.record.position().map(csv::Position::byte));
                    if self.record.len() != self.width {
                        let why = format!(
                            "{} fields, the header has {}",
                            self.record.len(),
                            self.width
                        );
                        return Some(Row::Malformed(line, why));
                    }
                    return Some(Row::Fields(line, &self.record));
                }
                Err(e) => {
                    let line = self.line_of(e.position().map(csv::Position::byte));
                    // Reading from memory, valid UTF-8 and flexible, the reader has no
                    // other error to give; were it to, the rest of the file is one row.
                    let why = e.to_string();
                    self.reader = csv_reader(&[], b',');
                    return Some(Row::Malformed(line, why));
                }
            }
        }
    }

    /// The physical line a record starts on. The reader's position is where it began
    /// looking, before the blank lines it skips; its own line count knows only `\n`.
    fn line_of(&mut self, byte: Option<u64>) -> u64 {
        let start = byte.map_or(0, |b| usize::try_from(b).unwrap_or(usize::MAX));
        let mut at = self.base.saturating_add(start).min(self.lines.text.len());
        while matches!(self.lines.text.get(at), Some(b'\r' | b'\n')) {
            at += 1;
        }
        self.lines.line_at(at)
    }
}

/// Physical line numbers of byte offsets, counted forward: a line ends at `\n`, `\r\n` or
/// a lone `\r`, inside quotes too (the line of a file, as an editor shows it).
struct Lines<'t> {
    text: &'t [u8],
    at: usize,
    line: u64,
}

impl<'t> Lines<'t> {
    fn new(text: &'t [u8]) -> Lines<'t> {
        Lines {
            text,
            at: 0,
            line: 1,
        }
    }

    /// The line of byte `offset`; offsets must not go backwards.
    fn line_at(&mut self, offset: usize) -> u64 {
        let offset = offset.min(self.text.len());
        if offset > self.at {
            for (i, &b) in self.text[self.at..offset].iter().enumerate() {
                let next = self.text.get(self.at + i + 1);
                if b == b'\n' || (b == b'\r' && next != Some(&b'\n')) {
                    self.line += 1;
                }
            }
            self.at = offset;
        }
        self.line
    }
}

/// A reader that gives every record, the header too: ours is read as a record like the
/// others. The reader's own header is set empty so that it keeps no copy of the first
/// record it reads (two copies, which for a row of a million commas are 16 MB).
fn csv_reader(bytes: &[u8], delimiter: u8) -> csv::Reader<&[u8]> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(bytes);
    reader.set_byte_headers(csv::ByteRecord::new());
    reader
}

/// A line of nothing but spaces: not a row.
fn is_blank(record: &csv::StringRecord) -> bool {
    record.len() == 1 && record[0].trim().is_empty()
}

/// Tab when the first line that is not blank has more non-empty tab-separated fields than
/// comma-separated ones, else comma: a stray tab at the end of a comma header keeps comma.
fn delimiter(text: &str) -> u8 {
    let header = text
        .split(['\n', '\r'])
        .find(|line| !line.trim().is_empty())
        .unwrap_or_default();
    let named = |d: char| header.split(d).filter(|f| !f.trim().is_empty()).count();
    if named('\t') > named(',') {
        b'\t'
    } else {
        b','
    }
}

/// The text of the file: UTF-8 (a byte-order mark dropped), UTF-16 with a byte-order
/// mark, or else Windows-1252.
fn decode(bytes: &[u8]) -> Result<(Cow<'_, str>, Encoding), LoadError> {
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return decode_utf16(rest, u16::from_le_bytes).map(|t| (t.into(), Encoding::Utf16Le));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return decode_utf16(rest, u16::from_be_bytes).map(|t| (t.into(), Encoding::Utf16Be));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok((Cow::Borrowed(text), Encoding::Utf8)),
        Err(_) => Ok((
            Cow::Owned(decode_windows_1252(bytes)),
            Encoding::Windows1252,
        )),
    }
}

fn decode_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, LoadError> {
    let units = bytes.chunks(2).map(|pair| match pair {
        [a, b] => unit([*a, *b]),
        // An odd last byte: no character, and the decoder refuses it.
        _ => 0xD800,
    });
    let mut text = String::with_capacity(bytes.len() / 2 * 3 / 2);
    for c in char::decode_utf16(units) {
        match c {
            Ok(c) => text.push(c),
            Err(_) => {
                let line = Lines::new(text.as_bytes()).line_at(text.len());
                return Err(LoadError::BadUtf16 { line });
            }
        }
    }
    Ok(text)
}

/// Windows-1252 by hand rather than with `encoding_rs`, which carries every encoding's
/// tables into the WebAssembly page: bytes below 0x80 and from 0xA0 are Latin-1 (the
/// same code point); 0x80 to 0x9F are these, the five unassigned ones kept as the C1
/// controls (as browsers decode them).
const WINDOWS_1252_80_9F: [char; 32] = [
    '\u{20AC}', '\u{0081}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{008D}', '\u{017D}', '\u{008F}',
    '\u{0090}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}', '\u{0153}', '\u{009D}', '\u{017E}', '\u{0178}',
];

fn windows_1252(byte: u8) -> char {
    match byte {
        0x80..=0x9F => WINDOWS_1252_80_9F[usize::from(byte - 0x80)],
        _ => char::from(byte),
    }
}

fn decode_windows_1252(bytes: &[u8]) -> String {
    let length = bytes.iter().map(|&b| windows_1252(b).len_utf8()).sum();
    let mut text = String::with_capacity(length);
    text.extend(bytes.iter().map(|&b| windows_1252(b)));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_decodes_the_high_bytes() {
        assert_eq!(
            decode_windows_1252(b"a\x96b\x80\xE9\x81"),
            "a\u{2013}b\u{20AC}\u{E9}\u{81}"
        );
    }

    #[test]
    fn lines_count_every_ending() {
        let text = b"a\nb\r\nc\rd\n\ne";
        let mut lines = Lines::new(text);
        let expected = [(0, 1), (2, 2), (5, 3), (7, 4), (10, 6)];
        for (offset, line) in expected {
            assert_eq!(lines.line_at(offset), line, "offset {offset}");
        }
    }
}
