//! The one way this crate takes a lock.

use std::sync::{Mutex, MutexGuard};

/// Locks `mutex`, even if a thread panicked while holding it: every state
/// behind our locks is as consistent after a panic as after any single
/// step (an edit, a cache entry), and serving on beats poisoning every
/// later request.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
