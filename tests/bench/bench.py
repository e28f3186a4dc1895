"""Runs tipkg against the tools people would use instead and writes BENCHMARKS.md.

Every comparison alternates the two commands (tipkg, peer, tipkg, peer, ...) so that both
see the same machine state, takes the median wall time of each and the largest peak
resident memory (getrusage of the child), and reports tipkg's figure as a ratio of the
peer's measured in the same run. Run it through tests/bench/run.sh, which installs the
peers and builds the release binaries first.

Environment: BENCH_RUNS (runs per command, default 5), BENCH_SIZES (comma-separated
triple counts for the growth table, default 100000,1000000,5000000), BENCH_ONLY (a regular
expression: only the rows whose operation it matches are measured, the growth table only if
it matches "growth", and the rows go to target/bench/partial.md instead of BENCHMARKS.md).
"""

import datetime
import hashlib
import math
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "target" / "bench"
PROFILE = os.environ.get("BENCH_PROFILE", "release")  # `debug` only to try the script
TIPKG = ROOT / "target" / PROFILE / "tipkg"
FLOOR = ROOT / "target" / PROFILE / "examples" / "floor"
VENV = ROOT / "target" / "test-env" / "venv" / "bin"
OXIGRAPH = VENV / "oxigraph"
PYTHON = VENV / "python"
RAPPER = shutil.which("rapper") or "/usr/bin/rapper"
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
BUDGET = float(os.environ.get("BENCH_BUDGET", "60"))  # seconds per comparison, then stop
TIMEOUT = float(os.environ.get("BENCH_TIMEOUT", "180"))  # one command, then it is stopped
SHORT = 0.2  # seconds: a comparison this short gets SHORT_RUNS pairs
SHORT_RUNS = max(RUNS, 21)
GROWTH_TIMEOUT = float(os.environ.get("BENCH_GROWTH_TIMEOUT", "900"))  # the same, growth table
SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "100000,1000000,5000000").split(",")]
MAIN = 1_000_000 if 1_000_000 in SIZES else max(SIZES)
SMALL = min(SIZES)  # the JSON-LD row's size (100k by default)
BUILD_RECORDS = int(os.environ.get("BENCH_BUILD_RECORDS", "100000"))
BUNDLED = sorted((ROOT / "queries").glob("*.rq"))
QUERIES = sorted((ROOT / "tests" / "bench" / "queries").glob("*.rq")) + BUNDLED
OXIGRAPH_URL = os.environ.get("TIPKG_OXIGRAPH_URL")
VIRTUOSO_URL = os.environ.get("TIPKG_VIRTUOSO_URL")
PUSH_GRAPH = "https://example.org/bench/push"
ONLY = os.environ.get("BENCH_ONLY")
# Rows not measured this time (a regex), said in the notes; the file is still rewritten.
SKIP = os.environ.get("BENCH_SKIP")

rows = []  # comparison rows for the main table
notes = []  # skipped rows and why
skipped = []  # rows BENCH_SKIP left out


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def measure(cmd, stdout=None, setup=None, timeout=None):
    """Runs `cmd` once, stopped after `timeout` seconds (`TIMEOUT` by default); returns
    (seconds, peak RSS in MB), infinite seconds when it was stopped."""
    timeout = timeout or TIMEOUT
    if setup:
        setup()
    out = open(stdout, "wb") if stdout else subprocess.DEVNULL
    errors = WORK / "stderr.txt"
    with open(errors, "wb") as err_file:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err_file)
        killer = threading.Timer(timeout, proc.kill)
        killer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        killer.cancel()
    err = errors.read_text(errors="replace")
    if stdout:
        out.close()
    code = os.waitstatus_to_exitcode(status)
    if elapsed >= timeout and code != 0:
        log(f"  timed out after {timeout:.0f} s: {shlex.join(map(str, cmd))}")
        return float("inf"), usage.ru_maxrss / 1024
    if code != 0:
        raise SystemExit(f"command failed ({code}): {shlex.join(map(str, cmd))}\n{err}")
    return elapsed, usage.ru_maxrss / 1024


def show(cmd, stdout=None):
    text = shlex.join(str(c).replace(str(ROOT) + "/", "") for c in cmd)
    return text + (f" > {Path(stdout).name}" if stdout else "")


