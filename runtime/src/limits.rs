//! Limits on a guest: fuel, wall-clock time, memory, instances and tables,
//! and the message each gives when it is hit.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use wasmtime::ResourceLimiter;

/// What a guest may use. `None` is unlimited; the editor always sets them
/// ([`Limits::editor`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Limits {
    /// Units of fuel (about one per wasm instruction).
    pub fuel: Option<u64>,
    /// Wall-clock time of one run or call.
    pub timeout: Option<Duration>,
    /// Bytes of linear memory, all memories together.
    pub max_memory: Option<u64>,
    pub max_instances: Option<usize>,
    pub max_tables: Option<usize>,
    /// Stops the guest when its holder cancels (an editor's cancel button).
    pub cancel: Option<Cancel>,
}

/// A switch another thread flips to stop a running guest. The guest sees
/// it at the next epoch tick (every 5 ms), like a timeout.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    pub fn new() -> Cancel {
        Cancel::default()
    }

    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

impl PartialEq for Cancel {
    fn eq(&self, other: &Cancel) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for Cancel {}

impl Limits {
    /// What the editor runs with unless `wasmlens.toml` says otherwise.
    pub fn editor() -> Limits {
        Limits {
            fuel: Some(10_000_000_000),
            timeout: Some(Duration::from_secs(10)),
            max_memory: Some(256 << 20),
            max_instances: Some(1_000),
            max_tables: Some(1_000),
            cancel: None,
        }
    }
}

/// A limit that stopped the guest. Its message says what happened; how to
/// raise the limit is the caller's to word (a CLI flag, a setting).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LimitHit {
    Fuel(u64),
    Timeout(Duration),
    Memory(u64),
    Instances(usize),
    Tables(usize),
    /// Not a limit of the guest's: its caller cancelled the run.
    Cancelled,
}

impl std::fmt::Display for LimitHit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LimitHit::Fuel(fuel) => write!(
                f,
                "ran out of fuel after {fuel} unit{}",
                if *fuel == 1 { "" } else { "s" }
            ),
            LimitHit::Timeout(after) => write!(f, "timed out after {}", humantime(*after)),
            // The guest was refused memory (`memory.grow` returned -1) and
            // then failed: the refusal is the likely cause, not a certainty.
            LimitHit::Memory(bytes) => write!(
                f,
                "memory limit of {} reached: `memory.grow` was refused (it returned -1), the likely cause of this failure",
                size(*bytes)
            ),
            LimitHit::Instances(n) => write!(f, "instance limit of {n} reached"),
            LimitHit::Tables(n) => write!(f, "table limit of {n} reached"),
            LimitHit::Cancelled => write!(f, "cancelled before it finished"),
        }
    }
}

/// `2s`, `1.5s`, `250ms`.
pub fn humantime(duration: Duration) -> String {
    let ms = duration.as_millis();
    if ms.is_multiple_of(1000) {
        format!("{}s", ms / 1000)
    } else if ms >= 1000 {
        format!("{:.1}s", duration.as_secs_f64())
    } else {
        format!("{ms}ms")
    }
}

/// `64 MiB`, `1 GiB`, `512 KiB`, `100 bytes`.
pub fn size(bytes: u64) -> String {
    const UNITS: [(&str, u64); 3] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
    for (unit, scale) in UNITS {
        if bytes >= scale {
            return if bytes.is_multiple_of(scale) {
                format!("{} {unit}", bytes / scale)
            } else {
                format!("{:.1} {unit}", bytes as f64 / scale as f64)
            };
        }
    }
    format!("{bytes} bytes")
}

/// The store's resource limiter: counts memory across all memories and
/// remembers which limit refused a growth, so the error can name it.
#[derive(Debug, Default)]
pub(crate) struct Limiter {
    limits: Limits,
    memory_in_use: u64,
    pub(crate) hit: Option<LimitHit>,
}

impl Limiter {
    pub(crate) fn new(limits: &Limits) -> Limiter {
        Limiter {
            limits: limits.clone(),
            ..Limiter::default()
        }
    }
}

impl ResourceLimiter for Limiter {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let growth = (desired - current) as u64;
        if let Some(max) = self.limits.max_memory
            && self.memory_in_use + growth > max
        {
            // Refused as `wasmtime run`'s limit refuses it: `memory.grow`
            // returns -1 and a program that handles allocation failure goes
            // on. Remembered so that, if the guest then traps, the limit is
            // named as the likely cause.
            self.hit = Some(LimitHit::Memory(max));
            return Ok(false);
        }
        self.memory_in_use += growth;
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        _desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        // Tables are bounded by how many there are (`max_tables`); a single
        // table may grow to its declared maximum.
        Ok(true)
    }

    fn instances(&self) -> usize {
        self.limits.max_instances.unwrap_or(usize::MAX)
    }

    fn tables(&self) -> usize {
        self.limits.max_tables.unwrap_or(usize::MAX)
    }

    fn memories(&self) -> usize {
        usize::MAX
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_durations_print() {
        assert_eq!(size(64 << 20), "64 MiB");
        assert_eq!(size(1536 << 10), "1.5 MiB");
        assert_eq!(humantime(Duration::from_secs(2)), "2s");
        assert_eq!(humantime(Duration::from_millis(250)), "250ms");
    }

    #[test]
    fn limit_messages_count_fuel_in_units() {
        let fuel = |n| LimitHit::Fuel(n).to_string();
        assert_eq!(fuel(1), "ran out of fuel after 1 unit");
        assert_eq!(fuel(1000), "ran out of fuel after 1000 units");
    }
}
