"""Load on `tipkg serve` against `oxigraph serve` holding the same graph, and writes
tests/bench/serve.md (which bench.py includes in BENCHMARKS.md).

    python serve.py TIPKG OXIGRAPH

TIPKG and OXIGRAPH are the two binaries. The graph is the bundled one (`tipkg export
--format nquads`, posted to the peer's in-memory store). Both servers run on
127.0.0.1 at once; `wrk` (Debian) sends the same SPARQL requests to each, alternating, at
1, 8 and 64 concurrent connections, BENCH_SERVE_SECONDS (default 5) seconds a run,
BENCH_SERVE_RUNS (default 3) runs each; the figures are medians. Entity pages (every
entity's HTML page in turn) have no peer: Oxigraph's server has no pages.
"""

import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECONDS = int(os.environ.get("BENCH_SERVE_SECONDS", "5"))
RUNS = int(os.environ.get("BENCH_SERVE_RUNS", "3"))
CLIENTS = [1, 8, 64]

# Two requests a SPARQL client sends: a point lookup of one entity, and a bundled query
# that reads every named graph and aggregates.
QUERIES = {
    "one entity's facts": "SELECT ?p ?o WHERE { <https://w3id.org/tipkg/id/org/unicef> ?p ?o }",
    "sources.rq (every graph, aggregated)": (ROOT / "queries" / "sources.rq").read_text(),
}
ACCEPT = "application/sparql-results+json"


def log(message):
    print(message, file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, process, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"serve: the server for {url} stopped at start")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"serve: {url} did not answer in {seconds} s")


