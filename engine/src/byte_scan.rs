//! The bit tricks of the engine, all in this module: finding the first byte
//! of a class in a slice sixteen bytes per step (vector compares) or eight
//! (SWAR in a register), and comparing names with a lowercase constant a word
//! at a time.
//!
//! Finding a byte, sixteen bytes per step:
//!
//! The test is written as a branch-free pass over a whole `[u8; 16]` array, a
//! shape the compiler turns into vector compares (SSE2 on x86-64, checked in
//! the generated code) without any `unsafe` or target-specific code here; on
//! other targets it is plain, correct Rust. Most request bytes sit in runs
//! (header names, field values) that end at one byte of a small class (`:`, a
//! control byte), so a step that clears sixteen bytes with a handful of
//! instructions is where parsing time goes down.

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// `b` in every byte of a word.
#[inline]
const fn splat(b: u8) -> u64 {
    ONES.wrapping_mul(b as u64)
}

/// A set of bytes to search for, tested a byte at a time (the form the
/// compiler vectorizes) and eight bytes at a time in a general-purpose
/// register (to locate the byte once a vector step says one is there).
pub(crate) trait ByteClass: Copy {
    /// True for the bytes of the class. Written with non-short-circuit
    /// operators (`|`, `&`) so that it vectorizes.
    fn has(self, b: u8) -> bool;
    /// Sets the high bit of the bytes of `word` (read little-endian) in the
    /// class. Only the lowest set bit needs to be exact: it must mark the
    /// first byte of the class, or be absent when there is none.
    fn word_marks(self, word: u64) -> u64;
}

/// Index of the first byte of `input` in `class`, or `input.len()` when there
/// is none.
#[inline(always)]
pub(crate) fn find(input: &[u8], class: impl ByteClass) -> usize {
    let mut rest = input;
    while let Some((chunk, more)) = rest.split_first_chunk::<16>() {
        // A fold over the whole array becomes a few vector compares and one
        // mask test; the mask itself cannot be had without `unsafe`, so the
        // byte is located with word tests in registers. (Building a u128 of
        // lane masks instead cost fewer instructions but went through the
        // stack and stalled on store forwarding: 18% slower per handshake.)
        let mut any = false;
        for &b in chunk {
            any |= class.has(b);
        }
        if any {
            let (low, high) = chunk.split_at(8);
            let at = first_in_word(low, class)
                .unwrap_or_else(|| first_in_word(high, class).map_or(16, |i| i.wrapping_add(8)));
            return passed(input, rest).wrapping_add(at);
        }
        rest = more;
    }
    passed(input, rest).wrapping_add(find_by_words(rest, class))
}

/// `find` eight bytes per step, for short inputs (tokens in field values) and
/// the last bytes of a long one.
#[inline(always)]
pub(crate) fn find_by_words(input: &[u8], class: impl ByteClass) -> usize {
    let mut rest = input;
    while let Some((word, more)) = rest.split_first_chunk::<8>() {
        if let Some(at) = first_in_word(word, class) {
            return passed(input, rest).wrapping_add(at);
        }
        rest = more;
    }
    passed(input, rest).wrapping_add(
        rest.iter()
            .position(|&b| class.has(b))
            .unwrap_or(rest.len()),
    )
}

/// Index of the first byte of the class among the first eight of `bytes`.
#[inline(always)]
fn first_in_word(bytes: &[u8], class: impl ByteClass) -> Option<usize> {
    let word = u64::from_le_bytes(*bytes.first_chunk::<8>()?);
    let marks = class.word_marks(word);
    (marks != 0).then_some((marks.trailing_zeros() / 8) as usize)
}

/// How many bytes of `input` lie before `rest`, a suffix of it.
#[inline(always)]
fn passed(input: &[u8], rest: &[u8]) -> usize {
    input.len().wrapping_sub(rest.len())
}

/// Position of the first LF in `s`.
#[inline]
pub(crate) fn find_lf(s: &[u8]) -> Option<usize> {
    let at = find(s, LineFeed);
    (at < s.len()).then_some(at)
}

