//! Publishing to real triplestores (an Oxigraph server and Virtuoso, started by
//! `tests/env/stores.sh`): round trips over both protocols, replace and append, dry runs,
//! wrong passwords, a store that is down or silent, a store killed in the middle of a large
//! push, concurrent and interrupted pushes, pruning, and secrets that never reach any
//! output; pulls from fake servers whose answers are cut short. Each test writes under
//! graph IRIs of its own, so tests can share a store (only a test with a server of its own
//! cleans up staging graphs).

use crate::support::*;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, NamedNode, Triple};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};
use tipkg::base::iri::{STAGING, staging_graph};
use tipkg::net::auth::{Auth, Scheme, Secret};
use tipkg::net::http::{Client, Settings};
use tipkg::net::target::{Endpoints, Overrides, Target};
use tipkg::publish::canon::canonical_triple;
use tipkg::publish::remote;

const PASSWORD_VAR: &str = "TIPKG_TEST_STORE_PASSWORD";

/// A store the tests push to.
struct Store {
    target: &'static str,
    url: String,
    password: Option<String>,
}

impl Store {
    fn oxigraph() -> Option<Self> {
        Some(Self {
            target: "oxigraph",
            url: store_variable("TIPKG_OXIGRAPH_URL")?,
            password: None,
        })
    }

    fn virtuoso() -> Option<Self> {
        Some(Self {
            target: "virtuoso",
            url: store_variable("TIPKG_VIRTUOSO_URL")?,
            password: Some(store_variable("TIPKG_VIRTUOSO_PASSWORD")?),
        })
    }

    /// `tipkg push` to this store with `args`, logged in where the store needs it.
    fn push(&self, args: &[&str]) -> Output {
        self.command("push", args)
    }

    fn command(&self, command: &str, args: &[&str]) -> Output {
        self.logged_in(command)
            .args(args)
            .output()
            .expect("tipkg runs")
    }

    /// `tipkg COMMAND` for this store, logged in where the store needs it.
    fn logged_in(&self, command: &str) -> Command {
        let mut cmd = tipkg();
        cmd.args([command, "--endpoint", &self.url, "--target", self.target]);
        if let Some(password) = &self.password {
            cmd.args(["--user", "dba", "--password-env", PASSWORD_VAR]);
            cmd.env(PASSWORD_VAR, password);
        }
        cmd
    }

    /// `tipkg push` started with `args`, its stderr piped.
    fn spawn_push(&self, args: &[&str]) -> Child {
        self.logged_in("push")
            .args(args)
            .stderr(Stdio::piped())
            .spawn()
            .expect("tipkg runs")
    }

    fn push_ok(&self, args: &[&str]) -> String {
        let output = self.push(args);
        assert!(
            output.status.success(),
            "push {args:?} failed:\n{}",
            stderr(&output)
        );
        stderr(&output)
    }

    /// The graph as the store holds it, literals canonicalised, read with `tipkg pull`.
    fn pull(&self, graph: &str) -> BTreeSet<String> {
        let output = self.command("pull", &["--graph", graph, "--canonical-literals"]);
        assert!(
            output.status.success(),
            "pull {graph} failed:\n{}",
            stderr(&output)
        );
        parse_ntriples(&output.stdout)
    }

    fn endpoints(&self) -> Endpoints {
        let target = match self.target {
            "virtuoso" => Target::Virtuoso,
            _ => Target::Oxigraph,
        };
        target
            .endpoints(&self.url, self.password.is_some(), &Overrides::default())
            .unwrap()
    }

    fn client(&self) -> Client {
        let auth = match &self.password {
            Some(password) => {
                let secret = secret_from(password);
                Auth::new(Scheme::Digest, Some("dba".into()), secret).unwrap()
            }
            None => Auth::None,
        };
        Client::new(auth, Settings::default(), None).unwrap()
    }

    fn count(&self, graph: &str) -> u64 {
        remote::count(
            &self.client(),
            &self.endpoints(),
            &[NamedNode::new(graph).unwrap()],
        )
        .unwrap()[0]
    }

    fn update(&self, update: &str) {
        remote::update(&self.client(), &self.endpoints(), update, true).unwrap();
    }

    /// The staging graphs in the store for the graph `target`, of any push.
    fn staging_of(&self, target: &str) -> Vec<String> {
        let any = staging_graph("any", &NamedNode::new(target).unwrap());
        let suffix = any.as_str().rsplit(':').next().unwrap().to_owned();
        remote::graphs_under(&self.client(), &self.endpoints(), STAGING)
            .unwrap()
            .into_iter()
            .map(|g| g.graph.into_string())
            .filter(|g| g.ends_with(&format!(":{suffix}")))
            .collect()
    }
}

/// A secret for the test client, through the same door users take: a file.
fn secret_from(value: &str) -> Secret {
    let dir = temp_dir();
    let path = dir.path().join("secret");
    std::fs::write(&path, value).unwrap();
    Secret::from_file(&path).unwrap()
}

/// A store's variable from `tests/env/stores.sh`; `None` means skip, unless stores are
/// required.
fn store_variable(name: &str) -> Option<String> {
    match std::env::var(name) {
        Ok(value) if !value.is_empty() => Some(value),
        _ => {
            assert!(
                !required("TIPKG_REQUIRE_STORES"),
                "{name} is not set: run the tests with bash tests/run.sh"
            );
            skip(&format!("{name} (source tests/env/stores.sh)"));
            None
        }
    }
}

/// Graph IRIs no other test uses.
fn unique_prefix(test: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!(
        "http://test.tipkg.example/{test}/{}-{nanos}/",
        std::process::id()
    )
}

fn parse_ntriples(bytes: &[u8]) -> BTreeSet<String> {
    RdfParser::from_format(RdfFormat::NTriples)
        .for_slice(bytes)
        .map(|q| canonical_triple(&Triple::from(q.expect("N-Triples parse"))).to_string())
        .collect()
}

/// The export of the bundled graph, per graph IRI under `prefix`, literals canonicalised;
/// the dataset description names the graphs under `prefix` too.
fn exported(prefix: &str) -> BTreeMap<String, BTreeSet<String>> {
    let nquads = ok(&["export", "--format", "nquads"]);
    let mut graphs: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for quad in RdfParser::from_format(RdfFormat::NQuads).for_slice(nquads.as_bytes()) {
        let quad = quad.unwrap();
        let GraphName::NamedNode(graph) = &quad.graph_name else {
            panic!("a quad outside a named graph")
        };
        let local = graph
            .as_str()
            .strip_prefix("https://w3id.org/tipkg/graph/")
            .unwrap()
            .to_owned();
        let mut triple = canonical_triple(&Triple::from(quad)).to_string();
        if local == "dataset" {
            triple = triple.replace("<https://w3id.org/tipkg/graph/", &format!("<{prefix}"));
        }
        graphs
            .entry(format!("{prefix}{local}"))
            .or_default()
            .insert(triple);
    }
    graphs
}

