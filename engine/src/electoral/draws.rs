//! The run's standardised errors `w` (ELECTORAL.md §4), shared by every model and date.
//!
//! ```text
//! w[k,s] = sqrt(national) * z0[k] + sqrt(1 - national) * (L z[k])_s
//! ```
//!
//! `z0[k]` and `z[k]` are independent standard normals; `L` is the lower Cholesky factor
//! of `C`. Draws come in chunks of [`CHUNK`]; chunk `j` draws from its own ChaCha8
//! stream, `seed` with stream [`stream_id`]`(j)`, and within a draw `z0` comes first, then
//! `z` in unit ([`crate::State`] index) order. Chunks are independent, so any number of
//! workers builds the same matrix. `(L z)_s` is summed in four interleaved partial sums
//! over `t` (by `t mod 4`), added `(0 + 1) + (2 + 3)`.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;
use rayon::prelude::*;

use super::correlation::Correlation;
use super::votes::UNITS;

/// Draws per chunk (and per random stream).
pub const CHUNK: usize = 1_000;

/// Units padded to a multiple of 4, so that rows split evenly into SIMD lanes; the
/// padding unit's `w` is 0.
pub(crate) const LANES: usize = 52;

/// One draw's `w`, padded.
pub(crate) type Row = [f64; LANES];

/// Tags the electoral streams: the state cells' streams have the model index (0..=3) in
/// their top byte, these have 0xEC.
const STREAM_TAG: u64 = 0xEC << 56;

/// The ChaCha8 stream of chunk `j` (after `seed_from_u64(seed)`).
pub fn stream_id(chunk: usize) -> u64 {
    STREAM_TAG | (chunk as u64 & 0x00FF_FFFF_FFFF_FFFF)
}

/// `w` of a run: `sims` draws of 51 units.
#[derive(Clone, Debug, PartialEq)]
pub struct Draws {
    rows: Vec<Row>,
}

impl Draws {
    /// Every chunk on the current rayon pool. `sims` is not checked here:
    /// [`super::ElectoralSettings::check`] bounds it.
    pub fn generate(sims: usize, national: f64, correlation: &Correlation, seed: u64) -> Draws {
        let mut rows = vec![[0.0; LANES]; sims];
        rows.par_chunks_mut(CHUNK)
            .enumerate()
            .for_each(|(j, chunk)| fill_chunk(chunk, j, national, correlation, seed));
        Draws { rows }
    }

    pub fn sims(&self) -> usize {
        self.rows.len()
    }

    pub fn chunk_count(&self) -> usize {
        self.rows.len().div_ceil(CHUNK)
    }

    /// Draw `k`'s `w` in unit order.
    pub fn row(&self, k: usize) -> Option<&[f64]> {
        self.rows.get(k).map(|r| &r[..UNITS])
    }

    /// The rows of chunk `j` (empty past the end).
    pub(crate) fn chunk(&self, j: usize) -> &[Row] {
        let start = (j * CHUNK).min(self.rows.len());
        let end = (start + CHUNK).min(self.rows.len());
        &self.rows[start..end]
    }
}

/// Chunk `j`'s draws into `out` (at most [`CHUNK`] rows).
fn fill_chunk(out: &mut [Row], j: usize, national: f64, correlation: &Correlation, seed: u64) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream_id(j));
    let a = libm::sqrt(national);
    let b = libm::sqrt(1.0 - national);
    // L by rows, each padded with zeros to a multiple of 4 entries.
    let lower: Option<Vec<Row>> = correlation.lower_rows().map(|l| {
        (0..UNITS)
            .map(|s| {
                let mut row = [0.0; LANES];
                for (t, x) in row.iter_mut().enumerate().take(s + 1) {
                    *x = l.get(s * UNITS + t).copied().unwrap_or(0.0);
                }
                row
            })
            .collect()
    });
    let mut z = [0.0; LANES];
    for row in out.iter_mut() {
        let z0: f64 = rng.sample(StandardNormal);
        for zs in z.iter_mut().take(UNITS) {
            *zs = rng.sample(StandardNormal);
        }
        let mut lz = z;
        if let Some(lower) = &lower {
            for (l, out) in lower.iter().zip(lz.iter_mut()) {
                // Four interleaved partial sums added (0 + 1) + (2 + 3): a fixed order
                // that vectorises. Row s is zero past column s; its whole fixed-size row
                // runs faster than a trimmed one and adds only exact zeros.
                let mut acc = [0.0f64; 4];
                for (lc, zc) in l.chunks_exact(4).zip(z.chunks_exact(4)) {
                    for j in 0..4 {
                        acc[j] += lc[j] * zc[j];
                    }
                }
                *out = (acc[0] + acc[1]) + (acc[2] + acc[3]);
            }
        }
        for (w, lz) in row.iter_mut().zip(lz).take(UNITS) {
            *w = a * z0 + b * lz;
        }
        row[UNITS..].fill(0.0);
    }
}