def compare(operation, ours, peer, target, runs=RUNS, ours_out=None, peer_out=None,
            setup_ours=None, setup_peer=None, check=None, timeout=None):
    """Alternates `ours` and `peer`; `target` is (kind, bound): ('le', 1.5) means at most
    1.5x the peer's time, ('faster', 10) at least 10x faster; `timeout` replaces `TIMEOUT`
    as each command's stop."""
    if not wanted(operation):
        return
    log(f"bench: {operation}")
    times_o, times_p, mem_o, mem_p = [], [], [], []
    pair = 0
    while pair < runs:
        t, m = measure(ours, ours_out, setup_ours, timeout)
        times_o.append(t)
        mem_o.append(m)
        t, m = measure(peer, peer_out, setup_peer, timeout)
        times_p.append(t)
        mem_p.append(m)
        pair += 1
        if pair == 1 and max(times_o[0], times_p[0]) < SHORT:
            # A run of a few tens of milliseconds varies by a millisecond or two from one
            # process to the next: more runs, so that the medians compare the commands.
            runs = max(runs, SHORT_RUNS)
        if sum(times_o) + sum(times_p) > BUDGET:
            break  # a slow pair: fewer runs, said in the table
    runs = len(times_o)
    mo, mp = statistics.median(times_o), statistics.median(times_p)
    ratio = mo / mp if mp != float("inf") else float("nan")
    kind, bound = target
    if kind == "le":
        met = ratio <= bound
        goal = f"≤ {bound}×"
    else:
        met = mp / mo >= bound
        goal = f"≥ {bound}× faster"
    if check == "memory" and max(mem_o) > max(mem_p):
        met = False
    rows.append({
        "operation": operation, "ours": show(ours, ours_out), "peer": show(peer, peer_out),
        "t_ours": mo, "t_peer": mp, "ratio": ratio, "m_ours": max(mem_o), "m_peer": max(mem_p),
        "goal": goal + (", no more memory" if check == "memory" else ""), "met": met,
        "runs": runs,
    })
    log(f"  tipkg {mo:.3f}s {max(mem_o):.0f}MB | peer {mp:.3f}s {max(mem_p):.0f}MB | {ratio:.2f}x")


def wanted(operation):
    if SKIP and re.search(SKIP, operation):
        if operation not in skipped:
            skipped.append(operation)
            notes.append(f"{operation}: not measured in this run (`BENCH_SKIP='{SKIP}'`).")
        return False
    return not ONLY or re.search(ONLY, operation) is not None


def median_time(cmd, runs, stdout=None, setup=None, timeout=None):
    times, mems = [], []
    for _ in range(runs):
        t, m = measure(cmd, stdout, setup, timeout)
        times.append(t)
        mems.append(m)
    return statistics.median(times), max(mems)


def example_args(query):
    """The arguments of the first example in a query's header (the parameters a query
    without defaults needs), so that both tools run the same bound query."""
    for line in query.read_text().splitlines():
        if line.startswith("# example:"):
            words = shlex.split(line.split(":", 1)[1])
            return words[3:]  # after `tipkg query NAME`
    return []


def bound(ours):
    """The query `ours` runs, parameters bound, as a file for the peer (`tipkg query --print`)."""
    text = subprocess.run(list(map(str, ours)) + ["--print"], check=True, capture_output=True,
                          text=True).stdout
    # Named by a digest of the command as shown, the same in every run and checkout (the
    # printed query names its aggregates anew each time, and Python's `hash` of a string
    # changes from one process to the next).
    digest = hashlib.sha256(show(ours).encode()).hexdigest()[:16]
    path = WORK / "bound" / f"{digest}.rq"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text)
    return path


def fresh(*dirs):
    def setup():
        for d in dirs:
            shutil.rmtree(d, ignore_errors=True)
    return setup


def run(cmd, **kw):
    subprocess.run(list(map(str, cmd)), check=True, **kw)


def count_lines(path):
    with open(path, "rb") as f:
        return sum(buf.count(b"\n") for buf in iter(lambda: f.read(1 << 20), b""))


def has_format(fmt):
    out = subprocess.run([TIPKG, "export", "--help"], capture_output=True, text=True).stdout
    return fmt in out


def records_for(triples):
    """Records of generated data whose graph has about `triples` triples, from a sample."""
    sample = WORK / "sample.nt"
    if not sample.exists():
        run([TIPKG, "generate", "--records", "8000", "--format", "ntriples", "-o", sample])
    base = count_lines(WORK / "bundled.nt")
    per_record = (count_lines(sample) - base) / 8000
    return max(8, int((triples - base) / per_record))


def dataset(triples):
    """The generated data directory, its N-Triples and the file's triple count."""
    name = f"gen-{triples}"
    data, nt = WORK / name, WORK / f"{name}.nt"
    records = records_for(triples)
    if not data.exists():
        run([TIPKG, "generate", "--seed", "1", "--records", records, "-o", data])
    if not nt.exists():
        run([TIPKG, "generate", "--seed", "1", "--records", records,
             "--format", "ntriples", "-o", nt])
    return data, nt, count_lines(nt), records


