//! How the console uses the C allocator. It runs for hours, and its threads hand each
//! other memory: a log poll's lines are decoded on a worker and stored by the event loop,
//! a refresh's bodies are decoded on the blocking pool. glibc gives each thread that finds
//! the arena busy an arena of its own and keeps in each what was freed there; after
//! following a 100,000-line log that was two or three arenas of ~16 MB each, mostly free.

/// Keep one arena, so that what one thread frees another reuses. Call before any thread
/// starts.
pub fn one_arena() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter, and no other thread exists yet.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}

/// Hand the free pages inside the heap back to the system (glibc keeps them otherwise,
/// returning only the heap's free top). A walk of the free chunks: called after work, not
/// on every frame.
pub fn give_back() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim takes the allocator's own locks; it only releases free memory.
    unsafe {
        libc::malloc_trim(0);
    }
}
