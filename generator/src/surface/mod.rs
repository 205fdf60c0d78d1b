//! An operation's Rust-facing surface, worked out once from the named IR: its inputs in the
//! order the method takes them (positional arguments, then the builder's setters), where
//! each travels, its Rust type and conversion, and its typed outcomes (the success body per
//! status, the errors `send()` can return).
//!
//! `render` prints code and docs from it and `diff` compares two of it, so the change
//! report describes exactly the code the renderer writes. Runs after `naming` (it reads
//! `rust` names) and before `render`; pure, no IO, no text but type spellings.

mod rust_type;

pub use rust_type::{
    conversion, display, ident, path_tokens, shadows_prelude, Conversion, RustType, Types,
};

use crate::ir::{
    Api, ArrayStyle, BodyKind, Operation, ParamLocation, Response, SuccessShape, TypeRef,
};

/// Where an input travels in the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Path,
    Query,
    Header,
    /// The whole body, JSON or binary.
    Body(BodyKind),
    /// One part of a multipart or URL-encoded form body.
    FormPart(BodyKind),
}

impl Place {
    /// How a change report names an input of this place.
    pub fn noun(self) -> &'static str {
        match self {
            Place::Path | Place::Query | Place::Header => "parameter",
            Place::Body(_) => "request body",
            Place::FormPart(_) => "form field",
        }
    }
}

/// How a caller gives an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Passing {
    /// A positional argument of the method (required inputs).
    Argument,
    /// A setter on the returned builder (optional inputs).
    Setter,
}

/// One input of an operation: a path, query or header parameter, the body, or a form part.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// The Rust name: the builder's field, and the argument's or setter's name.
    pub rust: &'a str,
    /// The name on the wire (the parameter's, form part's or body's spec name).
    pub wire: &'a str,
    pub place: Place,
    /// The IR type (a body the definition leaves untyped is [`TypeRef::Json`], or
    /// [`TypeRef::Binary`] when it is sent as bytes).
    pub ty: &'a TypeRef,
    pub required: bool,
    pub description: Option<&'a str>,
    /// The server's default when the input is left out.
    pub default: Option<&'a serde_json::Value>,
    /// The values the definition allows, as listed.
    pub enum_values: &'a [String],
    /// For array parameters: how the values are joined.
    pub style: Option<ArrayStyle>,
    pub deprecated: bool,
    /// For the body and form parts: the body's content type.
    pub content_type: Option<&'a str>,
}

impl Input<'_> {
    /// Whether the caller passes it to the method or sets it on the builder.
    pub fn passing(&self) -> Passing {
        if self.required {
            Passing::Argument
        } else {
            Passing::Setter
        }
    }

    /// How the argument's or setter's value becomes the field.
    pub fn conversion(&self) -> Conversion {
        conversion(self.ty)
    }

    /// The type of the builder's field: the input's type, in an `Option` when it is
    /// optional.
    pub fn field_type(&self, types: &Types) -> RustType {
        let ty = types.ty(self.ty);
        match self.passing() {
            Passing::Argument => ty,
            Passing::Setter => types.option(ty),
        }
    }
}

/// One variant of a by-status response enum.
#[derive(Debug, Clone, Copy)]
pub struct Variant<'a> {
    /// The HTTP status it stands for.
    pub status: u16,
    /// The variant's name (`Status200`).
    pub name: &'a str,
    /// The body it carries, if any.
    pub ty: Option<&'a TypeRef>,
    /// The response's description.
    pub description: &'a str,
}

/// What `send()` answers on success.
#[derive(Debug, Clone)]
pub enum Outcome<'a> {
    /// Nothing: no success response has a body.
    Unit,
    /// One body type, whatever the success status.
    One(&'a TypeRef),
    /// A response enum, one variant per success status.
    ByStatus {
        name: &'a str,
        variants: Vec<Variant<'a>>,
    },
}

/// How the answer is read from the response body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decoding {
    /// No body is read.
    Nothing,
    /// The body's bytes as they are.
    Bytes,
    /// The body decoded from JSON.
    Json,
}

