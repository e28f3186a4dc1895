//! Where a command's data goes: stdout, or the file that `-o` names; and how wide a table
//! on stdout may be.
//!
//! A regular file (or a new one) is written atomically: into a temporary file beside it that
//! is renamed over it only when complete, so that a failed run never leaves a partial file.
//! A device, a FIFO or an open descriptor (`/dev/stdout`, `/dev/fd/N`) is written straight
//! into, never replaced; a symbolic link is followed, so the link stays and its target gets
//! the data; a read-only file is refused. `-` is stdout. A new file gets the permissions the
//! umask allows, an overwritten one keeps its own.
//!
//! Errors name the path the user gave. A failed write of the data itself is reported as
//! such, whatever the writer made of it, so that a closed pipe is recognised as one.

use anyhow::{Context, Result, anyhow, bail};
use std::fs::{self, File, OpenOptions, Permissions};
use std::io::{self, Write};
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Writes the data `write` produces to stdout (`None` or `-`) or to `path`, as the module
/// says.
pub fn write_output<T>(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> Result<T>,
) -> Result<T> {
    match path {
        None => to_stdout(write),
        Some(path) if path.as_os_str() == "-" => to_stdout(write),
        Some(path) => {
            to_path(path, write).with_context(|| format!("cannot write {}", path.display()))
        }
    }
}

fn to_stdout<T>(write: impl FnOnce(&mut dyn Write) -> Result<T>) -> Result<T> {
    fill(io::stdout().lock(), write).context("cannot write to stdout")
}

/// The fewest columns a table is fitted into: a terminal that reports fewer (a pseudo-
/// terminal that was never sized reports 0) gets `FALLBACK_WIDTH` instead, as a table
/// squeezed into it would print one character per line.
const MIN_WIDTH: u16 = 20;
const FALLBACK_WIDTH: u16 = 100;

/// The width a table on stdout may take: the terminal's, or `FALLBACK_WIDTH` when the
/// terminal reports a width a table cannot use; `None` when stdout is not a terminal.
pub fn terminal_width() -> Option<u16> {
    use std::io::IsTerminal;
    if !io::stdout().is_terminal() {
        return None;
    }
    // comfy-table asks the terminal for its size when stdout is one.
    match comfy_table::Table::new().width() {
        Some(width) if width >= MIN_WIDTH => Some(width),
        _ => Some(FALLBACK_WIDTH),
    }
}

/// What the path `-o` names is, as far as the way to write it depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Nothing there yet.
    Missing,
    Regular {
        mode: u32,
    },
    Directory,
    /// A character or block device.
    Device,
    Fifo,
    Socket,
    /// An entry of `/proc/PID/fd` (what `/dev/stdout` and `/dev/fd/N` lead to): a file
    /// descriptor the process already has open.
    Descriptor,
}

/// How to write a path of a kind.
#[derive(Debug, PartialEq, Eq)]
enum Plan {
    /// A temporary file beside it, renamed over it when complete.
    Atomic,
    /// Opened and written into, as it is.
    Straight,
    Refuse(&'static str),
}

fn plan(kind: Kind) -> Plan {
    match kind {
        Kind::Missing => Plan::Atomic,
        Kind::Regular { mode } if mode & 0o222 == 0 => {
            Plan::Refuse("the file is read-only; make it writable (chmod u+w) or choose another -o")
        }
        Kind::Regular { .. } => Plan::Atomic,
        Kind::Device | Kind::Fifo | Kind::Descriptor => Plan::Straight,
        Kind::Directory => Plan::Refuse("it is a directory; give a file name"),
        Kind::Socket => Plan::Refuse("it is a socket; give a file name"),
    }
}

fn to_path<T>(path: &Path, write: impl FnOnce(&mut dyn Write) -> Result<T>) -> Result<T> {
    let (target, kind) = resolve(path)?;
    if kind == Kind::Descriptor
        && target == Path::new(&format!("/proc/{}/fd/1", std::process::id()))
    {
        // `/dev/stdout`: the process's own stdout, whatever it is (a socket cannot be opened
        // by its name).
        return to_stdout(write);
    }
    match plan(kind) {
        Plan::Refuse(reason) => bail!("{reason}"),
        Plan::Straight => {
            // Appending leaves what a shell redirection (`>>`) put before the data.
            let file = OpenOptions::new()
                .write(true)
                .append(kind == Kind::Descriptor)
                .open(&target)?;
            fill(file, write)
        }
        Plan::Atomic => atomic(&target, write),
    }
}

fn atomic<T>(target: &Path, write: impl FnOnce(&mut dyn Write) -> Result<T>) -> Result<T> {
    let dir = target.parent().unwrap_or(Path::new("/"));
    let name = target.file_name().unwrap_or_default().to_string_lossy();
    let existing = match fs::metadata(target) {
        Ok(metadata) => Some(metadata),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e.into()),
    };
    // A new file gets what the umask leaves of rw-rw-rw-, as any other program's would; a
    // replacement starts private and takes the mode of the file it replaces.
    let mode = if existing.is_some() { 0o600 } else { 0o666 };
    let mut temp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .permissions(Permissions::from_mode(mode))
        .tempfile_in(dir)
        .map_err(|e| anyhow!("cannot create a temporary file in {}: {e}", dir.display()))?;
    if let Some(existing) = &existing {
        keep_owner_and_mode(temp.as_file(), existing)?;
    }
    let value = fill(temp.as_file_mut(), write)?;
    temp.as_file().sync_all()?;
    temp.persist(target).map_err(|e| e.error)?;
    Ok(value)
}

