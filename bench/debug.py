#!/usr/bin/env python3
"""Times the debugger as an editor drives it: `wasmlens dap` (release) over
stdio on the C command of tests/fixtures/debug (cmd-O0, clang -O0 -g,
adapted into a component), and prints one table.

- launch -> first stop: from `launch` to the `stopped` event of a
  breakpoint on `fact`'s recursive call, warm (the compile cache filled by
  an earlier session) and cold (an empty cache: compiling for guest debug);
- continue round trips: `continue` to the next `stopped` (the breakpoint in
  `fact`'s recursion and `sum`'s loop), p50 / p99 over every stop of
  SESSIONS sessions;
- step round trips: `next` to its `stopped`, by line, through `main`;
- the cost of guest-debug code: the program with no breakpoints under the
  debugger, against `wasmlens run` and the peer `wasmtime run` (warm
  caches; wall time of the whole process);
- compile time for guest debug against normal compile (`wasmlens compile`);
- values: at a stop in `main` (11 C locals, structs, arrays, strings),
  stop -> the Variables view filled (stackTrace, scopes, variables of
  Locals) and one `evaluate` of `pointer->sides[2]`;
- at scale, a long session: LONG_STEPS steps by instruction through the
  loop of steps.wat's `sum-to` in one session: step round trips at its
  start and its end, and the adapter's RSS after 100 steps and at the end
  (does a session's cost grow with its length?);
- at scale, a compute-heavy call: `sum-to(HEAVY)` (a loop of HEAVY
  iterations) with no breakpoints under `wasmlens dap`, against
  `wasmlens run --invoke` and `wasmtime run --invoke`: what guest-debug
  code costs a long-running program.

Usage: python3 bench/debug.py [--sessions N]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check import ROOT, OUT, peers_path, timed  # noqa: E402
from lsp import percentile  # noqa: E402

BINARY = ROOT / "target" / "release" / "wasmlens"
SOURCE = ROOT / "tests" / "fixtures" / "debug" / "cmd.c"


def marker(name):
    for number, line in enumerate(SOURCE.read_text().splitlines(), start=1):
        if line.rstrip().endswith(f"// LINE: {name}"):
            return number
    sys.exit(f"no marker {name}")


class Adapter:
    """`wasmlens dap`, with its messages read on demand."""

    def __init__(self, cwd, env):
        self.process = subprocess.Popen([str(BINARY), "dap"], cwd=cwd, env=env,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.seq = 0
        self.backlog = []

    def send(self, command, arguments):
        self.seq += 1
        body = json.dumps({"seq": self.seq, "type": "request", "command": command,
                           "arguments": arguments}).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()
        return self.seq

    def read(self):
        length = None
        while True:
            line = self.process.stdout.readline()
            if not line:
                sys.exit("wasmlens dap ended early")
            line = line.strip()
            if not line:
                break
            if line.startswith(b"Content-Length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.process.stdout.read(length))

    def wait(self, wanted):
        for i, message in enumerate(self.backlog):
            if wanted(message):
                return self.backlog.pop(i)
        while True:
            message = self.read()
            if wanted(message):
                return message
            self.backlog.append(message)

    def request(self, command, arguments):
        seq = self.send(command, arguments)
        response = self.wait(lambda m: m.get("type") == "response" and m.get("request_seq") == seq)
        if not response["success"]:
            sys.exit(f"{command} failed: {response.get('message')}")
        return response

    def event(self, name):
        return self.wait(lambda m: m.get("type") == "event" and m.get("event") == name)

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=30)


def session(workspace, env, lines, stepping=False):
    """One session: (launch -> first stop, continue round trips, step
    round trips), in ms."""
    adapter = Adapter(workspace, env)
    adapter.request("initialize", {"adapterID": "wasmlens"})
    started = time.perf_counter()
    adapter.request("launch", {"component": "cmd.wasm", "cwd": str(workspace)})
    adapter.event("initialized")
    adapter.request("setBreakpoints", {"source": {"path": str(SOURCE)},
                                       "breakpoints": [{"line": line} for line in lines]})
    adapter.request("configurationDone", {})
    first = None
    continues, steps = [], []
    message = adapter.wait(lambda m: m.get("event") in ("stopped", "terminated"))
    first = (time.perf_counter() - started) * 1000
    if stepping and message.get("event") == "stopped":
        adapter.request("setBreakpoints", {"source": {"path": str(SOURCE)}, "breakpoints": []})
        while message.get("event") == "stopped":
            started = time.perf_counter()
            adapter.send("next", {"threadId": 1})
            message = adapter.wait(lambda m: m.get("event") in ("stopped", "terminated"))
            if message.get("event") == "stopped":
                steps.append((time.perf_counter() - started) * 1000)
    while message.get("event") == "stopped":
        started = time.perf_counter()
        adapter.send("continue", {"threadId": 1})
        message = adapter.wait(lambda m: m.get("event") in ("stopped", "terminated"))
        if message.get("event") == "stopped":
            continues.append((time.perf_counter() - started) * 1000)
    adapter.send("disconnect", {})
    adapter.close()
    return first, continues, steps


def rss_kib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def values_session(workspace, env, line):
    """Stop at `line` of main; (stop -> Variables filled, evaluate), ms."""
    adapter = Adapter(workspace, env)
    adapter.request("initialize", {"adapterID": "wasmlens"})
    adapter.request("launch", {"component": "cmd.wasm", "cwd": str(workspace)})
    adapter.event("initialized")
    adapter.request("setBreakpoints", {"source": {"path": str(SOURCE)},
                                       "breakpoints": [{"line": line}]})
    adapter.request("configurationDone", {})
    adapter.event("stopped")
    started = time.perf_counter()
    stack = adapter.request("stackTrace", {"threadId": 1})["body"]
    scopes = adapter.request("scopes", {"frameId": stack["stackFrames"][0]["id"]})["body"]
    listed = adapter.request("variables", {"variablesReference":
                                           scopes["scopes"][0]["variablesReference"]})["body"]
    filled = (time.perf_counter() - started) * 1000
    if len(listed["variables"]) < 10:
        sys.exit(f"expected main's locals, got {listed}")
    started = time.perf_counter()
    answer = adapter.request("evaluate", {"expression": "pointer->sides[2]",
                                          "frameId": 0})["body"]
    evaluated = (time.perf_counter() - started) * 1000
    if answer["result"] != "30":
        sys.exit(f"evaluate: {answer}")
    adapter.send("disconnect", {})
    adapter.close()
    return filled, evaluated


def long_session(workspace, env, steps):
    """`steps` instruction steps in sum-to's loop: (round trips, RSS after
    100 steps, RSS at the end) in ms and KiB."""
    adapter = Adapter(workspace, env)
    adapter.request("initialize", {"adapterID": "wasmlens"})
    adapter.request("launch", {"component": "steps.wasm", "cwd": str(workspace),
                               "invoke": "sum-to(100000000)"})
    adapter.event("initialized")
    adapter.request("setFunctionBreakpoints", {"breakpoints": [{"name": "sum_to"}]})
    adapter.request("configurationDone", {})
    adapter.event("stopped")
    trips, early = [], 0
    for i in range(steps):
        started = time.perf_counter()
        # The response read too: an unread one would pile up in the
        # backlog and slow every later wait.
        adapter.request("next", {"threadId": 1, "granularity": "instruction"})
        adapter.event("stopped")
        trips.append((time.perf_counter() - started) * 1000)
        # What an editor asks at each stop.
        adapter.request("stackTrace", {"threadId": 1})
        if i == 99:
            early = rss_kib(adapter.process.pid)
    late = rss_kib(adapter.process.pid)
    adapter.send("disconnect", {})
    adapter.close()
    return trips, early, late


def heavy_call(workspace, env, call):
    """Wall time (ms) of a whole adapter process running `call` to its
    end with no breakpoints."""
    started = time.perf_counter()
    adapter = Adapter(workspace, env)
    adapter.request("initialize", {"adapterID": "wasmlens"})
    adapter.request("launch", {"component": "steps.wasm", "cwd": str(workspace),
                               "invoke": call})
    adapter.event("initialized")
    adapter.request("configurationDone", {})
    adapter.event("terminated")
    adapter.send("disconnect", {})
    adapter.close()
    return (time.perf_counter() - started) * 1000


def no_breakpoints(workspace, env):
    """Wall time (ms) of a whole adapter process running the program to its
    end without breakpoints."""
    started = time.perf_counter()
    session(workspace, env, [])
    return (time.perf_counter() - started) * 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--long-steps", type=int, default=5000)
    parser.add_argument("--heavy", type=int, default=200_000_000)
    args = parser.parse_args()

    print("building wasmlens and the fixtures (release)...", file=sys.stderr)
    subprocess.run(["cargo", "build", "--release", "--quiet", "-p", "wasmlens"], cwd=ROOT, check=True)
    fixtures = OUT / "run"
    subprocess.run(["cargo", "run", "--release", "--quiet", "-p", "wasmlens-tests", "--example",
                    "bench_runtime", "--", str(fixtures)], cwd=ROOT, check=True, capture_output=True)
    workspace = Path(tempfile.mkdtemp(prefix="wasmlens-debug-bench-"))
    component = workspace / "cmd.wasm"
    component.write_bytes((fixtures / "cmd-O0.wasm").read_bytes())
    steps_wasm = workspace / "steps.wasm"
    steps_wasm.write_bytes((fixtures / "steps.wasm").read_bytes())
    env = dict(os.environ, XDG_CACHE_HOME=tempfile.mkdtemp(prefix="wasmlens-debug-cache-"))
    lines = [marker("fact-body"), marker("sum-loop")]

    cold, _, _ = session(workspace, env, lines)
    firsts, continues, steps = [], [], []
    for _ in range(args.sessions):
        first, c, _ = session(workspace, env, lines)
        firsts.append(first)
        continues += c
        _, _, s = session(workspace, env, [marker("struct-ready")], stepping=True)
        steps += s
    filled, evaluated = [], []
    for _ in range(args.sessions):
        f, e = values_session(workspace, env, marker("struct-ready"))
        filled.append(f)
        evaluated.append(e)
    trips, rss_early, rss_late = long_session(workspace, env, args.long_steps)
    window = min(500, len(trips) // 2)
    heavy = f"sum-to({args.heavy})"
    heavy_dap = [heavy_call(workspace, env, heavy) for _ in range(5)]
    heavy_run = timed([str(BINARY), "run", "--invoke", heavy, str(steps_wasm)], 5)
    runs = max(5, args.sessions // 2)
    debugged = [no_breakpoints(workspace, env) for _ in range(runs)]
    wasmlens_run = timed([str(BINARY), "run", str(component)], runs)
    peers = peers_path()
    os.environ["PATH"] = f"{peers}:{os.environ['PATH']}"
    wasmtime = timed(["wasmtime", "run", str(component)], runs)
    compile_normal = timed([str(BINARY), "compile", str(component), "-o",
                            str(workspace / "cmd.cwasm")], runs)
    heavy_wasmtime = timed(["wasmtime", "run", "--invoke", heavy, str(steps_wasm)], 5)

    def row(name, values, unit="ms"):
        p50 = statistics.median(values)
        p99 = percentile(values, 99)
        print(f"| {name} | {len(values)} | {p50:.2f} {unit} | {p99:.2f} {unit} |")

    print(f"\nwasmlens dap on cmd-O0 (C, -O0 -g, {component.stat().st_size // 1024} KiB component)\n")
    print("| measure | n | p50 | p99 |")
    print("|---|---|---|---|")
    print(f"| launch → first stop, cold (compile for guest debug) | 1 | {cold:.1f} ms | |")
    row("launch → first stop, warm", firsts)
    row("continue → stopped", continues)
    row("next (by line) → stopped", steps)
    row("whole program, no breakpoints, under `wasmlens dap`", debugged)
    row("whole program, `wasmlens run`", wasmlens_run)
    row("whole program, `wasmtime run` (peer)", wasmtime)
    row("`wasmlens compile` (normal code, no cache)", compile_normal)
    row("stop → Variables filled (stackTrace, scopes, 11 locals)", filled)
    row("evaluate `pointer->sides[2]`", evaluated)
    row(f"long session: steps 1–{window} (by instruction)", trips[:window])
    row(f"long session: steps {len(trips) - window + 1}–{len(trips)}", trips[-window:])
    print(f"| long session: adapter RSS after 100 / {len(trips)} steps | 1 | "
          f"{rss_early / 1024:.1f} / {rss_late / 1024:.1f} MiB | |")
    row(f"`{heavy}`, no breakpoints, under `wasmlens dap`", heavy_dap)
    row(f"`{heavy}`, `wasmlens run --invoke`", heavy_run)
    row(f"`{heavy}`, `wasmtime run --invoke` (peer)", heavy_wasmtime)


if __name__ == "__main__":
    main()