/// How a body of this type is read.
pub fn decoding(ty: Option<&TypeRef>) -> Decoding {
    match ty {
        None => Decoding::Nothing,
        Some(TypeRef::Binary) => Decoding::Bytes,
        Some(_) => Decoding::Json,
    }
}

/// A variant of the runtime's `Error` that an operation's `send()` can return.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Failure {
    /// The API answered with a status that is not a success.
    Api,
    /// The request could not be sent or the response not read.
    Transport,
    /// An attempt ran out of time.
    Timeout,
    /// No access token could be had.
    Auth,
    /// A per-call header is not a valid header.
    Config,
    /// A path parameter or the request body cannot be encoded.
    Encode,
    /// A success body did not decode into its type.
    Decode,
}

/// The whole surface of one operation.
#[derive(Debug, Clone)]
pub struct Surface<'a> {
    pub op: &'a Operation,
    /// Every input, in the builder's field order: parameters (path first, then in spec
    /// order), then the body or its form parts. Arguments are the required ones, in this
    /// order.
    pub inputs: Vec<Input<'a>>,
    pub outcome: Outcome<'a>,
    /// The error responses the definition documents.
    pub api_errors: &'a [Response],
    /// The `Error` variants `send()` can return, in the order of [`Failure`].
    pub failures: Vec<Failure>,
}

/// The type of a JSON body the definition leaves untyped: any JSON value.
static UNTYPED_JSON: TypeRef = TypeRef::Json;

/// The type of a binary body the definition leaves untyped: bytes.
static UNTYPED_BINARY: TypeRef = TypeRef::Binary;

/// Works out an operation's surface from the named IR.
pub fn surface(op: &Operation) -> Surface<'_> {
    let mut inputs: Vec<Input> = op
        .params
        .iter()
        .map(|p| Input {
            rust: &p.name.rust,
            wire: &p.name.wire,
            place: match p.location {
                ParamLocation::Path => Place::Path,
                ParamLocation::Query => Place::Query,
                ParamLocation::Header => Place::Header,
            },
            ty: &p.ty,
            required: p.required,
            description: p.description.as_deref(),
            default: p.default.as_ref(),
            enum_values: &p.enum_values,
            style: p.style,
            deprecated: p.deprecated,
            content_type: None,
        })
        .collect();
    if let Some(body) = &op.body {
        match body.kind {
            BodyKind::Json | BodyKind::Binary => inputs.push(Input {
                rust: &body.name.rust,
                wire: &body.name.wire,
                place: Place::Body(body.kind),
                ty: body.ty.as_ref().unwrap_or(match body.kind {
                    BodyKind::Binary => &UNTYPED_BINARY,
                    _ => &UNTYPED_JSON,
                }),
                required: body.required,
                description: body.description.as_deref(),
                default: None,
                enum_values: &[],
                style: None,
                deprecated: false,
                content_type: Some(&body.content_type),
            }),
            BodyKind::Multipart | BodyKind::Form => {
                inputs.extend(body.fields.iter().map(|f| Input {
                    rust: &f.name.rust,
                    wire: &f.name.wire,
                    place: Place::FormPart(body.kind),
                    ty: &f.ty,
                    required: f.required,
                    description: f.description.as_deref(),
                    default: None,
                    enum_values: &[],
                    style: None,
                    deprecated: false,
                    content_type: Some(&body.content_type),
                }))
            }
        }
    }
    let outcome = outcome(op);
    let failures = failures(&inputs, &outcome);
    Surface {
        op,
        inputs,
        outcome,
        api_errors: &op.errors,
        failures,
    }
}