def machine():
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            mem = int(line.split()[1]) / 1024 / 1024
    version = lambda cmd: subprocess.run(cmd, capture_output=True, text=True).stdout.strip().splitlines()[0]  # noqa: E731
    return [
        f"- CPU: {cpu}, {os.cpu_count()} logical cores (shared with other work while measuring)",
        f"- memory: {mem:.0f} GB; {platform.system()} {platform.release()}",
        f"- {version(['rustc', '--version'])}; {version([TIPKG, '--version'])} ({PROFILE} profile)",
        f"- peers: {version([OXIGRAPH, '--version'])} (PyPI `oxigraph`); "
        f"rapper {version([RAPPER, '--version'])} (Debian raptor2-utils); "
        f"rdflib {version([PYTHON, '-c', 'import rdflib; print(rdflib.__version__)'])}; "
        f"{version([PYTHON, '--version'])}",
        f"- {RUNS} runs per command, alternating tipkg and its peer, unless the command's entry "
        f"below says fewer (a pair stops repeating after {BUDGET:.0f} s), and {SHORT_RUNS} when "
        f"the first pair took less than {SHORT} s; medians of wall time, "
        "the largest peak resident memory of the runs",
    ]


def main():
    WORK.mkdir(parents=True, exist_ok=True)
    started = datetime.datetime.now(datetime.timezone.utc)
    out = WORK / "out"
    out.mkdir(exist_ok=True)
    run([TIPKG, "export", "--format", "ntriples", "-o", WORK / "bundled.nt"])

    # The bundled graph: tipkg builds it in memory for every query; the peer queries an
    # on-disk store already holding it.
    bundled_nq = WORK / "bundled.nq"
    run([TIPKG, "export", "--format", "nquads", "-o", bundled_nq])
    ox_bundled = WORK / "ox-bundled"
    shutil.rmtree(ox_bundled, ignore_errors=True)
    run([OXIGRAPH, "load", "--location", ox_bundled, "--file", bundled_nq])
    for q in BUNDLED:
        ours = [TIPKG, "query", q.stem, *example_args(q), "--format", "tsv"]
        if not wanted(f"bundled query `{q.stem}`"):
            continue
        compare(f"bundled query `{q.stem}` on the bundled graph, whole process (in memory)",
                ours,
                [OXIGRAPH, "query", "--location", ox_bundled, "--query-file", bound(ours),
                 "--results-format", "tsv", "--union-default-graph"],
                ("le", 1.5))

    data, nt, n, records = dataset(MAIN)
    label = f"{n / 1e6:.2f}M triples"
    store, ox = WORK / f"store-{MAIN}", WORK / f"ox-{MAIN}"
    graph_iri = "file://" + str(nt)
    compare(f"import N-Triples into --store ({label})",
            [TIPKG, "-q", "import", "--store", store, nt],
            [OXIGRAPH, "load", "--location", ox, "--file", nt, "--graph", graph_iri],
            ("le", 1.05), setup_ours=fresh(store), setup_peer=fresh(ox))
    if not (store / "CURRENT").exists():
        run([TIPKG, "-q", "import", "--store", store, nt])
    if not (ox / "CURRENT").exists():
        run([OXIGRAPH, "load", "--location", ox, "--file", nt, "--graph", graph_iri])
    compare(f"export N-Triples from the in-memory graph ({label}, built from {records} records)",
            [TIPKG, "export", "--data", data, "--format", "ntriples", "-o", out / "mem.nt"],
            [FLOOR, nt, out / "floor.nt"], ("le", 1.3))
    compare(f"export N-Quads from the in-memory graph ({label}, built from {records} records)",
            [TIPKG, "export", "--data", data, "--format", "nquads", "-o", out / "mem.nq"],
            [FLOOR, nt, out / "floor.nq"], ("le", 1.3))
    compare(f"export streaming Turtle from the in-memory graph ({label})",
            [TIPKG, "export", "--data", data, "--format", "turtle", "--stream",
             "-o", out / "mem.ttl"],
            [FLOOR, nt, out / "floor.ttl"], ("le", 1.3))
    export_phase(data, nt, label, out)
    # Both read the same store: the stores that `tipkg import` and `oxigraph load` make of
    # the same quads were read up to 9% apart by either tool, which is the stores' doing.
    compare(f"export N-Quads from an on-disk store ({label})",
            [TIPKG, "export", "--store", store, "--format", "nquads", "-o", out / "store.nq"],
            [OXIGRAPH, "dump", "--location", store, "--file", out / "ox.nq"], ("le", 1.05))
    compare(f"readable (grouped, sorted) Turtle ({label})",
            [TIPKG, "export", "--store", store, "--format", "turtle", "-o", out / "readable.ttl"],
            [RAPPER, "-q", "-i", "ntriples", "-o", "turtle", nt],
            ("faster", 2), peer_out=out / "rapper.ttl", check="memory", runs=min(RUNS, 3))

    small_data, small_nt, small_n, _ = dataset(SMALL)
    if not wanted("JSON-LD"):
        pass
    elif has_format("jsonld"):
        small_store = WORK / f"store-{SMALL}"
        shutil.rmtree(small_store, ignore_errors=True)
        run([TIPKG, "-q", "import", "--store", small_store, small_nt])
        compare(f"JSON-LD compacted with the tipkg context ({small_n / 1e3:.0f}k triples)",
                [TIPKG, "export", "--store", small_store, "--format", "jsonld",
                 "-o", out / "small.jsonld"],
                [PYTHON, "-c", "import rdflib,sys; g=rdflib.Graph(); g.parse(sys.argv[1]); "
                 "g.serialize(sys.argv[2], format='json-ld', auto_compact=True)",
                 small_nt, out / "rdflib.jsonld"], ("faster", 10), runs=min(RUNS, 3))
        compare(f"JSON-LD compacted with the tipkg context ({label})",
                [TIPKG, "export", "--store", store, "--format", "jsonld",
                 "-o", out / "main.jsonld"],
                [PYTHON, "-c", "import rdflib,sys; g=rdflib.Graph(); g.parse(sys.argv[1]); "
                 "g.serialize(sys.argv[2], format='json-ld', auto_compact=True)",
                 nt, out / "rdflib-main.jsonld"], ("faster", 10), runs=1)
    else:
        notes.append("JSON-LD compacted with our context vs rdflib (100k triples): skipped, "
                     "`tipkg export --format jsonld` is not in this build.")

    if wanted("build from curated data files"):
        build_records = BUILD_RECORDS
        build_data = WORK / f"records-{build_records}"
        if not build_data.exists():
            run([TIPKG, "generate", "--seed", "1", "--records", build_records, "-o", build_data])
        compare(f"build from curated data files ({build_records} records), written as N-Quads",
                [TIPKG, "export", "--data", build_data, "--format", "nquads", "-o", out / "build.nq"],
                [PYTHON, ROOT / "tests" / "bench" / "rdflib_mapping.py", build_data, out / "rdflib.nq"],
                ("faster", 10), runs=min(RUNS, 3))
        notes.append(f"The build row's outputs: tipkg {count_lines(out / 'build.nq')} quads, "
                     f"the rdflib mapping {count_lines(out / 'rdflib.nq')} quads (it maps the "
                     "same records but does no checking and fewer statements).")

    for q in QUERIES:
        name = q.stem if q in BUNDLED else q
        ours = [TIPKG, "query", name, *example_args(q), "--store", store, "--format", "tsv"]
        if not wanted(f"query `{q.stem}` on a"):
            continue
        compare(f"query `{q.stem}` on a {label} store",
                ours,
                [OXIGRAPH, "query", "--location", ox, "--query-file", bound(ours),
                 "--results-format", "tsv", "--union-default-graph"], ("le", 1.1))

    push_rows(store, nt, label)
    push_many_rows(small_data)
    push_many_store_row(data)

    # Where the cost grows.
    growth, stream_memory = [], []
    for size in (SIZES if wanted("growth") else []):
        growth.append(growth_row(size, out))
        stream_memory.append((growth[-1]["triples"], growth[-1]["export"][1]))
    memory_row(stream_memory)
    write(started, growth)


