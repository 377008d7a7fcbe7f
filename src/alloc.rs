//! The page's allocator: the standard one, with every block on cache lines of its own.
//!
//! All threads of the WebAssembly build share one heap (there are no per-thread arenas as
//! natively), so two workers' blocks sit side by side and share cache lines; every write
//! to one then evicts the other from its core's cache. That cost the 2-worker runs about a
//! fifth more CPU than one worker for the same cells. Starting each block on a 64-byte
//! line and rounding its size to whole lines keeps each block's lines to itself.

use std::alloc::{GlobalAlloc, Layout, System};

/// The cache line of the x86 and Arm cores that browsers run on.
const LINE: usize = 64;

pub struct CacheLineAlloc;

/// `layout` grown to whole cache lines and aligned to one; `None` if that overflows.
fn on_lines(layout: Layout) -> Option<Layout> {
    let size = layout.size().checked_add(LINE - 1)? & !(LINE - 1);
    Layout::from_size_align(size, layout.align().max(LINE)).ok()
}

// SAFETY: every block is allocated and freed with the same padded layout, computed from
// the caller's layout, and handed to the system allocator, which meets the GlobalAlloc
// contract for it; a padded block is at least as large and as aligned as asked.
unsafe impl GlobalAlloc for CacheLineAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        match on_lines(layout) {
            Some(padded) => unsafe { System.alloc(padded) },
            None => std::ptr::null_mut(),
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        match on_lines(layout) {
            Some(padded) => unsafe { System.alloc_zeroed(padded) },
            None => std::ptr::null_mut(),
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if let Some(padded) = on_lines(layout) {
            unsafe { System.dealloc(ptr, padded) }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let (Some(old), Some(new)) = (
            on_lines(layout),
            Layout::from_size_align(new_size, layout.align())
                .ok()
                .and_then(on_lines),
        ) else {
            return std::ptr::null_mut();
        };
        if new.size() == old.size() {
            return ptr;
        }
        unsafe { System.realloc(ptr, old, new.size()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line_of(ptr: *const u8) -> usize {
        ptr as usize / LINE
    }

    #[test]
    fn blocks_start_on_a_line_and_never_share_one() {
        let layouts = [
            (1, 1),
            (7, 1),
            (24, 8),
            (64, 8),
            (65, 4),
            (200, 16),
            (3, 128),
        ];
        let blocks: Vec<(*mut u8, Layout)> = layouts
            .iter()
            .map(|&(size, align)| {
                let layout = Layout::from_size_align(size, align).unwrap();
                (unsafe { CacheLineAlloc.alloc(layout) }, layout)
            })
            .collect();
        for (i, &(a, la)) in blocks.iter().enumerate() {
            assert!(!a.is_null());
            assert_eq!(a as usize % la.align().max(LINE), 0);
            let a_lines = line_of(a)..=line_of(a.wrapping_add(la.size() - 1));
            for &(b, lb) in &blocks[i + 1..] {
                let b_lines = line_of(b)..=line_of(b.wrapping_add(lb.size() - 1));
                assert!(
                    a_lines.end() < b_lines.start() || b_lines.end() < a_lines.start(),
                    "blocks of {la:?} and {lb:?} share a cache line"
                );
            }
        }
        for (ptr, layout) in blocks {
            unsafe { CacheLineAlloc.dealloc(ptr, layout) };
        }
    }

    #[test]
    fn realloc_keeps_the_contents_and_the_alignment() {
        let layout = Layout::from_size_align(10, 2).unwrap();
        unsafe {
            let ptr = CacheLineAlloc.alloc(layout);
            for i in 0..10 {
                *ptr.add(i) = i as u8;
            }
            // Within the same line: the block stays where it is.
            assert_eq!(CacheLineAlloc.realloc(ptr, layout, 60), ptr);
            let grown = CacheLineAlloc.realloc(ptr, Layout::from_size_align(60, 2).unwrap(), 1000);
            assert!(!grown.is_null());
            assert_eq!(grown as usize % LINE, 0);
            assert_eq!(
                std::slice::from_raw_parts(grown, 10),
                &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
            );
            CacheLineAlloc.dealloc(grown, Layout::from_size_align(1000, 2).unwrap());
        }
    }

    #[test]
    fn sizes_too_large_once_padded_fail_cleanly() {
        // A valid layout whose size rounded up to whole lines passes isize::MAX.
        let huge = Layout::from_size_align(isize::MAX as usize - 10, 1).unwrap();
        assert!(on_lines(huge).is_none());
        assert!(unsafe { CacheLineAlloc.alloc(huge) }.is_null());
        assert!(unsafe { CacheLineAlloc.alloc_zeroed(huge) }.is_null());
    }
}