fn outcome(op: &Operation) -> Outcome<'_> {
    match (op.success_shape(), &op.response_enum) {
        (SuccessShape::Unit, _) => Outcome::Unit,
        (SuccessShape::One(ty), _) => Outcome::One(ty),
        (SuccessShape::ByStatus, Some(named)) => Outcome::ByStatus {
            name: &named.name,
            variants: op
                .success
                .iter()
                .zip(&named.variants)
                .map(|(response, name)| Variant {
                    status: Operation::status_code(response),
                    name,
                    ty: response.ty.as_ref(),
                    description: &response.description,
                })
                .collect(),
        },
        // `naming` names the enum of every by-status operation; an IR that was not named
        // has no Rust surface to show beyond its shape.
        (SuccessShape::ByStatus, None) => Outcome::ByStatus {
            name: "",
            variants: Vec::new(),
        },
    }
}

fn failures(inputs: &[Input], outcome: &Outcome) -> Vec<Failure> {
    let mut failures = vec![
        Failure::Api,
        Failure::Transport,
        Failure::Timeout,
        Failure::Auth,
        Failure::Config,
    ];
    let encodes = inputs
        .iter()
        .any(|i| matches!(i.place, Place::Path | Place::Body(BodyKind::Json)));
    if encodes {
        failures.push(Failure::Encode);
    }
    let decodes = match outcome {
        Outcome::Unit => false,
        Outcome::One(ty) => decoding(Some(ty)) == Decoding::Json,
        // A status the definition does not list is a decode error too.
        Outcome::ByStatus { .. } => true,
    };
    if decodes {
        failures.push(Failure::Decode);
    }
    failures
}

