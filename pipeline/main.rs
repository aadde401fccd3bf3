//! The `homeward` binary: a thin shell around [`homeward::cli::main`].

fn main() -> std::process::ExitCode {
    cap_malloc_arenas();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("homeward: cannot start the runtime: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    runtime.block_on(homeward::cli::main())
}

/// Caps glibc's malloc arenas at one per core, before any thread starts.
/// By default glibc gives up to eight per core, and memory freed in one
/// arena is not reused by threads allocating in another: over the models
/// of a 1 M-case transform, peak RSS reached 1,040 MiB with a 512 MiB pool,
/// against 711 MiB with two arenas on two cores, in the same time
/// (benches/README.md, Memory).
fn cap_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let arenas = libc::c_int::try_from(cores.max(2)).unwrap_or(libc::c_int::MAX);
        // SAFETY: mallopt only sets an allocator parameter; it is called
        // before the runtime starts any thread. An environment setting
        // (MALLOC_ARENA_MAX) is left to win.
        if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
            unsafe {
                libc::mallopt(libc::M_ARENA_MAX, arenas);
            }
        }
    }
}
