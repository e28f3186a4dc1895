//! The on-disk store (`--store DIR`): Oxigraph's RocksDB backend, and the lock that keeps
//! two writers, or a reader and a writer, from using one directory at the same time.
//!
//! RocksDB refuses a second read-write opening only inside one process's view of its own
//! `LOCK` file, and Oxigraph documents a read-only opening beside a writer as undefined
//! behaviour; so every opening first takes an advisory lock on `DIR/tipkg.lock`: exclusive
//! for a writer, shared for readers, never waiting. A busy store is a clear error, never a
//! corrupted one.

use super::KnowledgeGraph;
use crate::base::error::{Error, Result};
use crate::base::iri;
use oxigraph::model::{GraphNameRef, NamedOrBlankNode, NamedOrBlankNodeRef, Quad};
use oxigraph::store::{StorageError, Store};
use rustc_hash::FxHashSet;
use std::borrow::Cow;
use std::collections::HashSet;
use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;

/// The name of the lock file inside a store directory.
const LOCK_FILE: &str = "tipkg.lock";

/// An advisory lock on a store directory, released when dropped.
pub struct StoreLock {
    _file: File,
}

impl StoreLock {
    fn take(dir: &Path, exclusive: bool) -> Result<Self> {
        let path = dir.join(LOCK_FILE);
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|source| Error::Io {
                path: path.clone(),
                source,
            })?;
        let taken = if exclusive {
            file.try_lock()
        } else {
            file.try_lock_shared()
        };
        match taken {
            Ok(()) => Ok(Self { _file: file }),
            Err(TryLockError::WouldBlock) => Err(Error::StoreBusy {
                path: dir.to_owned(),
                writing: exclusive,
            }),
            Err(TryLockError::Error(source)) => Err(Error::Io { path, source }),
        }
    }
}

/// What `build --store` changed: the graphs it replaced and those it left alone.
#[derive(Debug, Default)]
pub struct BuildReport {
    /// Graphs of an earlier build that were removed before the new build was written.
    pub replaced: Vec<NamedOrBlankNode>,
    /// Graphs the build does not own (imported data), left as they were.
    pub kept: Vec<NamedOrBlankNode>,
}