/// Every graph of the export is in the store, exactly, once literals are canonicalised.
fn assert_store_holds_export(store: &Store, prefix: &str) {
    for (graph, expected) in exported(prefix) {
        let actual = store.pull(&graph);
        let missing: Vec<_> = expected.difference(&actual).collect();
        let extra: Vec<_> = actual.difference(&expected).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{graph} differs from the export\nmissing: {missing:#?}\nextra: {extra:#?}"
        );
        assert_eq!(store.staging_of(&graph), Vec::<String>::new());
    }
}

/// Pushes the bundled graph (`from_store`: built into an on-disk store first, whose small
/// graphs are read together) and checks that the store holds the export.
fn round_trip(store: Option<Store>, protocol: &str, from_store: bool) {
    let Some(store) = store else { return };
    let prefix = unique_prefix(&format!("round-trip-{}-{protocol}", store.target));
    let mut args = vec!["--graph-prefix", &prefix, "--protocol", protocol];
    let dir = temp_dir();
    let built = dir.path().join("store");
    let built = built.to_str().unwrap();
    if from_store {
        ok(&["-q", "build", "--store", built]);
        args.extend(["--store", built]);
    }
    let report = store.push_ok(&args);
    let export = exported(&prefix);
    let triples: usize = export.values().map(BTreeSet::len).sum();
    let verified = format!(
        "verified: the {} graphs on the server hold the {triples} triples sent",
        export.len()
    );
    assert!(report.contains(&verified), "{report}");
    assert_store_holds_export(&store, &prefix);
    if from_store {
        // Compared with what the store now holds, the graphs add and remove nothing.
        let dry = store.push(&[&args[..], &["--dry-run"]].concat());
        assert!(dry.status.success(), "{}", stderr(&dry));
        let unchanged = "in total 0 triple(s) added and 0 removed";
        assert!(stdout(&dry).contains(unchanged), "{}", stdout(&dry));
    }
}

#[test]
fn round_trip_oxigraph_gsp() {
    round_trip(Store::oxigraph(), "gsp", false);
}

#[test]
fn round_trip_oxigraph_update() {
    round_trip(Store::oxigraph(), "update", false);
}

#[test]
fn round_trip_virtuoso_gsp() {
    round_trip(Store::virtuoso(), "gsp", false);
}

#[test]
fn round_trip_virtuoso_update() {
    round_trip(Store::virtuoso(), "update", false);
}

#[test]
fn round_trip_from_a_store_oxigraph() {
    round_trip(Store::oxigraph(), "gsp", true);
}

#[test]
fn round_trip_from_a_store_virtuoso() {
    round_trip(Store::virtuoso(), "gsp", true);
}

/// Puts a triple that no push sends into `graph`.
fn add_stale_triple(store: &Store, graph: &str) {
    store.update(&format!(
        "INSERT DATA {{ GRAPH <{graph}> {{ <http://example.org/stale> <http://example.org/p> \"stale\" }} }}"
    ));
}

/// A graph that held other triples is replaced, not added to; replacing again changes
/// nothing; appending the same triples doubles nothing.
fn replace_twice_then_append(store: Option<Store>) {
    let Some(store) = store else { return };
    let prefix = unique_prefix(&format!("replace-{}", store.target));
    let ror = format!("{prefix}ror");
    add_stale_triple(&store, &ror);
    store.push_ok(&["--graph-prefix", &prefix]);
    store.push_ok(&["--graph-prefix", &prefix, "--protocol", "update"]);
    assert_store_holds_export(&store, &prefix);
    let report = store.push_ok(&["--graph-prefix", &prefix, "--mode", "append"]);
    assert!(report.contains("verified"), "{report}");
    assert_store_holds_export(&store, &prefix);
    assert_eq!(store.count(&ror), 10);
}

#[test]
fn replace_twice_then_append_oxigraph() {
    replace_twice_then_append(Store::oxigraph());
}

#[test]
fn replace_twice_then_append_virtuoso() {
    replace_twice_then_append(Store::virtuoso());
}

/// --non-atomic loads straight into the graphs: a replace empties a graph that held other
/// triples, an append adds, no staging graph is left, and the dry run shows no swap.
fn non_atomic_replace_and_append(store: Option<Store>) {
    let Some(store) = store else { return };
    let prefix = unique_prefix(&format!("non-atomic-{}", store.target));
    let ror = format!("{prefix}ror");
    add_stale_triple(&store, &ror);
    let dry = store.push(&["--graph-prefix", &prefix, "--non-atomic", "--dry-run"]);
    assert!(dry.status.success(), "{}", stderr(&dry));
    let dry = stdout(&dry);
    assert!(dry.contains(&format!("{prefix}ror")), "{dry}");
    assert!(!dry.contains("MOVE") && !dry.contains("staging"), "{dry}");
    let normal = stdout(&store.push(&["--graph-prefix", &prefix, "--dry-run"]));
    assert!(
        normal.contains("MOVE") && normal.contains("staging"),
        "{normal}"
    );
    let report = store.push_ok(&["--graph-prefix", &prefix, "--non-atomic"]);
    assert!(report.contains("verified"), "{report}");
    assert_store_holds_export(&store, &prefix);
    assert_eq!(store.count(&ror), 10, "the stale triple is gone");
    let report = store.push_ok(&[
        "--graph-prefix",
        &prefix,
        "--non-atomic",
        "--mode",
        "append",
    ]);
    assert!(report.contains("verified"), "{report}");
    assert_store_holds_export(&store, &prefix);
    assert_eq!(store.count(&ror), 10);
}

#[test]
fn non_atomic_replace_and_append_oxigraph() {
    non_atomic_replace_and_append(Store::oxigraph());
}

#[test]
fn non_atomic_replace_and_append_virtuoso() {
    non_atomic_replace_and_append(Store::virtuoso());
}

/// The columns of the dry run's row for a graph.
fn dry_run_row(stdout: &str, graph: &str) -> Vec<String> {
    let line = stdout
        .lines()
        .find(|l| l.trim_start().starts_with(&format!("<{graph}>")))
        .unwrap_or_else(|| panic!("no row for {graph} in:\n{stdout}"));
    line.split_whitespace().skip(1).map(str::to_owned).collect()
}

