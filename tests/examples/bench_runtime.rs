//! The in-process half of `bench/run.py`: writes the benchmark's fixture
//! components to DIR (`bench/debug.py`'s too), then times, in this process, compiling them,
//! instantiating from an `InstancePre`, and one WAVE invoke of a small
//! export, and prints a Markdown table.
//!
//! Usage: cargo run --release -p wasmlens-tests --example bench_runtime -- DIR

use std::path::PathBuf;
use std::time::{Duration, Instant};

use wasmlens_runtime::{
    Capabilities, EngineOptions, Limits, PrecompiledPolicy, Prepared, Runtime, load_bytes,
};
use wasmlens_tests::components::{
    CALC_CORE, CALC_WIT, c_greet_component, component, debug_command, steps_component,
};

fn percentile(values: &mut [Duration], p: f64) -> Duration {
    values.sort();
    values[((values.len() - 1) as f64 * p).round() as usize]
}

fn micros(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1e6)
}

fn main() {
    let dir = PathBuf::from(std::env::args().nth(1).expect("usage: bench_runtime DIR"));
    std::fs::create_dir_all(&dir).unwrap();
    let calc = component(CALC_WIT, CALC_CORE);
    let greet = c_greet_component();
    std::fs::write(dir.join("calc.wasm"), &calc).unwrap();
    std::fs::write(dir.join("greet.wasm"), &greet).unwrap();
    // The debugger's C command (`bench/debug.py`).
    std::fs::write(dir.join("cmd-O0.wasm"), debug_command("cmd-O0")).unwrap();
    // Its long sessions and compute-heavy run (WAT, no DWARF).
    std::fs::write(dir.join("steps.wasm"), steps_component()).unwrap();

    // What the editor runs with: fuel and epochs on, no cache (to time
    // compilation itself).
    let runtime = Runtime::with_options(EngineOptions {
        cache_dir: None,
        ..EngineOptions::with_limits()
    })
    .unwrap();
    let mut rows = Vec::new();
    for (name, bytes) in [("calc (WAT)", &calc), ("greet (C, wasi-libc)", &greet)] {
        let mut times: Vec<Duration> = (0..5)
            .map(|_| {
                let started = Instant::now();
                load_bytes(&runtime, bytes, PrecompiledPolicy::Refuse).unwrap();
                started.elapsed()
            })
            .collect();
        rows.push(format!(
            "| compile {name}, {} KiB | 5 | {:.2} ms | | |",
            bytes.len() / 1024,
            percentile(&mut times, 0.5).as_secs_f64() * 1e3
        ));
    }

    let artifact = load_bytes(&runtime, &calc, PrecompiledPolicy::Refuse).unwrap();
    let prepared = Prepared::new(&runtime, &artifact).unwrap();
    let executor = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (capabilities, limits) = (Capabilities::default(), Limits::editor());
    let runs = 2000;
    let (mut whole, mut instantiate, mut call) = (Vec::new(), Vec::new(), Vec::new());
    executor.block_on(async {
        for i in 0..runs + 100 {
            let started = Instant::now();
            let invocation = prepared
                .invoke("add(1, 2)", &capabilities, &limits)
                .await
                .unwrap();
            let elapsed = started.elapsed();
            assert_eq!(invocation.results, ["3"]);
            if i >= 100 {
                whole.push(elapsed);
                instantiate.push(invocation.instantiation);
                call.push(elapsed - invocation.instantiation);
            }
        }
    });
    for (name, values, target) in [
        (
            "instantiate (fresh limited store + InstancePre)",
            &mut instantiate,
            "< 50 µs",
        ),
        (
            "parse WAVE + call `add(1, 2)` + print the result",
            &mut call,
            "< 20 µs",
        ),
        ("whole `Prepared::invoke`", &mut whole, ""),
    ] {
        rows.push(format!(
            "| {name} | {runs} | {} µs | {} µs | {target} |",
            micros(percentile(values, 0.5)),
            micros(percentile(values, 0.99))
        ));
    }
    println!("In process (release, fuel and epochs on):\n");
    println!("| measure | n | p50 | p99 | target |");
    println!("|---|---:|---:|---:|---|");
    for row in rows {
        println!("{row}");
    }
}