/// The LF that ends a line.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LineFeed;

impl ByteClass for LineFeed {
    #[inline(always)]
    fn has(self, b: u8) -> bool {
        b == b'\n'
    }

    /// A zero byte after the XOR: the subtraction borrows out of it (a borrow
    /// reaches only bytes above the first zero).
    #[inline(always)]
    fn word_marks(self, word: u64) -> u64 {
        let x = word ^ splat(b'\n');
        x.wrapping_sub(ONES) & !x & HIGH_BITS
    }
}

/// Bytes that end a run of header-name bytes: anything but an ASCII letter,
/// digit or `-`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NotNameByte;

impl ByteClass for NotNameByte {
    #[inline(always)]
    fn has(self, b: u8) -> bool {
        let letter = (b | 0x20).wrapping_sub(b'a') < 26;
        let digit = b.wrapping_sub(b'0') < 10;
        !(letter | digit | (b == b'-'))
    }

    /// Letters are tested with bit 5 set (which maps no other byte onto
    /// `a`..`z`), digits and `-` on the bytes as they are. Below 0x80 no sum
    /// carries into the next byte; a byte from 0x80 up is marked itself and
    /// may disturb only the bytes above it.
    #[inline(always)]
    fn word_marks(self, word: u64) -> u64 {
        let folded = word | splat(0x20);
        let letter =
            folded.wrapping_add(splat(0x80 - b'a')) & !folded.wrapping_add(splat(0x7f - b'z'));
        let digit = word.wrapping_add(splat(0x80 - b'0')) & !word.wrapping_add(splat(0x7f - b'9'));
        let dash = word ^ splat(b'-');
        let is_dash = !(dash.wrapping_add(splat(0x7f)) | dash);
        !((letter | digit | is_dash) & !word) & HIGH_BITS
    }
}

/// Bytes that end a run of the usual token bytes: anything but an ASCII
/// letter, digit, `-`, `.` or `_`. Tokens in field values (extension
/// parameters such as `client_max_window_bits`, subprotocols such as
/// `v2.chat`) use the last two more than header names do.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NotUsualTokenByte;

impl ByteClass for NotUsualTokenByte {
    #[inline(always)]
    fn has(self, b: u8) -> bool {
        let letter = (b | 0x20).wrapping_sub(b'a') < 26;
        let digit = b.wrapping_sub(b'0') < 10;
        let dash_or_dot = b.wrapping_sub(b'-') < 2;
        !(letter | digit | dash_or_dot | (b == b'_'))
    }

    /// As `NotNameByte`, with `-`..`.` as a range and `_` by equality.
    #[inline(always)]
    fn word_marks(self, word: u64) -> u64 {
        let folded = word | splat(0x20);
        let letter =
            folded.wrapping_add(splat(0x80 - b'a')) & !folded.wrapping_add(splat(0x7f - b'z'));
        let digit = word.wrapping_add(splat(0x80 - b'0')) & !word.wrapping_add(splat(0x7f - b'9'));
        let dash_or_dot =
            word.wrapping_add(splat(0x80 - b'-')) & !word.wrapping_add(splat(0x7f - b'.'));
        let underscore = word ^ splat(b'_');
        let is_underscore = !(underscore.wrapping_add(splat(0x7f)) | underscore);
        !((letter | digit | dash_or_dot | is_underscore) & !word) & HIGH_BITS
    }
}

/// Control bytes below 0x20 and DEL: the bytes that end (CR) or break a field
/// value; HTAB is among them and is checked by the caller.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ControlByte;

impl ByteClass for ControlByte {
    #[inline(always)]
    fn has(self, b: u8) -> bool {
        (b < 0x20) | (b == 0x7f)
    }

