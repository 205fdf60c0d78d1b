//! Rust type expressions for IR types, as code (`Option<crate::models::User>`) and as shown
//! to people (`Option<User>`). Part of the surface: the one place that spells a [`TypeRef`]
//! in Rust, for the renderer and the change report alike. Pure; no IO.

use std::fmt;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{quote, ToTokens};

use crate::ir::{Api, TypeRef};

/// A Rust type expression, as a tree: printing it is the only way it becomes text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RustType {
    /// `()`.
    Unit,
    /// A primitive or a path (`bool`, `crate::runtime::DateTime`, `crate::models::User`).
    Path(String),
    /// A generic type applied to its arguments (`Vec<T>`, `BTreeMap<String, T>`).
    Generic(&'static str, Vec<RustType>),
    /// An argument accepting anything convertible into the type (`impl Into<String>`).
    ImplInto(Box<RustType>),
}

impl fmt::Display for RustType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RustType::Unit => f.write_str("()"),
            RustType::Path(path) => f.write_str(path),
            RustType::Generic(path, args) => {
                write!(f, "{path}<")?;
                for (i, arg) in args.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{arg}")?;
                }
                f.write_str(">")
            }
            RustType::ImplInto(inner) => write!(f, "impl Into<{inner}>"),
        }
    }
}

