#!/usr/bin/env python3
"""Times `wasmlens run` against `wasmtime run` (the peer from
../shared/tools/peers) on the same components, in one run, and prints the
in-process numbers of the runtime library.

CLI rows, each tool's runs interleaved so that drift in the machine falls
on both:
- `--invoke 'add(1, 2)'` on a small component (calc, written in WAT) and
  a `wasi:cli/run` command (the C program of tests/fixtures/c, 246 KiB as
  a component);
- cold: no compile cache (every run compiles: `--no-cache` / `-C cache=n`);
- warm: each tool's cache filled by a first run (wasmlens' in a private
  XDG_CACHE_HOME, wasmtime's default one).

In-process rows come from `tests/examples/bench_runtime.rs` (release):
compile, instantiate from an `InstancePre`, one WAVE invoke.

Usage: python3 bench/run.py [--runs N]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check import ROOT, OUT, peers_path, sh  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()

    print("building wasmlens and the fixtures (release)...", file=sys.stderr)
    subprocess.run(["cargo", "build", "--release", "--quiet", "-p", "wasmlens"], cwd=ROOT, check=True)
    fixtures = OUT / "run"
    in_process = subprocess.run(
        ["cargo", "run", "--release", "--quiet", "-p", "wasmlens-tests", "--example", "bench_runtime", "--",
         str(fixtures)],
        cwd=ROOT, check=True, capture_output=True, text=True).stdout
    wasmlens = str(ROOT / "target" / "release" / "wasmlens")
    os.environ["PATH"] = peers_path() + os.pathsep + os.environ["PATH"]
    cache_home = tempfile.mkdtemp(prefix="wasmlens-run-bench-")
    env = dict(os.environ, XDG_CACHE_HOME=cache_home)

    calc, greet = str(fixtures / "calc.wasm"), str(fixtures / "greet.wasm")
    cases = [
        ("invoke `add(1, 2)` (calc, WAT)", "cold",
         [wasmlens, "run", "--no-cache", "--invoke", "add(1, 2)", calc],
         ["wasmtime", "run", "-C", "cache=n", "--invoke", "add(1, 2)", calc]),
        ("invoke `add(1, 2)` (calc, WAT)", "warm",
         [wasmlens, "run", "--invoke", "add(1, 2)", calc],
         ["wasmtime", "run", "--invoke", "add(1, 2)", calc]),
        ("command (C program, wasi-libc)", "cold",
         [wasmlens, "run", "--no-cache", greet, "hello"],
         ["wasmtime", "run", "-C", "cache=n", greet, "hello"]),
        ("command (C program, wasi-libc)", "warm",
         [wasmlens, "run", greet, "hello"],
         ["wasmtime", "run", greet, "hello"]),
    ]

    def once(command):
        start = time.perf_counter()
        result = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        elapsed = (time.perf_counter() - start) * 1000
        if result.returncode != 0:
            sys.exit(f"{' '.join(command)} failed: {result.stderr.decode()}")
        return elapsed

    rows = []
    for name, cache, ours, theirs in cases:
        # Warm-up (fills the caches for the warm rows).
        once(ours)
        once(theirs)
        our_times, their_times = [], []
        for _ in range(args.runs):
            our_times.append(once(ours))
            their_times.append(once(theirs))
        ours_ms, theirs_ms = statistics.median(our_times), statistics.median(their_times)
        rows.append((name, cache, ours_ms, theirs_ms))

    print(f"wasmlens 0.1.0 (Wasmtime 48) vs {sh('wasmtime', '--version').strip()}, "
          f"{args.runs} runs each, 2 cores\n")
    print("| run | compile cache | wasmlens run ms | wasmtime run ms | ratio (median) |")
    print("|---|---|---:|---:|---:|")
    for name, cache, ours_ms, theirs_ms in rows:
        print(f"| {name} | {cache} | {ours_ms:.1f} | {theirs_ms:.1f} | {ours_ms / theirs_ms:.2f} |")
    print()
    print(in_process)


if __name__ == "__main__":
    main()
