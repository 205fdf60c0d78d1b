//! A request as the generated operations build it, the raw response they decode, and the
//! decoded response with its status and headers.

use std::borrow::Cow;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::HeaderMap;

use super::types::ToParam;
use super::{Bytes, Error};

/// Characters left as they are in a path segment: RFC 3986 unreserved ones. Everything
/// else, `/` and `?` included, is percent-encoded, so a value stays one segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// How an array parameter is serialized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ArrayStyle {
    /// `a=1&a=2`.
    Multi,
    /// `a=1,2`.
    Csv,
    /// `a=1 2`.
    Ssv,
    /// `a=1\t2`.
    Tsv,
    /// `a=1|2`.
    Pipes,
}

impl ArrayStyle {
    fn separator(self) -> &'static str {
        match self {
            ArrayStyle::Multi | ArrayStyle::Csv => ",",
            ArrayStyle::Ssv => " ",
            ArrayStyle::Tsv => "\t",
            ArrayStyle::Pipes => "|",
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) enum Payload {
    Empty,
    Json(Vec<u8>),
    Form(Vec<(&'static str, String)>),
    Multipart(Vec<Part>),
    Binary(Bytes, &'static str),
}

#[derive(Debug, Clone)]
pub(crate) enum Part {
    Text(&'static str, String),
    File(&'static str, Bytes),
}

/// One HTTP request of an operation, before it is sent.
#[derive(Debug, Clone)]
pub struct Request {
    pub(crate) method: reqwest::Method,
    pub(crate) operation: &'static str,
    pub(crate) template: &'static str,
    pub(crate) path: String,
    pub(crate) query: Vec<(Cow<'static, str>, String)>,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) payload: Payload,
    /// Whether the client authenticates the request (waits for its access token and sends
    /// it); `false` for operations the definition declares need none (`security: []`).
    pub(crate) credentials: bool,
}

impl Request {
    /// A request for `operation` (its operationId) to a path template such as
    /// `/api/v2/billing/trusteebillingoverview/{trustorOrgId}`.
    pub fn new(method: reqwest::Method, operation: &'static str, path: &'static str) -> Self {
        Request {
            method,
            operation,
            template: path,
            path: path.to_owned(),
            query: Vec::new(),
            headers: Vec::new(),
            payload: Payload::Empty,
            credentials: true,
        }
    }

    /// The request without credentials: the client neither waits for an access token nor
    /// sends an `Authorization` header (operations whose definition says `security: []`).
    pub fn without_credentials(mut self) -> Self {
        self.credentials = false;
        self
    }

    /// The HTTP method.
    pub fn method(&self) -> &reqwest::Method {
        &self.method
    }

    /// The path template (`/api/v2/users/{userId}`).
    pub fn template(&self) -> &'static str {
        self.template
    }

    /// The path with its parameters filled and encoded.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The value of the first query parameter of this name.
    pub fn query_value(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Replaces every query parameter of this name with one of this value (paging).
    pub fn set_query(&mut self, name: &'static str, value: impl Into<String>) {
        self.query.retain(|(n, _)| n != name);
        self.query.push((Cow::Borrowed(name), value.into()));
    }

    /// Points the request at a path and query the API gave (a listing's `nextUri`):
    /// `/api/v2/users?pageNumber=2`. The text is used as sent, already encoded.
    pub(crate) fn set_uri(&mut self, uri: &str) {
        let (path, query) = uri.split_once('?').unwrap_or((uri, ""));
        self.path = path.to_owned();
        self.query = url_pairs(query);
    }

    /// The operationId this request belongs to.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// Fills `{name}` in the path with the value, percent-encoded as one segment: `/`, `?`,
    /// `#`, spaces and non-ASCII characters cannot change the path. A value of `.` or `..`
    /// (which URLs resolve as a path step even when encoded) or an empty one is an
    /// [`Error::Encode`].
    pub fn path_param(&mut self, name: &str, value: &(impl ToParam + ?Sized)) -> Result<(), Error> {
        let text = value.to_param();
        if matches!(text.as_str(), "" | "." | "..") {
            return Err(Error::Encode {
                operation: self.operation,
                message: format!(
                    "path parameter {name} is {text:?}, which cannot be sent as a path segment"
                ),
                source: None,
            });
        }
        let encoded = utf8_percent_encode(&text, SEGMENT).to_string();
        self.path = self.path.replace(&format!("{{{name}}}"), &encoded);
        Ok(())
    }

    /// Adds a query parameter.
    pub fn query(&mut self, name: &'static str, value: &(impl ToParam + ?Sized)) {
        self.query.push((Cow::Borrowed(name), value.to_param()));
    }

    /// Adds an array query parameter in the given style.
    pub fn query_list<T: ToParam>(&mut self, name: &'static str, values: &[T], style: ArrayStyle) {
        if style == ArrayStyle::Multi {
            for value in values {
                self.query.push((Cow::Borrowed(name), value.to_param()));
            }
        } else {
            self.query.push((Cow::Borrowed(name), join(values, style)));
        }
    }

    /// Adds a header.
    pub fn header(&mut self, name: &'static str, value: &(impl ToParam + ?Sized)) {
        self.headers.push((name, value.to_param()));
    }

    /// Adds an array header, comma separated.
    pub fn header_list<T: ToParam>(&mut self, name: &'static str, values: &[T]) {
        self.headers.push((name, join(values, ArrayStyle::Csv)));
    }

    /// Sets a JSON body.
    pub fn json(&mut self, body: &impl serde::Serialize) -> Result<(), Error> {
        let bytes = serde_json::to_vec(body).map_err(|e| Error::Encode {
            operation: self.operation,
            message: e.to_string(),
            source: Some(e),
        })?;
        self.payload = Payload::Json(bytes);
        Ok(())
    }

    /// Adds a field to a URL-encoded form body.
    pub fn form_field(&mut self, name: &'static str, value: &(impl ToParam + ?Sized)) {
        if let Payload::Form(fields) = &mut self.payload {
            fields.push((name, value.to_param()));
        } else {
            self.payload = Payload::Form(vec![(name, value.to_param())]);
        }
    }

    /// Adds a text part to a multipart body.
    pub fn multipart_text(&mut self, name: &'static str, value: &(impl ToParam + ?Sized)) {
        self.push_part(Part::Text(name, value.to_param()));
    }

    /// Adds a file part to a multipart body.
    pub fn multipart_file(&mut self, name: &'static str, value: Bytes) {
        self.push_part(Part::File(name, value));
    }

    fn push_part(&mut self, part: Part) {
        if let Payload::Multipart(parts) = &mut self.payload {
            parts.push(part);
        } else {
            self.payload = Payload::Multipart(vec![part]);
        }
    }

    /// Sets a raw body with its content type.
    pub fn binary(&mut self, body: Bytes, content_type: &'static str) {
        self.payload = Payload::Binary(body, content_type);
    }
}

fn join<T: ToParam>(values: &[T], style: ArrayStyle) -> String {
    values
        .iter()
        .map(ToParam::to_param)
        .collect::<Vec<_>>()
        .join(style.separator())
}

/// Decodes `a=1&b=%2F` into pairs.
fn url_pairs(query: &str) -> Vec<(Cow<'static, str>, String)> {
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(&s.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (Cow::Owned(decode(name)), decode(value))
        })
        .collect()
}

/// A success response: status, headers and the body, read in full.
#[derive(Debug, Clone)]
pub struct Response {
    pub(crate) operation: &'static str,
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

impl Response {
    /// HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body, undecoded.
    pub fn bytes(&self) -> Bytes {
        self.body.clone()
    }

    /// Decodes the JSON body into `T`; `model` names `T` in the error, which also names the
    /// field where decoding failed. Unknown fields are ignored (or kept, by models that
    /// have `unknown_fields`); a missing field decodes as `None`.
    pub fn json<T: serde::de::DeserializeOwned>(&self, model: &'static str) -> Result<T, Error> {
        let body: &[u8] = if self.body.iter().all(u8::is_ascii_whitespace) {
            b"null"
        } else {
            &self.body
        };
        let mut deserializer = serde_json::Deserializer::from_slice(body);
        let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
            let path = e.path().to_string();
            let source = e.into_inner();
            Error::Decode {
                operation: self.operation,
                model,
                field: (path != ".").then_some(path),
                message: source.to_string(),
                source: Some(source),
            }
        })?;
        deserializer.end().map_err(|e| Error::Decode {
            operation: self.operation,
            model,
            field: None,
            message: e.to_string(),
            source: Some(e),
        })?;
        Ok(value)
    }

    /// The decoded body together with this response's status and headers.
    pub fn with_body<T>(self, body: T) -> ApiResponse<T> {
        ApiResponse {
            status: self.status,
            headers: self.headers,
            body,
        }
    }
}

/// A decoded success response with its status and headers, from an operation's
/// `send_with_response()`: for the status (`200` or `202`), the correlation id, the
/// `ETag` or the rate-limit headers.
#[derive(Debug, Clone)]
pub struct ApiResponse<T> {
    status: u16,
    headers: HeaderMap,
    body: T,
}

impl<T> ApiResponse<T> {
    /// HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// A header's value, when present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The `ININ-Correlation-Id` header Genesys support can trace.
    pub fn correlation_id(&self) -> Option<&str> {
        self.header("inin-correlation-id")
    }

    /// The `ETag` header, for a later `If-Match`.
    pub fn etag(&self) -> Option<&str> {
        self.header("etag")
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The decoded body, dropping status and headers.
    pub fn into_body(self) -> T {
        self.body
    }

    /// Status, headers and body.
    pub fn into_parts(self) -> (u16, HeaderMap, T) {
        (self.status, self.headers, self.body)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Date, DateTime, Interval};
    use super::*;

    fn request(path: &'static str) -> Request {
        Request::new(reqwest::Method::GET, "getThing", path)
    }

    fn filled(value: &str) -> Result<String, Error> {
        let mut request = request("/api/v2/things/{thingId}/parts");
        request.path_param("thingId", value)?;
        Ok(request.path().to_owned())
    }

    #[test]
    fn path_params_are_one_encoded_segment() {
        assert_eq!(filled("abc-123").unwrap(), "/api/v2/things/abc-123/parts");
        assert_eq!(
            filled("a/b?c#d e%f+g&h=i").unwrap(),
            "/api/v2/things/a%2Fb%3Fc%23d%20e%25f%2Bg%26h%3Di/parts"
        );
        // RFC 3986 unreserved characters stay as they are.
        assert_eq!(filled("A-z_0.9~").unwrap(), "/api/v2/things/A-z_0.9~/parts");
        assert_eq!(filled("...").unwrap(), "/api/v2/things/.../parts");
    }

    #[test]
    fn path_params_encode_unicode_as_utf8() {
        assert_eq!(
            filled("é東😀").unwrap(),
            "/api/v2/things/%C3%A9%E6%9D%B1%F0%9F%98%80/parts"
        );
    }

    #[test]
    fn path_params_refuse_dot_segments_and_empty_values() {
        for value in [".", "..", ""] {
            match filled(value) {
                Err(Error::Encode {
                    operation, message, ..
                }) => {
                    assert_eq!(operation, "getThing");
                    assert!(message.contains("thingId"), "{message}");
                }
                other => panic!("{value:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_path_param_cannot_fill_another_placeholder() {
        let mut request = request("/x/{a}/{b}");
        request.path_param("a", "{b}").unwrap();
        request.path_param("b", "v").unwrap();
        assert_eq!(request.path(), "/x/%7Bb%7D/v");
        assert_eq!(request.template(), "/x/{a}/{b}");
    }

    fn query(request: &Request) -> Vec<(&str, &str)> {
        request
            .query
            .iter()
            .map(|(name, value)| (name.as_ref(), value.as_str()))
            .collect()
    }

    #[test]
    fn array_query_values_follow_their_style() {
        let values = ["a", "b c"];
        let cases = [
            (ArrayStyle::Multi, vec![("id", "a"), ("id", "b c")]),
            (ArrayStyle::Csv, vec![("id", "a,b c")]),
            (ArrayStyle::Ssv, vec![("id", "a b c")]),
            (ArrayStyle::Tsv, vec![("id", "a\tb c")]),
            (ArrayStyle::Pipes, vec![("id", "a|b c")]),
        ];
        for (style, expected) in cases {
            let mut request = request("/x");
            request.query_list("id", &values, style);
            assert_eq!(query(&request), expected, "{style:?}");
        }
    }

    #[test]
    fn scalar_query_values_render_as_genesys_reads_them() {
        let instant: DateTime = "2024-01-02T03:04:05.6+00:00".parse().unwrap();
        let mut request = request("/x");
        request.query("flag", &true);
        request.query("off", &false);
        request.query("count", &25i32);
        request.query("big", &-9_007_199_254_740_993i64);
        request.query("ratio", &0.25f64);
        request.query("at", &instant);
        request.query("day", &Date::from_ymd_opt(2024, 2, 29).unwrap());
        request.query(
            "interval",
            &Interval {
                start: instant,
                end: instant,
            },
        );
        request.query("name", "O'Brien & Sons");
        assert_eq!(
            query(&request),
            [
                ("flag", "true"),
                ("off", "false"),
                ("count", "25"),
                ("big", "-9007199254740993"),
                ("ratio", "0.25"),
                ("at", "2024-01-02T03:04:05.600Z"),
                ("day", "2024-02-29"),
                (
                    "interval",
                    "2024-01-02T03:04:05.600Z/2024-01-02T03:04:05.600Z"
                ),
                ("name", "O'Brien & Sons"),
            ]
        );
    }

    #[test]
    fn array_headers_are_comma_separated() {
        let mut request = request("/x");
        request.header_list("X-Ids", &[1i64, 2, 3]);
        request.header("If-Match", "\"3\"");
        assert_eq!(
            request.headers,
            [
                ("X-Ids", "1,2,3".to_owned()),
                ("If-Match", "\"3\"".to_owned())
            ]
        );
    }

    #[test]
    fn set_query_replaces_every_value_of_the_name() {
        let mut request = request("/x");
        request.query_list("pageNumber", &[1, 2], ArrayStyle::Multi);
        request.query("pageSize", &25);
        request.set_query("pageNumber", "3");
        assert_eq!(query(&request), [("pageSize", "25"), ("pageNumber", "3")]);
        assert_eq!(request.query_value("pageNumber"), Some("3"));
        assert_eq!(request.query_value("cursor"), None);
    }

    #[test]
    fn set_uri_takes_the_path_and_decodes_the_query() {
        let mut request = request("/api/v2/users");
        request.query("pageNumber", &1);
        request.set_uri("/api/v2/users?pageNumber=2&q=a%2Fb+c&flag&=x");
        assert_eq!(request.path(), "/api/v2/users");
        assert_eq!(
            query(&request),
            [("pageNumber", "2"), ("q", "a/b c"), ("flag", ""), ("", "x")]
        );
        request.set_uri("/api/v2/groups");
        assert_eq!(request.path(), "/api/v2/groups");
        assert!(request.query.is_empty());
    }

    fn response(body: &str) -> Response {
        Response {
            operation: "getThings",
            status: 200,
            headers: HeaderMap::new(),
            body: Bytes::from(body.to_owned()),
        }
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Thing {
        id: Option<i64>,
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Things {
        entities: Option<Vec<Thing>>,
    }

    #[test]
    fn an_empty_body_decodes_as_null() {
        assert_eq!(response("").json::<Option<Thing>>("Thing").unwrap(), None);
        assert_eq!(
            response(" \n").json::<Option<Thing>>("Thing").unwrap(),
            None
        );
    }

    #[test]
    fn decode_errors_name_the_model_and_the_field() {
        let body = r#"{"entities": [{"id": 1}, {"id": "two"}]}"#;
        match response(body).json::<Things>("ThingListing") {
            Err(Error::Decode {
                operation,
                model,
                field,
                ..
            }) => {
                assert_eq!((operation, model), ("getThings", "ThingListing"));
                assert_eq!(field.as_deref(), Some("entities[1].id"));
            }
            other => panic!("{other:?}"),
        }
        match response(r#"{"id": 1} trailing"#).json::<Thing>("Thing") {
            Err(Error::Decode { field: None, .. }) => {}
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn api_responses_read_their_headers() {
        let mut headers = HeaderMap::new();
        headers.insert("inin-correlation-id", "abc-1".parse().unwrap());
        headers.insert("etag", "\"7\"".parse().unwrap());
        let response = Response {
            headers,
            ..response("{}")
        }
        .with_body(5);
        assert_eq!(response.status(), 200);
        assert_eq!(response.correlation_id(), Some("abc-1"));
        assert_eq!(response.etag(), Some("\"7\""));
        assert_eq!(response.header("retry-after"), None);
        assert_eq!(response.into_body(), 5);
    }
}