# The operations of the growth table, in its order: (name, what it measures).
GROWTH = [
    ("build", "`build --data DIR`: the records read, checked, mapped and validated, in memory"),
    ("build --store", "the same written into a new on-disk store"),
    ("validate", "`validate --data DIR`: the checks and the SHACL validation alone"),
    ("import", "`import`: the same graph's N-Triples into a new store"),
    ("export", "`export --format nquads`: N-Quads streamed from that store"),
    ("query", "`query entities-per-class.rq` on that store"),
    ("push", "`push --non-atomic` of that store as one graph to an Oxigraph server"),
]


def growth_row(size, out):
    """Each operation of `GROWTH` on the generated data of `size` triples: (seconds, peak
    MB) by name. Medians of 3 runs, 1 above 2M triples; a command stops after
    `GROWTH_TIMEOUT`."""
    d, f, count, recs = dataset(size)
    s = WORK / f"growth-store-{size}"
    b = WORK / f"growth-build-{size}"
    runs = 3 if count < 2_000_000 else 1
    row = {"triples": count, "records": recs}

    def timed(name, cmd, setup=None):
        row[name] = median_time(cmd, runs, setup=setup, timeout=GROWTH_TIMEOUT)
        log(f"growth {count} {name}: {row[name][0]:.1f} s {row[name][1]:.0f} MB")

    timed("build", [TIPKG, "-q", "build", "--data", d])
    timed("build --store", [TIPKG, "-q", "build", "--data", d, "--store", b], fresh(b))
    shutil.rmtree(b, ignore_errors=True)
    timed("validate", [TIPKG, "-q", "validate", "--data", d])
    timed("import", [TIPKG, "-q", "import", "--store", s, f], fresh(s))
    timed("export", [TIPKG, "export", "--store", s, "--format", "nquads",
                    "-o", out / "growth.nq"])
    (out / "growth.nq").unlink(missing_ok=True)
    q = ROOT / "tests" / "bench" / "queries" / "entities-per-class.rq"
    timed("query", [TIPKG, "query", q, "--store", s])
    if OXIGRAPH_URL:
        empty = lambda: update(OXIGRAPH_URL, "DROP ALL")  # noqa: E731
        timed("push", [TIPKG, "-q", "push", "--store", s, "--endpoint", OXIGRAPH_URL,
                      "--target", "oxigraph", "--graph", PUSH_GRAPH, "--non-atomic"], empty)
        empty()
    return row


