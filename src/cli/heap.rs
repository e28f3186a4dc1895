//! How glibc's allocator is set for a command, before the command starts its threads. Each
//! setting is left alone when the user sets the allocator in `GLIBC_TUNABLES`; other
//! platforms and C libraries are unaffected.

/// Whether the user set any of glibc's allocator tunables.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn user_tuned() -> bool {
    std::env::var("GLIBC_TUNABLES").is_ok_and(|t| t.contains("glibc.malloc."))
}

/// Has glibc grow a thread's heap 64 MiB at a time and give memory back only above 256 MiB,
/// instead of 128 KiB: the evaluator's solutions grow and shrink the query thread's heap all
/// the time, with an `mprotect` call each time (9,153 calls for `groups-at-risk` on a store of
/// a million triples, 154 after). For a command that ends after one query, so nothing held on
/// to is missed.
pub fn keep_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if !user_tuned() {
        // SAFETY: `mallopt` only sets the allocator's parameters, under its own lock.
        unsafe {
            libc::mallopt(libc::M_TOP_PAD, 64 << 20);
            libc::mallopt(libc::M_TRIM_THRESHOLD, 256 << 20);
        }
    }
}

/// Has glibc keep one heap (arena) for each core rather than up to eight: a command whose
/// threads hand large buffers to each other (a push makes each request body on one thread and
/// sends it from another) otherwise leaves each thread's arena holding the high-water mark of
/// what it once made. A push of a million triples in 10,620 graphs held 190 MB at peak with the
/// default and 157 MB with two arenas on two cores, in the same time.
pub fn arena_per_core() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if !user_tuned() {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let cores = i32::try_from(cores).unwrap_or(i32::MAX);
        // SAFETY: `mallopt` only sets the allocator's parameters, under its own lock.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, cores);
        }
    }
}
