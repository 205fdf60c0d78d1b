//! Runtime support shared by every operation: the HTTP client, authentication, retries,
//! requests, responses, errors, paging, asynchronous jobs and the wire types. Hand-written
//! and copied verbatim into each generated crate by `cargo xtask generate`, so the crate
//! builds on its own.
//!
//! # Configuration
//!
//! [`Client::builder`] takes where requests go: a [`Region`] (all 18 Genesys Cloud
//! regions, each with its `api.` and `login.` host), a custom base URL and login URL, or an
//! API [`Gateway`] that maps both; the authentication (client credentials, a bearer token,
//! or any [`TokenProvider`]); how it connects: an HTTP proxy (with basic auth), a client
//! TLS identity for mutual TLS, extra root certificates; connect and per-attempt
//! timeouts, a product token for the `User-Agent`, a [`RetryPolicy`], or a whole
//! `reqwest::Client` of the caller's (TLS is rustls; OpenSSL is never linked). The
//! [`ClientBuilder`] docs say which setting wins where several name a URL.
//! [`ClientBuilder::from_env`] (or [`Client::from_env`]) starts from the `GENESYSCLOUD_*`
//! variables the Genesys Cloud CLI and Terraform provider read (region, client id and
//! secret, access token, proxy, gateway), with a one-line [`Error::Config`] naming the
//! variable of a bad value. Each operation's builder takes [`CallOptions`] through
//! `with_options` (timeout, retries, extra headers such as `If-Match`).
//!
//! ```no_run
//! # fn run() -> Result<(), genesys_cloud::Error> {
//! use genesys_cloud::runtime::{ClientBuilder, Gateway, Region};
//!
//! // GENESYSCLOUD_REGION, GENESYSCLOUD_OAUTHCLIENT_ID, GENESYSCLOUD_OAUTHCLIENT_SECRET, ...
//! let from_env = genesys_cloud::Client::from_env()?;
//! let in_a_region = genesys_cloud::Client::builder()
//!     .region(Region::EuWest2)
//!     .client_credentials("client id", "client secret")
//!     .build()?;
//! let through_a_gateway = ClientBuilder::from_env()?
//!     .gateway(Gateway::new("gateway.example.com").api_path("api").login_path("login"))
//!     .proxy("http://proxy.example.com:3128")
//!     .build()?;
//! # let _ = (from_env, in_a_region, through_a_gateway);
//! # Ok(()) }
//! ```
//!
//! # Authentication
//!
//! Client-credentials tokens are cached and refreshed before they expire, by one token
//! request however many calls are waiting. A 401 makes the client drop the token, get a new
//! one, and retry once. Secrets are [`Secret`]s: `Debug`, logs and errors never show them.
//!
//! Besides client credentials and a bearer token, the grants Genesys offers are providers:
//! [`AuthorizationCode`] (exchange, then refresh; with a [`PkceVerifier`] for public
//! clients), [`RefreshToken`] (from a stored refresh token) and [`Saml2Bearer`]. They take
//! the [`TokenEndpoint`] of [`ClientBuilder::token_endpoint`], so token requests carry the
//! client's `User-Agent`, timeout and retry policy; refresh tokens rotate when Genesys sends
//! new ones. Each refresh runs in a task of its own: a call that gives up waiting does not
//! cancel it, and when it fails every waiting call gets the error.
//!
//! # Retries
//!
//! See [`RetryPolicy`]: 429 (after `Retry-After`), 503 and connection failures before
//! sending are retried for every method; 502, 504 and failures after sending only for
//! idempotent methods unless a call opts in; backoff is exponential with full jitter,
//! bounded in attempts and total time. Request bodies are kept and re-sent intact.
//!
//! Each attempt, its access token included, takes at most the call's timeout
//! ([`ClientBuilder::timeout`], [`CallOptions::timeout`]): the wait for the token is bounded
//! by it, and the HTTP exchange has what that wait left. A token that does not come in time
//! fails the call with [`Error::Timeout`] at once (the token request has its own retries),
//! so a stuck login host holds no call past its timeout.
//!
//! # Errors
//!
//! [`Error`] is the one error type; `Display` is one line. API errors carry the status,
//! the decoded [`ErrorBody`], the correlation id and the headers; a success's status and
//! headers come with `send_with_response()` as an [`ApiResponse`]. An error that ends a
//! call's attempts counts them ([`Error::attempts`], "(after 4 attempts)" in the line), and
//! a failure that was not retried only because its method is not idempotent says so. Every
//! cause is reachable through `std::error::Error::source()`: the HTTP error of
//! [`Error::Transport`] and [`Error::Timeout`], the failure under an [`Error::Auth`].
//! [`Error::is_timeout`] is true for a timeout, whether of an API call or of its token.