def growth_table(growth):
    """The growth table: an operation a row, a size a column, each cell time, µs per triple
    and peak memory; the last column how µs per triple changes from the smallest size to
    the largest."""
    head = " | ".join(f"{size(g['triples'])} triples ({g['records']:,} records)"
                      for g in growth)
    lines = [
        "tipkg alone, on generated data of growing size; each cell is the median wall time, "
        "µs per triple and the peak memory. Medians of 3 runs (1 above 2M triples); a "
        f"command is stopped after {GROWTH_TIMEOUT:.0f} s. The operations:",
        "",
        *[f"- **{name}**: {what}." for name, what in GROWTH],
        "",
        f"| operation | {head} | µs per triple, largest / smallest |",
        "|---|" + "---|" * len(growth) + "---|",
    ]
    for name, _ in GROWTH:
        if not all(name in g for g in growth):
            continue
        cells, per = [], []
        for g in growth:
            t, m = g[name]
            us = t / g["triples"] * 1e6
            per.append(us)
            cells.append(f"{fmt_t(t)} · {us:.2f} µs · {m:,.0f} MB")
        change = (f"{per[-1] / per[0]:.2f}×" if len(per) > 1 and math.isfinite(per[-1])
                  else "—")
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {change} |")
    return lines


def export_phase(data, nt, label, out):
    """The export alone, without the build from curated records that the whole-process rows
    include: `export` minus `build --no-validate` of the same data, against the floor."""
    if not wanted("export N-Triples from the in-memory graph, the export alone"):
        return
    log("bench: export phase")
    build = [TIPKG, "-q", "build", "--no-validate", "--data", data]
    export = [TIPKG, "export", "--data", data, "--format", "ntriples", "-o", out / "mem.nt"]
    floor = [FLOOR, nt, out / "floor.nt"]
    t_build, t_export, t_floor = [], [], []
    for _ in range(RUNS):
        for cmd, times in ((export, t_export), (build, t_build), (floor, t_floor)):
            times.append(measure(cmd)[0])
        if sum(t_build) + sum(t_export) + sum(t_floor) > BUDGET:
            break
    mb, me, mf = map(statistics.median, (t_build, t_export, t_floor))
    rows.append({
        "operation": f"export N-Triples from the in-memory graph, the export alone ({label}: "
                     f"export {fmt_t(me)} minus build {fmt_t(mb)})",
        "ours": show(export) + " minus " + show(build), "peer": show(floor),
        "t_ours": me - mb, "t_peer": mf, "ratio": (me - mb) / mf, "m_ours": float("nan"),
        "m_peer": float("nan"), "goal": "≤ 1.3×", "met": (me - mb) / mf <= 1.3,
        "runs": len(t_build),
    })
    log(f"  build {mb:.2f}s export {me:.2f}s floor {mf:.2f}s")


def update(url, text):
    """Sends a SPARQL update to the Oxigraph server at `url`."""
    run(["curl", "-fsS", "-o", "/dev/null", "--data-urlencode", f"update={text}", f"{url}/update"])


