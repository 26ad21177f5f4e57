//! `Edm.Binary`.

use std::fmt;
use std::str::FromStr;

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;

use super::error::ParseEdmError;

const LENIENT_DECODE: GeneralPurposeConfig =
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
const STANDARD_LENIENT: GeneralPurpose =
    GeneralPurpose::new(&base64::alphabet::STANDARD, LENIENT_DECODE);
const URL_SAFE_LENIENT: GeneralPurpose =
    GeneralPurpose::new(&base64::alphabet::URL_SAFE, LENIENT_DECODE);

/// `Edm.Binary`: bytes, base64-encoded on the wire.
///
/// Display (and serialization) uses the standard alphabet with padding. Parsing accepts the
/// standard and the URL-safe alphabet (not mixed), with or without padding.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Binary(pub Vec<u8>);

newtype_conversions!(Binary, Vec<u8>);
string_serde!(Binary, "Edm.Binary");

impl From<&[u8]> for Binary {
    fn from(value: &[u8]) -> Self {
        Self(value.to_vec())
    }
}

impl AsRef<[u8]> for Binary {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl FromStr for Binary {
    type Err = ParseEdmError;

    fn from_str(s: &str) -> Result<Self, ParseEdmError> {
        let engine = if s.bytes().any(|b| b == b'-' || b == b'_') {
            &URL_SAFE_LENIENT
        } else {
            &STANDARD_LENIENT
        };
        engine.decode(s).map(Self).map_err(|error| {
            let reason = match error {
                base64::DecodeError::InvalidByte(..) => "invalid base64 character",
                base64::DecodeError::InvalidLength(_) => "invalid base64 length",
                base64::DecodeError::InvalidLastSymbol(..) => {
                    "invalid last base64 symbol (non-zero trailing bits)"
                }
                base64::DecodeError::InvalidPadding => "invalid base64 padding",
            };
            ParseEdmError::new("Edm.Binary", s, reason)
        })
    }
}

impl fmt::Display for Binary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(
            &base64::display::Base64Display::new(
                &self.0,
                &base64::engine::general_purpose::STANDARD,
            ),
            f,
        )
    }
}
