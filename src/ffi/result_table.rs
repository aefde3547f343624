//! The machinery behind the one table of result codes in `result`: it expands
//! to every mapping a code has (engine error to code and back, text, the list
//! of all codes), so adding a code is one row there plus its variant in the
//! enum that cbindgen reads.

use super::wsh_result;

/// `prefix` then `text` then a NUL, as the bytes of a C string of `N` bytes.
pub(crate) const fn joined<const N: usize>(prefix: &str, text: &str) -> [u8; N] {
    let (prefix, text) = (prefix.as_bytes(), text.as_bytes());
    let mut out = [0u8; N];
    let mut i = 0;
    while i < prefix.len() {
        out[i] = prefix[i];
        i += 1;
    }
    while i < prefix.len() + text.len() {
        out[i] = text[i - prefix.len()];
        i += 1;
    }
    out
}

/// The C string `prefix` + `text`, made at compile time from engine texts
/// (`const fn description`): a text with a NUL inside fails the build.
macro_rules! c_text {
    ($prefix:expr, $text:expr) => {{
        const LEN: usize = $prefix.len() + $text.len() + 1;
        const BYTES: [u8; LEN] = $crate::ffi::result_table::joined::<LEN>($prefix, $text);
        const TEXT: &::core::ffi::CStr = match ::core::ffi::CStr::from_bytes_with_nul(&BYTES) {
            Ok(text) => text,
            Err(_) => panic!("a result text holds a NUL byte"),
        };
        TEXT
    }};
}
pub(crate) use c_text;

/// The engine error a row names, as a value: `BufferTooSmall { needed }` with
/// `needed` 0 (its text does not show it).
macro_rules! engine_value {
    ($engine:ident :: $variant:ident $(($inner:path))? $({ $field:ident })?) => {
        $engine::$variant $(($inner))? $({ $field: 0 })?
    };
}
pub(crate) use engine_value;

/// The engine error whose text a row uses: its own, or the one after `text`.
macro_rules! text_source {
    ($value:expr ;) => {
        $value
    };
    ($value:expr ; $source:expr) => {
        $source
    };
}
pub(crate) use text_source;

/// Sorts codes by number at compile time.
pub(crate) const fn sorted<const N: usize>(mut codes: [wsh_result; N]) -> [wsh_result; N] {
    let mut i = 1;
    while i < N {
        let mut j = i;
        while j > 0 && codes[j - 1] as u32 > codes[j] as u32 {
            let earlier = codes[j - 1];
            codes[j - 1] = codes[j];
            codes[j] = earlier;
            j -= 1;
        }
        i += 1;
    }
    codes
}

/// The first `M` of `N` codes.
pub(crate) const fn first<const N: usize, const M: usize>(
    codes: [wsh_result; N],
) -> [wsh_result; M] {
    let mut out = [wsh_result::WSH_OK; M];
    let mut i = 0;
    while i < M {
        out[i] = codes[i];
        i += 1;
    }
    out
}

/// Expands the table of result codes. Rows are `CODE => "text"` (codes of the
/// C layer itself) or, per engine error type, `CODE => Variant` with an
/// optional inner value `(path)`, a field `{ name }` and `text Error::Other`
/// (whose text to use instead of the variant's own). Each engine section gives
/// `From<Error> for wsh_result` (unknown variants: WSH_PANIC) and the getter
/// named after `as` (the engine error a code stands for).
macro_rules! result_table {
    (
        { $($own:ident => $own_text:literal,)* }
        $(
            $engine:ident as $getter:ident, prefix $prefix:literal {
                $($code:ident => $variant:ident $(($inner:path))? $({ $field:ident })? $(text $source:expr)?,)*
            }
        )*
    ) => {
        const COUNT: usize = [$(wsh_result::$own,)* $($(wsh_result::$code,)*)*].len();

        /// Every code, in numeric order.
        const CODES: [wsh_result; COUNT] =
            $crate::ffi::result_table::sorted([$(wsh_result::$own,)* $($(wsh_result::$code,)*)*]);

        $(
            impl From<$engine> for wsh_result {
                fn from(e: $engine) -> Self {
                    match e {
                        $($engine::$variant $(($inner))? $({ $field: _ })? => wsh_result::$code,)*
                        // The engine's errors are `#[non_exhaustive]`: a variant this
                        // crate does not know is a mismatch inside the workspace.
                        #[allow(unreachable_patterns)]
                        _ => wsh_result::WSH_PANIC,
                    }
                }
            }
        )*

        impl wsh_result {
            $(
                /// The engine error this code stands for, if it is one.
                pub fn $getter(self) -> Option<$engine> {
                    match self {
                        $(wsh_result::$code => Some($crate::ffi::result_table::engine_value!(
                            $engine::$variant $(($inner))? $({ $field })?
                        )),)*
                        _ => None,
                    }
                }
            )*

            /// A fixed description: the engine's text for its errors.
            #[deny(unreachable_patterns)]
            pub fn description(self) -> &'static CStr {
                use $crate::ffi::result_table::{c_text, engine_value, text_source};
                match self {
                    $(wsh_result::$own => c_text!("", $own_text),)*
                    $($(wsh_result::$code => c_text!($prefix, text_source!(
                        engine_value!($engine::$variant $(($inner))? $({ $field })?) ; $($source)?
                    ).description()),)*)*
                }
            }
        }
    };
}
pub(crate) use result_table;