#[test]
fn dry_run_shows_the_difference_and_writes_nothing() {
    for store in [Store::oxigraph(), Store::virtuoso()].into_iter().flatten() {
        let prefix = unique_prefix(&format!("dry-run-{}", store.target));
        store.push_ok(&["--graph-prefix", &prefix]);
        let (ror, wikidata) = (format!("{prefix}ror"), format!("{prefix}wikidata"));
        store.update(&format!(
            "INSERT DATA {{ GRAPH <{ror}> {{ <http://example.org/s> <http://example.org/p> 1 }} }}"
        ));
        store.update(&format!("DROP SILENT GRAPH <{wikidata}>"));

        let output = store.push(&["--graph-prefix", &prefix, "--dry-run", "-v"]);
        assert!(output.status.success(), "{}", stderr(&output));
        let stdout = stdout(&output);
        assert!(stdout.contains("nothing was sent"), "{stdout}");
        if store.target == "oxigraph" {
            // The graphs are counted first: a graph the store holds nothing of is not read.
            let gets = sent_requests(&stderr(&output))
                .into_iter()
                .filter(|request| request.starts_with("GET "))
                .collect::<Vec<_>>();
            assert!(gets.iter().any(|get| get.contains("ror")), "{gets:?}");
            assert!(!gets.iter().any(|get| get.contains("wikidata")), "{gets:?}");
        }
        assert_eq!(
            dry_run_row(&stdout, &ror),
            ["10", "11", "0", "1"],
            "{stdout}"
        );
        assert_eq!(
            dry_run_row(&stdout, &wikidata),
            ["41", "none", "41", "0"],
            "{stdout}"
        );
        let ontology = tipkg::mapping::ontology_quads().unwrap().len().to_string();
        assert_eq!(
            dry_run_row(&stdout, &format!("{prefix}ontology")),
            [ontology.as_str(), ontology.as_str(), "0", "0"]
        );
        assert!(
            stdout.contains(&format!("TO <{ror}>")),
            "the swap is listed:\n{stdout}"
        );
        assert!(
            stdout.contains("in total 41 triple(s) added and 1 removed"),
            "{stdout}"
        );
        // Nothing changed.
        assert_eq!(store.count(&ror), 11);
        assert_eq!(store.count(&wikidata), 0);
    }
}

/// Run ids of pushes, in IRIs and in URLs, made alike.
fn without_run_ids(text: &str) -> String {
    regex::Regex::new("[0-9a-f]+-[0-9a-f]{8}-[0-9a-f]+-[0-9a-f]+")
        .unwrap()
        .replace_all(text, "RUN")
        .into_owned()
}

/// The requests a dry run lists, as `METHOD URL`, one for each request it stands for: a
/// claim of the swap is its INSERT DATA and then the SELECT of the claims, `x N` batches
/// of INSERT DATA are N requests, a Graph Store load in parts is one request per part.
fn planned_requests(dry: &str, query_url: &str) -> Vec<String> {
    let listed = dry
        .split_once("\nrequests:\n")
        .unwrap_or_else(|| panic!("no requests in:\n{dry}"))
        .1;
    let mut requests = Vec::new();
    for line in listed.lines() {
        let mut words = line.split_whitespace();
        let (method, url) = (words.next().unwrap(), words.next().unwrap());
        let request = format!("{method} {url}");
        if line.contains("(claim the swap), then SELECT the claims") {
            requests.push(request);
            requests.push(format!("POST {query_url}"));
        } else if let Some(batches) = line.split_once("} } x ") {
            let n: usize = batches
                .1
                .split_whitespace()
                .next()
                .unwrap()
                .parse()
                .unwrap();
            requests.extend(std::iter::repeat_n(request, n));
        } else if let Some(parts) = line.split_once(", in ") {
            let n: usize = parts.1.split_whitespace().next().unwrap().parse().unwrap();
            requests.push(request);
            requests.extend(std::iter::repeat_n(format!("POST {url}"), n - 1));
        } else {
            requests.push(request);
        }
    }
    requests
}

/// The requests a push's `-v` log shows, as `METHOD URL`.
fn sent_requests(log: &str) -> Vec<String> {
    log.lines()
        .filter_map(|line| line.strip_prefix("> "))
        .map(|line| line.split(" (").next().unwrap().to_owned())
        .collect()
}

/// A dry run lists exactly the requests that the push then sends, in their order (both
/// come from one plan): over the Graph Store Protocol (many graphs in one request to
/// Oxigraph, one request each to Virtuoso, the graphs counted together) or in INSERT DATA
/// batches, staged or loaded straight, with a prune.
#[test]
fn the_dry_run_lists_the_requests_the_push_sends() {
    let oxigraph: [&[&str]; 3] = [
        &[],
        &["--protocol", "update", "--batch-triples", "100"],
        &["--non-atomic"],
    ];
    let virtuoso: [&[&str]; 2] = [&[], &["--non-atomic"]];
    let stores = [
        (Store::oxigraph(), &oxigraph[..]),
        (Store::virtuoso(), &virtuoso[..]),
    ];
    for (store, variants) in stores {
        let Some(store) = store else {
            continue;
        };
        for variant in variants {
            dry_run_matches_push(&store, variant);
        }
    }
}

fn dry_run_matches_push(store: &Store, variant: &[&str]) {
    let query_url = match store.target {
        "virtuoso" => format!("{}/sparql-auth", store.url),
        _ => format!("{}/query", store.url),
    };
    // Other tests push to the same store at the same time: a push that finds the swap
    // claimed by one of them withdraws its claim and claims again, which adds requests
    // that no plan can list. Such a run is tried again (with a new prefix).
    for attempt in 1.. {
        let prefix = unique_prefix("plan");
        add_stale_triple(store, &format!("{prefix}gone"));
        let mut args = vec!["--graph-prefix", prefix.as_str(), "--prune"];
        args.extend_from_slice(variant);
        let dry = store.push(&[args.as_slice(), &["--dry-run"]].concat());
        assert!(dry.status.success(), "{}", stderr(&dry));
        let planned = planned_requests(&without_run_ids(&stdout(&dry)), &query_url);
        let pushed = store.push(&[args.as_slice(), &["-v"]].concat());
        let log = stderr(&pushed);
        assert!(pushed.status.success(), "{log}");
        assert!(log.contains("pruned 1 graph"), "{log}");
        let sent = sent_requests(&without_run_ids(&log));
        // Planning the prune lists the store's graphs under the prefix first.
        assert_eq!(sent[0], format!("POST {query_url}"));
        let contended = sent.len() > planned.len() + 1 && !variant.contains(&"--non-atomic");
        if contended && attempt < 5 {
            continue;
        }
        assert_eq!(planned, sent[1..], "{} {variant:?}", store.target);
        // The graphs are counted together, not one request each (but on Virtuoso, which swaps
        // one graph a request, each staging graph again just before its swap).
        let straight = variant.contains(&"--non-atomic");
        let counts = planned
            .iter()
            .filter(|r| **r == format!("POST {query_url}"))
            .count();
        let graphs = stdout(&dry).matches(&prefix).count();
        if store.target == "oxigraph" || straight {
            assert!(counts * 2 < graphs, "{counts} counts: {}", stdout(&dry));
        }
        if store.target == "oxigraph" && !variant.contains(&"update") {
            // Every graph in one N-Quads request.
            let loads: Vec<&String> = planned.iter().filter(|r| r.contains("/store")).collect();
            assert_eq!(loads.len(), 1, "{planned:#?}");
        }
        break;
    }
}

