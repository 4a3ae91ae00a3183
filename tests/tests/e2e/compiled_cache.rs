//! The compiled-code cache: a hit maps the `.cwasm` file; another
//! component or engine setting misses; a truncated or foreign file is
//! replaced; processes filling it at once leave one whole file; it stays
//! within its bound.

use std::path::Path;
use std::process::Command;

use wasmlens_runtime::compiled_cache::{CacheOutcome, CompiledCache};
use wasmlens_runtime::{EngineOptions, Runtime};
use wasmlens_tests::components::{CALC_CORE, CALC_WIT, component, grow_component};
use wasmlens_tests::{TestTree, wasmlens_bin};

fn runtime(fuel: bool) -> Runtime {
    Runtime::with_options(EngineOptions {
        cache_dir: None,
        fuel,
        epochs: false,
        pooling: None,
        guest_debug: false,
    })
    .unwrap()
}

fn wasm(path: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(path)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    files
}

/// Whether this process maps `path` (Linux: /proc/self/maps).
fn mapped(path: &Path) -> bool {
    std::fs::read_to_string("/proc/self/maps")
        .unwrap()
        .lines()
        .any(|line| line.ends_with(path.to_str().unwrap()))
}

#[test]
fn a_hit_maps_the_file_and_other_inputs_miss() {
    let tree = TestTree::new(&[]);
    let cache = CompiledCache::new(tree.path().join("compiled"), 1 << 30);
    let calc = component(CALC_WIT, CALC_CORE);
    let engine = runtime(false);
    let (_, first) = cache.component(engine.engine(), &calc).unwrap();
    assert_eq!(first, CacheOutcome::Miss);
    let file = cache.path_for(engine.engine(), &calc);
    assert!(file.is_file());
    let (loaded, second) = cache.component(engine.engine(), &calc).unwrap();
    assert_eq!(second, CacheOutcome::Hit);
    assert!(mapped(&file), "the hit maps {}", file.display());
    drop(loaded);
    // Another component, or the same under another engine setting (fuel
    // changes the code), is another file.
    let grow = grow_component();
    assert_ne!(cache.path_for(engine.engine(), &grow), file);
    let fueled = runtime(true);
    assert_ne!(cache.path_for(fueled.engine(), &calc), file);
    let (_, outcome) = cache.component(fueled.engine(), &calc).unwrap();
    assert_eq!(outcome, CacheOutcome::Miss);
    assert_eq!(wasm(cache.dir()).len(), 2);
}

#[test]
fn a_truncated_or_foreign_file_is_replaced() {
    let tree = TestTree::new(&[]);
    let cache = CompiledCache::new(tree.path().join("compiled"), 1 << 30);
    let calc = component(CALC_WIT, CALC_CORE);
    let engine = runtime(false);
    cache.component(engine.engine(), &calc).unwrap();
    let file = cache.path_for(engine.engine(), &calc);
    let whole = std::fs::read(&file).unwrap();
    for (case, bytes) in [
        ("truncated", whole[..whole.len() / 2].to_vec()),
        ("foreign", b"\x7fELF not really".to_vec()),
        ("empty", Vec::new()),
    ] {
        std::fs::write(&file, &bytes).unwrap();
        let (_, outcome) = cache.component(engine.engine(), &calc).unwrap();
        assert_eq!(outcome, CacheOutcome::Replaced, "{case}");
        assert_eq!(
            std::fs::read(&file).unwrap(),
            whole,
            "{case}: rewritten whole"
        );
    }
}

#[test]
fn the_cache_stays_within_its_bound() {
    let tree = TestTree::new(&[]);
    // Room for one compiled component only: the older one goes.
    let cache = CompiledCache::new(tree.path().join("compiled"), 1);
    let engine = runtime(false);
    let calc = component(CALC_WIT, CALC_CORE);
    let grow = grow_component();
    cache.component(engine.engine(), &calc).unwrap();
    cache.component(engine.engine(), &grow).unwrap();
    assert_eq!(wasm(cache.dir()), [cache.path_for(engine.engine(), &grow)]);
}

#[test]
fn processes_filling_the_cache_at_once_leave_one_whole_file() {
    let tree = TestTree::new(&[]);
    tree.write_bytes("calc.wasm", &component(CALC_WIT, CALC_CORE));
    let cache_home = tree.path().join("cache");
    let runs: Vec<_> = (0..4)
        .map(|_| {
            Command::new(wasmlens_bin())
                .args(["run", "--invoke", "add(40, 2)", "calc.wasm"])
                .current_dir(tree.path())
                .env("XDG_CACHE_HOME", &cache_home)
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for run in runs {
        let output = run.wait_with_output().unwrap();
        assert!(output.status.success());
        assert_eq!(String::from_utf8_lossy(&output.stdout), "42\n");
    }
    let files = wasm(&cache_home.join("wasmlens/compiled"));
    assert_eq!(files.len(), 1, "one file, no temporary left: {files:?}");
    // The next run is a hit on that file and still right.
    let output = Command::new(wasmlens_bin())
        .args(["run", "--invoke", "add(1, 2)", "calc.wasm"])
        .current_dir(tree.path())
        .env("XDG_CACHE_HOME", &cache_home)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stdout), "3\n");
}
