#!/usr/bin/env python3
"""Times `wasmlens lsp` as an editor uses it, on a workspace holding the WASI
0.2 and 0.3 trees (from the `wasmtime-wasi` crate, found with `cargo
metadata`), and prints one table.

- didChange -> publishDiagnostics: EDITS edits, alternating between the two
  trees; every other edit breaks a type name (the verdict changes) or
  repairs it, the others type into a doc comment. The time runs from
  sending the change to receiving the diagnostics tagged with its version
  (the 2 ms debounce included).
- completion and definition: requested right after an edit (so they wait
  for the fresh analysis, as after a keystroke) and with no edit since.
- peak RSS of the server (VmHWM) at the end.

For scale, the same table has `wasm-tools component wit` on each tree: what
a check-on-save integration built on the peer tool pays per save.

Usage: python3 bench/lsp.py [--edits N]
"""

import argparse
import json
import os
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check import ROOT, peers_path, sh, timed  # noqa: E402


def wasi_dirs():
    metadata = json.loads(sh("cargo", "metadata", "--format-version", "1", cwd=ROOT))
    for package in metadata["packages"]:
        if package["name"] == "wasmtime-wasi":
            src = Path(package["manifest_path"]).parent / "src"
            return src / "p2" / "wit", src / "p3" / "wit"
    sys.exit("wasmtime-wasi is not in the dependency graph")


