//! Whole-API passes after lowering: which models requests and responses reach (serde derives,
//! feature groups), which fields need `Box` (recursion), and the API groups.

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;

use crate::ir::{Api, Group, Ident, ModelKind, TypeRef};

pub(super) fn finish(api: &mut Api, tag_docs: &IndexMap<String, Option<String>>, filtered: bool) {
    reach(api, filtered);
    box_recursive_fields(api);
    super::paging::detect(api);
    api.groups = groups(api, tag_docs);
    api.models.sort_keys();
}

/// The models a type refers to, directly or through lists and maps.
fn direct_models(model: &ModelKind) -> Vec<&str> {
    match model {
        ModelKind::Struct { fields, additional } => fields
            .iter()
            .filter_map(|f| f.ty.model())
            .chain(additional.iter().filter_map(TypeRef::model))
            .collect(),
        ModelKind::Alias { ty } => ty.model().into_iter().collect(),
        ModelKind::Enum { .. } => Vec::new(),
    }
}

/// Marks request/response usage and groups on every model an operation reaches; drops
/// unreached models when only some tags were selected.
fn reach(api: &mut Api, filtered: bool) {
    let index = |id: &str| api.models.get_index_of(id);
    let edges: Vec<Vec<usize>> = api
        .models
        .values()
        .map(|m| {
            direct_models(&m.kind)
                .iter()
                .filter_map(|id| index(id))
                .collect()
        })
        .collect();
    let n = api.models.len();
    // What a group reaches is what its operations' types reach, so each group is walked
    // once per direction from the roots of all its operations (not once per operation:
    // Genesys models are so connected that each operation's walk visited hundreds).
    let mut roots: BTreeMap<&str, [Vec<usize>; 2]> = BTreeMap::new();
    for op in api.operations.values() {
        let mut req = Vec::new();
        let mut resp = Vec::new();
        for p in &op.params {
            req.extend(p.ty.model().and_then(index));
        }
        if let Some(body) = &op.body {
            req.extend(body.ty.as_ref().and_then(TypeRef::model).and_then(index));
            req.extend(
                body.fields
                    .iter()
                    .filter_map(|f| f.ty.model().and_then(index)),
            );
        }
        for r in op.success.iter().chain(&op.errors) {
            resp.extend(r.ty.as_ref().and_then(TypeRef::model).and_then(index));
        }
        for tag in &op.tags {
            let [tag_req, tag_resp] = roots.entry(tag).or_default();
            tag_req.extend(&req);
            tag_resp.extend(&resp);
        }
    }
    let mut request = vec![false; n];
    let mut response = vec![false; n];
    let mut groups: Vec<BTreeSet<String>> = vec![BTreeSet::new(); n];
    let mut seen = vec![0usize; n];
    let mut walk = 0;
    for (tag, [req, resp]) in roots {
        for (roots, flags) in [(req, &mut request), (resp, &mut response)] {
            // `seen` holds the walk's number, so it is allocated once, not once per walk.
            walk += 1;
            let mut stack = roots;
            while let Some(i) = stack.pop() {
                if std::mem::replace(&mut seen[i], walk) == walk {
                    continue;
                }
                flags[i] = true;
                if !groups[i].contains(tag) {
                    groups[i].insert(tag.to_owned());
                }
                stack.extend(edges[i].iter().copied());
            }
        }
    }
    let reached: Vec<bool> = (0..n).map(|i| request[i] || response[i]).collect();
    // Models no operation reaches are kept for callers (webhooks, notifications): they travel
    // both ways, and so does everything they hold.
    let mut stack: Vec<usize> = (0..n).filter(|&i| !reached[i]).collect();
    let mut both = vec![false; n];
    while let Some(i) = stack.pop() {
        if !std::mem::replace(&mut both[i], true) {
            stack.extend(edges[i].iter().copied());
        }
    }
    for (i, model) in api.models.values_mut().enumerate() {
        model.usage.request = request[i] || both[i];
        model.usage.response = response[i] || both[i];
        model.groups = std::mem::take(&mut groups[i]).into_iter().collect();
    }
    if filtered {
        let keep = reached;
        let mut i = 0;
        api.models.retain(|_, _| {
            i += 1;
            keep[i - 1]
        });
    }
}

/// Boxes struct fields that hold (not through a list or map) a model in the same strongly
/// connected component of the "contains directly" graph, so every struct has a finite size.
fn box_recursive_fields(api: &mut Api) {
    let models = &api.models;
    let target = |ty: &TypeRef| match ty {
        TypeRef::Model(id) => models.get_index_of(id),
        _ => None,
    };
    // Per struct, the model each field holds directly.
    let held: Vec<Vec<Option<usize>>> = models
        .values()
        .map(|m| match &m.kind {
            ModelKind::Struct { fields, .. } => fields.iter().map(|f| target(&f.ty)).collect(),
            _ => Vec::new(),
        })
        .collect();
    let edges: Vec<Vec<usize>> = models
        .values()
        .zip(&held)
        .map(|(m, held)| match &m.kind {
            ModelKind::Alias { ty } => target(ty).into_iter().collect(),
            _ => held.iter().flatten().copied().collect(),
        })
        .collect();
    let scc = tarjan(&edges);
    for (i, model) in api.models.values_mut().enumerate() {
        if let ModelKind::Struct { fields, .. } = &mut model.kind {
            for (field, held) in fields.iter_mut().zip(&held[i]) {
                if let Some(j) = held {
                    field.boxed = scc[i] == scc[*j];
                }
            }
        }
    }
}

/// Strongly connected components (iterative Tarjan); returns the component of each node.
fn tarjan(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut comp = vec![usize::MAX; n];
    let mut next_index = 0;
    let mut next_comp = 0;
    for start in 0..n {
        if index[start] != usize::MAX {
            continue;
        }
        let mut work = vec![(start, 0usize)];
        while let Some(&mut (v, ref mut child)) = work.last_mut() {
            if *child == 0 && index[v] == usize::MAX {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if *child < edges[v].len() {
                let w = edges[v][*child];
                *child += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                work.pop();
                if let Some(&(parent, _)) = work.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == index[v] {
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        comp[w] = next_comp;
                        if w == v {
                            break;
                        }
                    }
                    next_comp += 1;
                }
            }
        }
    }
    comp
}

/// One group per tag, sorted by tag; operations inside sorted by method name.
fn groups(api: &Api, tag_docs: &IndexMap<String, Option<String>>) -> Vec<Group> {
    let mut by_tag: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for op in api.operations.values() {
        for tag in &op.tags {
            by_tag.entry(tag).or_default().push(&op.id);
        }
    }
    by_tag
        .into_iter()
        .map(|(tag, mut ops)| {
            ops.sort_by_key(|id| (api.operations[*id].name.wire.to_lowercase(), *id));
            Group {
                tag: tag.to_owned(),
                description: tag_docs.get(tag).cloned().flatten(),
                name: Ident::wire(tag),
                module: String::new(),
                feature: String::new(),
                operations: ops.into_iter().map(str::to_owned).collect(),
                methods: Vec::new(),
            }
        })
        .collect()
}
