//! The ordered-parallel pattern that `upgrade` and `lower` share: the parts of a document
//! (definitions, paths, operations) handled at once, each in a context of its own, then
//! merged one after another in the document's order, so that the output, the warnings and
//! the first error are those of handling the parts one after another.
//!
//! It knows no stage: contexts, results and merging are the caller's. It must not do IO,
//! and must not let the threads' timing decide any order.

use rayon::prelude::*;

use crate::error::Error;

/// Runs `run` on every part in parallel, then `merge`s what each gave into `state`, one
/// part after another in the parts' order, stopping at the first error `merge` returns.
///
/// `run` sees `state` read only (what was merged before this call) and makes a fresh
/// context for its part; it returns what outlives that context, owned (the part's result
/// and what its context collected: warnings, pointer moves, models), so that `merge` can
/// take `state` mutably. Every part runs, but only the parts up to the first failing one
/// are merged, so the error reported is the first in document order.
pub(crate) fn ordered<S, P, O, T>(
    state: &mut S,
    parts: &[P],
    run: impl Fn(&S, &P) -> O + Sync,
    mut merge: impl FnMut(&mut S, O) -> Result<T, Error>,
) -> Result<Vec<T>, Error>
where
    S: Sync,
    P: Sync,
    O: Send,
{
    let shared: &S = state;
    let outputs: Vec<O> = parts.par_iter().map(|part| run(shared, part)).collect();
    let mut merged = Vec::with_capacity(outputs.len());
    for output in outputs {
        merged.push(merge(state, output)?);
    }
    Ok(merged)
}
