//! Which built component implements a world: the newest component in the
//! build-output folders whose exports include the world's.

use std::collections::BTreeSet;
use std::time::{Duration, SystemTime};

use wasmlens::lenses::discovery::{component_exports, find_component};
use wasmlens_tests::TestTree;
use wasmlens_tests::components::{CALC_CORE, CALC_WIT, TYPES_CORE, TYPES_WIT, component};

fn names(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn a_components_exports_are_read_without_compiling_it() {
    let exports = component_exports(&component(CALC_WIT, CALC_CORE)).unwrap();
    assert_eq!(
        exports,
        names(&[
            "add",
            "bomb",
            "crash",
            "deep",
            "greet",
            "maybe",
            "spin",
            "test:calc/math"
        ])
    );
    assert_eq!(
        component_exports(&wat::parse_str("(module)").unwrap()),
        None
    );
    assert_eq!(component_exports(b"not wasm"), None);
}

#[test]
fn the_newest_matching_component_wins() {
    let calc = component(CALC_WIT, CALC_CORE);
    let tree = TestTree::new(&[]);
    tree.write_bytes("target/wasm32-wasip2/release/calc.wasm", &calc);
    tree.write_bytes("build/old/calc.wasm", &calc);
    tree.write_bytes("dist/types.wasm", &component(TYPES_WIT, TYPES_CORE));
    tree.write_bytes("out/broken.wasm", &calc[..calc.len() / 3]);
    tree.write_bytes("elsewhere/calc.wasm", &calc);
    let set_age = |path: &str, seconds_ago: u64| {
        let file = std::fs::File::options()
            .write(true)
            .open(tree.path().join(path))
            .unwrap();
        file.set_modified(SystemTime::now() - Duration::from_secs(seconds_ago))
            .unwrap();
    };
    set_age("build/old/calc.wasm", 3600);
    set_age("target/wasm32-wasip2/release/calc.wasm", 60);
    set_age("elsewhere/calc.wasm", 0);
    let dirs: Vec<String> = ["target", "build", "dist", "out"]
        .map(String::from)
        .to_vec();
    let world = names(&["add", "greet", "test:calc/math"]);
    let found = find_component(tree.path(), &dirs, &world).expect("found");
    // `elsewhere/` is newer but not a build-output folder.
    assert!(
        found
            .path
            .ends_with("target/wasm32-wasip2/release/calc.wasm"),
        "{found:?}"
    );
    set_age("build/old/calc.wasm", 0);
    let found = find_component(tree.path(), &dirs, &world).expect("found");
    assert!(found.path.ends_with("build/old/calc.wasm"), "{found:?}");
    // A world nothing implements.
    assert_eq!(
        find_component(tree.path(), &dirs, &names(&["add", "nope"])),
        None
    );
    // The types component matches its own world only.
    let found = find_component(tree.path(), &dirs, &names(&["echo-bool"])).expect("found");
    assert!(found.path.ends_with("dist/types.wasm"), "{found:?}");
}
