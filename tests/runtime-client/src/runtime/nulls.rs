//! Explicit JSON `null`s in request models.
//!
//! Every model field is an `Option`, and `None` leaves the field out of the JSON, which a
//! PATCH or PUT reads as "leave unchanged". To clear a field the request must send
//! `"field": null`: each model sent in requests keeps a private set of the fields to send
//! that way, filled by its `set_null` method, which `json_object!` implements for every
//! such model from the model's table of fields. The caller names the field with a closure
//! (`body.set_null(|b| &mut b.department)`), so a misspelt field does not compile, and no
//! item is generated per field.
//!
//! A request model's `Serialize` and its `set_null` share one walk of its fields, the
//! model's `visit_fields`, which calls a [`VisitFields`] with each field and its wire name:
//! [`WriteFields`] writes them to the JSON object, [`FindField`] finds the one that
//! `set_null`'s closure answered, by its address and size.

use serde::ser::SerializeMap;
use serde::Serialize;

/// The set of fields a request model sends as JSON `null`, by wire name.
pub type Nulls = ::std::collections::BTreeSet<&'static str>;

/// What a request model's `visit_fields` calls with each of its fields, in table order.
pub trait VisitFields {
    /// What stops the walk.
    type Error;

    /// Visits the field named `wire` in JSON.
    fn field<T: Serialize>(
        &mut self,
        wire: &'static str,
        value: &Option<T>,
    ) -> Result<(), Self::Error>;
}

/// Writes a model's fields to its JSON object: a field that is `Some` with its value, one
/// that is `None` and in the model's [`Nulls`] as `null`; other fields are left out.
pub struct WriteFields<'a, M> {
    map: &'a mut M,
    nulls: &'a Nulls,
}

impl<'a, M> WriteFields<'a, M> {
    /// Writes to `map`, sending the fields of `nulls` as `null` while they are `None`.
    pub fn new(map: &'a mut M, nulls: &'a Nulls) -> Self {
        WriteFields { map, nulls }
    }
}

impl<M: SerializeMap> VisitFields for WriteFields<'_, M> {
    type Error = M::Error;

    fn field<T: Serialize>(
        &mut self,
        wire: &'static str,
        value: &Option<T>,
    ) -> Result<(), M::Error> {
        match value {
            Some(value) => self.map.serialize_entry(wire, value),
            None if self.nulls.contains(wire) => self.map.serialize_entry(wire, &()),
            None => Ok(()),
        }
    }
}

/// Finds the field at an address and of a size among a model's fields, stopping the walk
/// there with its wire name.
///
/// The size tells a field from the first field of a model nested in it, which can share
/// its address: a nested request model is larger than any one of its fields, since it
/// holds its own [`Nulls`] beside them.
pub struct FindField {
    address: usize,
    size: usize,
}

impl FindField {
    /// Finds the field at `address`, of `size` bytes.
    pub fn new(address: usize, size: usize) -> Self {
        FindField { address, size }
    }
}

