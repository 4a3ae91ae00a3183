#!/usr/bin/env python3
"""`wasmlens serve` against `wasmtime serve` (the peer from
../shared/tools/peers) on the same proxy component, in one run: requests
per second and latency (p50, p99) at 1 and 16 concurrent connections,
measured by wrk (Debian's `wrk`) on 127.0.0.1, each point a bounded run of
DURATION seconds; the two servers take turns, ROUNDS times, and each
point's median round is shown.

Components: the WAT proxy of tests/fixtures/http (`GET /`: 15 bytes), and
with --python its componentize-py build (18 MB, built on first use by the
fixture's build.sh into target/tmp/fixtures-http).

Usage: python3 bench/serve.py [--duration S] [--rounds N] [--python]
"""

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check import ROOT, peers_path  # noqa: E402
from lenses import wasi_http_deps  # noqa: E402


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port, seconds=120):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    sys.exit(f"nothing listens on {port} after {seconds} s")


def start(command, port):
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(port)
    return process


def wrk(port, connections, duration):
    """(requests/s, p50 ms, p99 ms) of one wrk run on `GET /`."""
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", f"http://127.0.0.1:{port}/"],
        check=True, capture_output=True, text=True).stdout
    if "Non-2xx" in out or "Socket errors" in out:
        sys.exit(f"wrk saw errors:\n{out}")

    def ms(label):
        value, unit = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return rps, ms("50"), ms("99")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--python", action="store_true")
    args = parser.parse_args()
    if subprocess.run(["sh", "-c", "command -v wrk"], capture_output=True).returncode != 0:
        sys.exit("wrk is needed: apt-get install -y wrk")

    print("building wasmlens (release)...", file=sys.stderr)
    subprocess.run(["cargo", "build", "--release", "--quiet", "-p", "wasmlens"], cwd=ROOT, check=True)
    wasmlens = str(ROOT / "target" / "release" / "wasmlens")
    os.environ["PATH"] = peers_path() + os.pathsep + os.environ["PATH"]
    components = [("WAT proxy (21 KB)", ROOT / "tests" / "fixtures" / "http" / "proxy.wasm")]
    if args.python:
        out = ROOT / "target" / "tmp" / "fixtures-http"
        subprocess.run(["bash", str(ROOT / "tests" / "fixtures" / "http" / "build.sh"), "--python", str(out)],
                       check=True, env=dict(os.environ, WASI_HTTP_WIT=str(wasi_http_deps())),
                       stdout=subprocess.DEVNULL)
        components.append(("componentize-py proxy (18 MB)", out / "proxy-py.wasm"))

    print(f"| component | connections | server | requests/s | p50 | p99 |")
    print("|---|---|---|---|---|---|")
    for name, component in components:
        servers = {
            "wasmlens serve": lambda port: [wasmlens, "serve", "--addr", f"127.0.0.1:{port}", str(component)],
            "wasmtime serve": lambda port: ["wasmtime", "serve", "--addr", f"127.0.0.1:{port}", "-S", "cli",
                                            str(component)],
        }
        for connections in (1, 16):
            results = {server: [] for server in servers}
            for _ in range(args.rounds):
                for server, command in servers.items():
                    port = free_port()
                    process = start(command(port), port)
                    try:
                        wrk(port, connections, 1)  # warm-up: compile, caches
                        results[server].append(wrk(port, connections, args.duration))
                    finally:
                        process.terminate()
                        process.wait()
            for server, runs in results.items():
                rps = statistics.median(r[0] for r in runs)
                p50 = statistics.median(r[1] for r in runs)
                p99 = statistics.median(r[2] for r in runs)
                print(f"| {name} | {connections} | {server} | {rps:,.0f} | {p50:.3f} ms | {p99:.3f} ms |")


if __name__ == "__main__":
    main()