/// The file replacing `existing` gets its owner (when the process may give it) and mode.
fn keep_owner_and_mode(file: &File, existing: &fs::Metadata) -> Result<()> {
    let ours = file.metadata()?;
    if (ours.uid(), ours.gid()) != (existing.uid(), existing.gid()) {
        // Only root may give a file away; anyone else writes a file of their own, as an
        // editor does.
        let _ = std::os::unix::fs::fchown(file, Some(existing.uid()), Some(existing.gid()));
    }
    // Not set-user-ID or set-group-ID: the content is no longer what was given those.
    file.set_permissions(Permissions::from_mode(existing.mode() & 0o777))?;
    Ok(())
}

/// Follows the symbolic links of `path` to what they lead to, and says what that is. The
/// directories on the way are resolved too, so that the temporary file of an atomic write
/// lands beside the file it replaces.
fn resolve(path: &Path) -> Result<(PathBuf, Kind)> {
    let mut path = path.to_path_buf();
    for _ in 0..40 {
        let Some(name) = path.file_name().map(ToOwned::to_owned) else {
            return Ok((path, Kind::Directory));
        };
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
        let parent = parent.unwrap_or(Path::new("."));
        let dir = fs::canonicalize(parent).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => anyhow!("the directory {} does not exist", parent.display()),
            _ => anyhow!("{}: {e}", parent.display()),
        })?;
        let full = dir.join(&name);
        if dir.starts_with("/proc") && dir.file_name().is_some_and(|n| n == "fd") {
            return Ok((full, Kind::Descriptor));
        }
        let metadata = match fs::symlink_metadata(&full) {
            Ok(metadata) => metadata,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok((full, Kind::Missing)),
            Err(e) => return Err(e.into()),
        };
        let file_type = metadata.file_type();
        let kind = if file_type.is_symlink() {
            path = dir.join(fs::read_link(&full)?);
            continue;
        } else if file_type.is_file() {
            Kind::Regular {
                mode: metadata.mode(),
            }
        } else if file_type.is_dir() {
            Kind::Directory
        } else if file_type.is_fifo() {
            Kind::Fifo
        } else if file_type.is_socket() {
            Kind::Socket
        } else {
            Kind::Device
        };
        return Ok((full, kind));
    }
    bail!("too many levels of symbolic links")
}

/// The buffer between the writers and the destination: large enough that writing a large
/// export costs few system calls (with the default 8 KiB, a 240 MB export made 30,000).
const BUFFER: usize = 256 * 1024;

/// Runs `write` on a buffered `destination` and flushes it.
fn fill<T>(destination: impl Write, write: impl FnOnce(&mut dyn Write) -> Result<T>) -> Result<T> {
    let mut sink = Sink::new(io::BufWriter::with_capacity(BUFFER, destination));
    let result = write(&mut sink).and_then(|value| {
        sink.flush()?;
        Ok(value)
    });
    sink.check(result)
}

/// A writer that remembers the first error of the destination itself, so that the error
/// is reported as a failed write (and a closed pipe as one) even when the code producing
/// the data wrapped it in an error of its own.
struct Sink<W: Write> {
    inner: W,
    error: Option<io::Error>,
}

impl<W: Write> Sink<W> {
    fn new(inner: W) -> Self {
        Sink { inner, error: None }
    }

    /// The outcome of writing: the destination's own error when there was one.
    fn check<T>(&mut self, result: Result<T>) -> Result<T> {
        match (self.error.take(), result) {
            (Some(error), Err(_)) => Err(error.into()),
            (_, result) => result,
        }
    }

    fn record<T>(&mut self, result: io::Result<T>) -> io::Result<T> {
        if let Err(e) = &result
            && e.kind() != io::ErrorKind::Interrupted
            && self.error.is_none()
        {
            self.error = Some(match e.raw_os_error() {
                Some(code) => io::Error::from_raw_os_error(code),
                None => io::Error::new(e.kind(), e.to_string()),
            });
        }
        result
    }
}

impl<W: Write> Write for Sink<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let result = self.inner.write(buf);
        self.record(result)
    }

    // The writers write many short pieces: each goes to the buffer's own `write_all`.
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        let result = self.inner.write_all(buf);
        self.record(result)
    }

    fn flush(&mut self) -> io::Result<()> {
        let result = self.inner.flush();
        self.record(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_fifos_and_descriptors_are_written_straight_into() {
        assert_eq!(plan(Kind::Device), Plan::Straight);
        assert_eq!(plan(Kind::Fifo), Plan::Straight);
        assert_eq!(plan(Kind::Descriptor), Plan::Straight);
    }

    #[test]
    fn regular_files_and_new_paths_are_replaced_atomically() {
        assert_eq!(plan(Kind::Missing), Plan::Atomic);
        assert_eq!(plan(Kind::Regular { mode: 0o100644 }), Plan::Atomic);
        assert_eq!(plan(Kind::Regular { mode: 0o100200 }), Plan::Atomic);
    }

    #[test]
    fn read_only_files_directories_and_sockets_are_refused() {
        for kind in [
            Kind::Regular { mode: 0o100444 },
            Kind::Regular { mode: 0o100000 },
            Kind::Directory,
            Kind::Socket,
        ] {
            assert!(matches!(plan(kind), Plan::Refuse(_)), "{kind:?}");
        }
    }

    #[test]
    fn the_descriptor_links_are_not_followed() {
        // /dev/fd is a link to /proc/self/fd; what its entries point at is not a path to
        // write a temporary file beside.
        let (target, kind) = resolve(Path::new("/proc/self/fd/2")).unwrap();
        assert_eq!(kind, Kind::Descriptor);
        assert!(target.ends_with("fd/2"), "{}", target.display());
    }
}
