//! The error of every EDM type's `FromStr`.

use std::fmt;

/// Maximum number of characters of the offending input kept in a [`ParseEdmError`].
const MAX_SHOWN_INPUT_CHARS: usize = 64;

/// Error returned when a string is not a valid wire form of an EDM primitive type.
///
/// Its [`Display`](fmt::Display) names the EDM type, the offending input (truncated to
/// 64 characters) and what was wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseEdmError {
    edm_type: &'static str,
    input: String,
    truncated: bool,
    reason: &'static str,
}

impl ParseEdmError {
    pub(super) fn new(edm_type: &'static str, input: &str, reason: &'static str) -> Self {
        let shown: String = input.chars().take(MAX_SHOWN_INPUT_CHARS).collect();
        let truncated = shown.len() < input.len();
        Self {
            edm_type,
            input: shown,
            truncated,
            reason,
        }
    }

    /// The qualified name of the EDM type that failed to parse, e.g. `"Edm.Duration"`.
    pub fn edm_type(&self) -> &'static str {
        self.edm_type
    }

    /// The offending input, truncated to its first 64 characters.
    pub fn input(&self) -> &str {
        &self.input
    }

    /// What was wrong with the input.
    pub fn reason(&self) -> &str {
        self.reason
    }
}

impl fmt::Display for ParseEdmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {} value {:?}", self.edm_type, self.input)?;
        if self.truncated {
            f.write_str(" (truncated)")?;
        }
        write!(f, ": {}", self.reason)
    }
}

impl std::error::Error for ParseEdmError {}
