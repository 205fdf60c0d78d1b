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
//! Nothing is generated for it per field: `Serialize` walks the fields through a
//! [`NullsMap`], one call per field as it always did, and `set_null` finds the field its
//! closure answered by walking them once more, looking for that field's address and size
//! instead of writing anything ([`find_field`]).

use std::cell::Cell;

use serde::ser::SerializeMap;
use serde::Serialize;

/// The set of fields a request model sends as JSON `null`, by wire name.
pub type Nulls = ::std::collections::BTreeSet<&'static str>;

/// Where [`find_field`] stands: looking for the field at an address and of a size, or
/// having found its wire name.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Probe {
    Off,
    Looking { address: usize, size: usize },
    Found(&'static str),
}

thread_local! {
    /// The search of the [`find_field`] running on this thread, which the [`NullsMap`] of
    /// the walk it starts takes up.
    static PROBE: Cell<Probe> = const { Cell::new(Probe::Off) };
}

/// The wire name of the field of `model` that `field` answers, for the `set_null` of a
/// model named `name`: the model's `Serialize` walks its fields, its [`NullsMap`] looking
/// for the one at the answer's address and of its size, and writing nothing.
///
/// The size tells a field from the first field of a model nested in it, which can share
/// its address; the walk does not go into nested models.
///
/// # Panics
///
/// If the closure answered no field of the model's own: a field of a nested model, or a
/// value outside the model.
#[track_caller]
pub fn find_field<M: Serialize, T>(
    model: &mut M,
    field: impl FnOnce(&mut M) -> &mut Option<T>,
    name: &str,
) -> &'static str {
    let address = field(model) as *mut Option<T> as usize;
    let size = std::mem::size_of::<Option<T>>();
    PROBE.with(|probe| probe.set(Probe::Looking { address, size }));
    // The walk writes nothing, so it cannot fail; a model whose serialization were not a
    // NullsMap walk would leave the search where it was, and the field unfound.
    let _ = model.serialize(serde_json::value::Serializer);
    match PROBE.with(|probe| probe.replace(Probe::Off)) {
        Probe::Found(wire) => wire,
        _ => panic!(
            "set_null on a {name}: the closure must return one of the {name}'s own \
             fields, such as `|m| &mut m.name`; to send a field of a nested model as null, \
             call set_null on that model"
        ),
    }
}

/// A request model's JSON object being written, one [`field`](Self::field) call per field:
/// a field that is set is written with its value, one that is `None` and in the model's
/// [`Nulls`] as `null`, the others are left out. Made during a [`find_field`] search, it
/// looks for that field instead and writes nothing.
pub struct NullsMap<'a, M> {
    map: M,
    nulls: &'a Nulls,
    /// The address and size of the field a [`find_field`] looks for.
    looking: Option<(usize, usize)>,
    found: Option<&'static str>,
}

impl<'a, M: SerializeMap> NullsMap<'a, M> {
    /// Writes to `map`, sending the fields of `nulls` as `null` while they are `None`.
    pub fn new(map: M, nulls: &'a Nulls) -> Self {
        let looking = match PROBE.with(|probe| probe.replace(Probe::Off)) {
            Probe::Looking { address, size } => Some((address, size)),
            _ => None,
        };
        NullsMap {
            map,
            nulls,
            looking,
            found: None,
        }
    }

    /// The field named `wire` in JSON.
    pub fn field<T: Serialize>(
        &mut self,
        wire: &'static str,
        value: &Option<T>,
    ) -> Result<(), M::Error> {
        if let Some(looking) = self.looking {
            let here = (
                value as *const Option<T> as usize,
                std::mem::size_of::<Option<T>>(),
            );
            if here == looking {
                self.found = Some(wire);
            }
            return Ok(());
        }
        match value {
            Some(value) => self.map.serialize_entry(wire, value),
            None if self.nulls.contains(wire) => self.map.serialize_entry(wire, &()),
            None => Ok(()),
        }
    }

    /// An entry of the model's map of other fields (`unknown_fields`,
    /// `additional_properties`), written after the fields.
    pub fn entry<V: Serialize + ?Sized>(&mut self, key: &str, value: &V) -> Result<(), M::Error> {
        match self.looking {
            Some(_) => Ok(()),
            None => self.map.serialize_entry(key, value),
        }
    }

    /// Ends the object (and hands a search its result).
    pub fn end(self) -> Result<M::Ok, M::Error> {
        if self.looking.is_some() {
            let found = self.found.map_or(Probe::Off, Probe::Found);
            PROBE.with(|probe| probe.set(found));
        }
        self.map.end()
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
