//! Builds the plain views templates interpolate, so templates only loop, test precomputed
//! flags and print. Type expressions come from [`crate::surface`]; code fragments that
//! depend on the IR (struct literals, request building, decoding) are built as tokens with
//! `quote` and printed whole; doc text is ready `///` lines. Nothing here names an item:
//! every name comes from `naming`. One file per output kind:
//!
//! - [`crate_view`](crate_files): the crate-level files (lib, client, README, indexes,
//!   permissions table).
//! - [`group`]: a group's module and its Markdown page, operation by operation.
//! - [`builder`]: an operation's request builder (parameters type, setters, request,
//!   decoding, paging and job helpers).
//! - [`model`]: a model's module.
//! - [`docs`]: doc text shared by the code and the Markdown pages (examples, parameter
//!   rows, returns and errors).
//! - [`guide`]: the guide of the crate-root docs and the README (configuration, per-call
//!   options, paging, jobs, explicit null).

mod builder;
mod crate_files;
mod docs;
mod group;
mod guide;
mod model;

use std::fmt;

pub use crate_files::{crate_view, CrateView};
pub use group::{group_view, GroupView};
pub use model::{model_view, ModelView};

use crate::ir::{Api, Group};
use crate::naming::doc;

/// The cargo features of the groups carrying these tags, sorted. Groups are sorted by tag,
/// so each tag is a binary search (this runs for every model and operation).
fn features_of(api: &Api, tags: &[String]) -> Vec<String> {
    let mut features: Vec<String> = tags
        .iter()
        .filter_map(|tag| {
            api.groups
                .binary_search_by(|g| g.tag.as_str().cmp(tag))
                .ok()
        })
        .map(|i| api.groups[i].feature.clone())
        .collect();
    features.sort();
    features.dedup();
    features
}

/// A `cfg` predicate enabled by any of its features; code no group needs (models no
/// operation reaches) compiles with `all`. Printed as it stands in `#[cfg(...)]`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Cfg(Vec<String>);

impl fmt::Display for Cfg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.as_slice() {
            [] => f.write_str("feature = \"all\""),
            [one] => write!(f, "feature = {one:?}"),
            many => {
                f.write_str("any(")?;
                for (i, feature) in many.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "feature = {feature:?}")?;
                }
                f.write_str(")")
            }
        }
    }
}

/// The features under which a group module compiles: its own, and those of other groups
/// whose operations it builds.
fn module_features(api: &Api, group: &Group) -> Vec<String> {
    let mut tags = vec![group.tag.clone()];
    // Operations homed in a module are among its group's own.
    for op in group
        .operations
        .iter()
        .map(|id| &api.operations[id])
        .filter(|op| op.home_module == group.module)
    {
        tags.extend(op.tags.iter().cloned());
    }
    features_of(api, &tags)
}

/// Paragraphs as `///` doc comments, ready to print: templates do not loop over doc lines
/// (rendering thousands of files, that is most of Tera's work).
fn doc_comments(paragraphs: &[String]) -> String {
    doc_lines("///", paragraphs)
}

/// Paragraphs as inner `//!` doc comments (module docs).
fn inner_doc_comments(paragraphs: &[String]) -> String {
    doc_lines("//!", paragraphs)
}

/// Paragraphs as doc-comment lines, a blank doc line between paragraphs.
fn doc_lines(open: &str, paragraphs: &[String]) -> String {
    let mut out = String::new();
    let mut first = true;
    for paragraph in paragraphs.iter().filter(|p| !p.trim().is_empty()) {
        if !first {
            out.push_str(open);
            out.push('\n');
        }
        first = false;
        for line in paragraph.lines() {
            out.push_str(open);
            if !line.is_empty() {
                out.push(' ');
                out.push_str(&comment_text(line));
            }
            out.push('\n');
        }
    }
    out
}

/// `text` as it can stand in a line comment: control characters, and the codepoints that
/// change the direction of text (which rustc rejects in comments, as they can make code
/// read other than it compiles), become spaces.
pub(crate) fn comment_text(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() || is_direction_control(c) {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// The bidirectional formatting codepoints rustc's `text_direction_codepoint_in_comment`
/// and `text_direction_codepoint_in_literal` lints deny.
fn is_direction_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Text for one line of a doc comment, a TOML basic string and Markdown at once (the
/// definition's title, in `lib.rs`, `Cargo.toml` and the README): one line, no control
/// characters, and no `"` or `\` (printed unescaped in `Cargo.toml`, they could end the
/// string and add keys), which become `'` and `/`.
fn plain_line(text: &str) -> String {
    one_line(&comment_text(text))
        .replace('"', "'")
        .replace('\\', "/")
}

/// Spec text made safe for rustdoc, or nothing.
fn text(t: Option<&str>) -> String {
    t.map(doc).unwrap_or_default()
}

/// `text` as one Markdown code span: one line, between enough backticks that none inside
/// ends it (`` `a` ``, or ``` `` a`b `` ``` when it holds one).
fn code_span(text: &str) -> String {
    let text = one_line(&comment_text(text));
    let longest = text
        .split(|c| c != '`')
        .map(str::len)
        .max()
        .unwrap_or_default();
    if longest == 0 {
        return format!("`{text}`");
    }
    let fence = "`".repeat(longest + 1);
    format!("{fence} {text} {fence}")
}

/// Whitespace runs, line breaks included, as single spaces.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cfg_predicates_name_all_one_or_any_feature() {
        assert_eq!(Cfg(vec![]).to_string(), "feature = \"all\"");
        assert_eq!(
            Cfg(vec!["billing".into()]).to_string(),
            "feature = \"billing\""
        );
        assert_eq!(
            Cfg(vec!["billing".into(), "usage".into()]).to_string(),
            "any(feature = \"billing\", feature = \"usage\")"
        );
    }

    #[test]
    fn doc_lines_separate_paragraphs_and_blank_control_characters() {
        assert_eq!(
            doc_comments(&["one\ntwo".into(), " ".into(), "tab\there\u{202e}rtl".into()]),
            "/// one\n/// two\n///\n/// tab here rtl\n"
        );
    }
}