def push_rows(store, nt, label):
    """tipkg push against curl sending the same N-Triples by each store's fastest path."""
    if not OXIGRAPH_URL:
        notes.append("push to an Oxigraph server: skipped, no server (run through "
                     "tests/bench/run.sh, which starts one).")
    else:
        empty = lambda: update(OXIGRAPH_URL, "DROP ALL")  # noqa: E731
        push = [TIPKG, "-q", "push", "--store", store, "--endpoint", OXIGRAPH_URL,
                "--target", "oxigraph", "--graph", PUSH_GRAPH]
        curl = ["curl", "-fsS", "-o", "/dev/null", "-X", "POST", "-H",
                "Content-Type: application/n-triples", "-T", nt,
                f"{OXIGRAPH_URL}/store?graph={PUSH_GRAPH}&no_transaction"]
        compare(f"push to an Oxigraph server ({label}, one graph, --non-atomic)",
                push + ["--non-atomic"], curl,
                ("le", 1.2), setup_ours=empty, setup_peer=empty, runs=min(RUNS, 3))
        # The swap is one `MOVE` transaction, longer than the default 60 s answer time and
        # than the benchmark's own stop.
        compare(f"push to an Oxigraph server ({label}, one graph, the default staged replace)",
                push + ["--timeout", "600"], curl, ("le", 2), setup_ours=empty,
                setup_peer=empty, runs=1, timeout=600)
    if not VIRTUOSO_URL:
        notes.append("push to Virtuoso: skipped, no server (run through tests/bench/run.sh, "
                     "which starts one).")
        return
    password = os.environ.get("TIPKG_VIRTUOSO_PASSWORD", "dba")
    parts = WORK / "virtuoso-parts"
    if not parts.exists():
        parts.mkdir()
        run(["split", "-l", "50000", "-d", "-a", "4", "--additional-suffix=.nt", nt,
             f"{parts}/part-"])
    crud = f"{VIRTUOSO_URL}/sparql-graph-crud-auth?graph-uri={PUSH_GRAPH}"
    curl = ["curl", "-fsS", "-o", "/dev/null", "--digest", "-u", f"dba:{password}",
            "-H", "Content-Type: application/n-triples"]
    script = " && ".join(
        shlex.join(curl + ["-X", "POST", "-T", str(part), crud])
        for part in sorted(parts.glob("part-*.nt")))

    def empty():
        run(curl[:-2] + ["--data-urlencode", f"query=DROP SILENT GRAPH <{PUSH_GRAPH}>",
                         f"{VIRTUOSO_URL}/sparql-auth"])
    os.environ["TIPKG_BENCH_PASSWORD"] = password  # tipkg reads secrets from the environment
    push = [TIPKG, "-q", "push", "--store", store, "--endpoint", VIRTUOSO_URL,
            "--target", "virtuoso", "--user", "dba", "--password-env", "TIPKG_BENCH_PASSWORD",
            "--graph", PUSH_GRAPH]
    compare(f"push to Virtuoso ({label}, one graph, --non-atomic)",
            push + ["--non-atomic"], ["bash", "-c", script], ("le", 1.2), setup_ours=empty,
            setup_peer=empty, runs=min(RUNS, 3))
    compare(f"push to Virtuoso ({label}, one graph, the default staged replace)",
            push, ["bash", "-c", script], ("le", 2), setup_ours=empty, setup_peer=empty,
            runs=1)
    notes.append("The Virtuoso peer is curl posting the file in parts of 50,000 lines to "
                 "the Graph Store endpoint (`split -l 50000`, done before timing): one request "
                 "with the whole file holds Virtuoso's locks for minutes.")


def graph_of(line):
    """The graph of an N-Quads line."""
    body = line.rstrip()[:-1].rstrip()
    return body[body.rindex(" ") + 1:]


def write_insert(parts, i, batch):
    """One INSERT DATA of `batch` ((graph, lines) pairs) as a file in `parts`."""
    path = parts / f"{i:04d}.ru"
    path.write_text("INSERT DATA {\n" + "".join(
        f"GRAPH {g} {{\n{''.join(lines)}}}\n" for g, lines in batch) + "}")
    return path


