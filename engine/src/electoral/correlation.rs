//! How the units' errors move together (ELECTORAL.md §3).
//!
//! ```text
//! R = national * J + (1 - national) * C          J all ones
//! ```
//!
//! `C` is the identity (`none`) or, for `historical`, built from the results of the
//! election years before the forecast year with a result for all 51 units (the 10 most
//! recent; fewer than 4 gives the identity and a [`CorrelationNote`]):
//!
//! ```text
//! lean[s,y]  = m[s,y] - mean_u m[u,y]
//! swing[s,y] = lean[s,y] - lean[s,y']                 y' the year before y in the list
//! C0 = Pearson correlation of the units' swing series (0 for a unit of zero variance)
//! C1 = max(C0, 0), diagonal 1
//! C1 = V diag(l) V'  ->  C2 = V diag(max(l, 0.01)) V'
//! C  = D^(-1/2) C2 D^(-1/2),  D = diag(C2)
//! C  = L L'                                            L lower triangular (Cholesky)
//! ```

use std::collections::BTreeMap;
use std::fmt;

use nalgebra::{Cholesky, DMatrix, SymmetricEigen};

use super::votes::UNITS;
use super::Structure;
use crate::states::State;

/// At most this many election years enter the historical structure.
pub const MAX_YEARS: usize = 10;
/// Fewer complete years than this: `C` is the identity.
pub const MIN_YEARS: usize = 4;
/// The floor on the eigenvalues of `C1`.
pub const EIGEN_FLOOR: f64 = 0.01;

/// The structure part `C` of the correlation, with its lower Cholesky factor.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Correlation {
    structure: Structure,
    /// The years the historical structure used (empty for the identity).
    years: Vec<i32>,
    note: Option<CorrelationNote>,
    /// `C`, row-major.
    c: Vec<f64>,
    /// `L` with `C = L L'`, row-major, lower triangular; `None` for the identity.
    lower: Option<Vec<f64>>,
}

/// Why the historical structure fell back to the identity (the page says so).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum CorrelationNote {
    /// Fewer than [`MIN_YEARS`] election years before `year` have a result for every unit.
    TooFewYears { year: i32, years: Vec<i32> },
}

impl fmt::Display for CorrelationNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CorrelationNote::TooFewYears { year, years } => {
                let listed: Vec<String> = years.iter().map(|y| y.to_string()).collect();
                write!(
                    f,
                    "only {} election year(s) before {year} have a result for every state and \
                     DC ({}; {MIN_YEARS} needed): states' errors share only the national part",
                    years.len(),
                    if listed.is_empty() {
                        "none".to_string()
                    } else {
                        listed.join(", ")
                    }
                )
            }
        }
    }
}

/// The historical structure could not be built (not expected with finite results).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum CorrelationError {
    /// The eigen-decomposition of `C1` did not converge.
    NoEigenDecomposition,
    /// `C` is not positive definite after the eigenvalue floor.
    NotPositiveDefinite,
}

impl fmt::Display for CorrelationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CorrelationError::NoEigenDecomposition => {
                f.write_str("the correlation of past swings has no eigen-decomposition")
            }
            CorrelationError::NotPositiveDefinite => {
                f.write_str("the correlation of past swings is not positive definite")
            }
        }
    }
}

impl std::error::Error for CorrelationError {}

impl Correlation {
    /// `C` = identity: units independent apart from the national part.
    pub fn none() -> Correlation {
        let mut c = vec![0.0; UNITS * UNITS];
        for i in 0..UNITS {
            c[i * UNITS + i] = 1.0;
        }
        Correlation {
            structure: Structure::None,
            years: Vec::new(),
            note: None,
            c,
            lower: None,
        }
    }

    /// `C` for the structure, from the margins of the years before `year`
    /// (`margins[(year, state)]`, as [`crate::ResultSet::margins`]).
    pub fn new(
        structure: Structure,
        year: i32,
        margins: &BTreeMap<(i32, State), f64>,
    ) -> Result<Correlation, CorrelationError> {
        match structure {
            Structure::None => Ok(Correlation::none()),
            Structure::Historical => Correlation::historical(year, margins),
        }
    }

