//! Links the `wasmlens` binary as a position-dependent executable on Linux.
//!
//! Why: with the runtime linked in, a position-independent `wasmlens` has
//! about 41,000 dynamic relocations, and applying them at every start
//! touches ~140 pages of relocated data: 0.7 ms that `wasmlens check` pays
//! on every run (BENCHMARKS.md). A position-dependent executable has its
//! addresses fixed at link time and starts without them. The library code
//! is position-independent either way; only the final link changes.

fn main() {
    let target_os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if target_os == "linux" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