    /// The subtraction borrows only out of a byte below 0x20, which is itself
    /// marked; the DEL test adds to 7-bit values, which never carries.
    #[inline(always)]
    fn word_marks(self, word: u64) -> u64 {
        let below_space = word.wrapping_sub(splat(0x20));
        let del = (word & splat(0x7f)).wrapping_add(ONES);
        (below_space | del) & !word & HIGH_BITS
    }
}

/// Bytes outside visible ASCII (`!`..`~`): the end of a request target.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NotVisibleAscii;

impl ByteClass for NotVisibleAscii {
    #[inline(always)]
    fn has(self, b: u8) -> bool {
        b.wrapping_sub(0x21) > 0x7e - 0x21
    }

    /// As `ControlByte`, with SP among the low bytes and every byte from 0x80
    /// up marked as it is.
    #[inline(always)]
    fn word_marks(self, word: u64) -> u64 {
        let below_bang = word.wrapping_sub(splat(0x21));
        let del = (word & splat(0x7f)).wrapping_add(ONES);
        (below_bang | del | word) & HIGH_BITS
    }
}

/// The 8 bytes of `s` at `at`, little-endian (0 when they are not all there).
#[inline(always)]
fn word8(s: &[u8], at: usize) -> u64 {
    s.get(at..)
        .and_then(|r| r.first_chunk::<8>())
        .map_or(0, |w| u64::from_le_bytes(*w))
}

/// The 4 bytes of `s` at `at`, little-endian, widened (0 when not all there).
#[inline(always)]
fn word4(s: &[u8], at: usize) -> u64 {
    s.get(at..)
        .and_then(|r| r.first_chunk::<4>())
        .map_or(0, |w| u64::from(u32::from_le_bytes(*w)))
}

/// True when `line` starts with `pattern` (lowercase letters and other
/// ASCII), its letters in either case and every other byte exactly as given.
/// Whole 8-byte words and one last overlapping word (4-byte words for short
/// patterns); with a constant pattern the letter masks are constants too.
/// Unlike `eq_lowercase_name` it needs no guarantee about `line`'s bytes.
#[inline(always)]
pub(crate) fn starts_with_lowercase(line: &[u8], pattern: &[u8]) -> bool {
    /// 0x20 at the lowercase letters of a word (ASCII only), 0 elsewhere.
    fn letters(word: u64) -> u64 {
        let letter = word.wrapping_add(splat(0x80 - b'a')) & !word.wrapping_add(splat(0x7f - b'z'));
        (letter & !word & HIGH_BITS) >> 2
    }
    let len = pattern.len();
    let Some(line) = line.get(..len) else {
        return false;
    };
    let same = |got: u64, want: u64| got | letters(want) == want;
    if len >= 8 {
        let last = len.wrapping_sub(8);
        let mut at = 0;
        while at < last {
            if !same(word8(line, at), word8(pattern, at)) {
                return false;
            }
            at = at.wrapping_add(8);
        }
        same(word8(line, last), word8(pattern, last))
    } else if len >= 4 {
        let last = len.wrapping_sub(4);
        same(word4(line, 0), word4(pattern, 0)) && same(word4(line, last), word4(pattern, last))
    } else {
        line.iter().zip(pattern).all(|(&x, &y)| {
            let fold = if y.is_ascii_lowercase() { 0x20 } else { 0 };
            x | fold == y
        })
    }
}