//! # Models
//!
//! Every model field is an `Option`: a field the definition marks required but a response
//! lacks decodes as `None` rather than failing the call (Genesys omits "required" fields in
//! some responses), and `new(...)` takes the required fields of request models. A value of
//! the wrong type is an [`Error::Decode`] naming the model and the field's path. Unknown
//! fields never fail a decode; models that travel both ways (read, then sent back) keep them
//! in `unknown_fields` and send them again, so a GET-modify-PUT does not erase fields
//! Genesys added after the client was generated. Enum values the client does not know are
//! kept in `UnknownValue` and sent back unchanged.
//!
//! A `None` field is left out of a request, which a PATCH or PUT reads as "leave
//! unchanged". To clear a field, send it as JSON `null` with the request model's
//! `set_null`, which names the field by a closure, so a misspelt field does not compile:
//!
//! ```text
//! let mut patch = UserPatch::default();
//! patch.title = Some("Lead".into());
//! patch.set_null(|p| &mut p.department); // sends "department": null
//! ```
//!
//! # Paging and jobs
//!
//! Operations answering a Genesys listing have `into_stream()`, a [`Pages`] stream of the
//! items of every page. Operations that start an asynchronous job polled by another have
//! `send_and_wait(`[`PollOptions`]`)`, which polls until the job completes or fails.
//!
//! # Tracing
//!
//! Each call runs in one `tracing` span, `genesys_cloud.call`, recording the operation id,
//! method, path template, status, attempts and latency; retries are `debug` events. Tokens
//! and bodies are never recorded.
//!
//! Wire logging, off by default, is turned on with [`ClientBuilder::log_wire`] and a
//! [`WireLog`]: each HTTP exchange is then a pair of `TRACE` events on the target
//! `genesys_cloud.wire` (the same in every generated crate), with the method, the full URL,
//! the status, the elapsed milliseconds, the request and response headers, and bodies cut
//! to a set size. `Authorization`, `Proxy-Authorization`, `Cookie` and `Set-Cookie` values,
//! and JSON, form and query fields named like secrets (`access_token`, `client_secret`,
//! `password`, ...), are redacted. A subscriber must enable the target too, for example
//! `RUST_LOG=genesys_cloud.wire=trace` with `tracing-subscriber`'s `EnvFilter`.
//!
//! # Notifications
//!
//! With the cargo feature `notifications-ws`, the `notifications` module follows live
//! events over Genesys's WebSocket notification channels: channels and their topics, and a
//! stream of events that keeps itself connected (heartbeats, reconnection, expired
//! channels replaced with every topic).

mod auth;
mod builder;
mod client;
mod environment;
mod error;
mod grants;
mod jobs;
#[cfg(feature = "notifications-ws")]
#[cfg_attr(docsrs, doc(cfg(feature = "notifications-ws")))]
pub mod notifications;
mod nulls;
mod pagination;
mod pkce;
mod region;
mod request;
mod retry;
mod token_endpoint;
mod types;
mod wire;