def push_many_rows(data):
    """tipkg push of the generated data in its many small graphs (one per source record
    file), read from its N-Quads file, against curl sending the same graphs by each
    store's fastest path."""
    if not wanted("many graphs"):
        return
    nq = WORK / "many.nq"
    run([TIPKG, "export", "--data", data, "--format", "nquads", "-o", nq])
    # The file is read a line at a time: what this process holds counts in the peak memory
    # of the commands it starts.
    names = []
    with open(nq) as f:
        for line in f:
            graph = graph_of(line)
            if not names or names[-1] != graph:
                names.append(graph)
    names = list(dict.fromkeys(names))
    label = f"many graphs: {count_lines(nq) / 1e3:.0f}k triples in {len(names)}"
    if OXIGRAPH_URL:
        empty = lambda: update(OXIGRAPH_URL, "DROP ALL")  # noqa: E731
        push = [TIPKG, "-q", "push", "--from", nq, "--endpoint", OXIGRAPH_URL,
                "--target", "oxigraph"]
        curl = ["curl", "-fsS", "-o", "/dev/null", "-X", "POST", "-H",
                "Content-Type: application/n-quads", "-T", nq,
                f"{OXIGRAPH_URL}/store?no_transaction"]
        compare(f"push to an Oxigraph server ({label}, --non-atomic)",
                push + ["--non-atomic"], curl, ("le", 1.2), setup_ours=empty,
                setup_peer=empty, runs=min(RUNS, 3))
        compare(f"push to an Oxigraph server ({label}, the default staged replace)",
                push, curl, ("le", 2), setup_ours=empty, setup_peer=empty,
                runs=min(RUNS, 3))
    if not VIRTUOSO_URL:
        return
    # The fastest curl path found for many small graphs on Virtuoso, whose Graph Store
    # endpoint takes one graph a request: INSERT DATA of at most 1,000 triples, a GRAPH
    # block for each graph, all through one curl process (one connection, the digest
    # challenge answered once). 14.6 s with a Graph Store POST for each graph.
    password = os.environ.get("TIPKG_VIRTUOSO_PASSWORD", "dba")
    parts = WORK / "virtuoso-many"
    shutil.rmtree(parts, ignore_errors=True)
    parts.mkdir()
    batches, batch, size = [], [], 0
    with open(nq) as f:
        for line in f:
            graph = graph_of(line)
            if size >= 1000:
                batches.append(write_insert(parts, len(batches), batch))
                batch, size = [], 0
            if not batch or batch[-1][0] != graph:
                batch.append((graph, []))
            body = line.rstrip()[:-1].rstrip()
            batch[-1][1].append(body[:body.rindex(" ")] + " .\n")
            size += 1
    if batch:
        batches.append(write_insert(parts, len(batches), batch))
    sparql = f"{VIRTUOSO_URL}/sparql-auth"
    config = []
    for path in batches:
        config.append(f'url = "{sparql}"\ndata-binary = "@{path}"\ndigest\n'
                      f'user = "dba:{password}"\n'
                      'header = "Content-Type: application/sparql-update"\n'
                      'output = "/dev/null"\nfail\n')
    (parts / "curl.cfg").write_text("next\n".join(config))
    drops = []
    for i in range(0, len(names), 250):
        path = parts / f"drop-{i:05d}.ru"
        path.write_text(" ;\n".join(f"DROP SILENT GRAPH {g}" for g in names[i:i + 250]))
        drops.append(path)

    def empty():
        for path in drops:
            run(["curl", "-fsS", "-o", "/dev/null", "--digest", "-u", f"dba:{password}",
                 "-H", "Content-Type: application/sparql-update", "--data-binary", f"@{path}",
                 sparql])
    os.environ["TIPKG_BENCH_PASSWORD"] = password
    push = [TIPKG, "-q", "push", "--from", nq, "--endpoint", VIRTUOSO_URL,
            "--target", "virtuoso", "--user", "dba", "--password-env", "TIPKG_BENCH_PASSWORD"]
    curl = ["curl", "-fsS", "-K", parts / "curl.cfg"]
    compare(f"push to Virtuoso ({label}, --non-atomic)", push + ["--non-atomic"], curl,
            ("le", 1.2), setup_ours=empty, setup_peer=empty, runs=min(RUNS, 3))
    compare(f"push to Virtuoso ({label}, the default staged replace)", push, curl,
            ("le", 2), setup_ours=empty, setup_peer=empty, runs=min(RUNS, 3))
    notes.append("The many-graphs rows push the generated data as built, a graph for each "
                 "source record file, from its N-Quads file (`push --from`). Their Virtuoso peer is curl sending `INSERT DATA` "
                 "requests of at most 1,000 triples, a `GRAPH` block for each graph, through "
                 "one curl process (`curl -K`, written before timing); a Graph Store `POST` "
                 "for each graph took twice as long.")


def push_many_store_row(data):
    """tipkg push of a store built from the generated data, a graph for each source record
    file, against curl sending the same store's N-Quads in one bulk-load request."""
    if not wanted("many graphs of a store") or not OXIGRAPH_URL:
        return
    store = WORK / f"many-store-{data.name}"
    nq = WORK / f"many-store-{data.name}.nq"
    if not (store / "CURRENT").exists():
        shutil.rmtree(store, ignore_errors=True)
        run([TIPKG, "-q", "build", "--data", data, "--store", store])
    run([TIPKG, "export", "--store", store, "--format", "nquads", "-o", nq])
    with open(nq) as f:
        graphs = len({graph_of(line) for line in f})
    label = f"many graphs of a store: {count_lines(nq) / 1e6:.2f}M triples in {graphs}"
    empty = lambda: update(OXIGRAPH_URL, "DROP ALL")  # noqa: E731
    compare(f"push to an Oxigraph server ({label}, --non-atomic)",
            [TIPKG, "-q", "push", "--store", store, "--endpoint", OXIGRAPH_URL,
             "--target", "oxigraph", "--non-atomic"],
            ["curl", "-fsS", "-o", "/dev/null", "-X", "POST", "-H",
             "Content-Type: application/n-quads", "-T", nq,
             f"{OXIGRAPH_URL}/store?no_transaction"],
            ("le", 1.2), setup_ours=empty, setup_peer=empty, runs=min(RUNS, 3))
    nq.unlink(missing_ok=True)