impl KnowledgeGraph {
    /// Opens (creating it if needed) an on-disk store for writing. Only one process may
    /// write a store; a second gets [`Error::StoreBusy`].
    pub fn open(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            path: dir.to_owned(),
            source,
        })?;
        let lock = StoreLock::take(dir, true)?;
        remove_stale_bulk_files(dir)?;
        let store = open_store(dir, false)?;
        Ok(Self {
            store,
            _lock: Some(lock),
        })
    }

    /// Opens an existing on-disk store for reading; many readers may share it.
    pub fn open_read_only(dir: &Path) -> Result<Self> {
        if !dir.join("CURRENT").is_file() {
            return Err(Error::NoStore {
                path: dir.to_owned(),
            });
        }
        let lock = StoreLock::take(dir, false)?;
        let store = open_store(dir, true)?;
        Ok(Self {
            store,
            _lock: Some(lock),
        })
    }

    /// Writes quads that are already read, checked and mapped ([`super::build_quads`])
    /// into an on-disk store, with the description of the dataset, all at once: every graph
    /// an earlier build wrote (those under the tipkg graph namespace, the ontology's
    /// included) is replaced in one transaction, the first build's graphs are bulk-loaded,
    /// and imported graphs are left alone.
    ///
    /// `meanwhile` (the build's validation) runs while the bulk loader's threads encode and
    /// write the quads, and decides: its `Ok` commits them, its `Err` leaves the store as it
    /// was (a store directory this call created is removed again) and is returned. Over a
    /// store that already holds a build, `meanwhile` runs first and nothing is written
    /// unless it says so.
    pub fn load_into_while<W, R>(
        dir: &Path,
        quads: &[Quad],
        meanwhile: impl FnOnce() -> std::result::Result<W, R>,
    ) -> Result<std::result::Result<(Self, BuildReport, W), R>> {
        let created = !dir.exists();
        let graph = Self::open(dir)?;
        let mut report = BuildReport::default();
        for name in graph.store.named_graphs() {
            let name = name?;
            if is_built_graph(name.as_ref()) {
                report.replaced.push(name);
            } else {
                report.kept.push(name);
            }
        }
        // The description of the store as it will be: the new quads (each once, as the
        // store holds them) and those of the graphs that stay. Reading them back through
        // the transaction would be ten times slower. With nothing else in the store, it is
        // the description of the build alone, counted as an in-memory build's is. It is
        // counted on a thread of its own, so that the validation starts at once.
        let default_graph =
            || (graph.store).quads_for_pattern(None, None, None, Some(GraphNameRef::DefaultGraph));
        let alone = report.kept.is_empty() && default_graph().next().is_none();
        let describe = || {
            if alone {
                return Ok(crate::store::description::held(quads)?.1);
            }
            let mut seen = FxHashSet::with_capacity_and_hasher(quads.len(), Default::default());
            let built = (quads.iter())
                .filter(|q| seen.insert(*q))
                .map(|q| Ok(Cow::Borrowed(q)));
            let kept = default_graph()
                .chain(report.kept.iter().flat_map(|g| {
                    (graph.store).quads_for_pattern(None, None, None, Some(g.as_ref().into()))
                }))
                .map(|q| q.map(Cow::Owned));
            crate::store::description::describe_quads(built.chain(kept))
        };
        let verdict = if report.replaced.is_empty() {
            bulk_load_while(&graph.store, quads, describe, meanwhile)?
        } else {
            let (description, verdict) = std::thread::scope(|scope| {
                let describing = scope.spawn(describe);
                let verdict = meanwhile();
                (describing.join(), verdict)
            });
            let description =
                description.unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
            if verdict.is_ok() {
                replace_graphs(&graph.store, &report.replaced, quads, &description)?;
            }
            verdict
        };
        match verdict {
            Ok(answer) => {
                graph.flush()?;
                Ok(Ok((graph, report, answer)))
            }
            Err(refusal) => {
                drop(graph);
                if created {
                    std::fs::remove_dir_all(dir).map_err(|source| Error::Io {
                        path: dir.to_owned(),
                        source,
                    })?;
                }
                Ok(Err(refusal))
            }
        }
    }

    /// Writes what an on-disk store holds in memory into its files, so that its write-ahead
    /// log is not replayed (in seconds, for a large build) on every later opening. Nothing
    /// to do for an in-memory store.
    pub fn flush(&self) -> Result<()> {
        #[cfg(feature = "rocksdb")]
        if self.is_on_disk() {
            self.store.flush()?;
        }
        Ok(())
    }

    /// Whether this graph lives in an on-disk store.
    pub fn is_on_disk(&self) -> bool {
        self._lock.is_some()
    }
}

/// Nothing to replace: the bulk loader writes the quads and the description `describe`
/// counts into files of the store's format while `meanwhile` runs, and ingests them all in
/// one step at its commit, only if `meanwhile` says so; a failure before it, or a refusal,
/// leaves the store as it was (dropping the loader removes its files). A transaction of a
/// million quads held them all in memory and took three times as long.
fn bulk_load_while<W, R>(
    store: &Store,
    quads: &[Quad],
    describe: impl FnOnce() -> Result<Vec<Quad>> + Send,
    meanwhile: impl FnOnce() -> std::result::Result<W, R>,
) -> Result<std::result::Result<W, R>> {
    // The description is small beside the build: the batches are sized by the build alone.
    let loader = store
        .bulk_loader()
        .with_max_memory_size_in_megabytes(bulk_memory_megabytes(quads.len()));
    let (loaded, verdict) = std::thread::scope(|scope| {
        // On a thread of its own, which counts the description first: the loader waits for
        // a free thread of its own before it hands over each batch after the first few,
        // and the validation, which takes longer, starts at once.
        let loading = scope.spawn(|| -> Result<_> {
            let description = describe()?;
            let mut loader = loader;
            loader.load_quads(quads.iter().cloned().chain(description))?;
            Ok(loader)
        });
        let verdict = meanwhile();
        (loading.join(), verdict)
    });
    let loader = loaded.map_err(|_| {
        StorageError::Io(std::io::Error::other(
            "the bulk loader stopped unexpectedly",
        ))
    })??;
    if verdict.is_ok() {
        loader.commit()?;
    }
    Ok(verdict)
}