pub use self::auth::{AccessToken, BoxFuture, Secret, StaticToken, TokenProvider};
pub use self::builder::{ClientBuilder, Gateway};
pub use self::client::{Client, Operation, RequestBuilder, ResponseFuture};
pub use self::error::{ApiError, Error, ErrorBody};
pub use self::grants::{AuthorizationCode, ClientCredentials, RefreshToken, Saml2Bearer};
pub use self::jobs::PollOptions;
pub use self::pagination::{Pages, MAX_CONCURRENT_PAGES};
pub use self::pkce::PkceVerifier;
pub use self::region::{ParseRegionError, Region};
pub use self::request::ApiResponse;
pub use self::retry::{CallOptions, RetryPolicy};
pub use self::token_endpoint::TokenEndpoint;
pub use self::types::{Bytes, Date, DateTime, Interval, LocalDateTime, LocalTime, StringEnum};
pub use self::wire::WireLog;

/// Plumbing for this crate's generated code: not public API.
///
/// The generated operations and models of this crate reach what they share through this
/// module (requests and responses, parameter encoding, the model decoder, paging and job
/// polling). It is public only because generated code compiles under any combination of
/// features, where crate-private items that a feature's code alone uses would be dead
/// code. Nothing here is covered by semver: it may change or go in any release.
#[doc(hidden)]
pub mod __private {
    pub use super::jobs::{poll_job, required, JobState};
    pub use super::nulls::{find_field, Nulls, NullsMap};
    pub use super::pagination::{pages, Listing, Page, Paging};
    pub use super::request::{ArrayStyle, Request, Response};
    pub use super::types::{deserialize_object, DecodeFields, FieldName, ToParam};
}

/// What the accessor of an API group whose cargo feature is off would return. Such an
/// accessor cannot be called: its bound, which nothing satisfies, names the feature.
#[doc(hidden)]
#[derive(Debug)]
pub struct FeatureOff;

/// Declares the models' modules and re-exports their types, each under its `cfg` (which
/// docs.rs shows as the features the type needs), from one table in `models/mod.rs`:
///
/// ```text
/// crate::runtime::model_modules! {
///     #[cfg(feature = "users")]
///     user::User,
/// }
/// ```
#[allow(unused_macros)]
macro_rules! model_modules {
    ($(#[cfg($($cfg:tt)*)] $module:ident::$model:ident,)*) => {
        $(
            #[cfg($($cfg)*)]
            mod $module;
            #[cfg($($cfg)*)]
            #[cfg_attr(docsrs, doc(cfg($($cfg)*)))]
            pub use self::$module::$model;
        )*
    };
}
#[allow(unused_imports)]
pub(crate) use model_modules;

/// Implements [`StringEnum`] for a generated enum from its table of variants and wire
/// values, and with it `Display`, `FromStr`, `From<&str>`, `ToParam` and serde, so each
/// enum is its definition and this table:
///
/// ```text
/// crate::runtime::string_enum! {
///     Channel {
///         Email => "email",
///         Sms => "sms",
///     }
/// }
/// ```
///
/// The enum must have an `UnknownValue(String)` variant, which takes values not in the table.
#[allow(unused_macros)]
macro_rules! string_enum {
    ($name:ident { $($variant:ident => $wire:literal,)* }) => {
        #[allow(deprecated)]
        impl $crate::runtime::StringEnum for $name {
            fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::UnknownValue(value) => value,
                }
            }

            fn from_wire(value: &str) -> Self {
                match value {
                    $($wire => Self::$variant,)*
                    other => Self::UnknownValue(other.to_owned()),
                }
            }
        }
        #[allow(deprecated)]
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str($crate::runtime::StringEnum::as_str(self))
            }
        }
        #[allow(deprecated)]
        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(<Self as $crate::runtime::StringEnum>::from_wire(value))
            }
        }
        #[allow(deprecated)]
        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                <Self as $crate::runtime::StringEnum>::from_wire(value)
            }
        }
        #[allow(deprecated)]
        impl $crate::runtime::__private::ToParam for $name {
            fn to_param(&self) -> ::std::string::String {
                $crate::runtime::StringEnum::as_str(self).to_owned()
            }
        }
        #[allow(deprecated)]
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str($crate::runtime::StringEnum::as_str(self))
            }
        }
        #[allow(deprecated)]
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(
                    deserializer,
                )?;
                ::std::result::Result::Ok(<Self as $crate::runtime::StringEnum>::from_wire(&value))
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use string_enum;

