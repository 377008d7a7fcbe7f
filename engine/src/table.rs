//! A whole CSV file read into memory: the header and every row with its line number.
//! Shared by the polls and results loaders.

use crate::report::LoadError;

/// A whole CSV file: header and rows, with each row's line number.
pub(crate) struct Table {
    pub header: Vec<String>,
    pub rows: Vec<(u64, csv::StringRecord)>,
    pub malformed: Vec<(u64, String)>,
}

impl Table {
    pub fn read(bytes: &[u8]) -> Result<Table, LoadError> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        if bytes.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(LoadError::Empty);
        }
        if bytes.contains(&0) {
            return Err(LoadError::NotCsv(
                "the file holds binary data (a NUL byte)".into(),
            ));
        }
        let first_line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
        let delimiter = if first_line.contains(&b'\t') {
            b'\t'
        } else {
            b','
        };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(true)
            .from_reader(bytes);
        let header: Vec<String> = reader
            .headers()
            .map_err(|e| LoadError::NotCsv(format!("the header cannot be read: {e}")))?
            .iter()
            .map(|h| h.trim().trim_matches('"').to_ascii_lowercase())
            .collect();
        let width = header.len();
        let mut rows = Vec::new();
        let mut malformed = Vec::new();
        let mut record = csv::StringRecord::new();
        loop {
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {
                    let line = record.position().map_or(0, |p| p.line());
                    if record.len() == 1 && record[0].trim().is_empty() {
                        continue;
                    }
                    if record.len() != width {
                        malformed.push((
                            line,
                            format!("{} fields, the header has {width}", record.len()),
                        ));
                    } else {
                        rows.push((line, record.clone()));
                    }
                }
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    malformed.push((line, e.to_string()));
                    // The csv reader may not advance past some errors; stop rather than spin.
                    if !matches!(
                        e.kind(),
                        csv::ErrorKind::Utf8 { .. } | csv::ErrorKind::UnequalLengths { .. }
                    ) {
                        break;
                    }
                }
            }
        }
        if rows.is_empty()
            && malformed.is_empty()
            && width <= 1
            && header.iter().all(|h| h.is_empty())
        {
            return Err(LoadError::Empty);
        }
        Ok(Table {
            header,
            rows,
            malformed,
        })
    }

    pub fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }
}
