//! Our cache of compiled code: one uncompressed `.cwasm` file per
//! component (or module) and engine configuration, loaded by mapping it.
//!
//! Wasmtime's own cache stores zstd-compressed artifacts, so every warm
//! start of an interpreter-sized component (tens of MB of code) spends its
//! time decompressing; a mapped file costs only the pages that run, and its
//! data segments become the memories' copy-on-write images directly (no
//! memfd). Files are named by a SHA-256 of the wasm bytes and of the
//! engine's compatibility hash (Wasmtime's version and every setting that
//! changes code), written to a temporary file and renamed into place (a
//! reader never sees half a file; two writers of the same key each rename
//! a whole one), and evicted oldest-used first past a size bound. A file
//! Wasmtime refuses (truncated, foreign, another version) is removed and
//! compiled again.

use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use sha2::{Digest, Sha256};
use wasmtime::component::Component;
use wasmtime::{Engine, Module};

/// The default bound on the cache's size.
pub const DEFAULT_MAX_BYTES: u64 = 2 << 30;

/// How a load went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheOutcome {
    /// Mapped from an existing file.
    Hit,
    /// Compiled, written, then mapped.
    Miss,
    /// A file was there but Wasmtime refused it; it was replaced.
    Replaced,
}

/// A directory of `.cwasm` files.
#[derive(Debug, Clone)]
pub struct CompiledCache {
    dir: PathBuf,
    max_bytes: u64,
}

/// Feeds what `Hash` writes into SHA-256.
struct ShaHasher(Sha256);

impl Hasher for ShaHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    fn finish(&self) -> u64 {
        unreachable!("only the digest is read")
    }
}

/// What a file holds.
#[derive(Clone, Copy)]
enum Kind {
    Component,
    Module,
}

impl CompiledCache {
    pub fn new(dir: PathBuf, max_bytes: u64) -> CompiledCache {
        CompiledCache { dir, max_bytes }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file `wasm` compiled by `engine` is kept in.
    pub fn path_for(&self, engine: &Engine, wasm: &[u8]) -> PathBuf {
        let mut hasher = ShaHasher(Sha256::new());
        hasher.write(wasm);
        std::hash::Hash::hash(&engine.precompile_compatibility_hash(), &mut hasher);
        let digest = hasher.0.finalize();
        let name: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        self.dir.join(format!("{name}.cwasm"))
    }

    /// The component of `wasm` (a binary), mapped from the cache.
    pub fn component(
        &self,
        engine: &Engine,
        wasm: &[u8],
    ) -> anyhow::Result<(Component, CacheOutcome)> {
        self.load(
            engine,
            wasm,
            Kind::Component,
            |path| {
                // SAFETY: the file was written by this cache from Wasmtime's
                // own `precompile_component` for an engine of this
                // compatibility hash (its name says so), in a directory of the
                // user's; Wasmtime checks the header and refuses anything else.
                unsafe { Component::deserialize_file(engine, path) }.map_err(anyhow::Error::from)
            },
            |bytes| {
                // SAFETY: just made by `precompile_component` of this engine.
                unsafe { Component::deserialize(engine, bytes) }.map_err(anyhow::Error::from)
            },
        )
    }

    /// The core module of `wasm`, mapped from the cache.
    pub fn module(&self, engine: &Engine, wasm: &[u8]) -> anyhow::Result<(Module, CacheOutcome)> {
        self.load(
            engine,
            wasm,
            Kind::Module,
            |path| {
                // SAFETY: as for components above.
                unsafe { Module::deserialize_file(engine, path) }.map_err(anyhow::Error::from)
            },
            |bytes| {
                // SAFETY: just made by `precompile_module` of this engine.
                unsafe { Module::deserialize(engine, bytes) }.map_err(anyhow::Error::from)
            },
        )
    }

    fn load<T>(
        &self,
        engine: &Engine,
        wasm: &[u8],
        kind: Kind,
        map: impl Fn(&Path) -> anyhow::Result<T>,
        from_memory: impl Fn(&[u8]) -> anyhow::Result<T>,
    ) -> anyhow::Result<(T, CacheOutcome)> {
        let path = self.path_for(engine, wasm);
        let mut outcome = CacheOutcome::Miss;
        if path.is_file() {
            match map(&path) {
                Ok(loaded) => {
                    // Used now: the last to be evicted.
                    let _ = std::fs::File::options()
                        .write(true)
                        .open(&path)
                        .and_then(|f| f.set_modified(SystemTime::now()));
                    return Ok((loaded, CacheOutcome::Hit));
                }
                Err(_) => {
                    let _ = std::fs::remove_file(&path);
                    outcome = CacheOutcome::Replaced;
                }
            }
        }
        let compiled = match kind {
            Kind::Component => engine.precompile_component(wasm),
            Kind::Module => engine.precompile_module(wasm),
        }
        .map_err(anyhow::Error::from)?;
        if self.store(&path, &compiled).is_err() {
            // A cache that cannot be written (a read-only or full disk)
            // costs the mapping, not the run.
            return Ok((from_memory(&compiled)?, outcome));
        }
        let loaded = map(&path)?;
        self.evict(&path);
        Ok((loaded, outcome))
    }

    /// Writes `bytes` to `path` whole or not at all.
    fn store(&self, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let mut file = tempfile::NamedTempFile::new_in(&self.dir)?;
        std::io::Write::write_all(&mut file, bytes)?;
        file.as_file().sync_data()?;
        file.persist(path).map_err(|e| e.error)?;
        Ok(())
    }

    /// Removes the least recently used files until the cache fits its
    /// bound (never `keep`, just written).
    fn evict(&self, keep: &Path) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        let mut files: Vec<(SystemTime, u64, PathBuf)> = entries
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "cwasm"))
            .filter_map(|e| {
                let meta = e.metadata().ok()?;
                Some((meta.modified().ok()?, meta.len(), e.path()))
            })
            .collect();
        let mut total: u64 = files.iter().map(|(_, len, _)| len).sum();
        files.sort();
        for (_, len, path) in files {
            if total <= self.max_bytes {
                break;
            }
            if path != keep && std::fs::remove_file(&path).is_ok() {
                total -= len;
            }
        }
    }
}

