//! Election results: the two-party margin of each state in each year.
//! Gives the actual margins (for scores) and earlier years (for the fundamentals prior).

use std::collections::BTreeMap;

use crate::polls::Table;
use crate::report::{LoadError, LoadReport, SkipReason};
use crate::states::State;

pub const ACCEPTED_RESULT_LAYOUTS: &str = "accepted layouts: \
MIT Election Lab (tab-separated: year, state_po, party_simplified, candidatevotes); \
plain (state,year,dem,rep: votes or percentages)";

#[derive(Clone, Debug, Default)]
pub struct ResultSet {
    /// `(dem - rep) / (dem + rep)` by year and state.
    pub margins: BTreeMap<(i32, State), f64>,
    pub report: LoadReport,
}

impl ResultSet {
    pub fn margin(&self, year: i32, state: State) -> Option<f64> {
        self.margins.get(&(year, state)).copied()
    }

    pub fn years(&self) -> Vec<i32> {
        let mut years: Vec<i32> = self.margins.keys().map(|(y, _)| *y).collect();
        years.dedup();
        years
    }
}

pub fn load_results(bytes: &[u8]) -> Result<ResultSet, LoadError> {
    let table = Table::read(bytes)?;
    let has = |n: &str| table.column(n).is_some();
    let mit = has("party_simplified") || has("candidatevotes") || has("state_po");
    let (layout, required): (&str, &[&str]) = if mit {
        (
            "MIT Election Lab",
            &["year", "state_po", "party_simplified", "candidatevotes"],
        )
    } else if has("dem") || has("rep") {
        ("plain results", &["state", "year", "dem", "rep"])
    } else {
        return Err(LoadError::UnknownLayout {
            header: table.header.join(","),
            accepted: ACCEPTED_RESULT_LAYOUTS,
        });
    };
    let missing: Vec<String> = required
        .iter()
        .filter(|c| !has(c))
        .map(|c| c.to_string())
        .collect();
    if !missing.is_empty() {
        return Err(LoadError::MissingColumns {
            layout: layout.into(),
            missing,
            accepted: ACCEPTED_RESULT_LAYOUTS,
        });
    }
    let col = |n: &str| table.column(n).unwrap_or(0);
    let mut report = LoadReport {
        layout: layout.into(),
        rows: table.rows.len() as u64,
        ..Default::default()
    };
    for (line, message) in &table.malformed {
        report.skip(*line, SkipReason::MalformedRow, "", message, 1);
    }
    report.rows += table.malformed.len() as u64;

    // (dem, rep) votes by year and state.
    let mut votes: BTreeMap<(i32, State), (f64, f64)> = BTreeMap::new();
    let (year_col, state_col) = (
        col("year"),
        if mit { col("state_po") } else { col("state") },
    );
    let state_name = if mit { "state_po" } else { "state" };
    let office = table.column("office");
    for (line, record) in &table.rows {
        let Ok(year) = record[year_col].trim().parse::<i32>() else {
            report.skip(*line, SkipReason::BadYear, "year", &record[year_col], 1);
            continue;
        };
        let Some(state) = State::parse(record[state_col].trim().trim_matches('"')) else {
            report.skip(
                *line,
                SkipReason::NotAState,
                state_name,
                &record[state_col],
                1,
            );
            continue;
        };
        if mit {
            if let Some(c) = office {
                if !record[c]
                    .trim_matches('"')
                    .eq_ignore_ascii_case("US PRESIDENT")
                {
                    report.skip(
                        *line,
                        SkipReason::NotGeneralPresidential,
                        "office",
                        &record[c],
                        1,
                    );
                    continue;
                }
            }
            let party = record[col("party_simplified")]
                .trim()
                .trim_matches('"')
                .to_ascii_uppercase();
            let is_dem = party == "DEMOCRAT";
            if !is_dem && party != "REPUBLICAN" {
                report.skip(*line, SkipReason::ThirdParty, "party_simplified", &party, 1);
                continue;
            }
            let text = &record[col("candidatevotes")];
            let Some(v) = text
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && *v >= 0.0)
            else {
                report.skip(*line, SkipReason::BadNumber, "candidatevotes", text, 1);
                continue;
            };
            let entry = votes.entry((year, state)).or_insert((0.0, 0.0));
            if is_dem {
                entry.0 += v
            } else {
                entry.1 += v
            }
            report.used_rows += 1;
        } else {
            let mut parse = |name: &str| -> Option<f64> {
                let text = &record[col(name)];
                let v = text
                    .trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite() && *v >= 0.0);
                if v.is_none() {
                    report.skip(*line, SkipReason::BadNumber, name, text, 1);
                }
                v
            };
            let Some(dem) = parse("dem") else { continue };
            let Some(rep) = parse("rep") else { continue };
            if votes.contains_key(&(year, state)) {
                report.skip(
                    *line,
                    SkipReason::DuplicateResult,
                    "state",
                    &record[state_col],
                    1,
                );
                continue;
            }
            votes.insert((year, state), (dem, rep));
            report.used_rows += 1;
        }
    }
    let mut margins = BTreeMap::new();
    for ((year, state), (dem, rep)) in votes {
        if dem + rep > 0.0 {
            margins.insert((year, state), (dem - rep) / (dem + rep));
        } else {
            report.skip(
                0,
                SkipReason::NoTwoPartyTotal,
                "",
                &format!("{state} {year}"),
                1,
            );
        }
    }
    report.used = margins.len() as u64;
    if margins.is_empty() {
        return Err(LoadError::NoUsableRows {
            layout: layout.into(),
            report: report.to_string(),
        });
    }
    Ok(ResultSet { margins, report })
}
