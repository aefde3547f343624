//! Finding the first byte of a class in a slice, sixteen bytes per step.
//!
//! The test is written as a branch-free pass over a whole `[u8; 16]` array, a
//! shape the compiler turns into vector compares (SSE2 on x86-64, checked in
//! the generated code) without any `unsafe` or target-specific code here; on
//! other targets it is plain, correct Rust. Most request
//! bytes sit in runs (header names, field values) that end at one byte of a
//! small class (`:`, a control byte), so a step that clears sixteen bytes with
//! a handful of instructions is where parsing time goes down.

/// Index of the first byte of `input` for which `class` is true, or
/// `input.len()` when there is none.
///
/// `class` must be a pure function of the byte written with non-short-circuit
/// operators (`|`, `&`), so that it vectorizes.
#[inline(always)]
pub(crate) fn find(input: &[u8], class: impl Fn(u8) -> bool + Copy) -> usize {
    let mut rest = input;
    while let Some((chunk, more)) = rest.split_first_chunk::<16>() {
        let marks = u128::from_le_bytes(lane_masks(chunk, class));
        if marks != 0 {
            return passed(input, rest).wrapping_add((marks.trailing_zeros() / 8) as usize);
        }
        rest = more;
    }
    if let Some((chunk, more)) = rest.split_first_chunk::<8>() {
        let marks = u64::from_le_bytes(lane_masks(chunk, class));
        if marks != 0 {
            return passed(input, rest).wrapping_add((marks.trailing_zeros() / 8) as usize);
        }
        rest = more;
    }
    passed(input, rest).wrapping_add(rest.iter().position(|&b| class(b)).unwrap_or(rest.len()))
}

/// How many bytes of `input` lie before `rest`, a suffix of it.
#[inline(always)]
fn passed(input: &[u8], rest: &[u8]) -> usize {
    input.len().wrapping_sub(rest.len())
}

/// 0xff for each byte in `class`, 0 for the others. The result is tested as
/// one integer: computing the masks once for both "any?" and "where?" keeps
/// the compiler's vector code in one piece (a separate "any?" fold made it
/// split the name test into scalar pieces, 4% slower per handshake).
#[inline(always)]
fn lane_masks<const N: usize>(chunk: &[u8; N], class: impl Fn(u8) -> bool) -> [u8; N] {
    let mut masks = [0u8; N];
    for (mask, &b) in masks.iter_mut().zip(chunk) {
        *mask = if class(b) { 0xff } else { 0 };
    }
    masks
}

/// Bytes that end a run of header-name bytes: anything but an ASCII letter,
/// digit or `-`.
#[inline(always)]
pub(crate) fn not_name_byte(b: u8) -> bool {
    let letter = (b | 0x20).wrapping_sub(b'a') < 26;
    let digit = b.wrapping_sub(b'0') < 10;
    !(letter | digit | (b == b'-'))
}

/// Control bytes below 0x20 and DEL: the bytes that end (CR) or break a field
/// value; HTAB is among them and is checked by the caller.
#[inline(always)]
pub(crate) fn control_byte(b: u8) -> bool {
    (b < 0x20) | (b == 0x7f)
}

/// Bytes outside visible ASCII (`!`..`~`): the end of a request target.
#[inline(always)]
pub(crate) fn not_visible_ascii(b: u8) -> bool {
    b.wrapping_sub(0x21) > 0x7e - 0x21
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_byte_of_the_class_at_every_position_and_length() {
        for len in 0..=40usize {
            for pos in 0..=len {
                for b in 0..=255u8 {
                    for filler in [b'a', b'Z', b'-', 0x80] {
                        let mut input = vec![filler; len];
                        if let Some(slot) = input.get_mut(pos) {
                            *slot = b;
                        }
                        for class in [not_name_byte, control_byte, not_visible_ascii] {
                            let naive = input.iter().position(|&x| class(x)).unwrap_or(input.len());
                            assert_eq!(find(&input, class), naive, "{input:?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn classes_match_their_definitions() {
        for b in 0..=255u8 {
            assert_eq!(
                not_name_byte(b),
                !(b.is_ascii_alphanumeric() || b == b'-'),
                "{b}"
            );
            assert_eq!(control_byte(b), b.is_ascii_control(), "{b}");
            assert_eq!(not_visible_ascii(b), !b.is_ascii_graphic(), "{b}");
        }
    }
}
