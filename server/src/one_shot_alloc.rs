//! The allocator of the `wasmlens` binary: the system allocator, plus a bump
//! arena that one-shot commands (`check`, `fmt`) switch on.
//!
//! Why: a one-shot command allocates its whole working set once and exits.
//! With the system allocator every fresh 4 KiB page costs a page fault, and
//! on the VMs CI runs on a fault costs about 3 µs: a third of `check`'s time
//! on a 10,000-line tree (BENCHMARKS.md). The arena is one reservation
//! advised for transparent huge pages, so the same working set costs a few
//! 2 MiB faults. It never frees, which is right for a process that is about
//! to exit and wrong for the language server, which never switches it on.
//!
//! Invariant: a pointer is freed by the allocator that made it. Arena
//! pointers are recognised by address; everything else goes to `System`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::ptr;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Address space reserved for the arena. Only touched pages cost memory;
/// when it is used up, allocations fall back to the system allocator.
const ARENA_BYTES: usize = 4 << 30;
const HUGE_PAGE: usize = 2 << 20;

pub struct OneShotAllocator {
    /// First and one-past-last address of the arena; both 0 while it is off.
    start: AtomicUsize,
    end: AtomicUsize,
    /// The next free address.
    next: AtomicUsize,
}

impl OneShotAllocator {
    pub const fn new() -> Self {
        Self {
            start: AtomicUsize::new(0),
            end: AtomicUsize::new(0),
            next: AtomicUsize::new(0),
        }
    }

    /// Serves later allocations from the arena. Call once, before the work
    /// starts; if the address space cannot be reserved, nothing changes.
    pub fn enable_arena(&self) {
        // SAFETY: an anonymous private mapping at an address of the kernel's
        // choosing touches no existing memory.
        let base = unsafe {
            libc::mmap(
                ptr::null_mut(),
                ARENA_BYTES + HUGE_PAGE,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            )
        };
        if base == libc::MAP_FAILED {
            return;
        }
        // Huge pages need 2 MiB-aligned ranges.
        let start = (base as usize).next_multiple_of(HUGE_PAGE);
        // SAFETY: the range lies inside the mapping made above. Failure only
        // means 4 KiB pages, so the result is ignored.
        unsafe { libc::madvise(start as *mut libc::c_void, ARENA_BYTES, libc::MADV_HUGEPAGE) };
        self.next.store(start, Ordering::Relaxed);
        self.end.store(start + ARENA_BYTES, Ordering::Relaxed);
        self.start.store(start, Ordering::Release);
    }

    fn owns(&self, ptr: *mut u8) -> bool {
        let address = ptr as usize;
        let start = self.start.load(Ordering::Relaxed);
        start != 0 && address >= start && address < self.end.load(Ordering::Relaxed)
    }

    /// Carves `layout` out of the arena, or `None` when it is off or full.
    fn bump(&self, layout: Layout) -> Option<*mut u8> {
        if self.start.load(Ordering::Acquire) == 0 {
            return None;
        }
        let end = self.end.load(Ordering::Relaxed);
        let mut next = self.next.load(Ordering::Relaxed);
        loop {
            let address = next.next_multiple_of(layout.align());
            let after = address
                .checked_add(layout.size())
                .filter(|&after| after <= end)?;
            match self
                .next
                .compare_exchange_weak(next, after, Ordering::Relaxed, Ordering::Relaxed)
            {
                Ok(_) => return Some(address as *mut u8),
                Err(current) => next = current,
            }
        }
    }
}

impl Default for OneShotAllocator {
    fn default() -> Self {
        Self::new()
    }
}

