#!/usr/bin/env python3
"""Time the language server: how long after an edit the diagnostics for it arrive.

Usage: scripts/lsp_latency.py FILE [--vouch BIN] [--edits N] [--root DIR]

Starts `vouch lsp` with the debounce set to 0 (VOUCH_LSP_DEBOUNCE_MS=0, so what is timed is
the analysis, not the wait for typing to pause), opens FILE, waits for its first
diagnostics (the cold analysis, reported separately), then makes N edits one after another:
each appends a different comment line to the end of the text (a change the analysis must
redo, that moves no finding) and waits for the diagnostics of that version. Prints the
cold time and the median, p90 and max of the edit latencies in milliseconds.
"""

import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import time


def send(proc, message):
    body = json.dumps(message).encode()
    proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    proc.stdin.flush()


def receive(proc):
    length = None
    while True:
        line = proc.stdout.readline()
        if not line:
            raise SystemExit("vouch lsp closed its output")
        line = line.strip()
        if not line:
            break
        key, _, value = line.partition(b":")
        if key.lower() == b"content-length":
            length = int(value)
    return json.loads(proc.stdout.read(length))


def wait_for(proc, uri, version):
    """Reads messages until the diagnostics of `uri` at `version` arrive."""
    while True:
        msg = receive(proc)
        if msg.get("method") != "textDocument/publishDiagnostics":
            continue
        params = msg["params"]
        if params["uri"] == uri and params.get("version") == version:
            return params["diagnostics"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--vouch", default=str(pathlib.Path(__file__).resolve().parent.parent / "target/release/vouch"))
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--root", help="workspace root (default: the file's directory)")
    args = parser.parse_args()

    path = pathlib.Path(args.file).resolve()
    root = pathlib.Path(args.root).resolve() if args.root else path.parent
    text = path.read_text(encoding="utf-8")
    uri = path.as_uri()
    env = dict(os.environ, VOUCH_LSP_DEBOUNCE_MS="0")
    proc = subprocess.Popen([args.vouch, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
    send(proc, {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                "params": {"processId": None, "rootUri": root.as_uri(), "capabilities": {}}})
    while receive(proc).get("id") != 1:
        pass
    send(proc, {"jsonrpc": "2.0", "method": "initialized", "params": {}})

    start = time.perf_counter()
    send(proc, {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}}})
    first = wait_for(proc, uri, 1)
    cold = (time.perf_counter() - start) * 1000

    latencies = []
    for i in range(args.edits):
        version = i + 2
        edited = text + f"# edit {i}\n"
        start = time.perf_counter()
        send(proc, {"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"text": edited}]}})
        wait_for(proc, uri, version)
        latencies.append((time.perf_counter() - start) * 1000)

    send(proc, {"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": None})
    while receive(proc).get("id") != 2:
        pass
    send(proc, {"jsonrpc": "2.0", "method": "exit", "params": None})
    proc.wait(timeout=30)

    lines = text.count("\n")
    latencies.sort()
    p90 = latencies[min(len(latencies) - 1, int(round(0.9 * (len(latencies) - 1))))]
    print(f"file: {path} ({lines} lines), {len(first)} diagnostics")
    print(f"first analysis (open): {cold:.1f} ms")
    print(f"edit to diagnostics over {len(latencies)} edits: median {statistics.median(latencies):.1f} ms, "
          f"p90 {p90:.1f} ms, max {latencies[-1]:.1f} ms")


if __name__ == "__main__":
    sys.exit(main())
