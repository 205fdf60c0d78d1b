//! The reference graph check run once the definitions are models: every chain of aliases
//! (`type A = B;`, also through lists and maps, `type A = Vec<B>;`) must end at a type of its
//! own (a struct, an enum or a scalar), because Rust cannot expand an alias that names itself.
//!
//! Recursion through struct fields is not an alias chain: it stays supported (the field is
//! boxed by `analysis`). Pure: it reads the models and reports in source coordinates.

use indexmap::IndexMap;

use crate::error::{Error, ErrorKind};
use crate::ir::{Model, ModelKind};
use crate::upgrade::SourceMap;

/// Fails on the first cycle of aliases, in document order: the error is at the cycle's
/// first definition and lists the chain of pointers back to it.
pub(super) fn check_alias_cycles(
    models: &IndexMap<String, Model>,
    map: &SourceMap,
) -> Result<(), Error> {
    match first_alias_cycle(models) {
        Some(cycle) => {
            let pointer = |i: usize| map.locate(&models[i].pointer).1;
            let chain: Vec<String> = cycle
                .iter()
                .chain(cycle.first())
                .map(|&i| format!("#{}", pointer(i)))
                .collect();
            Err(map.error(
                &models[cycle[0]].pointer,
                ErrorKind::AliasCycle {
                    chain: chain.join(" -> "),
                },
            ))
        }
        None => Ok(()),
    }
}

/// The alias a model is, as the index of the model it names (directly or as the items of
/// a list or the values of a map); `None` when the model is a type of its own.
fn alias_target(models: &IndexMap<String, Model>, model: &Model) -> Option<usize> {
    match &model.kind {
        ModelKind::Alias { ty } => models.get_index_of(ty.model()?),
        ModelKind::Struct { .. } | ModelKind::Enum { .. } => None,
    }
}

/// The cycle of aliases whose earliest member comes first in `models`, as indices starting
/// at that member and in the order the aliases name each other. Each model names at most
/// one other, so each walk ends at a type of its own, at a model an earlier walk reached,
/// or on itself (a cycle).
fn first_alias_cycle(models: &IndexMap<String, Model>) -> Option<Vec<usize>> {
    const UNSEEN: usize = usize::MAX;
    // The walk that first reached each model.
    let mut walk_of = vec![UNSEEN; models.len()];
    let mut found: Option<Vec<usize>> = None;
    for start in 0..models.len() {
        let mut path = Vec::new();
        let mut at = Some(start);
        while let Some(i) = at {
            if walk_of[i] != UNSEEN {
                if walk_of[i] == start {
                    let from = path.iter().position(|&p| p == i).unwrap_or(0);
                    let mut cycle = path.split_off(from);
                    let first = (0..cycle.len()).min_by_key(|&k| cycle[k]).unwrap_or(0);
                    cycle.rotate_left(first);
                    if found.as_ref().is_none_or(|f| cycle[0] < f[0]) {
                        found = Some(cycle);
                    }
                }
                break;
            }
            walk_of[i] = start;
            path.push(i);
            at = alias_target(models, &models[i]);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Field, Ident, TypeRef, Usage};

    fn model(kind: ModelKind) -> Model {
        Model {
            name: Ident::wire("M"),
            module: String::new(),
            description: None,
            kind,
            usage: Usage::default(),
            deprecated: false,
            groups: Vec::new(),
            pointer: String::new(),
            listing: None,
        }
    }

    fn alias(ty: TypeRef) -> Model {
        model(ModelKind::Alias { ty })
    }

    fn to(id: &str) -> TypeRef {
        TypeRef::Model(id.into())
    }

    /// Models by id, each named and placed after its id.
    fn named(entries: Vec<(&str, Model)>) -> IndexMap<String, Model> {
        entries
            .into_iter()
            .map(|(id, mut m)| {
                m.name = Ident::wire(id);
                m.pointer = format!("/components/schemas/{id}");
                (id.to_owned(), m)
            })
            .collect()
    }

    /// The ids of the first cycle.
    fn cycle(models: &IndexMap<String, Model>) -> Option<Vec<&str>> {
        first_alias_cycle(models).map(|c| {
            c.iter()
                .map(|&i| models.get_index(i).unwrap().0.as_str())
                .collect()
        })
    }

    #[test]
    fn a_cycle_of_any_length_is_found_from_its_first_definition() {
        let own = named(vec![("A", alias(to("A")))]);
        assert_eq!(cycle(&own), Some(vec!["A"]));
        // Entered from an alias outside it (`C`), and first reached at `B`.
        let three = named(vec![
            ("C", alias(to("B"))),
            ("A", alias(to("D"))),
            ("B", alias(to("D"))),
            ("D", alias(to("A"))),
        ]);
        assert_eq!(cycle(&three), Some(vec!["A", "D"]));
        let list = named(vec![
            ("A", alias(TypeRef::List(Box::new(to("B"))))),
            ("B", alias(TypeRef::Map(Box::new(to("A"))))),
        ]);
        assert_eq!(cycle(&list), Some(vec!["A", "B"]));
    }

    #[test]
    fn of_two_cycles_the_one_with_the_earlier_definition_is_reported() {
        let two = named(vec![
            ("X", alias(to("Y"))),
            ("Y", alias(to("Z"))),
            ("A", alias(to("A"))),
            ("Z", alias(to("Y"))),
        ]);
        assert_eq!(cycle(&two), Some(vec!["Y", "Z"]));
    }

    #[test]
    fn chains_that_end_at_a_type_and_recursion_through_fields_are_no_cycle() {
        let field = Field {
            name: Ident::wire("next"),
            ty: to("A"),
            required: false,
            boxed: false,
            read_only: false,
            deprecated: false,
            description: None,
            default: None,
            pointer: String::new(),
        };
        let fine = named(vec![
            ("A", alias(to("B"))),
            ("B", alias(TypeRef::List(Box::new(to("S"))))),
            (
                "S",
                model(ModelKind::Struct {
                    fields: vec![field],
                    additional: None,
                }),
            ),
            ("E", model(ModelKind::Enum { values: Vec::new() })),
            ("F", alias(to("E"))),
            ("G", alias(to("Missing"))),
        ]);
        assert_eq!(cycle(&fine), None);
    }
}