// SAFETY: arena blocks are disjoint (handed out by an atomic bump), aligned
// as asked, and never reused; every other block is `System`'s.
unsafe impl GlobalAlloc for OneShotAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        match self.bump(layout) {
            Some(block) => block,
            // SAFETY: forwarded with the caller's guarantees.
            None => unsafe { System.alloc(layout) },
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        match self.bump(layout) {
            // Fresh anonymous memory is zero and arena blocks are never reused.
            Some(block) => block,
            // SAFETY: forwarded with the caller's guarantees.
            None => unsafe { System.alloc_zeroed(layout) },
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if !self.owns(ptr) {
            // SAFETY: not an arena block, so `System` made it.
            unsafe { System.dealloc(ptr, layout) }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if !self.owns(ptr) {
            // SAFETY: not an arena block, so `System` made it.
            return unsafe { System.realloc(ptr, layout, new_size) };
        }
        // Shrinking keeps the block where it is and gives nothing back: the
        // bytes past the new end stay dirty, so handing them out again would
        // break `alloc_zeroed` (arena blocks are never reused).
        if new_size <= layout.size() {
            return ptr;
        }
        // The last block handed out grows in place.
        let old_end = ptr as usize + layout.size();
        if let Some(new_end) = (ptr as usize).checked_add(new_size)
            && new_end <= self.end.load(Ordering::Relaxed)
            && self
                .next
                .compare_exchange(old_end, new_end, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            return ptr;
        }
        // SAFETY: `new_size` is non-zero and, rounded to the alignment, does
        // not overflow: the caller guarantees it for `realloc`.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        // SAFETY: as above.
        let block = unsafe { self.alloc(new_layout) };
        if !block.is_null() {
            // SAFETY: both blocks are live, distinct and at least `layout.size()` long.
            unsafe { ptr::copy_nonoverlapping(ptr, block, layout.size()) };
        }
        block
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(size: usize, align: usize) -> Layout {
        Layout::from_size_align(size, align).unwrap()
    }

    fn arena() -> OneShotAllocator {
        let allocator = OneShotAllocator::new();
        allocator.enable_arena();
        assert!(
            allocator.start.load(Ordering::Relaxed) != 0,
            "the arena could not be reserved"
        );
        allocator
    }

    #[test]
    fn blocks_are_aligned_disjoint_and_owned() {
        let allocator = arena();
        let cases = [(1, 1), (3, 2), (24, 8), (100, 64), (4096, 4096), (7, 16)];
        let mut blocks: Vec<(usize, usize)> = Vec::new();
        for (size, align) in cases {
            let block = unsafe { allocator.alloc(layout(size, align)) };
            assert_eq!(block as usize % align, 0, "size {size} align {align}");
            assert!(allocator.owns(block));
            blocks.push((block as usize, size));
        }
        blocks.sort();
        for pair in blocks.windows(2) {
            assert!(
                pair[0].0 + pair[0].1 <= pair[1].0,
                "overlapping blocks {pair:?}"
            );
        }
    }

    #[test]
    fn realloc_keeps_the_contents_in_place_and_when_moving() {
        let allocator = arena();
        let first = unsafe { allocator.alloc(layout(8, 8)) };
        unsafe { first.copy_from_nonoverlapping(b"abcdefgh".as_ptr(), 8) };
        // The last block grows in place.
        let grown = unsafe { allocator.realloc(first, layout(8, 8), 64) };
        assert_eq!(grown, first);
        // Once another block follows, growing moves and copies.
        let _other = unsafe { allocator.alloc(layout(8, 8)) };
        let moved = unsafe { allocator.realloc(grown, layout(64, 8), 4096) };
        assert_ne!(moved, grown);
        assert_eq!(unsafe { std::slice::from_raw_parts(moved, 8) }, b"abcdefgh");
        // Shrinking never moves.
        assert_eq!(
            unsafe { allocator.realloc(moved, layout(4096, 8), 16) },
            moved
        );
        unsafe { allocator.dealloc(moved, layout(16, 8)) };
    }

    /// Regression: shrinking the last block in place used to move `next`
    /// back, so the dirty tail was handed out again as "fresh, zeroed"
    /// memory.
    #[test]
    fn a_shrunk_blocks_tail_is_never_handed_out_as_zeroed() {
        let allocator = arena();
        let block = unsafe { allocator.alloc(layout(4096, 8)) };
        unsafe { block.write_bytes(0xFF, 4096) };
        let shrunk = unsafe { allocator.realloc(block, layout(4096, 8), 16) };
        assert_eq!(shrunk, block, "shrinking keeps the block in place");
        let zeroed = unsafe { allocator.alloc_zeroed(layout(4000, 8)) };
        assert!(
            unsafe { std::slice::from_raw_parts(zeroed, 4000) }
                .iter()
                .all(|&b| b == 0),
            "alloc_zeroed returned dirty memory"
        );
    }

    #[test]
    fn zeroed_blocks_are_zero() {
        let allocator = arena();
        let block = unsafe { allocator.alloc_zeroed(layout(1 << 16, 8)) };
        assert!(
            unsafe { std::slice::from_raw_parts(block, 1 << 16) }
                .iter()
                .all(|&b| b == 0)
        );
    }

    #[test]
    fn without_the_arena_everything_is_the_system_allocators() {
        let allocator = OneShotAllocator::new();
        let block = unsafe { allocator.alloc(layout(32, 8)) };
        assert!(!allocator.owns(block));
        let block = unsafe { allocator.realloc(block, layout(32, 8), 1 << 20) };
        assert!(!allocator.owns(block));
        unsafe { allocator.dealloc(block, layout(1 << 20, 8)) };
    }

    #[test]
    fn a_full_arena_falls_back_to_the_system_allocator() {
        let allocator = arena();
        let end = allocator.end.load(Ordering::Relaxed);
        allocator.next.store(end - 16, Ordering::Relaxed);
        let block = unsafe { allocator.alloc(layout(64, 8)) };
        assert!(!block.is_null() && !allocator.owns(block));
        unsafe { allocator.dealloc(block, layout(64, 8)) };
    }

    #[test]
    fn threads_get_disjoint_blocks() {
        let allocator = arena();
        let blocks: Vec<Vec<usize>> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..4)
                .map(|_| {
                    scope.spawn(|| {
                        (0..10_000)
                            .map(|_| unsafe { allocator.alloc(layout(24, 8)) } as usize)
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            workers
                .into_iter()
                .map(|worker| worker.join().unwrap())
                .collect()
        });
        let mut all: Vec<usize> = blocks.into_iter().flatten().collect();
        all.sort_unstable();
        assert!(
            all.windows(2).all(|pair| pair[1] - pair[0] >= 24),
            "two threads got overlapping blocks"
        );
    }
}
