//! A request as the generated operations build it, and the response they decode.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::{Bytes, Error, ToParam};

/// Characters left as they are in a path segment: RFC 3986 unreserved ones. Everything
/// else, `/` and `?` included, is percent-encoded, so a value stays one segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

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
    pub(crate) path: String,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) payload: Payload,
}

impl Request {
    /// A request for `operation` (its operationId) to a path template such as
    /// `/api/v2/billing/trusteebillingoverview/{trustorOrgId}`.
    pub fn new(method: reqwest::Method, operation: &'static str, path: &'static str) -> Self {
        Request { method, operation, path: path.to_owned(), query: Vec::new(), headers: Vec::new(), payload: Payload::Empty }
    }

    /// The operationId this request belongs to.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// Fills `{name}` in the path with the value, percent-encoded as one segment.
    pub fn path_param(&mut self, name: &str, value: &(impl ToParam + ?Sized)) {
        let encoded = utf8_percent_encode(&value.to_param(), SEGMENT).to_string();
        self.path = self.path.replace(&format!("{{{name}}}"), &encoded);
    }

    /// Adds a query parameter.
    pub fn query(&mut self, name: &'static str, value: &(impl ToParam + ?Sized)) {
        self.query.push((name, value.to_param()));
    }

    /// Adds an array query parameter in the given style.
    pub fn query_list<T: ToParam>(&mut self, name: &'static str, values: &[T], style: ArrayStyle) {
        if style == ArrayStyle::Multi {
            for value in values {
                self.query.push((name, value.to_param()));
            }
        } else {
            self.query.push((name, join(values, style)));
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
        let bytes = serde_json::to_vec(body).map_err(|e| Error::Encode { operation: self.operation, message: e.to_string() })?;
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
    values.iter().map(ToParam::to_param).collect::<Vec<_>>().join(style.separator())
}

/// A success response: status, headers and the body, read in full.
#[derive(Debug, Clone)]
pub struct Response {
    pub(crate) operation: &'static str,
    pub(crate) status: u16,
    pub(crate) headers: reqwest::header::HeaderMap,
    pub(crate) body: Bytes,
}

impl Response {
    /// HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Response headers.
    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        &self.headers
    }

    /// The body, undecoded.
    pub fn bytes(&self) -> Bytes {
        self.body.clone()
    }

    /// Decodes the JSON body into `T`; `model` names `T` in the error.
    pub fn json<T: serde::de::DeserializeOwned>(&self, model: &'static str) -> Result<T, Error> {
        serde_json::from_slice(&self.body).map_err(|e| Error::Decode { operation: self.operation, model, message: e.to_string() })
    }
}