/// Compares a header name (a token, as the parsers guarantee) or a field value
/// with a lowercase name made of letters, digits and `-`, a word at a time:
/// whole 8-byte words, then one last word that overlaps the previous one
/// (4-byte words for short names). Setting bit 5 lowercases letters and maps
/// no other byte onto a letter; for `-` and digits it is already set, and the
/// only other bytes it could map onto them are control bytes, which tokens and
/// field values (HTAB aside, which it maps to `)`) exclude.
#[inline]
pub(crate) fn eq_lowercase_name(name: &[u8], lower: &[u8]) -> bool {
    let len = name.len();
    if len != lower.len() {
        return false;
    }
    if len >= 8 {
        let last = len.wrapping_sub(8);
        let mut at = 0;
        while at < last {
            if word8(name, at) | 0x2020_2020_2020_2020 != word8(lower, at) {
                return false;
            }
            at = at.wrapping_add(8);
        }
        word8(name, last) | 0x2020_2020_2020_2020 == word8(lower, last)
    } else if len >= 4 {
        let last = len.wrapping_sub(4);
        word4(name, 0) | 0x2020_2020 == word4(lower, 0)
            && word4(name, last) | 0x2020_2020 == word4(lower, last)
    } else {
        name.iter().zip(lower).all(|(&x, &y)| x | 0x20 == y)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check(input: &[u8], class: impl ByteClass) {
        let naive = input
            .iter()
            .position(|&x| class.has(x))
            .unwrap_or(input.len());
        assert_eq!(find(input, class), naive, "{input:?}");
    }

    #[test]
    fn finds_the_first_byte_of_the_class_at_every_position_and_length() {
        for len in 0..=40usize {
            for pos in 0..=len {
                for b in 0..=255u8 {
                    for filler in [b'a', b'Z', b'-', b'_', b' ', 0x80, 0xff] {
                        let mut input = vec![filler; len];
                        if let Some(slot) = input.get_mut(pos) {
                            *slot = b;
                        }
                        check(&input, NotNameByte);
                        check(&input, ControlByte);
                        check(&input, NotVisibleAscii);
                        check(&input, NotUsualTokenByte);
                        check(&input, LineFeed);
                    }
                }
            }
        }
    }

    #[test]
    fn classes_match_their_definitions() {
        for b in 0..=255u8 {
            assert_eq!(
                NotNameByte.has(b),
                !(b.is_ascii_alphanumeric() || b == b'-'),
                "{b}"
            );
            assert_eq!(ControlByte.has(b), b.is_ascii_control(), "{b}");
            assert_eq!(
                NotUsualTokenByte.has(b),
                !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_')),
                "{b}"
            );
            assert_eq!(NotVisibleAscii.has(b), !b.is_ascii_graphic(), "{b}");
        }
    }

    proptest! {
        /// Mostly run bytes with a few of anything: the word tests see
        /// class bytes, bytes from 0x80 up and borrows next to each other.
        #[test]
        fn finds_what_a_byte_loop_finds(
            input in proptest::collection::vec(
                prop_oneof![6 => b'a'..=b'z', 1 => Just(b'-'), 2 => any::<u8>()], 0..48),
        ) {
            check(&input, NotNameByte);
            check(&input, ControlByte);
            check(&input, NotVisibleAscii);
            check(&input, NotUsualTokenByte);
            check(&input, LineFeed);
        }
    }

    #[test]
    fn word_name_compare_matches_ascii_case_folding() {
        let lowers: Vec<&[u8]> = vec![
            b"a",
            b"ab",
            b"abc",
            b"host",
            b"origin",
            b"upgrade",
            b"connection",
            b"content-length",
            b"http2-settings",
            b"sec-websocket-key",
            b"sec-websocket-extensions",
            b"x-0123456789-abcdefghijklmnop",
        ];
        for lower in lowers {
            // Every single-byte change of the name, in upper and lower case.
            for upper in [false, true] {
                let base: Vec<u8> = lower
                    .iter()
                    .map(|b| if upper { b.to_ascii_uppercase() } else { *b })
                    .collect();
                assert!(eq_lowercase_name(&base, lower));
                for at in 0..base.len() {
                    // Tokens, and every other byte a field value may hold
                    // (the compare must not over-match either).
                    for t in (0x20..=0xffu8).filter(|&b| b != 0x7f) {
                        let mut name = base.clone();
                        name[at] = t;
                        assert_eq!(
                            eq_lowercase_name(&name, lower),
                            name.eq_ignore_ascii_case(lower),
                            "{:?} vs {:?}",
                            String::from_utf8_lossy(&name),
                            String::from_utf8_lossy(lower)
                        );
                    }
                }
                assert!(!eq_lowercase_name(&base[1..], lower));
            }
        }
    }
}
