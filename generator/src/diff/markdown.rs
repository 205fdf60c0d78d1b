//! The Markdown form of a [`Report`]: release notes. A verdict line (the semver bump and the
//! counts), a table of counts per kind, then one section per API group and one for models,
//! each a sorted list with one line per change, breaking ones marked, operations linked to
//! their reference page, models named first as Genesys names them (`NTPSettings`), then by
//! their Rust name where it differs (`NtpSettings`).

use std::fmt::Write;

use super::{Bump, Change, Report};

/// Renders the report under a heading of `level` (1 for `#`) titled `title`; sections are
/// one level below.
pub fn markdown(report: &Report, title: &str, level: usize) -> String {
    let h = |extra: usize| "#".repeat(level + extra);
    let mut out = String::new();
    let _ = writeln!(out, "{} {title}\n", h(0));
    if !report.from.is_empty() || !report.to.is_empty() {
        let _ = writeln!(out, "From `{}` to `{}`.\n", report.from, report.to);
    }
    let verdict = match report.bump {
        Bump::None => "nothing changed".to_owned(),
        Bump::Patch if report.changes.is_empty() => {
            "no API changes; only documentation or wire details differ".to_owned()
        }
        Bump::Patch => format!(
            "no API changes; {} {} to documentation or wire details only",
            report.changes.len(),
            if report.changes.len() == 1 {
                "change"
            } else {
                "changes"
            }
        ),
        _ => format!(
            "{} breaking, {} non-breaking",
            report.summary.breaking, report.summary.non_breaking
        ),
    };
    let _ = writeln!(out, "**Semver: {}**: {verdict}.\n", report.bump.as_str());
    if report.changes.is_empty() {
        return out;
    }
    out.push_str("| Change | Breaking | Non-breaking |\n| --- | ---: | ---: |\n");
    for count in &report.summary.by_kind {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            count.kind.label(),
            count.breaking,
            count.non_breaking
        );
    }
    let _ = writeln!(
        out,
        "| **total** | **{}** | **{}** |\n",
        report.summary.breaking, report.summary.non_breaking
    );
    let (group_changes, model_changes): (Vec<&Change>, Vec<&Change>) =
        report.changes.iter().partition(|c| c.model.is_none());
    if !group_changes.is_empty() {
        let _ = writeln!(out, "{} API groups\n", h(1));
        let mut current: Option<&str> = None;
        for change in group_changes {
            let group = change.group.as_deref().unwrap_or("Other");
            if current != Some(group) {
                if current.is_some() {
                    out.push('\n');
                }
                let _ = writeln!(out, "{} {group}\n", h(2));
                current = Some(group);
            }
            out.push_str(&line(change));
        }
        out.push('\n');
    }
    if !model_changes.is_empty() {
        let _ = writeln!(out, "{} Models\n", h(1));
        for change in model_changes {
            out.push_str(&line(change));
        }
        out.push('\n');
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// One list item.
fn line(change: &Change) -> String {
    let mut s = String::from("- ");
    if change.breaking {
        s.push_str("**Breaking:** ");
    }
    if let Some(op) = &change.operation {
        let _ = write!(
            s,
            "`{}()` `{} {}`: ",
            op.rust_method,
            op.method.as_str(),
            op.path
        );
    } else if let Some(model) = &change.model {
        match change.definition.as_deref() {
            Some(definition) if definition != model => {
                let _ = write!(s, "{} (Rust `{model}`): ", code(definition));
            }
            _ => {
                let _ = write!(s, "`{model}`: ");
            }
        }
    }
    s.push_str(&change.message);
    if !change.used_by.is_empty() && change.model.is_some() {
        let groups: Vec<String> = change.used_by.iter().map(|g| format!("`{g}`")).collect();
        let verb = if change.new.is_none() {
            "was used by"
        } else {
            "used by"
        };
        let _ = write!(s, ", {verb} {}", groups.join(", "));
    }
    if let Some(op) = &change.operation {
        let _ = write!(s, " ([reference]({}))", op.reference);
    }
    s.push('\n');
    s
}

/// A code span, fenced so a backtick in the text cannot end it.
fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}