/// Replaces the graphs `replaced` of an earlier build by `quads` and their `description`, in
/// one transaction that writes only the difference: the quads of the old graphs that the new
/// ones lack out, the new quads that the old graphs lack in, so that rebuilding after a small
/// change writes little. A failure anywhere leaves the store as it was.
fn replace_graphs(
    store: &Store,
    replaced: &[NamedOrBlankNode],
    quads: &[Quad],
    description: &[Quad],
) -> Result<()> {
    let new: HashSet<&Quad> = quads.iter().chain(description).collect();
    let mut old = HashSet::new();
    let mut gone = Vec::new();
    let mut transaction = store.start_transaction()?;
    for name in replaced {
        for quad in transaction.quads_for_pattern(None, None, None, Some(name.into())) {
            let quad = quad?;
            if !new.contains(&quad) {
                gone.push(quad.clone());
            }
            old.insert(quad);
        }
    }
    for quad in &gone {
        transaction.remove(quad);
    }
    for quad in new {
        if !old.contains(quad) {
            transaction.insert(quad);
        }
    }
    transaction.commit()?;
    Ok(())
}

/// The memory the bulk loader may use for `quads` quads, which it turns into the size of
/// the batches its threads encode, sort and write, one batch a thread: its own default is
/// batches of a million quads, so that a build of a million quads kept one core busy and
/// the others idle. Batches of an equal share, for each thread to take one, between a
/// floor (a small build is not worth splitting) and the loader's million.
fn bulk_memory_megabytes(quads: usize) -> usize {
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let batch = quads
        .div_ceil(threads)
        .clamp(BULK_BATCH_FLOOR, BULK_BATCH_CEILING);
    // The loader's batch is `megabytes * 1000 / threads` quads.
    (batch * threads).div_ceil(1000)
}

/// The smallest batch [`bulk_memory_megabytes`] asks for.
const BULK_BATCH_FLOOR: usize = 50_000;

/// The largest: the bulk loader's own default batch.
const BULK_BATCH_CEILING: usize = 1_000_000;

/// Whether a build owns this graph: the graphs of sources and the ontology all live under
/// the tipkg graph namespace.
fn is_built_graph(name: NamedOrBlankNodeRef<'_>) -> bool {
    matches!(name, NamedOrBlankNodeRef::NamedNode(n) if iri::is_built_graph(n.as_str()))
}

/// Whether a file name is one of the bulk loader's temporary files, `bulk-{number}.sst`
/// (Oxigraph writes them in the store directory and RocksDB ingests copies of them, under
/// names of its own; a process killed during an import leaves them behind).
fn is_bulk_file(name: &str) -> bool {
    name.strip_prefix("bulk-")
        .and_then(|rest| rest.strip_suffix(".sst"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Removes the bulk loader's files that a killed import left in the store directory. Only
/// called by a writer, under the exclusive lock: no other process is loading into it.
fn remove_stale_bulk_files(dir: &Path) -> Result<()> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| Error::Io { path, source }
    };
    for entry in std::fs::read_dir(dir).map_err(io(dir))? {
        let entry = entry.map_err(io(dir))?;
        let is_file = entry.file_type().map_err(io(&entry.path()))?.is_file();
        if is_file && entry.file_name().to_str().is_some_and(is_bulk_file) {
            std::fs::remove_file(entry.path()).map_err(io(&entry.path()))?;
        }
    }
    Ok(())
}

#[cfg(feature = "rocksdb")]
fn open_store(dir: &Path, read_only: bool) -> Result<Store> {
    if read_only {
        Store::open_read_only(dir)
    } else {
        Store::open(dir)
    }
    .map_err(|e| store_error(dir, e))
}

#[cfg(not(feature = "rocksdb"))]
fn open_store(_dir: &Path, _read_only: bool) -> Result<Store> {
    Err(Error::Usage(
        "this tipkg was built without the on-disk store (cargo feature `rocksdb`)".into(),
    ))
}

/// RocksDB's own lock is the last line of defence (another program holding the store);
/// say so in words rather than in RocksDB's.
#[cfg(feature = "rocksdb")]
fn store_error(dir: &Path, error: oxigraph::store::StorageError) -> Error {
    let text = error.to_string();
    if text.contains("LOCK") || text.contains("lock") {
        Error::StoreBusy {
            path: dir.to_owned(),
            writing: true,
        }
    } else {
        Error::StoreOpen {
            path: dir.to_owned(),
            source: error,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_bulk_loaders_own_files_are_stale_bulk_files() {
        assert!(is_bulk_file("bulk-281474976710656.sst"));
        for name in [
            "bulk-.sst",
            "bulk-12a.sst",
            "bulk-12.sst.bak",
            "000012.sst",
            "bulk-1.log",
        ] {
            assert!(!is_bulk_file(name), "{name}");
        }
    }
}
