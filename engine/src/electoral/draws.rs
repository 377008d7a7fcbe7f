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
//! workers builds the same matrix. `(L z)_s` is computed in double precision, summed over
//! `t = 0..=s` in order.
//!
//! `w` is kept in single precision, as every margin computed from it: the simulation
//! then works on four units per SIMD lane where double precision has two. A margin's
//! sign differs from double precision's only where `|margin|` is below about `1e-7`
//! times its scale, which a margin with a standard deviation of a few points does about
//! once in ten million draws: far inside the simulation's own error.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;
use rayon::prelude::*;
use wide::{f32x4, f64x2};

use super::correlation::Correlation;
use super::votes::UNITS;

/// Draws per chunk (and per random stream).
pub const CHUNK: usize = 1_000;

/// Units padded to a multiple of 4, so that rows split evenly into SIMD lanes; the
/// padding unit's `w` is 0.
pub(crate) const LANES: usize = 52;

/// SIMD vectors of 4 units in a row.
pub(crate) const VECTORS: usize = LANES / 4;

/// One draw's `w`, padded, as SIMD vectors of 4 units.
pub(crate) type Row = [f32x4; VECTORS];

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
        let mut rows = vec![[f32x4::ZERO; VECTORS]; sims];
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
    pub fn row(&self, k: usize) -> Option<[f32; UNITS]> {
        let row = self.rows.get(k)?;
        Some(std::array::from_fn(|s| row[s / 4].to_array()[s % 4]))
    }

    /// The rows of chunk `j` (empty past the end).
    pub(crate) fn chunk(&self, j: usize) -> &[Row] {
        let start = (j * CHUNK).min(self.rows.len());
        let end = (start + CHUNK).min(self.rows.len());
        &self.rows[start..end]
    }
}

/// Bytes of one row: 52 single-precision lanes.
#[cfg(feature = "serde")]
const ROW_BYTES: usize = std::mem::size_of::<Row>();

/// `w` as one byte string, every lane of every row in order, each `f32` little-endian:
/// 4 MB for 20,000 draws, where a sequence of a million numbers would be far larger and
/// slower (serde-wasm-bindgen makes it one `Uint8Array`).
#[cfg(feature = "serde")]
impl serde::Serialize for Draws {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let lanes: &[f32] = bytemuck::cast_slice(&self.rows);
        if cfg!(target_endian = "little") {
            serializer.serialize_bytes(bytemuck::cast_slice(lanes))
        } else {
            let bytes: Vec<u8> = lanes.iter().flat_map(|x| x.to_le_bytes()).collect();
            serializer.serialize_bytes(&bytes)
        }
    }
}

/// From the bytes [`Draws`] serializes to, given as bytes (borrowed or owned) or as a
/// sequence of numbers, as formats differ; a length that is not whole rows is an error.
#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Draws {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Draws, D::Error> {
        let bytes: std::borrow::Cow<'de, [u8]> = serde_bytes::deserialize(deserializer)?;
        if !bytes.len().is_multiple_of(ROW_BYTES) {
            return Err(serde::de::Error::invalid_length(
                bytes.len(),
                &format!("a multiple of {ROW_BYTES} bytes (one row of w per draw)").as_str(),
            ));
        }
        // Copied lane by lane into rows of their own: the input bytes need not be aligned
        // as SIMD rows are.
        let mut rows = vec![[f32x4::ZERO; VECTORS]; bytes.len() / ROW_BYTES];
        let lanes: &mut [f32] = bytemuck::cast_slice_mut(&mut rows);
        for (lane, b) in lanes.iter_mut().zip(bytes.chunks_exact(4)) {
            *lane = f32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        }
        Ok(Draws { rows })
    }
}

/// Chunk `j`'s draws into `out` (at most [`CHUNK`] rows).
fn fill_chunk(out: &mut [Row], j: usize, national: f64, correlation: &Correlation, seed: u64) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream_id(j));
    let a = libm::sqrt(national);
    let b = libm::sqrt(1.0 - national);
    // L by columns: column t holds L[s, t] for s >= t (zero above the diagonal), so that
    // `L z` adds columns over contiguous lanes, two to a SIMD vector.
    let columns: Option<Vec<[f64x2; LANES / 2]>> = correlation.lower_rows().map(|l| {
        (0..UNITS)
            .map(|t| {
                let mut column = [0.0; LANES];
                for (s, x) in column.iter_mut().enumerate().take(UNITS).skip(t) {
                    *x = l.get(s * UNITS + t).copied().unwrap_or(0.0);
                }
                std::array::from_fn(|i| f64x2::new([column[2 * i], column[2 * i + 1]]))
            })
            .collect()
    });
    let mut z = [0.0f64; LANES];
    for row in out.iter_mut() {
        let z0: f64 = rng.sample(StandardNormal);
        for zs in z.iter_mut().take(UNITS) {
            *zs = rng.sample(StandardNormal);
        }
        let lz = match &columns {
            Some(columns) => {
                let mut lz = [f64x2::ZERO; LANES / 2];
                // Four columns at a time, so that the sums are loaded and stored once per
                // four: each still adds t = 0..=s in order (a column adds zeros above its
                // diagonal, and a missing fifty-second column adds zeros too).
                let zero = [f64x2::ZERO; LANES / 2];
                for (quad, four) in columns.chunks(4).enumerate() {
                    let c: [&[f64x2; LANES / 2]; 4] =
                        std::array::from_fn(|k| four.get(k).unwrap_or(&zero));
                    let zs: [f64x2; 4] = std::array::from_fn(|k| {
                        f64x2::splat(z.get(4 * quad + k).copied().unwrap_or(0.0))
                    });
                    // Vectors from the one holding unit 4 * quad, the first column's diagonal.
                    // By index: the five slices zipped together compile to a slower loop.
                    #[allow(clippy::needless_range_loop)]
                    for i in 2 * quad..LANES / 2 {
                        lz[i] = (((lz[i] + c[0][i] * zs[0]) + c[1][i] * zs[1]) + c[2][i] * zs[2])
                            + c[3][i] * zs[3];
                    }
                }
                let mut lanes = [0.0f64; LANES];
                lanes.copy_from_slice(bytemuck::cast_slice(&lz));
                lanes
            }
            None => z,
        };
        let mut w = [0.0f32; LANES];
        for (w, lz) in w.iter_mut().zip(lz).take(UNITS) {
            *w = (a * z0 + b * lz) as f32;
        }
        for (v, lanes) in row.iter_mut().zip(w.chunks_exact(4)) {
            *v = f32x4::new([lanes[0], lanes[1], lanes[2], lanes[3]]);
        }
    }
}
