//! How a fuzz input is cut into feeds, after the libwebsockets fuzzer: the
//! first bytes of the input choose the chunk sizes, the rest is the payload.
//!
//! Layout: `[selector][k][size_1 .. size_k][payload ...]` where `selector`
//! picks a configuration, `k & 15` is the number of size bytes, and each size
//! byte `s` gives a chunk of `s + 1` bytes (`s < 0x80`) or `(s & 0x7f) * 64 + 1`
//! bytes; sizes repeat cyclically. `k & 15 == 0` feeds the payload whole.

/// A decoded fuzz input.
#[derive(Debug, Clone)]
pub struct Framed<'a> {
    /// Chooses a configuration (callers reduce it modulo their list).
    pub selector: u8,
    /// Chunk sizes, cycled; empty means one feed.
    pub sizes: Vec<usize>,
    /// The bytes fed to the engine.
    pub payload: &'a [u8],
}

impl<'a> Framed<'a> {
    /// Splits `data` per the layout above (short inputs give an empty payload).
    pub fn parse(data: &'a [u8]) -> Self {
        let selector = data.first().copied().unwrap_or(0);
        let k = usize::from(data.get(1).copied().unwrap_or(0) & 15);
        let sizes_end = (2 + k).min(data.len());
        let sizes = data
            .get(2.min(data.len())..sizes_end)
            .unwrap_or_default()
            .iter()
            .map(|&s| chunk_size(s))
            .collect();
        Framed {
            selector,
            sizes,
            payload: data.get(sizes_end..).unwrap_or_default(),
        }
    }

    /// Encodes a selector, sizes bytes and payload (for seeds and replays).
    pub fn encode(selector: u8, size_bytes: &[u8], payload: &[u8]) -> Vec<u8> {
        let k = size_bytes.len().min(15);
        let mut v = vec![selector, k as u8];
        v.extend_from_slice(&size_bytes[..k]);
        v.extend_from_slice(payload);
        v
    }
}

/// Chunk length for one size byte.
pub fn chunk_size(s: u8) -> usize {
    if s < 0x80 {
        usize::from(s) + 1
    } else {
        usize::from(s & 0x7f) * 64 + 1
    }
}

/// Cuts `payload` into pieces of the cyclic `sizes` (one piece when empty).
pub fn split<'p>(payload: &'p [u8], sizes: &[usize]) -> Vec<&'p [u8]> {
    if sizes.is_empty() {
        return vec![payload];
    }
    let mut out = Vec::new();
    let mut rest = payload;
    let mut i = 0;
    while !rest.is_empty() {
        let n = sizes[i % sizes.len()].max(1).min(rest.len());
        let (a, b) = rest.split_at(n);
        out.push(a);
        rest = b;
        i += 1;
    }
    if out.is_empty() {
        out.push(payload);
    }
    out
}

/// Random cut points for stable tests: sizes drawn from a few regimes.
pub fn random_sizes(rng: &mut super::rng::Rng) -> Vec<usize> {
    match rng.below(5) {
        0 => Vec::new(),
        1 => vec![1],
        2 => (0..1 + rng.below(6)).map(|_| 1 + rng.below(8)).collect(),
        3 => (0..1 + rng.below(4)).map(|_| 1 + rng.below(300)).collect(),
        _ => (0..1 + rng.below(15))
            .map(|_| chunk_size(rng.byte()))
            .collect(),
    }
}