    /// The historical `C` (module docs), or the identity with a note when fewer than
    /// [`MIN_YEARS`] years are complete.
    pub fn historical(
        year: i32,
        margins: &BTreeMap<(i32, State), f64>,
    ) -> Result<Correlation, CorrelationError> {
        // Complete years before `year`, most recent first.
        let mut by_year: BTreeMap<i32, [Option<f64>; UNITS]> = BTreeMap::new();
        for (&(y, state), &m) in margins {
            if y < year && m.is_finite() {
                if let Some(slot) = by_year
                    .entry(y)
                    .or_insert([None; UNITS])
                    .get_mut(state.index())
                {
                    *slot = Some(m);
                }
            }
        }
        let mut years: Vec<(i32, [f64; UNITS])> = by_year
            .into_iter()
            .rev()
            .filter_map(|(y, ms)| {
                let mut full = [0.0; UNITS];
                for (out, m) in full.iter_mut().zip(ms) {
                    *out = m?;
                }
                Some((y, full))
            })
            .take(MAX_YEARS)
            .collect();
        years.reverse();
        let year_list: Vec<i32> = years.iter().map(|(y, _)| *y).collect();
        if years.len() < MIN_YEARS {
            return Ok(Correlation {
                structure: Structure::Historical,
                note: Some(CorrelationNote::TooFewYears {
                    year,
                    years: year_list,
                }),
                ..Correlation::none()
            });
        }

        // Leans, then swings between consecutive years of the list.
        let leans: Vec<[f64; UNITS]> = years
            .iter()
            .map(|(_, m)| {
                let mean = m.iter().sum::<f64>() / UNITS as f64;
                m.map(|x| x - mean)
            })
            .collect();
        let swings: Vec<[f64; UNITS]> = leans
            .windows(2)
            .map(|pair| {
                let mut s = [0.0; UNITS];
                for (i, out) in s.iter_mut().enumerate() {
                    *out = pair[1][i] - pair[0][i];
                }
                s
            })
            .collect();

        // Pearson correlation of the units' series, clipped at 0, unit diagonal.
        let n = swings.len() as f64;
        let mut centred = vec![[0.0; UNITS]; swings.len()];
        let mut norm = [0.0; UNITS];
        for s in 0..UNITS {
            let mean = swings.iter().map(|row| row[s]).sum::<f64>() / n;
            for (row, out) in swings.iter().zip(centred.iter_mut()) {
                out[s] = row[s] - mean;
            }
            norm[s] = libm::sqrt(centred.iter().map(|row| row[s] * row[s]).sum::<f64>());
        }
        let c1 = DMatrix::from_fn(UNITS, UNITS, |a, b| {
            if a == b {
                return 1.0;
            }
            if norm[a] == 0.0 || norm[b] == 0.0 {
                return 0.0;
            }
            let cov: f64 = centred.iter().map(|row| row[a] * row[b]).sum();
            (cov / (norm[a] * norm[b])).max(0.0)
        });

        // Nearest valid correlation: floor the eigenvalues, rebuild, unit diagonal.
        let mut eigen = SymmetricEigen::try_new(c1, f64::EPSILON, 10_000)
            .ok_or(CorrelationError::NoEigenDecomposition)?;
        eigen
            .eigenvalues
            .iter_mut()
            .for_each(|l| *l = l.max(EIGEN_FLOOR));
        let c2 = eigen.recompose();
        let diag: Vec<f64> = (0..UNITS).map(|i| c2[(i, i)]).collect();
        if diag.iter().any(|d| !(d.is_finite() && *d > 0.0)) {
            return Err(CorrelationError::NotPositiveDefinite);
        }
        // From the upper triangle only, so that C is exactly symmetric.
        let c = DMatrix::from_fn(UNITS, UNITS, |a, b| {
            let (i, j) = (a.min(b), a.max(b));
            if i == j {
                1.0
            } else {
                c2[(i, j)] / libm::sqrt(diag[i] * diag[j])
            }
        });
        if c.iter().any(|x| !x.is_finite()) {
            return Err(CorrelationError::NotPositiveDefinite);
        }
        let chol = Cholesky::new(c.clone()).ok_or(CorrelationError::NotPositiveDefinite)?;
        let l = chol.l();
        let row_major = |m: &DMatrix<f64>| -> Vec<f64> {
            (0..UNITS * UNITS)
                .map(|k| m[(k / UNITS, k % UNITS)])
                .collect()
        };
        Ok(Correlation {
            structure: Structure::Historical,
            years: year_list,
            note: None,
            c: row_major(&c),
            lower: Some(row_major(&l)),
        })
    }

    pub fn structure(&self) -> Structure {
        self.structure
    }

    /// The election years the historical structure used, oldest first.
    pub fn years(&self) -> &[i32] {
        &self.years
    }

    /// Set when the historical structure fell back to the identity.
    pub fn note(&self) -> Option<&CorrelationNote> {
        self.note.as_ref()
    }

    /// `C[a, b]`.
    pub fn c(&self, a: State, b: State) -> f64 {
        self.c
            .get(a.index() * UNITS + b.index())
            .copied()
            .unwrap_or(0.0)
    }

    /// `R[a, b] = national + (1 - national) * C[a, b]`, exactly 1 on the diagonal.
    pub fn r(&self, national: f64, a: State, b: State) -> f64 {
        if a == b {
            1.0
        } else {
            national + (1.0 - national) * self.c(a, b)
        }
    }

    /// `L[a, b]` of `C = L L'` (the identity for `none` or the fallback).
    pub fn lower(&self, a: State, b: State) -> f64 {
        match &self.lower {
            Some(l) => l.get(a.index() * UNITS + b.index()).copied().unwrap_or(0.0),
            None => f64::from(u8::from(a == b)),
        }
    }

    /// `L` row-major, or `None` when it is the identity (draws then skip the product).
    pub(crate) fn lower_rows(&self) -> Option<&[f64]> {
        self.lower.as_deref()
    }
}
