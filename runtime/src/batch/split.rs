//! How the requests of a [`Batch`](super::Batch) are split into batch requests of at most
//! [`MAX_BATCH_SIZE`](super::MAX_BATCH_SIZE): each batch request's members, as positions in
//! the order added.
//!
//! A JSON batch keeps a `dependsOn` chain in one batch request when it fits: chains (the
//! requests linked by dependencies) are packed whole, first come first placed, and only a
//! chain longer than a batch is cut, in the order added. A multipart batch has no
//! `dependsOn`: a request starts a new batch request when one it depends on is in the
//! current one, so that it is sent only after its dependency was answered.
//!
//! Across batch requests the client keeps the rule itself: a request whose dependency
//! (in an earlier batch request) failed is not sent (see `Batch::send`).

/// The batch requests for requests whose dependencies are `depends_on[i]` (positions of
/// earlier requests), at most `max` each.
pub(super) fn split(depends_on: &[Vec<usize>], max: usize, chains: bool) -> Vec<Vec<usize>> {
    let max = max.max(1);
    if !chains {
        return sequential(depends_on, max);
    }
    // The chains: connected parts of the dependency graph, by their first request.
    let mut root: Vec<usize> = (0..depends_on.len()).collect();
    fn find(root: &mut [usize], mut i: usize) -> usize {
        while root[i] != i {
            root[i] = root[root[i]];
            i = root[i];
        }
        i
    }
    for (i, deps) in depends_on.iter().enumerate() {
        for &d in deps {
            let (a, b) = (find(&mut root, i), find(&mut root, d));
            // The earlier request is the chain's root, so chains come in the order added.
            root[a.max(b)] = a.min(b);
        }
    }
    let mut chains: Vec<Vec<usize>> = Vec::new();
    let mut chain_of = vec![usize::MAX; depends_on.len()];
    for i in 0..depends_on.len() {
        let r = find(&mut root, i);
        if chain_of[r] == usize::MAX {
            chain_of[r] = chains.len();
            chains.push(Vec::new());
        }
        chains[chain_of[r]].push(i);
    }
    let mut batches: Vec<Vec<usize>> = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    for chain in chains {
        if current.len() + chain.len() <= max {
            current.extend(chain);
        } else if chain.len() <= max {
            batches.push(std::mem::replace(&mut current, chain));
        } else {
            for i in chain {
                if current.len() == max {
                    batches.push(std::mem::take(&mut current));
                }
                current.push(i);
            }
        }
    }
    if !current.is_empty() {
        batches.push(current);
    }
    for batch in &mut batches {
        batch.sort_unstable();
    }
    batches
}

/// In the order added; a new batch when full or when a dependency is in the current one.
fn sequential(depends_on: &[Vec<usize>], max: usize) -> Vec<Vec<usize>> {
    let mut batches: Vec<Vec<usize>> = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    for (i, deps) in depends_on.iter().enumerate() {
        if current.len() == max || deps.iter().any(|d| current.contains(d)) {
            batches.push(std::mem::take(&mut current));
        }
        current.push(i);
    }
    if !current.is_empty() {
        batches.push(current);
    }
    batches
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chains_are_packed_whole_when_they_fit() {
        // 0 <- 2 <- 3 is one chain; 1 and 4 stand alone.
        let deps = vec![vec![], vec![], vec![0], vec![2], vec![]];
        assert_eq!(split(&deps, 3, true), [vec![0, 2, 3], vec![1, 4]]);
        assert_eq!(split(&deps, 5, true), [vec![0, 1, 2, 3, 4]]);
    }

    #[test]
    fn a_chain_longer_than_a_batch_is_cut_in_order() {
        let mut deps = vec![vec![]];
        deps.extend((1..7).map(|i| vec![i - 1]));
        assert_eq!(
            split(&deps, 3, true),
            [vec![0, 1, 2], vec![3, 4, 5], vec![6]]
        );
        assert!(split(&[], 20, true).is_empty());
    }

    #[test]
    fn without_chains_a_dependency_starts_a_new_batch() {
        let deps = vec![vec![], vec![], vec![0], vec![], vec![], vec![]];
        assert_eq!(split(&deps, 4, false), [vec![0, 1], vec![2, 3, 4, 5]]);
        assert_eq!(split(&deps, 2, false), [vec![0, 1], vec![2, 3], vec![4, 5]]);
    }
}