def memory_row(stream_memory):
    """Peak memory of N-Quads streamed from on-disk stores of growing size."""
    if not stream_memory:
        return
    biggest, peak = stream_memory[-1]
    smallest, first = stream_memory[0]
    flat = peak < 150 and peak <= first * 1.25 + 10
    rows.append({
        "operation": "peak memory of a streaming export (N-Quads) from an on-disk store: "
                     + ", ".join(f"{size(n)} triples {m:.0f} MB" for n, m in stream_memory),
        "ours": "tipkg export --store STORE --format nquads -o growth.nq",
        "peer": "none", "t_ours": float("nan"), "t_peer": float("nan"),
        "ratio": peak / first, "m_ours": peak, "m_peer": float("nan"),
        "goal": "under 150 MB, flat", "met": flat, "runs": 3, "kind": "memory",
    })


def size(triples):
    """A number of triples as a column head: 100k, 1.0M."""
    return f"{triples / 1e3:.0f}k" if triples < 1e6 else f"{triples / 1e6:.1f}M"


def fmt_t(t):
    if t == float("inf"):
        return f"> {TIMEOUT:.0f} s (stopped)"
    return f"{t:.3f} s" if t < 10 else f"{t:.1f} s"


def write(started, growth):
    if ONLY:
        lines = [f"Measured {started:%Y-%m-%d %H:%M} UTC, rows matching `{ONLY}`:", ""]
        lines += [f"- {r['operation']}: tipkg {fmt_t(r['t_ours'])} {r['m_ours']:.0f} MB, "
                  f"peer {fmt_t(r['t_peer'])} {r['m_peer']:.0f} MB, ratio {r['ratio']:.2f}, "
                  f"met {r['met']} ({r['runs']} runs)" for r in rows]
        if growth:
            lines += ["", *growth_table(growth)]
        (WORK / "partial.md").write_text("\n".join(lines) + "\n")
        log("bench: wrote target/bench/partial.md")
        return
    lines = [
        "# Benchmarks",
        "",
        "Reproduce with `bash tests/bench/run.sh` (installs the peers, builds release, runs "
        "everything below and rewrites this file). Every figure is tipkg's median time as a "
        "ratio of its peer's median **measured in the same run**, the two commands "
        "alternating. Generated data comes from `tipkg generate` (seeded, deterministic).",
        "",
        f"Measured {started:%Y-%m-%d %H:%M} UTC on:",
        "",
        *machine(),
        "",
        "## tipkg against its peers",
        "",
        "| operation | tipkg | peer | ratio (tipkg / peer time) | target | met | peak memory tipkg / peer |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        met = 'yes' if r['met'] else '**no**'
        if r.get("kind") == "memory":
            lines.append(
                f"| {r['operation']} | — | — | **{r['ratio']:.2f}×** the smallest store's "
                f"peak | {r['goal']} | {met} | {r['m_ours']:.0f} MB / — |")
            continue
        memory = ("—" if r['m_ours'] != r['m_ours']
                  else f"{r['m_ours']:.0f} MB / {r['m_peer']:.0f} MB")
        ratio = f"**{r['ratio']:.2f}×**" if math.isfinite(r['ratio']) else "—"
        if not math.isfinite(r['ratio']):
            met = "not measured (stopped)"
        lines.append(
            f"| {r['operation']} | {fmt_t(r['t_ours'])} | {fmt_t(r['t_peer'])} | "
            f"{ratio} | {r['goal']} | {met} | {memory} |")
    lines += ["", "Notes:", ""]
    lines += [f"- {n}" for n in notes]
    lines += ["", "### The commands", ""]
    for r in rows:
        lines += [f"- {r['operation']} ({r['runs']} runs each):",
                  f"  - tipkg: `{r['ours']}`", f"  - peer: `{r['peer']}`"]
    lines += [
        "",
        "## Where the cost grows",
        "",
        *growth_table(growth),
    ]
    analysis = ROOT / "tests" / "bench" / "analysis.md"
    if analysis.exists():
        lines += ["", analysis.read_text().rstrip()]
    # Sections measured by scripts of their own (tests/bench/ingest.sh, serve.sh).
    for section in ("ingest.md", "serve.md"):
        path = ROOT / "tests" / "bench" / section
        if path.exists():
            lines += ["", path.read_text().rstrip()]
    (ROOT / "BENCHMARKS.md").write_text("\n".join(lines) + "\n")
    log("bench: wrote BENCHMARKS.md")


if __name__ == "__main__":
    main()
