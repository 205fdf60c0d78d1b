//! Path templates: their braces must pair up, and each `{name}` in one must be a declared
//! path parameter (an error). The other direction, a declared path parameter the template
//! does not have, is a warning where parameters are lowered (the real 2018 Genesys
//! definition has one, and must generate).

use super::Ctx;
use crate::error::{Error, ErrorKind};
use crate::ir::ParamLocation;

/// Fails on a path template whose braces do not pair up.
pub(super) fn check_template(ctx: &Ctx, path: &str, pointer: &str) -> Result<(), Error> {
    let mut open = false;
    for c in path.chars() {
        match (c, open) {
            ('{', false) => open = true,
            ('}', true) => open = false,
            ('{', true) | ('}', false) => return Err(unbalanced(ctx, path, pointer)),
            _ => {}
        }
    }
    if open {
        return Err(unbalanced(ctx, path, pointer));
    }
    Ok(())
}

fn unbalanced(ctx: &Ctx, path: &str, pointer: &str) -> Error {
    ctx.map.error(
        pointer,
        ErrorKind::UnbalancedPath {
            path: path.to_owned(),
        },
    )
}

/// A location as the definition spells it.
fn location_name(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
    }
}

/// The `{name}` segments of a path template, in order.
fn template_params(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|s| s.split('}').next())
        .collect()
}

/// The template's `{name}`s, each of which must be among the `declared` parameters (name
/// and location) as a path parameter; else an error at the operation's `pointer` that says
/// where a parameter of that name is declared instead, if anywhere.
pub(super) fn check_declared<'p>(
    ctx: &Ctx,
    path: &'p str,
    declared: &[(&str, ParamLocation)],
    pointer: &str,
) -> Result<Vec<&'p str>, Error> {
    let in_template = template_params(path);
    for name in &in_template {
        if declared
            .iter()
            .any(|&(n, l)| n == *name && l == ParamLocation::Path)
        {
            continue;
        }
        let elsewhere = declared
            .iter()
            .find(|&&(n, _)| n == *name)
            .map(|(_, location)| location_name(*location).to_owned());
        return Err(ctx.map.error(
            pointer,
            ErrorKind::UndeclaredPathParam {
                name: (*name).to_owned(),
                elsewhere,
            },
        ));
    }
    Ok(in_template)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_names_come_in_order() {
        assert_eq!(template_params("/a/{x}/b/{y}"), ["x", "y"]);
        assert!(template_params("/a").is_empty());
    }

    #[test]
    fn a_template_name_declared_elsewhere_says_where() {
        let api = openapiv3::OpenAPI::default();
        let map = crate::upgrade::SourceMap::default();
        let known = super::super::Lowered::default();
        let ctx = Ctx::new(&api, &map, &known);
        let declared = [("id", ParamLocation::Query), ("other", ParamLocation::Path)];
        let err = check_declared(&ctx, "/things/{id}", &declared, "/op").unwrap_err();
        assert_eq!(
            err.kind.to_string(),
            "path parameter \"id\" of the path template is not declared (it is declared in query, not in path)"
        );
        let err = check_declared(&ctx, "/things/{gone}", &declared, "/op").unwrap_err();
        assert_eq!(
            err.kind.to_string(),
            "path parameter \"gone\" of the path template is not declared"
        );
        let fine = [("id", ParamLocation::Path)];
        assert_eq!(
            check_declared(&ctx, "/things/{id}", &fine, "/op").unwrap(),
            ["id"]
        );
        assert!(check_template(&ctx, "/things/{id", "/p").is_err());
        assert!(check_template(&ctx, "/things/id}", "/p").is_err());
    }
}