/// Graphs of more than one count request are counted before and after the load with
/// several requests at once; each graph's row has its own counts.
fn many_graphs_are_counted_before_and_after(store: Option<Store>) {
    let Some(store) = store else { return };
    let prefix = unique_prefix(&format!("counted-{}", store.target));
    let graph = |g: usize| format!("{prefix}g{g:04}");
    let dir = temp_dir();
    let file = dir.path().join("many.nq");
    let mut out = String::new();
    for g in 0..620 {
        for i in 0..=g % 7 {
            out += &format!(
                "<http://example.org/s{i}> <http://example.org/p> \"v{i}\" <{}> .\n",
                graph(g)
            );
        }
    }
    std::fs::write(&file, out).unwrap();
    let stale = [3, 251, 499, 619];
    for (n, g) in stale.iter().enumerate() {
        for i in 0..=n {
            store.update(&format!(
                "INSERT DATA {{ GRAPH <{}> {{ <http://example.org/stale> <http://example.org/p> {i} }} }}",
                graph(*g)
            ));
        }
    }
    let report = store.push_ok(&["--from", file.to_str().unwrap(), "--non-atomic"]);
    for g in 0..620 {
        let row = (report.lines())
            .find(|line| line.contains(&format!("<{}>", graph(g))))
            .unwrap_or_else(|| panic!("no row for graph {g}: {report}"));
        let sent = (g % 7 + 1).to_string();
        let before = stale
            .iter()
            .position(|s| *s == g)
            .map_or(0, |n| n + 1)
            .to_string();
        let columns: Vec<&str> = row.split_whitespace().skip(1).collect();
        assert_eq!(columns, [&sent, &before, &sent, "ok"], "graph {g}: {row}");
    }
}

#[test]
fn many_graphs_are_counted_before_and_after_oxigraph() {
    many_graphs_are_counted_before_and_after(Store::oxigraph());
}

#[test]
fn many_graphs_are_counted_before_and_after_virtuoso() {
    many_graphs_are_counted_before_and_after(Store::virtuoso());
}

#[test]
fn a_wrong_password_is_refused_and_changes_nothing() {
    let Some(store) = Store::virtuoso() else {
        return;
    };
    let prefix = unique_prefix("wrong-password");
    store.push_ok(&["--graph-prefix", &prefix]);
    let secret = "Wr0ng-Secret-4242";
    let output = tipkg()
        .args([
            "push",
            "--endpoint",
            &store.url,
            "--target",
            "virtuoso",
            "--user",
            "dba",
        ])
        .args([
            "--password-env",
            PASSWORD_VAR,
            "--graph-prefix",
            &prefix,
            "-v",
        ])
        .env(PASSWORD_VAR, secret)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = stderr(&output);
    assert!(stderr.contains("HTTP 401 Unauthorized"), "{stderr}");
    assert!(stderr.contains("check the user, the password"), "{stderr}");
    assert!(stderr.contains("the store is unchanged"), "{stderr}");
    assert!(!stderr.contains(secret) && !stdout(&output).contains(secret));
    assert_store_holds_export(&store, &prefix);
}

fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// A loopback port nobody listens on.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn a_store_that_is_down_gives_a_clear_error() {
    let url = format!("http://127.0.0.1:{}", free_port());
    let started = Instant::now();
    let output = run(&[
        "push",
        "--endpoint",
        &url,
        "--target",
        "oxigraph",
        "--retries",
        "1",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = stderr(&output);
    assert!(stderr.contains("Connection refused"), "{stderr}");
    assert!(stderr.contains("is the store running"), "{stderr}");
    assert!(
        stderr.contains("nothing was written: the store is unchanged"),
        "{stderr}"
    );
    assert!(started.elapsed() < Duration::from_secs(30));
}

#[test]
fn secrets_never_reach_any_output() {
    let Some(store) = Store::oxigraph() else {
        return;
    };
    // The Oxigraph server ignores credentials, so the push succeeds and prints its report
    // and every request with -v: none of it may hold the secret.
    let secret = "S3cret-Never-Printed-777";
    let dir = temp_dir();
    let file = dir.path().join("password");
    std::fs::write(&file, format!("{secret}\n")).unwrap();
    let prefix = unique_prefix("secrets");
    let file = file.to_str().unwrap();
    for args in [
        vec!["--user", "someone", "--password-file", file],
        vec![
            "--user",
            "someone",
            "--password-file",
            file,
            "--auth",
            "digest",
        ],
        vec!["--token-env", PASSWORD_VAR],
        vec!["--token-env", PASSWORD_VAR, "--dry-run"],
    ] {
        let output = tipkg()
            .args([
                "push",
                "--endpoint",
                &store.url,
                "--target",
                "oxigraph",
                "-v",
            ])
            .args(["--graph-prefix", &prefix])
            .args(&args)
            .env(PASSWORD_VAR, secret)
            .output()
            .unwrap();
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        let all = format!("{}{}", stdout(&output), stderr(&output));
        assert!(
            all.contains("> GET") || all.contains("> POST"),
            "-v prints the requests: {all}"
        );
        assert!(!all.contains(secret), "{args:?} printed the secret:\n{all}");
    }
    // Errors do not show it either.
    let output = tipkg()
        .args([
            "push",
            "--endpoint",
            &format!("http://127.0.0.1:{}", free_port()),
        ])
        .args([
            "--target",
            "oxigraph",
            "--retries",
            "0",
            "-v",
            "--token-env",
            PASSWORD_VAR,
        ])
        .env(PASSWORD_VAR, secret)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(!stderr(&output).contains(secret));
}

/// The stderr lines of a running push up to the first that `stop` accepts, and a reader of
/// the rest.
fn read_until(
    push: &mut Child,
    stop: impl Fn(&str) -> bool,
) -> (std::io::Lines<BufReader<std::process::ChildStderr>>, String) {
    let mut lines = BufReader::new(push.stderr.take().unwrap()).lines();
    let mut log = String::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        log.push_str(&line);
        log.push('\n');
        if stop(&line) {
            break;
        }
    }
    (lines, log)
}

/// An Oxigraph server of a test's own, on a free loopback port; stopped when dropped.
struct OwnOxigraph {
    child: Option<Child>,
    bin: String,
    dir: tempfile::TempDir,
    port: u16,
}

impl OwnOxigraph {
    fn start() -> Option<Self> {
        let bin = store_variable("TIPKG_OXIGRAPH_BIN")?;
        let mut server = Self {
            child: None,
            bin,
            dir: temp_dir(),
            port: free_port(),
        };
        server.run();
        Some(server)
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn run(&mut self) {
        let child = Command::new(&self.bin)
            .args(["serve", "--location"])
            .arg(self.dir.path().join("db"))
            .args(["--bind", &format!("127.0.0.1:{}", self.port)])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the oxigraph server starts");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "the oxigraph server did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Kills the server hard, as a crash or a power cut would.
    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().unwrap();
            child.wait().unwrap();
        }
    }
}

impl Drop for OwnOxigraph {
    fn drop(&mut self) {
        self.kill();
    }
}

fn write_nquads(path: &Path, graph: &str, triples: usize, label: &str) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    for i in 0..triples {
        writeln!(
            out,
            "<http://example.org/{label}/s{}> <http://example.org/p{}> \"{label} {i}\" <{graph}> .",
            i / 10,
            i % 10
        )
        .unwrap();
    }
    out.flush().unwrap();
}

