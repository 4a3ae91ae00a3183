#!/usr/bin/env python3
"""Times the run lenses end to end through the protocol: from sending
`workspace/executeCommand` (`wasmlens.invoke`, `add(1, 2)` on the calc
component) to its response, over the real `wasmlens lsp` (release) on
stdio, and prints one table.

- first call: the component is compiled (an empty compile cache);
- warm calls: CALLS invokes one after another (p50, p99), and the same
  with `wasmlens.trace`;
- for scale, the peer a user would otherwise reach for: `wasmtime run
  --invoke 'add(1, 2)'` from a terminal, with its compile cache warm;
- ▶ Request: `wasmlens.request` (`GET /`, and `POST /echo` with a body) to
  the WAT proxy of tests/fixtures/http, CALLS requests each, warm.

Usage: python3 bench/lenses.py [--calls N]
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check import ROOT, OUT, peers_path, timed  # noqa: E402
from lsp import Server, percentile, uri  # noqa: E402


def calc_wit():
    source = (ROOT / "tests" / "src" / "components.rs").read_text()
    return re.search(r'pub const CALC_WIT: &str = "(.*?)";\n', source, re.S).group(1)


def wasi_http_deps():
    """The wasi:http WIT tree the workspace links (cargo's registry)."""
    home = Path(os.environ.get("CARGO_HOME", Path.home() / ".cargo"))
    found = sorted(home.glob("registry/src/*/wasmtime-wasi-http-48.0.8/wit/deps"))
    if not found:
        sys.exit("no wasmtime-wasi-http 48.0.8 in cargo's registry: run `cargo fetch`")
    return found[0]


def request_workspace():
    """A workspace with the proxy's world, its deps and the built proxy."""
    workspace = Path(tempfile.mkdtemp(prefix="wasmlens-request-bench-"))
    (workspace / "wit" / "deps").mkdir(parents=True)
    fixtures = ROOT / "tests" / "fixtures" / "http"
    (workspace / "wit" / "proxy.wit").write_text((fixtures / "proxy.wit").read_text())
    for dep in wasi_http_deps().glob("*.wit"):
        (workspace / "wit" / "deps" / dep.name).write_text(dep.read_text())
    (workspace / "build").mkdir()
    (workspace / "build" / "proxy.wasm").write_bytes((fixtures / "proxy.wasm").read_bytes())
    return workspace


def open_lenses(server, workspace, wit):
    server.request("initialize", {
        "processId": None, "rootUri": uri(workspace), "capabilities": {},
        "workspaceFolders": [{"uri": uri(workspace), "name": "bench"}],
    })
    server.notify("initialized", {})
    server.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri(wit), "languageId": "wit", "version": 1, "text": wit.read_text()}})
    lenses, _ = server.request("textDocument/codeLens", {"textDocument": {"uri": uri(wit)}})
    return lenses


def request_times(calls):
    """First and warm round trips of `wasmlens.request`."""
    workspace = request_workspace()
    wit = workspace / "wit" / "proxy.wit"
    server = Server(str(ROOT / "target" / "release" / "wasmlens"))
    lenses = open_lenses(server, workspace, wit)
    command = None
    for lens in lenses:
        if lens["data"]["kind"] == "request":
            command = server.request("codeLens/resolve", lens)[0]["command"]

    def send(extra, status, body):
        argument = dict(command["arguments"][0], **extra)
        result, ms = server.request("workspace/executeCommand",
                                    {"command": command["command"], "arguments": [argument]})
        assert result["ok"] and result["status"] == status and result["body"] == body, result
        return ms

    first = send({}, 200, "hello from wat\n")
    get = [send({}, 200, "hello from wat\n") for _ in range(calls)]
    post = [send({"method": "POST", "path": "/echo", "body": "x" * 1000}, 200, "x" * 1000)
            for _ in range(calls)]
    server.process.kill()
    return first, get, post


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=500)
    args = parser.parse_args()

    print("building wasmlens and the fixtures (release)...", file=sys.stderr)
    subprocess.run(["cargo", "build", "--release", "--quiet", "-p", "wasmlens"], cwd=ROOT, check=True)
    fixtures = OUT / "run"
    subprocess.run(
        ["cargo", "run", "--release", "--quiet", "-p", "wasmlens-tests", "--example", "bench_runtime", "--",
         str(fixtures)],
        cwd=ROOT, check=True, capture_output=True)
    workspace = Path(tempfile.mkdtemp(prefix="wasmlens-lens-bench-"))
    (workspace / "wit").mkdir()
    wit = workspace / "wit" / "calc.wit"
    wit.write_text(calc_wit())
    component = workspace / "target" / "wasm32-wasip2" / "release" / "calc.wasm"
    component.parent.mkdir(parents=True)
    component.write_bytes((fixtures / "calc.wasm").read_bytes())

    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="wasmlens-lens-cache-")
    server = Server(str(ROOT / "target" / "release" / "wasmlens"))
    lenses = open_lenses(server, workspace, wit)
    invoke = trace = None
    for lens in lenses:
        data = lens["data"]
        if data.get("export") == "add":
            resolved, _ = server.request("codeLens/resolve", lens)
            if data["kind"] == "invoke":
                invoke = resolved["command"]
            elif data["kind"] == "trace":
                trace = resolved["command"]

    def call(command):
        argument = dict(command["arguments"][0], arguments="(1, 2)")
        result, ms = server.request("workspace/executeCommand",
                                    {"command": command["command"], "arguments": [argument]})
        assert result["ok"] and result["result"] == "3", result
        return ms

    first = call(invoke)
    warm = [call(invoke) for _ in range(args.calls)]
    traced = [call(trace) for _ in range(args.calls)]
    server.process.kill()
    request_first, get, post = request_times(args.calls)

    os.environ["PATH"] = peers_path() + os.pathsep + os.environ["PATH"]
    peer = ["wasmtime", "run", "--invoke", "add(1, 2)", str(component)]
    subprocess.run(peer, check=True, capture_output=True)  # fills its cache
    peer_median = statistics.median(timed(peer, 20))

    print("| lens round trip (`add(1, 2)`, executeCommand → response) | p50 | p99 |")
    print("|---|---|---|")
    print(f"| wasmlens.invoke, first call (compiles) | {first:.1f} ms | |")
    print(f"| wasmlens.invoke, warm ({args.calls} calls) | {percentile(warm, 50):.2f} ms | {percentile(warm, 99):.2f} ms |")
    print(f"| wasmlens.trace, warm ({args.calls} calls) | {percentile(traced, 50):.2f} ms | {percentile(traced, 99):.2f} ms |")
    print(f"| peer: `wasmtime run --invoke` in a terminal, warm cache (median of 20) | {peer_median:.1f} ms | |")
    print(f"| wasmlens.request `GET /`, first call (compiles) | {request_first:.1f} ms | |")
    print(f"| wasmlens.request `GET /`, warm ({args.calls} calls) | {percentile(get, 50):.2f} ms | {percentile(get, 99):.2f} ms |")
    print(f"| wasmlens.request `POST /echo` (1 kB body), warm ({args.calls} calls) | {percentile(post, 50):.2f} ms | {percentile(post, 99):.2f} ms |")


if __name__ == "__main__":
    main()
