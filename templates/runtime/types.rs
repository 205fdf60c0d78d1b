//! Wire types: Genesys date-times, intervals, string enums, and how values become parameters.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Raw bytes of a file download or upload.
pub use bytes::Bytes;
/// A calendar date (`date`, `yyyy-MM-dd`).
pub use chrono::NaiveDate as Date;
/// A date and time without a zone (`local-date-time`).
pub use chrono::NaiveDateTime as LocalDateTime;
/// A time of day without a zone (`local-time`).
pub use chrono::NaiveTime as LocalTime;

/// A UTC instant (`date-time`), sent in the form Genesys documents:
/// `yyyy-MM-ddTHH:mm:ss.SSSZ`. Decodes any ISO-8601 / RFC 3339 date-time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct DateTime(pub chrono::DateTime<chrono::Utc>);

impl DateTime {
    /// The current time.
    pub fn now() -> Self {
        DateTime(chrono::Utc::now())
    }
}

impl From<chrono::DateTime<chrono::Utc>> for DateTime {
    fn from(value: chrono::DateTime<chrono::Utc>) -> Self {
        DateTime(value)
    }
}

impl From<DateTime> for chrono::DateTime<chrono::Utc> {
    fn from(value: DateTime) -> Self {
        value.0
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%dT%H:%M:%S%.3fZ"))
    }
}

impl FromStr for DateTime {
    type Err = chrono::ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        chrono::DateTime::parse_from_rfc3339(s).map(|d| DateTime(d.with_timezone(&chrono::Utc)))
    }
}

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// An ISO-8601 interval `start/end` (`interval` format), e.g.
/// `2024-01-01T00:00:00.000Z/2024-01-02T00:00:00.000Z`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Interval {
    /// Start of the interval (inclusive).
    pub start: DateTime,
    /// End of the interval (exclusive).
    pub end: DateTime,
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.start, self.end)
    }
}

impl FromStr for Interval {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (start, end) = s
            .split_once('/')
            .ok_or_else(|| format!("interval {s:?} has no '/'"))?;
        let parse = |part: &str| {
            part.parse::<DateTime>()
                .map_err(|e| format!("interval {s:?}: {e}"))
        };
        Ok(Interval {
            start: parse(start)?,
            end: parse(end)?,
        })
    }
}

impl Serialize for Interval {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Interval {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// A string enum whose unknown values are kept: generated enums implement this, and
/// `impl_string_enum!` derives the rest from it.
pub trait StringEnum: Sized {
    /// The value as sent on the wire.
    fn as_str(&self) -> &str;
    /// The variant for a wire value; values this client does not know are kept as they are.
    fn from_wire(value: &str) -> Self;
}

/// A value that can be sent as a path, query or header parameter.
pub trait ToParam {
    /// The parameter's text, before percent-encoding.
    fn to_param(&self) -> String;
}

macro_rules! to_param_display {
    ($($ty:ty),*) => {
        $(impl ToParam for $ty {
            fn to_param(&self) -> String {
                self.to_string()
            }
        })*
    };
}

to_param_display!(
    String,
    str,
    bool,
    i32,
    i64,
    f32,
    f64,
    DateTime,
    Date,
    LocalDateTime,
    LocalTime,
    Interval
);

impl<T: ToParam + ?Sized> ToParam for &T {
    fn to_param(&self) -> String {
        (**self).to_param()
    }
}