#[test]
fn a_store_killed_in_the_middle_of_a_push_keeps_the_previous_graph() {
    let Some(mut server) = OwnOxigraph::start() else {
        return;
    };
    let store = Store {
        target: "oxigraph",
        url: server.url(),
        password: None,
    };
    let dir = temp_dir();
    let graph = "http://example.org/graph/killed";
    let (small, large) = (dir.path().join("small.nq"), dir.path().join("large.nq"));
    write_nquads(&small, graph, 100, "previous");
    write_nquads(&large, graph, 300_000, "large");
    store.push_ok(&["--from", small.to_str().unwrap()]);
    let previous = store.pull(graph);
    assert_eq!(previous.len(), 100);

    let mut push = store.spawn_push(&["-v", "--retries", "2", "--from", large.to_str().unwrap()]);
    let (mut lines, mut log) = read_until(&mut push, |line| {
        line.starts_with("> POST") && line.contains("/store?")
    });
    assert!(
        log.contains("/store?"),
        "the push never started loading:\n{log}"
    );
    // The body is streaming or being loaded: stop the server now.
    std::thread::sleep(Duration::from_millis(300));
    server.kill();
    log.extend(lines.by_ref().map(|line| line.unwrap() + "\n"));
    let status = push.wait().unwrap();
    assert_eq!(status.code(), Some(2), "{log}");
    assert!(
        log.contains(&format!("error: loading <{graph}> failed")),
        "{log}"
    );
    assert!(log.contains("no graph was changed"), "{log}");

    server.run();
    assert_eq!(store.pull(graph), previous, "the previous graph is intact");
    // The killed push could not drop its staging graph: --clean-staging lists it (with
    // --dry-run, only that), then drops it and says so.
    // (The bulk load the server was killed in never committed, so plant a leftover of
    // another cut-off push as well.)
    let planted = staging_graph("0-0-0-0", &NamedNode::new(graph).unwrap());
    store.update(&format!(
        "INSERT DATA {{ GRAPH {planted} {{ <http://example.org/s> <http://example.org/p> 1 }} }}"
    ));
    let left = store.staging_of(graph);
    assert!(left.contains(&planted.into_string()), "{left:?}");
    let dry = store.push(&["--clean-staging", "--dry-run"]);
    assert!(dry.status.success(), "{}", stderr(&dry));
    assert!(
        stdout(&dry).contains(&format!(
            "would remove {} from {}",
            count(left.len(), "staging graph"),
            store.url
        )),
        "{}",
        stdout(&dry)
    );
    assert!(
        left.iter().all(|g| stdout(&dry).contains(g)),
        "{}",
        stdout(&dry)
    );
    assert_eq!(store.staging_of(graph), left);
    let report = store.push_ok(&["--clean-staging"]);
    assert!(
        report.contains(&format!(
            "removed {} from {}",
            count(left.len(), "staging graph"),
            store.url
        )),
        "{report}"
    );
    assert!(left.iter().all(|g| report.contains(g)), "{report}");
    assert_eq!(store.staging_of(graph), Vec::<String>::new());
    assert_eq!(store.pull(graph), previous);
    let report = store.push_ok(&["--clean-staging"]);
    assert!(report.contains("removed 0 staging graphs"), "{report}");
    store.push_ok(&["--from", small.to_str().unwrap()]);
    assert_eq!(store.pull(graph), previous);
}

/// Virtuoso refuses writes without credentials, as an HTML page (Graph Store) or plain
/// text (update): the message quotes the server, without markup, and says the store is
/// unchanged. The Graph Store case pushes one graph too large for the `INSERT DATA` that
/// carries small graphs together.
#[test]
fn store_errors_carry_the_servers_own_message() {
    let Some(store) = Store::virtuoso() else {
        return;
    };
    let prefix = unique_prefix("anonymous");
    let all = format!("{prefix}all");
    for (protocol, expected, placement) in [
        (
            "gsp",
            "HTTP 403 Forbidden: HTTP/1.1 403 Forbidden Error 42000 SQ110:SECURITY: Permission denied",
            ["--graph", all.as_str()],
        ),
        (
            "update",
            "SR186:SECURITY: No permission to execute procedure",
            ["--graph-prefix", prefix.as_str()],
        ),
    ] {
        let output = run(&[
            "push",
            "--endpoint",
            &store.url,
            "--target",
            "virtuoso",
            "--retries",
            "0",
            placement[0],
            placement[1],
            "--protocol",
            protocol,
        ]);
        assert_eq!(output.status.code(), Some(2));
        let stderr = stderr(&output);
        assert!(stderr.contains(expected), "{protocol}: {stderr}");
        assert!(
            !stderr.contains("<h3>") && !stderr.contains("<html"),
            "{stderr}"
        );
        assert!(stderr.contains("no graph was changed"), "{stderr}");
    }
    assert_eq!(store.count(&format!("{prefix}ontology")), 0);
    assert_eq!(store.count(&all), 0);
}

/// Virtuoso stalls on one very large Graph Store request: a large graph goes into the
/// staging graph in parts (a PUT, then POSTs), and is still swapped in whole.
#[test]
fn a_large_graph_reaches_virtuoso_in_parts() {
    let Some(store) = Store::virtuoso() else {
        return;
    };
    let graph = format!("{}large", unique_prefix("large"));
    let dir = temp_dir();
    let file = dir.path().join("large.nq");
    write_nquads(&file, &graph, 120_000, "large");
    let report = store.push_ok(&["--from", file.to_str().unwrap(), "-v"]);
    let requests = |method: &str| {
        report
            .lines()
            .filter(|l| {
                l.starts_with(&format!("> {method} ")) && l.contains("/sparql-graph-crud-auth?")
            })
            .count()
    };
    assert_eq!((requests("PUT"), requests("POST")), (1, 2), "{report}");
    assert!(report.contains("hold the 120000 triples sent"), "{report}");
    assert_eq!(store.count(&graph), 120_000);
    store.update(&format!("DROP SILENT GRAPH <{graph}>"));
}

/// Any SPARQL 1.1 server: the generic target takes the URLs it is given, and says which
/// one is missing before it sends anything.
#[test]
fn a_generic_target_uses_the_urls_it_is_given() {
    let Some(store) = Store::oxigraph() else {
        return;
    };
    let prefix = unique_prefix("generic");
    let query = format!("{}/query", store.url);
    let output = run(&["push", "--endpoint", &query, "--graph-prefix", &prefix]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output)
            .contains("no Graph Store Protocol endpoint for target generic: give --store-url"),
        "{}",
        stderr(&output)
    );
    let update = format!("{}/update", store.url);
    let gsp = format!("{}/store", store.url);
    for args in [
        ["--update-url", &update, "--protocol", "update"],
        ["--update-url", &update, "--store-url", &gsp],
    ] {
        let output = run(&[
            &["push", "--endpoint", &query, "--graph-prefix", &prefix],
            &args[..],
        ]
        .concat());
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        assert_store_holds_export(&store, &prefix);
    }
}