/// Implements serde for a generated model from its table of wire names and the fields
/// they hold: `Deserialize` through [`__private::DecodeFields`] and
/// [`__private::deserialize_object`] (one shared visitor for the thousands of models),
/// `Serialize` as a JSON object of the fields that are set. The traits in parentheses are
/// the ones the model's direction needs:
///
/// ```text
/// crate::runtime::json_object! {
///     User "User" (Serialize, Deserialize) {
///         "id" => id,
///         "self" => self_,
///         _ => unknown_fields,
///     }
/// }
/// ```
///
/// The string after the name is the model's name in the definition, for decode errors.
/// Every field is an `Option`, left out of the object when `None`. A last `_ => field`
/// names the map that holds every other field (`unknown_fields` or
/// `additional_properties`): decoding fills it and encoding writes it out after the
/// fields. Without it, decoding skips other fields.
///
/// `Serialize` also gives the model an inherent `set_null` method, which marks one of the
/// table's fields to be sent as JSON `null` when it is `None`. The model must have a field
/// `explicit_nulls: `[`__private::Nulls`] holding those fields' wire names. `Serialize`
/// writes through a [`__private::NullsMap`], one call per field, and `set_null` finds its
/// field by that same walk ([`__private::find_field`]).
#[allow(unused_macros)]
macro_rules! json_object {
    ($name:ident $wire_name:literal ($($json_trait:ident),+) $table:tt) => {
        $($crate::runtime::json_object!(@$json_trait $name $wire_name $table);)+
    };
    (@Deserialize $name:ident $wire_name:literal {
        $($wire:literal => $field:ident,)* $(_ => $rest:ident,)?
    }) => {
        #[allow(deprecated)]
        impl $crate::runtime::__private::DecodeFields for $name {
            const NAME: &'static str = $wire_name;

            fn decode_field<'de, A: ::serde::de::MapAccess<'de>>(
                &mut self,
                key: $crate::runtime::__private::FieldName<'de>,
                map: &mut A,
            ) -> ::std::result::Result<bool, A::Error> {
                ::std::result::Result::Ok(match key.as_str() {
                    $($wire => {
                        self.$field = map.next_value()?;
                        true
                    })*
                    _ => $crate::runtime::json_object!(@rest self key map $($rest)?),
                })
            }
        }
        #[allow(deprecated)]
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::runtime::__private::deserialize_object(deserializer)
            }
        }
    };
    (@rest $self:ident $key:ident $map:ident $rest:ident) => {{
        $self.$rest.insert($key.into_string(), $map.next_value()?);
        true
    }};
    (@rest $self:ident $key:ident $map:ident) => {{
        let _ = ($key, $map);
        false
    }};
    (@Serialize $name:ident $wire_name:literal {
        $($wire:literal => $field:ident,)* $(_ => $rest:ident,)?
    }) => {
        #[allow(deprecated)]
        impl $name {
            /// Sends a field as JSON `null` while it is `None`, to clear it on the server:
            /// a `None` field is otherwise left out of the request, which Genesys reads as
            /// "leave unchanged".
            ///
            /// The closure answers the field, so a misspelt field does not compile:
            ///
            /// ```text
            /// let mut patch = UserPatch::default();
            /// patch.title = Some("Lead".into());
            /// patch.set_null(|p| &mut p.department); // sends "department": null
            /// client.users().patch_user(id, patch).await?;
            /// ```
            ///
            /// A value set later wins: a field that is `Some` is sent with its value. A
            /// decoded model has no field marked, so sending back what a GET answered sends
            /// no `null`. The marks are part of `Debug` and `PartialEq`.
            ///
            /// # Panics
            ///
            /// If the closure answers anything but one of this model's own fields, such as
            /// a field of a model nested in it (call `set_null` on that model instead).
            #[track_caller]
            pub fn set_null<T>(
                &mut self,
                field: impl ::std::ops::FnOnce(&mut Self) -> &mut ::std::option::Option<T>,
            ) -> &mut Self {
                let wire = $crate::runtime::__private::find_field(self, field, $wire_name);
                self.explicit_nulls.insert(wire);
                self
            }
        }
        #[allow(deprecated)]
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                let mut map = $crate::runtime::__private::NullsMap::new(
                    ::serde::Serializer::serialize_map(serializer, ::std::option::Option::None)?,
                    &self.explicit_nulls,
                );
                $(map.field($wire, &self.$field)?;)*
                $(for (key, value) in &self.$rest {
                    map.entry(key, value)?;
                })?
                map.end()
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use json_object;

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::StringEnum;

    #[derive(Debug, Clone, PartialEq)]
    enum Channel {
        Email,
        Sms,
        UnknownValue(String),
    }

    crate::runtime::string_enum! {
        Channel {
            Email => "email",
            Sms => "sms",
        }
    }

    #[test]
    fn string_enums_keep_unknown_values() {
        assert_eq!("email".parse(), Ok(Channel::Email));
        assert_eq!(Channel::from("sms"), Channel::Sms);
        let fax = Channel::from_wire("fax");
        assert_eq!(fax, Channel::UnknownValue("fax".to_owned()));
        assert_eq!(fax.as_str(), "fax");
        assert_eq!(serde_json::to_string(&fax).unwrap(), "\"fax\"");
        let decoded: Vec<Channel> = serde_json::from_str(r#"["sms", "Email"]"#).unwrap();
        assert_eq!(
            decoded,
            [Channel::Sms, Channel::UnknownValue("Email".to_owned())]
        );
        assert_eq!(Channel::Email.to_string(), "email");
        assert_eq!(super::__private::ToParam::to_param(&Channel::Sms), "sms");
    }

    /// A model that keeps unknown fields, as models sent back to the API do.
    #[derive(Debug, Clone, Default, PartialEq)]
    struct Keeper {
        id: Option<String>,
        self_: Option<i64>,
        unknown_fields: BTreeMap<String, serde_json::Value>,
        explicit_nulls: super::__private::Nulls,
    }

    crate::runtime::json_object! {
        Keeper "Keeper" (Serialize, Deserialize) {
            "id" => id,
            "self" => self_,
            _ => unknown_fields,
        }
    }

    /// A decode-only model without a map for other fields.
    #[derive(Debug, Default, PartialEq)]
    struct Skipper {
        id: Option<String>,
    }

    crate::runtime::json_object! {
        Skipper "Skipper" (Deserialize) {
            "id" => id,
        }
    }

    #[test]
    fn json_objects_keep_unknown_fields_and_send_them_back() {
        let json = r#"{"added":{"x":[1]},"id":"a","self":2,"zeta":null}"#;
        let keeper: Keeper = serde_json::from_str(json).unwrap();
        assert_eq!(keeper.id.as_deref(), Some("a"));
        assert_eq!(keeper.self_, Some(2));
        assert_eq!(
            keeper.unknown_fields.keys().collect::<Vec<_>>(),
            ["added", "zeta"]
        );
        // Known fields first, in table order, then the kept ones.
        assert_eq!(
            serde_json::to_string(&keeper).unwrap(),
            r#"{"id":"a","self":2,"added":{"x":[1]},"zeta":null}"#
        );
    }

    #[test]
    fn json_objects_leave_unset_fields_out() {
        let keeper = Keeper {
            self_: Some(1),
            ..Keeper::default()
        };
        assert_eq!(serde_json::to_string(&keeper).unwrap(), r#"{"self":1}"#);
        let mut cleared = keeper.clone();
        cleared.set_null(|k| &mut k.id);
        assert_eq!(
            serde_json::to_string(&cleared).unwrap(),
            r#"{"id":null,"self":1}"#
        );
    }

    #[test]
    fn json_objects_without_a_map_skip_unknown_fields() {
        let skipper: Skipper = serde_json::from_str(r#"{"other":[{}],"id":"b"}"#).unwrap();
        assert_eq!(
            skipper,
            Skipper {
                id: Some("b".to_owned())
            }
        );
        let error = serde_json::from_str::<Skipper>("\"b\"").unwrap_err();
        assert!(
            error.to_string().contains("expected a Skipper object"),
            "{error}"
        );
    }
}