/// The field [`FindField`] found, by wire name.
pub struct Found(&'static str);

impl VisitFields for FindField {
    type Error = Found;

    fn field<T: Serialize>(&mut self, wire: &'static str, value: &Option<T>) -> Result<(), Found> {
        let address = value as *const Option<T> as usize;
        if (address, std::mem::size_of::<Option<T>>()) == (self.address, self.size) {
            Err(Found(wire))
        } else {
            Ok(())
        }
    }
}

/// Adds the field a [`FindField`] walk `found` to `nulls`, for the `set_null` of a `model`.
///
/// # Panics
///
/// If the walk found no field: the closure given to `set_null` answered a field of a
/// nested model, or a value outside the model.
#[track_caller]
pub fn mark_null(nulls: &mut Nulls, found: Result<(), Found>, model: &str) {
    match found {
        Err(Found(wire)) => {
            nulls.insert(wire);
        }
        Ok(()) => panic!(
            "set_null on a {model}: the closure must return one of the {model}'s own \
             fields, such as `|m| &mut m.name`; to send a field of a nested model as null, \
             call set_null on that model"
        ),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::Nulls;

    /// A request model nested inline in [`Patch`], so that its fields lie inside the
    /// outer model; in C layout, so that `a` comes first and shares the address of
    /// `Patch::inner`.
    #[derive(Debug, Clone, Default, PartialEq)]
    #[repr(C)]
    struct Inner {
        a: Option<String>,
        b: Option<i64>,
        explicit_nulls: Nulls,
    }

    crate::runtime::json_object! {
        Inner "Inner" (Serialize, Deserialize) {
            "a" => a,
            "b" => b,
        }
    }

    /// A request model that is decoded too and keeps unknown fields.
    #[derive(Debug, Clone, Default, PartialEq)]
    struct Patch {
        title: Option<String>,
        count: Option<i32>,
        inner: Option<Inner>,
        boxed: Option<Box<Inner>>,
        unknown_fields: BTreeMap<String, serde_json::Value>,
        explicit_nulls: Nulls,
    }

    crate::runtime::json_object! {
        Patch "Patch" (Serialize, Deserialize) {
            "title" => title,
            "count" => count,
            "inner" => inner,
            "boxed" => boxed,
            _ => unknown_fields,
        }
    }

    fn json(patch: &Patch) -> String {
        serde_json::to_string(patch).unwrap()
    }

    #[test]
    fn set_null_sends_null_for_that_field_only() {
        let mut patch = Patch {
            count: Some(3),
            ..Patch::default()
        };
        patch.set_null(|p| &mut p.title).set_null(|p| &mut p.inner);
        assert_eq!(json(&patch), r#"{"title":null,"count":3,"inner":null}"#);
        assert_eq!(
            patch.explicit_nulls.iter().copied().collect::<Vec<_>>(),
            ["inner", "title"]
        );
        assert!(format!("{patch:?}").contains(r#"explicit_nulls: {"inner", "title"}"#));
        assert_ne!(patch, Patch::default().clone());
    }

    #[test]
    fn every_field_of_the_table_is_found_and_a_set_value_wins() {
        let mut patch = Patch::default();
        patch
            .set_null(|p| &mut p.title)
            .set_null(|p| &mut p.count)
            .set_null(|p| &mut p.inner)
            .set_null(|p| &mut p.boxed)
            .set_null(|p| &mut p.title);
        assert_eq!(
            json(&patch),
            r#"{"title":null,"count":null,"inner":null,"boxed":null}"#
        );
        patch.count = Some(1);
        patch.boxed = Some(Box::default());
        assert_eq!(
            json(&patch),
            r#"{"title":null,"count":1,"inner":null,"boxed":{}}"#
        );
    }

    #[test]
    fn a_decoded_model_sends_no_nulls() {
        let patch: Patch =
            serde_json::from_str(r#"{"title":null,"count":2,"other":null}"#).unwrap();
        assert!(patch.explicit_nulls.is_empty());
        assert_eq!(json(&patch), r#"{"count":2,"other":null}"#);
    }

    #[test]
    fn nested_models_take_their_own_nulls() {
        let mut patch = Patch::default();
        patch
            .inner
            .get_or_insert_with(Inner::default)
            .set_null(|i| &mut i.b);
        assert_eq!(json(&patch), r#"{"inner":{"b":null}}"#);
    }

    /// Runs a `set_null` that must panic and answers the panic's message.
    fn panic_message(set: impl FnOnce(&mut Patch) + std::panic::UnwindSafe) -> String {
        let payload = std::panic::catch_unwind(|| set(&mut Patch::default())).unwrap_err();
        payload
            .downcast_ref::<String>()
            .cloned()
            .unwrap_or_default()
    }

    #[test]
    fn a_field_of_a_nested_model_is_refused() {
        // `Inner::a` lies at the very address of `Patch::inner` (the premise is checked):
        // only the size tells the two apart.
        let mut patch = Patch::default();
        let outer = std::ptr::addr_of!(patch.inner) as usize;
        assert_eq!(
            outer,
            &mut patch.inner.insert(Inner::default()).a as *mut _ as usize
        );
        let messages = [
            panic_message(|p| {
                p.set_null(|p| &mut p.inner.insert(Inner::default()).a);
            }),
            panic_message(|p| {
                p.set_null(|p| &mut p.inner.insert(Inner::default()).b);
            }),
            panic_message(|p| {
                p.set_null(|p| &mut p.boxed.insert(Box::default()).a);
            }),
        ];
        for message in messages {
            assert!(
                message.starts_with("set_null on a Patch: the closure must return one of"),
                "{message}"
            );
        }
    }
}