/// N-Quads of `graphs` graphs under `prefix`, each with `triples` triples labelled `label`.
fn write_version(path: &Path, prefix: &str, graphs: usize, triples: usize, label: &str) {
    let mut text = String::new();
    for g in 0..graphs {
        for i in 0..triples {
            text.push_str(&format!(
                "<http://example.org/{label}/s{}> <http://example.org/p{}> \"{label} {i}\" <{prefix}g{g}> .\n",
                i / 10,
                i % 10
            ));
        }
    }
    std::fs::write(path, text).unwrap();
}

/// Two pushes of different versions at once: each has staging graphs of its own, so the
/// live graphs end up holding one version whole (Virtuoso's MOVE from a missing staging
/// graph used to empty them).
fn concurrent_pushes(store: Option<Store>) {
    let Some(store) = store else { return };
    let prefix = unique_prefix(&format!("concurrent-{}", store.target));
    let dir = temp_dir();
    let (one, two) = (dir.path().join("one.nq"), dir.path().join("two.nq"));
    write_version(&one, &prefix, 3, 20_000, "one");
    write_version(&two, &prefix, 3, 15_000, "two");
    let version = |label: &str, triples: usize| -> BTreeSet<String> {
        let path = dir.path().join("version.nq");
        write_version(&path, &prefix, 1, triples, label);
        let nquads = std::fs::read(&path).unwrap();
        RdfParser::from_format(RdfFormat::NQuads)
            .for_slice(&nquads)
            .map(|q| Triple::from(q.unwrap()).to_string())
            .collect()
    };
    let versions = [version("one", 20_000), version("two", 15_000)];
    store.push_ok(&["--from", one.to_str().unwrap()]);
    for round in 0..3 {
        let pushes: Vec<Child> = [&one, &two]
            .iter()
            .map(|file| store.spawn_push(&["--from", file.to_str().unwrap()]))
            .collect();
        let outputs: Vec<Output> = pushes
            .into_iter()
            .map(|p| p.wait_with_output().unwrap())
            .collect();
        let reports: Vec<String> = outputs.iter().map(stderr).collect();
        assert!(
            outputs.iter().any(|o| o.status.success()),
            "round {round}: neither push succeeded:\n{reports:#?}"
        );
        let mut held = Vec::new();
        for g in 0..3 {
            let graph = format!("{prefix}g{g}");
            let output = store.command("pull", &["--graph", &graph]);
            assert!(output.status.success(), "{}", stderr(&output));
            let triples: BTreeSet<String> = RdfParser::from_format(RdfFormat::NTriples)
                .for_slice(&output.stdout)
                .map(|q| Triple::from(q.unwrap()).to_string())
                .collect();
            let which = versions.iter().position(|v| *v == triples);
            assert!(
                which.is_some(),
                "round {round}: {graph} holds {} triples, neither version whole:\n{reports:#?}",
                triples.len()
            );
            held.push(which);
            assert_eq!(store.staging_of(&graph), Vec::<String>::new());
        }
        if store.target == "oxigraph" {
            // One transaction per push: every graph comes from the same one.
            assert!(
                held.iter().all(|w| *w == held[0]),
                "round {round}: {held:?}"
            );
        }
    }
}

#[test]
fn concurrent_pushes_oxigraph() {
    concurrent_pushes(Store::oxigraph());
}

#[test]
fn concurrent_pushes_virtuoso() {
    concurrent_pushes(Store::virtuoso());
}

