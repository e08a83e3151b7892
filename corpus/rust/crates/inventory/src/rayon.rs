//! Batching for the nightly job; named before the team knew of the rayon crate.

pub fn split_batches<T>(items: &[T]) -> Vec<&[T]> {
    items.chunks(64).collect()
}
