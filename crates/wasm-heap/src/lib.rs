//! The wasm heap grows in large steps instead of dlmalloc's 64 KiB ones.
//!
//! Why: every `memory.grow` makes V8 account more external memory, and in Node 20 that
//! requests a full (mark-compact) GC of the JS heap. dlmalloc asks for just the pages it
//! needs, so a growing Cluster grew memory every ~30 Service creates: measured on 40 000
//! creates, 1 425 full GCs and a mean cost per create of 222 us against a median of
//! 101 us; with the same heap already grown, 0 full GCs and a mean of 85 us (see
//! BENCHMARKS.md). So whenever dlmalloc has just grown the heap, this wrapper at once
//! allocates and frees one block of a sixteenth of the heap (at least 1 MiB): dlmalloc
//! keeps the freed block as the top of its heap (it never returns wasm memory), and the
//! next allocations are carved from it with no grow. The number of grows becomes
//! logarithmic in the heap size; the price is at most 1/16 of linear memory reserved but
//! not yet used.

#![cfg(target_arch = "wasm32")]

use std::alloc::{GlobalAlloc, Layout, System};
use std::arch::wasm32::memory_size;

const PAGE: usize = 64 * 1024;
const MIN_STEP: usize = 1 << 20;
const STEP_DIVISOR: usize = 16;

pub struct GrowInSteps;

#[global_allocator]
static HEAP: GrowInSteps = GrowInSteps;

/// Called after an allocation that may have grown memory from `pages_before`.
fn reserve_after_growth(pages_before: usize) {
    let pages = memory_size::<0>();
    if pages <= pages_before {
        return;
    }
    let step = (pages.saturating_mul(PAGE) / STEP_DIVISOR).max(MIN_STEP);
    if let Ok(layout) = Layout::from_size_align(step, 16) {
        // SAFETY: a non-zero-size layout, freed with the same layout; if the heap cannot
        // grow by `step` (near 4 GiB) the null result is simply not used.
        unsafe {
            let p = System.alloc(layout);
            if !p.is_null() {
                System.dealloc(p, layout);
            }
        }
    }
}

// SAFETY: every call is forwarded to System (dlmalloc) unchanged; the wrapper only adds
// an extra allocate-and-free of its own after a growth.
unsafe impl GlobalAlloc for GrowInSteps {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let before = memory_size::<0>();
        let p = unsafe { System.alloc(layout) };
        reserve_after_growth(before);
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let before = memory_size::<0>();
        let p = unsafe { System.alloc_zeroed(layout) };
        reserve_after_growth(before);
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let before = memory_size::<0>();
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        reserve_after_growth(before);
        p
    }
}