/// Ctrl-C or SIGTERM in the middle of a push: the request under way finishes, the push's
/// staging graphs are dropped, the target is as it was, and the push fails.
fn interrupted_push(store: Option<Store>, signal: &str) {
    let Some(store) = store else { return };
    let graph = format!(
        "{}interrupted",
        unique_prefix(&format!("interrupt-{}", store.target))
    );
    let dir = temp_dir();
    let file = dir.path().join("large.nq");
    write_nquads(&file, &graph, 300_000, "large");
    let mut push = store.spawn_push(&["-v", "--from", file.to_str().unwrap()]);
    let (mut lines, mut log) = read_until(&mut push, |line| {
        (line.starts_with("> PUT") || line.starts_with("> POST"))
            && (line.contains("graph") || line.contains("/store"))
    });
    // Loading a staging graph: named in the URL, or in a dataset request to Oxigraph.
    assert!(
        log.contains("staging") || log.contains("/store?"),
        "the push never started loading:\n{log}"
    );
    let killed = Command::new("kill")
        .args([signal, &push.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    log.extend(lines.by_ref().map(|line| line.unwrap() + "\n"));
    let status = push.wait().unwrap();
    assert_eq!(status.code(), Some(2), "{log}");
    assert!(log.contains("error: the push was interrupted"), "{log}");
    assert!(log.contains("the staging graphs were dropped"), "{log}");
    assert_eq!(store.staging_of(&graph), Vec::<String>::new(), "{log}");
    assert_eq!(store.count(&graph), 0, "{log}");
}

#[test]
fn an_interrupted_push_drops_its_staging_graphs_virtuoso() {
    interrupted_push(Store::virtuoso(), "-TERM");
}

#[test]
fn an_interrupted_push_drops_its_staging_graphs_oxigraph() {
    interrupted_push(Store::oxigraph(), "-INT");
}

/// --prune drops the graphs under the namespace that the push no longer has (shown first
/// by --dry-run), and nothing outside it; the pushed description names the graphs where
/// they landed.
fn prune(store: Option<Store>) {
    let Some(store) = store else { return };
    let prefix = unique_prefix(&format!("prune-{}", store.target));
    let (old, outside) = (
        format!("{prefix}old-source"),
        format!("{}-outside/g", prefix.trim_end_matches('/')),
    );
    store.push_ok(&["--graph-prefix", &prefix]);
    add_stale_triple(&store, &old);
    add_stale_triple(&store, &outside);

    let description = store.pull(&format!("{prefix}dataset"));
    let subset =
        format!("<https://w3id.org/tipkg/dataset> <http://rdfs.org/ns/void#subset> <{prefix}ror>");
    assert!(description.contains(&subset), "{description:#?}");
    assert!(
        !description
            .iter()
            .any(|t| t.contains("https://w3id.org/tipkg/graph/")),
        "{description:#?}"
    );

    let dry = store.push(&["--graph-prefix", &prefix, "--prune", "--dry-run"]);
    assert!(dry.status.success(), "{}", stderr(&dry));
    let dry = stdout(&dry);
    assert_eq!(dry_run_row(&dry, &old), ["pruned", "1", "0", "1"], "{dry}");
    assert!(
        dry.contains(&format!("DROP SILENT GRAPH <{old}> (--prune)")),
        "{dry}"
    );
    assert!(dry.contains("--prune would drop 1 graph"), "{dry}");
    assert!(!dry.contains(&outside), "{dry}");
    assert_eq!(store.count(&old), 1);

    let report = store.push_ok(&["--graph-prefix", &prefix, "--prune"]);
    assert!(
        report.contains(&format!("pruned 1 graph under {prefix}")),
        "{report}"
    );
    assert!(report.contains(&format!("<{old}> (1 triple)")), "{report}");
    assert_eq!(store.count(&old), 0);
    assert_eq!(
        store.count(&outside),
        1,
        "a graph outside the namespace stays"
    );
    assert_store_holds_export(&store, &prefix);
    let report = store.push_ok(&["--graph-prefix", &prefix, "--prune"]);
    assert!(report.contains("pruned 0 graphs"), "{report}");

    let append = store.push(&["--graph-prefix", &prefix, "--prune", "--mode", "append"]);
    assert_eq!(append.status.code(), Some(2));
    assert!(stderr(&append).contains("--prune goes with --mode replace"));
    store.update(&format!("DROP SILENT GRAPH <{outside}>"));
}

#[test]
fn prune_oxigraph() {
    prune(Store::oxigraph());
}

#[test]
fn prune_virtuoso() {
    prune(Store::virtuoso());
}

/// Triples that differ only in a literal's form: Virtuoso keeps them once, and the push
/// says so instead of failing its check; the header names one graph, and the URL as given.
#[test]
fn literals_that_differ_only_in_form() {
    for store in [Store::oxigraph(), Store::virtuoso()].into_iter().flatten() {
        let graph = format!("{}forms", unique_prefix(&format!("forms-{}", store.target)));
        let dir = temp_dir();
        let file = dir.path().join("forms.nq");
        let decimal = "<http://www.w3.org/2001/XMLSchema#decimal>";
        std::fs::write(
            &file,
            format!(
                "<http://example.org/s> <http://example.org/p> \"1.5\"^^{decimal} <{graph}> .\n\
                 <http://example.org/s> <http://example.org/p> \"1.50\"^^{decimal} <{graph}> .\n\
                 <http://example.org/s> <http://example.org/q> \"x\" <{graph}> .\n"
            ),
        )
        .unwrap();
        let shouted = store.url.replacen("http://", "HTTP://", 1);
        let as_given = Store {
            target: store.target,
            url: shouted.clone(),
            password: store.password.clone(),
        };
        let report = as_given.push_ok(&["--from", file.to_str().unwrap()]);
        assert!(
            report.contains(&format!("pushed 1 graph, 3 triples, to {shouted} (")),
            "{report}"
        );
        // Both stores keep decimals by value.
        assert_eq!(store.count(&graph), 2, "{report}");
        assert!(
            report.contains("hold the 3 triples sent (2 in the store, which keeps triples that differ only in how a literal is written once)"),
            "{report}"
        );
        store.update(&format!("DROP SILENT GRAPH <{graph}>"));
    }
}

#[test]
fn a_silent_store_times_out() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    // Accepts connections and never answers.
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            held.push(stream);
        }
    });
    let dir = temp_dir();
    let file = dir.path().join("small.nq");
    write_nquads(&file, "http://example.org/graph/silent", 10, "silent");
    let started = Instant::now();
    let output = run(&[
        "push",
        "--endpoint",
        &url,
        "--target",
        "oxigraph",
        "--timeout",
        "1",
        "--from",
        file.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = stderr(&output);
    assert!(stderr.contains("timed out"), "{stderr}");
    assert!(
        stderr.contains("no answer within 1 s: give --timeout more"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("pushed"),
        "no header before a failure: {stderr}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn timeouts_and_batches_are_checked_and_documented() {
    for command in ["push", "pull"] {
        let help = ok(&[command, "--help"]);
        assert!(help.contains("[default: 60]"), "{help}");
        assert!(help.contains("Seconds to wait for the store"), "{help}");
    }
    for (args, expected) in [
        (&["--timeout", "0"][..], "from 1 to 86400"),
        (&["--timeout", "1e30"][..], "from 1 to 86400"),
        (&["--batch-triples", "0"][..], "at least 1"),
    ] {
        let output = run(&[&["push", "--endpoint", "http://127.0.0.1:9"][..], args].concat());
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = stderr(&output);
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(
            !stderr.contains("Connection refused"),
            "refused before any request: {stderr}"
        );
    }
}

/// A password file that cannot be read: the cause is said once.
#[test]
fn an_unreadable_password_file_says_why_once() {
    let dir = temp_dir();
    let output = run(&[
        "push",
        "--endpoint",
        "http://127.0.0.1:9",
        "--user",
        "u",
        "--password-file",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = stderr(&output);
    assert!(stderr.contains("cannot read"), "{stderr}");
    assert_eq!(stderr.matches("os error").count(), 1, "{stderr}");
}

/// A fake HTTP server on a loopback port: answers every request with `answer`, then keeps
/// the connection open for `hold` before closing it.
fn fake_server(answer: Vec<u8>, hold: Duration) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let answer = answer.clone();
            std::thread::spawn(move || {
                let mut request = Vec::new();
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    request.push(line);
                }
                let _ = stream.write_all(&answer);
                let _ = stream.flush();
                std::thread::sleep(hold);
            });
        }
    });
    url
}

/// 70 bytes of N-Triples: a whole triple and the start of another.
fn partial_body() -> Vec<u8> {
    let body =
        b"<http://example.org/s> <http://example.org/p> \"o\" .\n<http://example.or".to_vec();
    assert_eq!(body.len(), 70);
    body
}

#[test]
fn a_pull_cut_short_is_an_error_and_keeps_the_file() {
    let header = |framing: &str| {
        format!("HTTP/1.1 200 OK\r\nContent-Type: application/n-triples\r\n{framing}\r\n\r\n")
            .into_bytes()
    };
    let lying = [header("Content-Length: 5000"), partial_body()].concat();
    let chunked = [
        header("Transfer-Encoding: chunked"),
        b"46\r\n".to_vec(),
        partial_body(),
        b"\r\n".to_vec(),
    ]
    .concat();
    for (case, answer, hold, expected) in [
        ("short", lying.clone(), Duration::ZERO, "cut short"),
        ("chunked", chunked, Duration::ZERO, "cut short"),
        ("stalled", lying, Duration::from_secs(5), "timed out"),
    ] {
        let url = fake_server(answer, hold);
        let dir = temp_dir();
        let file = dir.path().join("pulled.nt");
        std::fs::write(&file, "old\n").unwrap();
        let started = Instant::now();
        let output = run(&[
            "pull",
            "--endpoint",
            &url,
            "--target",
            "oxigraph",
            "--graph",
            "http://example.org/g",
            "--timeout",
            "1",
            "--retries",
            "1",
            "-o",
            file.to_str().unwrap(),
        ]);
        let stderr = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{case}: {stderr}");
        assert!(stderr.contains(expected), "{case}: {stderr}");
        assert!(!stderr.contains("pulled"), "{case}: {stderr}");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "old\n", "{case}");
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{case}: {:?}",
            started.elapsed()
        );
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "{case}: no temp file left"
        );
    }
}

/// N-Triples of `triples` triples labelled `label`, as `write_nquads` writes them.
fn write_ntriples(path: &Path, triples: usize, label: &str) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    for i in 0..triples {
        writeln!(
            out,
            "<http://example.org/{label}/s{}> <http://example.org/p{}> \"{label} {i}\" .",
            i / 10,
            i % 10
        )
        .unwrap();
    }
    out.flush().unwrap();
}