impl<'a> Surface<'a> {
    /// The positional arguments, in order.
    pub fn arguments(&self) -> impl Iterator<Item = &Input<'a>> {
        self.inputs
            .iter()
            .filter(|i| i.passing() == Passing::Argument)
    }

    /// The inputs set on the builder, in order.
    pub fn setters(&self) -> impl Iterator<Item = &Input<'a>> {
        self.inputs
            .iter()
            .filter(|i| i.passing() == Passing::Setter)
    }

    /// The type `send()` answers, as code in a module of the crate.
    pub fn output_type(&self, types: &Types) -> RustType {
        match &self.outcome {
            Outcome::Unit => RustType::Unit,
            Outcome::One(ty) => types.ty(ty),
            Outcome::ByStatus { name, .. } => RustType::Path((*name).to_owned()),
        }
    }

    /// The type `send()` answers, as shown to people.
    pub fn output_display(&self, api: &Api) -> String {
        match &self.outcome {
            Outcome::Unit => "()".to_owned(),
            Outcome::One(ty) => display(api, ty),
            Outcome::ByStatus { name, .. } => (*name).to_owned(),
        }
    }

    /// The method's signature: its arguments' names and types, as code.
    pub fn arguments_code(&self, types: &Types) -> Vec<(&'a str, RustType)> {
        self.arguments()
            .map(|i| (i.rust, types.arg(i.ty).0))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Body, FormField, Ident, Method, Param, ResponseEnum};

    fn param(name: &str, location: ParamLocation, required: bool, ty: TypeRef) -> Param {
        Param {
            name: Ident {
                rust: name.to_lowercase(),
                wire: name.into(),
            },
            location,
            required,
            ty,
            description: None,
            default: None,
            enum_values: Vec::new(),
            style: None,
            deprecated: false,
            pointer: String::new(),
        }
    }

    fn response(status: &str, ty: Option<TypeRef>) -> Response {
        Response {
            status: status.into(),
            description: format!("answer {status}"),
            ty,
            content_type: None,
        }
    }

    fn operation() -> Operation {
        Operation {
            id: "postThing".into(),
            name: Ident {
                rust: "post_thing".into(),
                wire: "postThing".into(),
            },
            builder: "PostThing".into(),
            params_type: "PostThingParams".into(),
            home_module: "things".into(),
            method: Method::Post,
            path: "/things/{thingId}".into(),
            tags: vec!["Things".into()],
            summary: None,
            description: None,
            params: vec![
                param("thingId", ParamLocation::Path, true, TypeRef::String),
                param("pageSize", ParamLocation::Query, false, TypeRef::I32),
                param("Trace", ParamLocation::Header, true, TypeRef::Bool),
            ],
            body: Some(Body {
                name: Ident {
                    rust: "file".into(),
                    wire: "file".into(),
                },
                kind: BodyKind::Multipart,
                content_type: "multipart/form-data".into(),
                required: true,
                description: None,
                ty: None,
                fields: vec![
                    FormField {
                        name: Ident {
                            rust: "upload".into(),
                            wire: "upload".into(),
                        },
                        required: true,
                        ty: TypeRef::Binary,
                        description: None,
                    },
                    FormField {
                        name: Ident {
                            rust: "note".into(),
                            wire: "note".into(),
                        },
                        required: false,
                        ty: TypeRef::String,
                        description: None,
                    },
                ],
                pointer: String::new(),
            }),
            success: vec![response("200", Some(TypeRef::Json)), response("204", None)],
            response_enum: Some(ResponseEnum {
                name: "PostThingResponse".into(),
                variants: vec!["Status200".into(), "Status204".into()],
            }),
            errors: vec![response("404", None)],
            deprecated: false,
            preview: false,
            permissions: None,
            scopes: Vec::new(),
            anonymous: false,
            security: Vec::new(),
            pointer: String::new(),
            pagination: None,
            job: None,
        }
    }

    #[test]
    fn inputs_keep_the_field_order_and_arguments_are_the_required_ones() {
        let op = operation();
        let surface = surface(&op);
        let places: Vec<(&str, Place, Passing)> = surface
            .inputs
            .iter()
            .map(|i| (i.wire, i.place, i.passing()))
            .collect();
        assert_eq!(
            places,
            [
                ("thingId", Place::Path, Passing::Argument),
                ("pageSize", Place::Query, Passing::Setter),
                ("Trace", Place::Header, Passing::Argument),
                (
                    "upload",
                    Place::FormPart(BodyKind::Multipart),
                    Passing::Argument
                ),
                (
                    "note",
                    Place::FormPart(BodyKind::Multipart),
                    Passing::Setter
                ),
            ]
        );
        let api = Api::default();
        let types = Types::new(&api, false);
        let args: Vec<String> = surface
            .arguments_code(&types)
            .into_iter()
            .map(|(name, ty)| format!("{name}: {ty}"))
            .collect();
        assert_eq!(
            args,
            [
                "thingid: impl Into<String>",
                "trace: bool",
                "upload: impl Into<crate::runtime::Bytes>"
            ]
        );
    }

    #[test]
    fn differing_success_bodies_answer_the_named_enum_and_every_failure_is_listed() {
        let op = operation();
        let surface = surface(&op);
        let Outcome::ByStatus { name, variants } = &surface.outcome else {
            panic!("expected a by-status outcome, got {:?}", surface.outcome);
        };
        assert_eq!(*name, "PostThingResponse");
        let shown: Vec<(u16, &str, Decoding)> = variants
            .iter()
            .map(|v| (v.status, v.name, decoding(v.ty)))
            .collect();
        assert_eq!(
            shown,
            [
                (200, "Status200", Decoding::Json),
                (204, "Status204", Decoding::Nothing)
            ]
        );
        assert_eq!(
            surface.failures,
            [
                Failure::Api,
                Failure::Transport,
                Failure::Timeout,
                Failure::Auth,
                Failure::Config,
                Failure::Encode,
                Failure::Decode
            ]
        );
        assert_eq!(surface.output_display(&Api::default()), "PostThingResponse");
    }

    #[test]
    fn an_operation_without_bodies_or_path_neither_encodes_nor_decodes() {
        let mut op = operation();
        op.params.retain(|p| p.location != ParamLocation::Path);
        op.body = None;
        op.success = vec![response("204", None)];
        op.response_enum = None;
        let surface = surface(&op);
        assert!(matches!(surface.outcome, Outcome::Unit));
        assert_eq!(
            surface.failures,
            [
                Failure::Api,
                Failure::Transport,
                Failure::Timeout,
                Failure::Auth,
                Failure::Config
            ]
        );
    }
}
