//! Runtime support shared by every operation: the HTTP client, requests, responses, errors
//! and the wire types. Hand-written and copied verbatim into each generated crate by
//! `cargo xtask generate`, so the crate builds on its own.

mod client;
mod error;
mod request;
mod types;

pub use self::client::{Client, ClientBuilder};
pub use self::error::{ApiError, Error, ErrorBody};
pub use self::request::{ArrayStyle, Request, Response};
pub use self::types::{Bytes, Date, DateTime, Interval, LocalDateTime, LocalTime, StringEnum, ToParam};

/// Implements `Display`, `FromStr`, `From<&str>`, `ToParam` and serde for a string enum that
/// implements [`StringEnum`], so each generated enum carries no serde boilerplate of its own.
#[allow(unused_macros)]
macro_rules! impl_string_enum {
    ($name:ident) => {
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str($crate::runtime::StringEnum::as_str(self))
            }
        }
        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(<Self as $crate::runtime::StringEnum>::from_wire(value))
            }
        }
        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                <Self as $crate::runtime::StringEnum>::from_wire(value)
            }
        }
        impl $crate::runtime::ToParam for $name {
            fn to_param(&self) -> ::std::string::String {
                $crate::runtime::StringEnum::as_str(self).to_owned()
            }
        }
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str($crate::runtime::StringEnum::as_str(self))
            }
        }
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(<Self as $crate::runtime::StringEnum>::from_wire(&value))
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use impl_string_enum;