/// An on-disk store holding one graph of `triples` triples, imported from N-Triples; the
/// file too.
fn store_with_one_graph(triples: usize) -> (tempfile::TempDir, String, String) {
    let dir = temp_dir();
    let file = dir.path().join("large.nt");
    write_ntriples(&file, triples, "large");
    let store = dir.path().join("store");
    let (file, store) = (
        file.to_str().unwrap().to_owned(),
        store.to_str().unwrap().to_owned(),
    );
    ok(&["-q", "import", "--store", &store, &file]);
    (dir, file, store)
}

/// A graph of a store larger than a part is read while it is sent, in parts made whole one
/// after the other: to Oxigraph of 100,000 triples (it loads a streamed body only after its
/// end), to Virtuoso of 50,000 (it loads nothing of a chunked body); staged and straight,
/// the dry run lists the requests the push sends, and the store holds exactly the file's
/// triples.
fn a_large_graph_of_a_store_is_sent_while_it_is_read(store: Option<Store>) {
    let Some(store) = store else { return };
    let (_dir, file, dir) = store_with_one_graph(120_000);
    let expected = parse_ntriples(&std::fs::read(&file).unwrap());
    let query_url = match store.target {
        "virtuoso" => format!("{}/sparql-auth", store.url),
        _ => format!("{}/query", store.url),
    };
    for variant in [&[][..], &["--non-atomic"][..]] {
        let graph = format!("{}g", unique_prefix("streamed"));
        let args = [
            &["--store", dir.as_str(), "--graph", graph.as_str()][..],
            variant,
        ]
        .concat();
        let dry = store.push(&[&args[..], &["--dry-run"]].concat());
        assert!(dry.status.success(), "{}", stderr(&dry));
        let planned = planned_requests(&without_run_ids(&stdout(&dry)), &query_url);
        let log = store.push_ok(&[&args[..], &["-v"]].concat());
        assert_eq!(
            planned,
            sent_requests(&without_run_ids(&log)),
            "{variant:?}"
        );
        assert!(log.contains("hold the 120000 triples sent"), "{log}");
        let loads: Vec<&str> = log
            .lines()
            .filter(|l| l.contains("/store?") || l.contains("/sparql-graph-crud-auth?"))
            .collect();
        let parts = match store.target {
            "oxigraph" => 2,
            _ => 3,
        };
        assert_eq!(loads.len(), parts, "{log}");
        assert!(loads.iter().all(|l| l.ends_with(" bytes)")), "{log}");
        assert_eq!(store.pull(&graph), expected, "{variant:?}");
        assert_eq!(store.staging_of(&graph), Vec::<String>::new());
        store.update(&format!("DROP SILENT GRAPH <{graph}>"));
    }
}

#[test]
fn a_large_graph_of_a_store_is_sent_while_it_is_read_oxigraph() {
    a_large_graph_of_a_store_is_sent_while_it_is_read(Store::oxigraph());
}

#[test]
fn a_large_graph_of_a_store_is_sent_while_it_is_read_virtuoso() {
    a_large_graph_of_a_store_is_sent_while_it_is_read(Store::virtuoso());
}

/// How a fake Oxigraph server treats a load's streamed body.
#[derive(Clone, Copy, Debug)]
enum Load {
    /// Reads a megabyte of it, then closes the connection.
    Cut,
    /// Reads a megabyte of it, then answers 500 and closes.
    Fails,
    /// Reads all of it, then sends an answer shorter than it says.
    ShortAnswer,
}

/// A fake Oxigraph server: counts answer with no rows, updates with 204, and a load of
/// the Graph Store endpoint as `load` says. Returns its URL.
fn fake_oxigraph(load: Load) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            std::thread::spawn(move || fake_oxigraph_connection(stream, load));
        }
    });
    url
}

fn fake_oxigraph_connection(mut stream: std::net::TcpStream, load: Load) {
    use std::io::Read;
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        let mut length = 0;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            if line == "\r\n" {
                break;
            }
            if let Some(n) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = n.trim().parse().unwrap();
            }
        }
        if request_line.contains("/store") {
            let mut received = Vec::new();
            let answer: &[u8] = match load {
                Load::Cut | Load::Fails => {
                    let mut megabyte = vec![0; 1 << 20];
                    let _ = reader.read_exact(&mut megabyte);
                    match load {
                        Load::Cut => b"",
                        _ => b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 16\r\nConnection: close\r\n\r\nthe disk is full",
                    }
                }
                Load::ShortAnswer => {
                    // Up to the last chunk of the chunked body.
                    let mut byte = [0];
                    while !received.ends_with(b"\r\n0\r\n\r\n")
                        && reader.read_exact(&mut byte).is_ok()
                    {
                        received.push(byte[0]);
                    }
                    b"HTTP/1.1 201 Created\r\nContent-Length: 100\r\n\r\nshort"
                }
            };
            let _ = stream.write_all(answer);
            let _ = stream.flush();
            let _ = stream.shutdown(std::net::Shutdown::Both);
            return;
        }
        let mut body = vec![0; length];
        let _ = reader.read_exact(&mut body);
        let answer = if request_line.contains("/query") {
            let json = r#"{"head":{"vars":["g","n"]},"results":{"bindings":[]}}"#;
            format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nContent-Length: {}\r\n\r\n{json}",
                json.len()
            )
        } else {
            "HTTP/1.1 204 No Content\r\n\r\n".to_owned()
        };
        if stream.write_all(answer.as_bytes()).is_err() {
            return;
        }
    }
}

/// A streamed body (the dataset of `push --from`, written while it is sent) that the
/// server stops reading (the connection cut, or an error answered part-way), or whose
/// answer is cut short, fails the push at once with a clear error, without a retry, and
/// says what the store holds.
#[test]
fn a_streamed_load_that_the_server_cuts_fails_clearly() {
    let dir = temp_dir();
    let file = dir.path().join("large.nq");
    write_nquads(&file, "http://example.org/g", 120_000, "large");
    let file = file.to_str().unwrap();
    for (load, expected) in [
        (
            Load::Cut,
            "closed the connection before the whole body was sent",
        ),
        (Load::Fails, "loading <http://example.org/g> failed"),
        (Load::ShortAnswer, "was cut short"),
    ] {
        let url = fake_oxigraph(load);
        let started = Instant::now();
        let output = run(&[
            "push",
            "--from",
            file,
            "--endpoint",
            &url,
            "--target",
            "oxigraph",
            "--timeout",
            "20",
            "-v",
        ]);
        let log = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{load:?}: {log}");
        assert!(log.contains(expected), "{load:?}: {log}");
        assert!(log.contains("no graph was changed"), "{load:?}: {log}");
        assert!(
            log.contains("the staging graphs were dropped"),
            "{load:?}: {log}"
        );
        let loads = log
            .lines()
            .filter(|l| l.starts_with("> POST") && l.contains("/store?"));
        assert_eq!(loads.count(), 1, "{load:?}: sent once: {log}");
        assert!(!log.contains("retry"), "{load:?}: {log}");
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{load:?}: {:?}",
            started.elapsed()
        );
    }
}