/// Runs `attempt` again (up to three times, a few milliseconds apart) when
/// it fails with an error that `is_transient` recognises; any other error,
/// or the last one, is returned.
pub(crate) fn retry_transient<T>(
    mut attempt: impl FnMut() -> anyhow::Result<T>,
    is_transient: impl Fn(&anyhow::Error) -> bool,
) -> anyhow::Result<T> {
    let mut tries = 0;
    loop {
        match attempt() {
            Err(error) if tries < 3 && is_transient(&error) => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(2 << tries));
            }
            other => return other,
        }
    }
}

/// The kernel's transient refusal to seal a memfd that Wasmtime fills with
/// a memory's initial image (seen about once in 200 runs).
pub(crate) fn is_memfd_seal_busy(error: &anyhow::Error) -> bool {
    let text = format!("{error:#}");
    text.contains("seals") && (text.contains("os error 16") || text.contains("busy"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transient_errors_are_retried_and_others_are_not() {
        let mut calls = 0;
        let got = retry_transient(
            || {
                calls += 1;
                if calls < 3 {
                    anyhow::bail!(
                        "cannot add seals to the memfd: Device or resource busy (os error 16)"
                    )
                }
                Ok(calls)
            },
            is_memfd_seal_busy,
        );
        assert_eq!(got.unwrap(), 3);
        let mut calls = 0;
        let got: anyhow::Result<()> = retry_transient(
            || {
                calls += 1;
                anyhow::bail!("out of memory")
            },
            is_memfd_seal_busy,
        );
        assert!(got.is_err());
        assert_eq!(calls, 1, "a lasting error is not retried");
        let mut calls = 0;
        let got: anyhow::Result<()> = retry_transient(
            || {
                calls += 1;
                anyhow::bail!(
                    "cannot add seals to the memfd: Device or resource busy (os error 16)"
                )
            },
            is_memfd_seal_busy,
        );
        assert!(
            got.is_err(),
            "a condition that lasts still reaches the caller"
        );
        assert_eq!(calls, 4);
    }
}