class Server:
    """`wasmlens lsp` over pipes; a thread reads messages into a queue."""

    def __init__(self, binary):
        self.process = subprocess.Popen(
            [binary, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        self.messages = queue.Queue()
        self.next_id = 1
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        stream = self.process.stdout
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            body = stream.read(length)
            self.messages.put((time.perf_counter(), json.loads(body)))

    def send(self, message):
        body = json.dumps(message).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params):
        """Sends a request; returns (result, milliseconds to the response)."""
        request_id = self.next_id
        self.next_id += 1
        start = time.perf_counter()
        self.send({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
        message = self.wait(lambda m: m.get("id") == request_id and "method" not in m)
        return message[1].get("result"), (message[0] - start) * 1000

    def wait(self, wanted, timeout=30):
        deadline = time.perf_counter() + timeout
        while True:
            at, message = self.messages.get(timeout=max(0.0, deadline - time.perf_counter()))
            if "id" in message and "method" in message:
                # A request from the server (registrations): accept it.
                self.send({"jsonrpc": "2.0", "id": message["id"], "result": None})
            if wanted(message):
                return at, message

    def peak_rss_mib(self):
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return float("nan")


def uri(path):
    return Path(path).resolve().as_uri()


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--edits", type=int, default=200)
    args = parser.parse_args()

    print("building wasmlens (release)...", file=sys.stderr)
    subprocess.run(["cargo", "build", "--release", "--quiet", "-p", "wasmlens"], cwd=ROOT, check=True)
    binary = str(ROOT / "target" / "release" / "wasmlens")
    os.environ["PATH"] = peers_path() + os.pathsep + os.environ["PATH"]

    workspace = Path(tempfile.mkdtemp(prefix="wasmlens-lsp-bench-"))
    p2, p3 = wasi_dirs()
    shutil.copytree(p2, workspace / "wasi-p2")
    shutil.copytree(p3, workspace / "wasi-p3")
    lines = sum(len(f.read_text().splitlines()) for f in workspace.rglob("*.wit"))

    server = Server(binary)
    server.request("initialize", {
        "processId": os.getpid(),
        "rootUri": uri(workspace),
        "workspaceFolders": [{"uri": uri(workspace), "name": "wasi"}],
        "capabilities": {},
    })
    server.notify("initialized", {})

    # One open file per tree: its filesystem types, with a type to break
    # and a doc comment to type into.
    documents = []
    for tree in ("wasi-p2", "wasi-p3"):
        path = workspace / tree / "deps" / "filesystem.wit"
        text = path.read_text()
        assert "type filesize = u64;" in text, path
        document = {"uri": uri(path), "text": text, "version": 1}
        server.notify("textDocument/didOpen", {"textDocument": {
            "uri": document["uri"], "languageId": "wit", "version": 1, "text": text}})
        server.wait(lambda m, u=document["uri"]: m.get("method") == "textDocument/publishDiagnostics"
                    and m["params"]["uri"] == u)
        documents.append(document)

    def position_of(text, needle, delta=0):
        offset = text.index(needle) + delta
        line = text.count("\n", 0, offset)
        column = offset - (text.rfind("\n", 0, offset) + 1)
        return {"line": line, "character": column}

    def edit(document, step):
        """Applies the step-th edit to the document; returns when it was sent."""
        text = document["text"]
        if step % 2 == 0:
            # Break or repair a type name: the verdict changes.
            if "type filesize = u64;" in text:
                old, new = "type filesize = u64;", "type filesize = u6;"
            else:
                old, new = "type filesize = u6;", "type filesize = u64;"
            start = text.index(old)
            end = start + len(old)
        else:
            # Type a character at the end of the first doc comment.
            start = text.index("///")
            end = start = text.index("\n", start)
            new = "x"
        before = text[:start]
        start_position = {"line": before.count("\n"), "character": len(before) - (before.rfind("\n") + 1)}
        before_end = text[:end]
        end_position = {"line": before_end.count("\n"), "character": len(before_end) - (before_end.rfind("\n") + 1)}
        document["text"] = text[:start] + new + text[end:]
        document["version"] += 1
        sent = time.perf_counter()
        server.notify("textDocument/didChange", {
            "textDocument": {"uri": document["uri"], "version": document["version"]},
            "contentChanges": [{"range": {"start": start_position, "end": end_position}, "text": new}],
        })
        return sent

    diagnostics_ms = []
    for step in range(args.edits):
        document = documents[step % 2]
        sent = edit(document, step // 2)
        at, _ = server.wait(lambda m, d=document: m.get("method") == "textDocument/publishDiagnostics"
                            and m["params"]["uri"] == d["uri"]
                            and m["params"].get("version") == d["version"])
        diagnostics_ms.append((at - sent) * 1000)

    def query_times(method, needle, delta, after_edit):
        times = []
        for step in range(args.edits // 2):
            document = documents[step % 2]
            if after_edit:
                edit(document, 1)  # a doc-comment keystroke
            position = position_of(document["text"], needle, delta)
            result, ms = server.request(method, {
                "textDocument": {"uri": document["uri"]}, "position": position})
            assert result, (method, result)
            times.append(ms)
        return times

    # `descriptor-type` in `get-type: func() -> result<descriptor-type, …>`:
    # a type position for completion, a reference for definition.
    needle = "result<descriptor-type"
    completion_edit = query_times("textDocument/completion", needle, len("result<"), True)
    completion_idle = query_times("textDocument/completion", needle, len("result<"), False)
    definition_edit = query_times("textDocument/definition", needle, len("result<") + 2, True)
    definition_idle = query_times("textDocument/definition", needle, len("result<") + 2, False)
    rss = server.peak_rss_mib()
    server.request("shutdown", None)
    server.notify("exit", None)
    server.process.wait(timeout=10)

    peer = {}
    for tree in ("wasi-p2", "wasi-p3"):
        peer[tree] = statistics.median(timed(["wasm-tools", "component", "wit", str(workspace / tree)], 20))
    version = sh("wasm-tools", "--version").strip()
    shutil.rmtree(workspace)

    print(f"wasmlens lsp on WASI 0.2 + 0.3 ({lines} lines), {args.edits} edits; peer: {version}\n")
    print("| measure | n | p50 ms | p99 ms | max ms | target |")
    print("|---|---:|---:|---:|---:|---|")
    rows = [
        ("didChange → publishDiagnostics", diagnostics_ms, "p50 < 5, p99 < 20"),
        ("completion, right after an edit", completion_edit, "p99 < 10"),
        ("completion, no edit since", completion_idle, "p99 < 10"),
        ("definition, right after an edit", definition_edit, ""),
        ("definition, no edit since", definition_idle, ""),
    ]
    for name, values, target in rows:
        print(f"| {name} | {len(values)} | {percentile(values, 50):.2f} | {percentile(values, 99):.2f} "
              f"| {max(values):.2f} | {target} |")
    print(f"| server peak RSS | 1 | {rss:.1f} MiB | | | < 60 MiB |")
    for tree, ms in peer.items():
        print(f"| `wasm-tools component wit` {tree} (a whole process per save) | 20 | {ms:.2f} | | | |")


if __name__ == "__main__":
    main()