impl ToTokens for RustType {
    fn to_tokens(&self, out: &mut TokenStream) {
        match self {
            RustType::Unit => out.extend(quote!(())),
            RustType::Path(path) => out.extend(path_tokens(path)),
            RustType::Generic(path, args) => {
                let path = path_tokens(path);
                out.extend(quote!(#path<#(#args),*>));
            }
            RustType::ImplInto(inner) => out.extend(quote!(impl Into<#inner>)),
        }
    }
}

/// The tokens of a path (`crate::models::User`, `::std::string::String`, `r#type`).
pub fn path_tokens(path: &str) -> TokenStream {
    let (global, rest) = match path.strip_prefix("::") {
        Some(rest) => (true, rest),
        None => (false, path),
    };
    let segments = rest.split("::").map(ident);
    if global {
        quote!(#(::#segments)*)
    } else {
        quote!(#(#segments)::*)
    }
}

/// An identifier token for a name `naming` made (a raw one for `r#type`).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// How an argument or setter's value is turned into the stored field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conversion {
    /// Taken as the field's own type.
    AsIs,
    /// Taken as `impl Into<T>` and converted with `.into()`.
    Into,
}

/// The standard paths of the prelude types that generated code names, bare or fully
/// qualified (in files that define a type shadowing the prelude).
struct Prelude {
    string: &'static str,
    option: &'static str,
    vec: &'static str,
    boxed: &'static str,
}

const BARE: Prelude = Prelude {
    string: "String",
    option: "Option",
    vec: "Vec",
    boxed: "Box",
};

const QUALIFIED: Prelude = Prelude {
    string: "::std::string::String",
    option: "::std::option::Option",
    vec: "::std::vec::Vec",
    boxed: "::std::boxed::Box",
};

/// Names that shadow the prelude when a model is called so, inside its own file.
const PRELUDE_NAMES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "ToString",
    "ToOwned",
    "Default",
    "Clone",
    "Debug",
    "PartialEq",
    "Eq",
    "Send",
    "Sync",
    "Sized",
    "Drop",
    "Fn",
    "Iterator",
    "IntoIterator",
    "From",
    "Into",
];

/// Whether a type of this name, defined in a file, shadows a prelude name there.
pub fn shadows_prelude(name: &str) -> bool {
    PRELUDE_NAMES.contains(&name)
}

/// Spells IR types as Rust code, fully qualifying prelude names when asked to.
pub struct Types<'a> {
    api: &'a Api,
    prelude: &'static Prelude,
}

impl<'a> Types<'a> {
    /// A speller for code in a file where the prelude's names are `qualified` or not.
    pub fn new(api: &'a Api, qualified: bool) -> Self {
        Types {
            api,
            prelude: if qualified { &QUALIFIED } else { &BARE },
        }
    }

    /// `String`, or its full path.
    pub fn string(&self) -> RustType {
        RustType::Path(self.prelude.string.to_owned())
    }

    /// `Option<inner>`.
    pub fn option(&self, inner: RustType) -> RustType {
        RustType::Generic(self.prelude.option, vec![inner])
    }

    /// `Box<inner>`.
    pub fn boxed(&self, inner: RustType) -> RustType {
        RustType::Generic(self.prelude.boxed, vec![inner])
    }

    /// The path of `Box` alone, for calling `Box::new`.
    pub fn box_path(&self) -> &'static str {
        self.prelude.boxed
    }

    /// `BTreeMap<String, value>`.
    pub fn map(&self, value: RustType) -> RustType {
        RustType::Generic("std::collections::BTreeMap", vec![self.string(), value])
    }

    /// The Rust type of a field, parameter or body of this IR type.
    pub fn ty(&self, ty: &TypeRef) -> RustType {
        let path = |p: &str| RustType::Path(p.to_owned());
        match ty {
            TypeRef::String => self.string(),
            TypeRef::Bool => path("bool"),
            TypeRef::I32 => path("i32"),
            TypeRef::I64 => path("i64"),
            TypeRef::F32 => path("f32"),
            TypeRef::F64 => path("f64"),
            TypeRef::DateTime => path("crate::runtime::DateTime"),
            TypeRef::Date => path("crate::runtime::Date"),
            TypeRef::LocalDateTime => path("crate::runtime::LocalDateTime"),
            TypeRef::LocalTime => path("crate::runtime::LocalTime"),
            TypeRef::Interval => path("crate::runtime::Interval"),
            TypeRef::Json => path("serde_json::Value"),
            TypeRef::Binary => path("crate::runtime::Bytes"),
            TypeRef::Model(id) => {
                RustType::Path(format!("crate::models::{}", self.api.models[id].name.rust))
            }
            TypeRef::List(inner) => RustType::Generic(self.prelude.vec, vec![self.ty(inner)]),
            TypeRef::Map(inner) => self.map(self.ty(inner)),
        }
    }

    /// How a caller passes a value of this IR type to an argument or setter.
    pub fn arg(&self, ty: &TypeRef) -> (RustType, Conversion) {
        match conversion(ty) {
            Conversion::Into => (RustType::ImplInto(Box::new(self.ty(ty))), Conversion::Into),
            Conversion::AsIs => (self.ty(ty), Conversion::AsIs),
        }
    }
}

/// Whether arguments of this IR type take `impl Into<T>`: strings, instants and bytes,
/// which callers hold in several forms.
pub fn conversion(ty: &TypeRef) -> Conversion {
    match ty {
        TypeRef::String | TypeRef::DateTime | TypeRef::Binary => Conversion::Into,
        _ => Conversion::AsIs,
    }
}

/// A type as shown to people (docs tables, change reports): `String`,
/// `Vec<BillingUsage>`, `BTreeMap<String, Value>`, `DateTime`.
pub fn display(api: &Api, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Model(id) => api.models[id].name.rust.clone(),
        TypeRef::List(inner) => format!("Vec<{}>", display(api, inner)),
        TypeRef::Map(inner) => format!("BTreeMap<String, {}>", display(api, inner)),
        other => match Types::new(api, false).ty(other) {
            RustType::Path(path) => path.rsplit("::").next().unwrap_or_default().to_owned(),
            // Only lists and maps are generic, and they are displayed above.
            generic => generic.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Ident, Model, ModelKind};

    fn api_with_model(name: &str) -> Api {
        let mut api = Api::default();
        api.models.insert(
            "user".into(),
            Model {
                name: Ident {
                    rust: name.into(),
                    wire: "User".into(),
                },
                module: "user".into(),
                description: None,
                kind: ModelKind::Struct {
                    fields: Vec::new(),
                    additional: None,
                },
                usage: Default::default(),
                deprecated: false,
                groups: Vec::new(),
                pointer: String::new(),
                listing: None,
            },
        );
        api
    }

    #[test]
    fn types_print_as_code_bare_or_qualified_and_as_text_for_people() {
        let api = api_with_model("User");
        let ty = TypeRef::Map(Box::new(TypeRef::List(Box::new(TypeRef::Model(
            "user".into(),
        )))));
        let bare = Types::new(&api, false);
        assert_eq!(
            bare.option(bare.ty(&ty)).to_string(),
            "Option<std::collections::BTreeMap<String, Vec<crate::models::User>>>"
        );
        let qualified = Types::new(&api, true);
        assert_eq!(
            qualified
                .ty(&TypeRef::List(Box::new(TypeRef::String)))
                .to_string(),
            "::std::vec::Vec<::std::string::String>"
        );
        assert_eq!(display(&api, &ty), "BTreeMap<String, Vec<User>>");
        assert_eq!(display(&api, &TypeRef::DateTime), "DateTime");
        assert_eq!(display(&api, &TypeRef::Json), "Value");
    }

    #[test]
    fn types_become_the_tokens_they_print_as() {
        let api = api_with_model("User");
        for qualified in [false, true] {
            let types = Types::new(&api, qualified);
            let ty = types.option(
                types.map(types.ty(&TypeRef::List(Box::new(TypeRef::Model("user".into()))))),
            );
            let spaced = quote!(#ty).to_string().replace(' ', "");
            assert_eq!(spaced, ty.to_string().replace(' ', ""));
        }
        let unit = RustType::Unit;
        assert_eq!(quote!(#unit).to_string().replace(' ', ""), "()");
        assert_eq!(ident("r#type").to_string(), "r#type");
    }

    #[test]
    fn strings_instants_and_bytes_are_taken_as_impl_into() {
        let api = api_with_model("User");
        let types = Types::new(&api, false);
        let (ty, conv) = types.arg(&TypeRef::String);
        assert_eq!(
            (ty.to_string().as_str(), conv),
            ("impl Into<String>", Conversion::Into)
        );
        let (ty, conv) = types.arg(&TypeRef::I32);
        assert_eq!((ty.to_string().as_str(), conv), ("i32", Conversion::AsIs));
        assert_eq!(conversion(&TypeRef::Binary), Conversion::Into);
    }
}
