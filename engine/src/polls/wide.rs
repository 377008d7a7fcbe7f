//! One row per poll: FiveThirtyEight's 2016 timeseries and the plain layout.

use super::layout::{find, WideColumns};
use super::{parse_date, parse_sample_size, parse_share, Builder, Fields, Rejection};
use crate::report::{LoadError, SkipReason};
use crate::states::State;
use crate::table::{Row, Table};

pub(super) fn read_wide(
    table: &Table,
    builder: &mut Builder,
    columns: &WideColumns,
) -> Result<(), LoadError> {
    let state = find(table, columns.state)?;
    let start = find(table, columns.start)?;
    let end = find(table, columns.end)?;
    let pollster = find(table, columns.pollster)?;
    let sample_size = find(table, columns.sample_size)?;
    let dem = find(table, columns.dem)?;
    let rep = find(table, columns.rep)?;
    let mut rows = table.rows();
    while let Some(row) = rows.next_row() {
        builder.rows += 1;
        let (line, record) = match row {
            Row::Fields(line, record) => (line, record),
            Row::Malformed(line, why) => {
                builder.malformed(line, &why);
                continue;
            }
        };
        let parsed = (|| -> Result<Fields, Rejection> {
            let state_text = &record[state];
            let state_code = State::parse(state_text).ok_or_else(|| {
                (
                    SkipReason::NotAState,
                    columns.state[0],
                    state_text.to_string(),
                )
            })?;
            let start_date = parse_date(&record[start])
                .map_err(|r| (r, columns.start[0], record[start].to_string()))?;
            let end_date = parse_date(&record[end])
                .map_err(|r| (r, columns.end[0], record[end].to_string()))?;
            let n = parse_sample_size(&record[sample_size])
                .map_err(|r| (r, columns.sample_size[0], record[sample_size].to_string()))?;
            let d = parse_share(&record[dem])
                .map_err(|r| (r, columns.dem[0], record[dem].to_string()))?;
            let r = parse_share(&record[rep])
                .map_err(|r| (r, columns.rep[0], record[rep].to_string()))?;
            Ok(Fields {
                state: state_code,
                start: start_date,
                end: end_date,
                pollster: record[pollster].trim().to_string(),
                sample_size: n,
                dem: d,
                rep: r,
            })
        })();
        match parsed {
            Ok(fields) => builder.push(line, fields, 1),
            Err((reason, column, value)) => builder.skip(line, reason, column, &value, 1),
        }
    }
    Ok(())
}
