//! The `homeward` binary: a thin shell around [`homeward::cli::main`].

/// jemalloc, not the system's malloc. With glibc's, the pull spent a third
/// of its time in malloc and free (threads of the file loaders contending
/// for capped arenas), and uncapped arenas kept memory one model freed out
/// of reach of the next (a 1 M-case transform peaked at 1,040 MiB). With
/// jemalloc the pull takes ≈ 40 % less time and the transform's peak is
/// lower (608 against 741–769 MiB) in the same time (benches/README.md,
/// "The allocator and the pull"). Not on Windows' MSVC targets, where
/// jemalloc does not build.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> std::process::ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // Planning and decoding recurse through the plans of the larger
        // models (nested unions and CTEs): a cluster node's threads
        // overflowed the default 2 MiB in a debug build. Reserved, not
        // committed, until used.
        .thread_stack_size(32 * 1024 * 1024)
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