def peak_memory_mb(process):
    for line in Path(f"/proc/{process.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def millis(text):
    """A wrk duration ("812.00us", "1.20ms", "2.01s") in milliseconds."""
    value, unit = re.fullmatch(r"([\d.]+)([a-z]+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk(url, clients, headers=(), script=None):
    """One wrk run: requests per second, p50 and p99 in ms, and the failed requests."""
    command = ["wrk", "--latency", "-d", f"{SECONDS}s", "-c", str(clients), "-t", str(min(clients, 2))]
    for header in headers:
        command += ["-H", header]
    if script:
        command += ["-s", script]
    command.append(url)
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = millis(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = millis(re.search(r"\s99%\s+(\S+)", out).group(1))
    failed = 0
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        failed += int(match.group(1))
    if match := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        failed += sum(int(n) for n in match.groups())
    return rate, p50, p99, failed


def median_of(runs):
    return (
        statistics.median(r[0] for r in runs),
        statistics.median(r[1] for r in runs),
        statistics.median(r[2] for r in runs),
        sum(r[3] for r in runs),
    )


def entity_paths(tipkg):
    """Every entity's page, from the graph's subjects under /id/."""
    query = "SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), 'https://w3id.org/tipkg/id/')) }"
    out = subprocess.run(
        [tipkg, "query", "--sparql", query, "--format", "csv", "-q"], check=True, capture_output=True, text=True
    ).stdout
    iris = [line.strip() for line in out.splitlines()[1:] if line.strip()]
    return sorted("/doc/" + iri.removeprefix("https://w3id.org/tipkg/id/") + ".html" for iri in iris)


def main():
    tipkg, oxigraph = sys.argv[1], sys.argv[2]
    if not shutil.which("wrk"):
        raise SystemExit("serve: wrk is missing (apt-get install wrk)")
    work = Path(tempfile.mkdtemp(prefix="tipkg-bench-serve-"))
    servers = []
    try:
        graph = work / "graph.nq"
        subprocess.run([tipkg, "export", "--format", "nquads", "-o", str(graph), "-q"], check=True)
        quads = sum(1 for _ in graph.open())
        ports = {"tipkg": free_port(), "oxigraph": free_port()}
        commands = {
            "tipkg": [tipkg, "serve", "--bind", f"127.0.0.1:{ports['tipkg']}"],
            "oxigraph": [oxigraph, "serve", "--bind", f"127.0.0.1:{ports['oxigraph']}", "--union-default-graph"],
        }
        endpoints = {
            "tipkg": f"http://127.0.0.1:{ports['tipkg']}/sparql",
            "oxigraph": f"http://127.0.0.1:{ports['oxigraph']}/query",
        }
        processes = {}
        for name, command in commands.items():
            processes[name] = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            servers.append(processes[name])
        for name, endpoint in endpoints.items():
            wait_for(endpoint + "?query=" + urllib.parse.quote("ASK {}"), processes[name])
        # Both hold the graph in memory: the peer's is loaded over its Graph Store.
        load = urllib.request.Request(
            f"http://127.0.0.1:{ports['oxigraph']}/store",
            data=graph.read_bytes(),
            headers={"Content-Type": "application/n-quads"},
            method="POST",
        )
        with urllib.request.urlopen(load, timeout=60) as response:
            assert response.status in (200, 201, 204), response.status

        rows = []
        for label, query in QUERIES.items():
            for clients in CLIENTS:
                runs = {"tipkg": [], "oxigraph": []}
                for _ in range(RUNS):
                    for name in ("tipkg", "oxigraph"):
                        url = endpoints[name] + "?query=" + urllib.parse.quote(query)
                        runs[name].append(wrk(url, clients, [f"Accept: {ACCEPT}"]))
                t, o = median_of(runs["tipkg"]), median_of(runs["oxigraph"])
                log(f"serve: {label}, {clients} clients: tipkg {t[0]:.0f}/s, oxigraph {o[0]:.0f}/s")
                rows.append((label, clients, t, o))

        paths = entity_paths(tipkg)
        script = work / "pages.lua"
        script.write_text(
            "local paths = {" + ",".join(f'"{p}"' for p in paths) + "}\n"
            "local i = 0\n"
            "request = function()\n"
            "  i = i % #paths + 1\n"
            '  return wrk.format("GET", paths[i], {["Accept"] = "text/html"})\n'
            "end\n"
        )
        pages = []
        for clients in CLIENTS:
            runs = [wrk(f"http://127.0.0.1:{ports['tipkg']}/", clients, script=str(script)) for _ in range(RUNS)]
            pages.append((clients, median_of(runs)))
            log(f"serve: entity pages, {clients} clients: {pages[-1][1][0]:.0f}/s")
        memory = {name: peak_memory_mb(process) for name, process in processes.items()}
        write(quads, len(paths), rows, pages, memory, tipkg, oxigraph)
    finally:
        for process in servers:
            process.terminate()
            process.wait()
        shutil.rmtree(work, ignore_errors=True)


def version(binary):
    return subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip()


def write(quads, entities, rows, pages, memory, tipkg, oxigraph):
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "## Serving: `tipkg serve` against `oxigraph serve`",
        "",
        f"Reproduce with `bash tests/bench/serve.sh`. Measured {now} with `wrk` on 127.0.0.1, both servers"
        f" running at once on this machine's {os.cpu_count()} cores ({platform.processor() or platform.machine()},"
        " shared with other work) and holding the bundled graph"
        f" in memory ({quads} quads, {entities} entities; Oxigraph with `--union-default-graph`, the default graph"
        f" `tipkg serve` answers with). {version(tipkg)}; {version(oxigraph)}. Each cell is the median of"
        f" {RUNS} runs of {SECONDS} s, the two servers alternating; the ratio is Oxigraph's requests per"
        " second over tipkg's (below 1.0 means tipkg answers more), the target is ≤ 1.2. Answers are"
        " SPARQL JSON results, asked by GET.",
        "",
        "| request | clients | tipkg req/s | p50 / p99 ms | oxigraph req/s | p50 / p99 ms | ratio | failed (tipkg / oxigraph) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for label, clients, t, o in rows:
        lines.append(
            f"| {label} | {clients} | {t[0]:.0f} | {t[1]:.2f} / {t[2]:.2f} | {o[0]:.0f} | {o[1]:.2f} / {o[2]:.2f}"
            f" | {o[0] / t[0]:.2f} | {t[3]} / {o[3]} |"
        )
    lines += [
        "",
        "Entity pages (`/doc/{kind}/{slug}.html`, every entity of the graph in turn, rendered from the"
        " store on each request); the target is ≥ 2,000 pages per second:",
        "",
        "| clients | pages/s | p50 / p99 ms | failed |",
        "|---|---|---|---|",
    ]
    for clients, (rate, p50, p99, failed) in pages:
        lines.append(f"| {clients} | {rate:.0f} | {p50:.2f} / {p99:.2f} | {failed} |")
    lines += [
        "",
        f"Peak resident memory after all runs: tipkg {memory['tipkg']:.0f} MB, oxigraph {memory['oxigraph']:.0f} MB.",
        "",
        "Where tipkg misses the 1.2× target, the cost is per request, not per query: it shows most"
        " on the point lookup, whose own work is a tenth of a millisecond. A profile of the server"
        " under wrk (`perf record -g -p PID` while `wrk -c 8` asks the point lookup) puts a third of"
        " its time in the kernel's scheduling (futex wake-ups and task switches): each query goes"
        " from the connection's thread to a blocking thread holding one of `--max-concurrent` turns"
        " on the graph, and back. That hand-off is what lets the server answer 503 at `--timeout`"
        " while the evaluator is still at work, bound the queries running at once, and exit when"
        " every turn is held by a query that cannot be stopped; Oxigraph's server runs each"
        " request on its connection's thread, without those bounds. Two fixes came from the same"
        " profiles: a thread per query for its time limit (15% of the time; now one watchdog thread"
        " for all) and a single thread for all connections (now one per core).",
    ]
    (ROOT / "tests" / "bench" / "serve.md").write_text("\n".join(lines) + "\n")
    log("serve: wrote tests/bench/serve.md")


if __name__ == "__main__":
    main()
