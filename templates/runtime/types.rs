//! Wire types: Genesys date-times, intervals, string enums, and how values become parameters.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use serde::de::{IgnoredAny, MapAccess, Visitor};
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

/// A string enum whose unknown values are kept: every generated enum implements it, and
/// its `Display`, `FromStr`, `From<&str>` and serde impls are these two methods.
pub trait StringEnum: Sized {
    /// The value as sent on the wire.
    fn as_str(&self) -> &str;
    /// The variant for a wire value; values this client does not know are kept as they are.
    fn from_wire(value: &str) -> Self;
}

/// A model decoded from a JSON object field by field: generated models implement this
/// through `json_object!`, one `match` on their wire names, and [`deserialize_object`]
/// does the rest, so the thousands of models share one visitor. Fields absent from the object keep their
/// `Default` (`None`); fields the model does not know are skipped, or kept by models that
/// keep them.
pub trait DecodeFields: Default {
    /// The model's name, for "expected a ... object" in decode errors.
    const NAME: &'static str;

    /// Decodes the value of the field `key` into `self`; `Ok(false)` (value not read) when
    /// the model has no such field.
    fn decode_field<'de, A: MapAccess<'de>>(
        &mut self,
        key: FieldName<'de>,
        map: &mut A,
    ) -> Result<bool, A::Error>;
}

/// Decodes a JSON object into a [`DecodeFields`] model: each generated model's
/// `Deserialize` is this call.
pub fn deserialize_object<'de, D: Deserializer<'de>, T: DecodeFields>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: DecodeFields> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} object", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut value = T::default();
        while let Some(key) = map.next_key::<FieldName<'de>>()? {
            if !value.decode_field(key, &mut map)? {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(value)
    }
}

/// A field name as decoded, borrowed from the input when it has no escapes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldName<'de>(Cow<'de, str>);

impl FieldName<'_> {
    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name, owned.
    pub fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> Deserialize<'de> for FieldName<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NameVisitor;

        impl<'de> Visitor<'de> for NameVisitor {
            type Value = FieldName<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }

            fn visit_borrowed_str<E: serde::de::Error>(
                self,
                v: &'de str,
            ) -> Result<Self::Value, E> {
                Ok(FieldName(Cow::Borrowed(v)))
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(FieldName(Cow::Owned(v.to_owned())))
            }

            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(FieldName(Cow::Owned(v)))
            }
        }

        deserializer.deserialize_str(NameVisitor)
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_times_are_sent_in_utc_with_milliseconds() {
        let instant: DateTime = "2024-03-01T01:30:00.5+02:00".parse().unwrap();
        assert_eq!(instant.to_string(), "2024-02-29T23:30:00.500Z");
        let instant: DateTime = "2024-03-01T01:30:00Z".parse().unwrap();
        assert_eq!(instant.to_string(), "2024-03-01T01:30:00.000Z");
        assert_eq!(
            serde_json::to_string(&instant).unwrap(),
            "\"2024-03-01T01:30:00.000Z\""
        );
        let decoded: DateTime = serde_json::from_str("\"2024-03-01T01:30:00.000Z\"").unwrap();
        assert_eq!(decoded, instant);
    }

    #[test]
    fn date_times_without_an_offset_do_not_parse() {
        for text in ["2024-03-01", "2024-03-01T01:30:00", "yesterday", ""] {
            assert!(text.parse::<DateTime>().is_err(), "{text:?}");
        }
        assert!(serde_json::from_str::<DateTime>("12").is_err());
    }

    #[test]
    fn intervals_are_two_date_times_around_a_slash() {
        let text = "2024-01-01T00:00:00.000Z/2024-01-02T00:00:00.000Z";
        let interval: Interval = text.parse().unwrap();
        assert_eq!(interval.start.to_string(), "2024-01-01T00:00:00.000Z");
        assert_eq!(interval.end.to_string(), "2024-01-02T00:00:00.000Z");
        assert_eq!(interval.to_string(), text);
        assert_eq!(interval.to_param(), text);
        let error = "2024-01-01T00:00:00Z".parse::<Interval>().unwrap_err();
        assert!(error.contains("has no '/'"), "{error}");
        let error = "2024-01-01T00:00:00Z/later"
            .parse::<Interval>()
            .unwrap_err();
        assert!(
            error.starts_with("interval \"2024-01-01T00:00:00Z/later\": "),
            "{error}"
        );
    }

    #[test]
    fn parameters_render_through_references() {
        let twice: &&str = &"x y";
        assert_eq!(twice.to_param(), "x y");
        assert_eq!(1.5f32.to_param(), "1.5");
        assert_eq!(
            LocalTime::from_hms_opt(9, 5, 0).unwrap().to_param(),
            "09:05:00"
        );
    }

    /// A model decoded field by field, as `json_object!` implements it by hand here.
    #[derive(Debug, Default, PartialEq)]
    struct Pair {
        left: Option<i64>,
        right: Option<String>,
    }

    impl DecodeFields for Pair {
        const NAME: &'static str = "Pair";

        fn decode_field<'de, A: MapAccess<'de>>(
            &mut self,
            key: FieldName<'de>,
            map: &mut A,
        ) -> Result<bool, A::Error> {
            Ok(match key.as_str() {
                "left" => {
                    self.left = map.next_value()?;
                    true
                }
                "right" => {
                    self.right = map.next_value()?;
                    true
                }
                _ => false,
            })
        }
    }

    fn decode(json: &str) -> Result<Pair, serde_json::Error> {
        deserialize_object(&mut serde_json::Deserializer::from_str(json))
    }

    #[test]
    fn objects_decode_known_fields_and_skip_the_rest() {
        let pair = decode(r#"{"extra": {"deep": [1, 2]}, "right": "r", "left": 3}"#).unwrap();
        assert_eq!(
            pair,
            Pair {
                left: Some(3),
                right: Some("r".to_owned())
            }
        );
        assert_eq!(decode("{}").unwrap(), Pair::default());
        assert_eq!(decode(r#"{"left": null}"#).unwrap(), Pair::default());
    }

    #[test]
    fn objects_decode_escaped_field_names() {
        let pair = decode(r#"{"l\u0065ft": 1}"#).unwrap();
        assert_eq!(pair.left, Some(1));
    }

    #[test]
    fn decode_errors_name_the_model() {
        let error = decode("[1]").unwrap_err().to_string();
        assert!(error.contains("expected a Pair object"), "{error}");
        let error = decode(r#"{"left": "three"}"#).unwrap_err().to_string();
        assert!(error.contains("invalid type: string \"three\""), "{error}");
    }
}
