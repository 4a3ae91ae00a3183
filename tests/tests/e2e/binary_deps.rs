//! `deps/*.wasm`: WIT packages encoded as components, as wit-parser reads them.

use wasmlens_tests::TestTree;

/// `dep:pkg` encoded as a WIT package in wasm, as `wasm-tools component wit
/// --wasm` writes it.
fn encoded_package() -> Vec<u8> {
    let mut resolve = wit_parser::Resolve::new();
    let package = resolve
        .push_str(
            "dep.wit",
            "package dep:pkg@1.0.0;\ninterface types {\n    type size = u64;\n}\n",
        )
        .unwrap();
    wit_component::encode(&resolve, package).unwrap()
}

const MAIN: &str = "package test:app;\ninterface api {\n    use dep:pkg/types@1.0.0.{size};\n    f: func() -> size;\n}\n";

#[test]
fn a_binary_dependency_resolves() {
    let tree = TestTree::new(&[("a.wit", MAIN)]);
    tree.write_bytes("deps/dep.wasm", &encoded_package());
    assert_eq!(tree.wit_parser_error(), None);
    assert_eq!(tree.diagnostics(), Vec::<String>::new());
}

#[test]
fn without_it_the_package_is_unknown() {
    let tree = TestTree::new(&[("a.wit", MAIN)]);
    assert_eq!(
        tree.diagnostics(),
        ["error unknown-package a.wit:3:9: package 'dep:pkg@1.0.0' not found. known packages:"]
    );
}

#[test]
fn a_broken_binary_dependency_is_reported_on_its_file() {
    let tree = TestTree::new(&[("a.wit", MAIN)]);
    let mut bytes = encoded_package();
    bytes.truncate(bytes.len() - 7);
    tree.write_bytes("deps/dep.wasm", &bytes);
    let diagnostics = tree.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    assert!(
        diagnostics[0].starts_with("error io deps/dep.wasm: "),
        "{diagnostics:#?}"
    );
    assert!(
        diagnostics[0].contains("not a WIT package encoded as wasm"),
        "{diagnostics:#?}"
    );
}

#[test]
fn a_component_in_deps_is_not_a_package() {
    let tree = TestTree::new(&[("a.wit", MAIN)]);
    tree.write_bytes("deps/app.wasm", &wat::parse_str("(component)").unwrap());
    let diagnostics = tree.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    assert!(
        diagnostics[0].contains("found an actual component instead of an encoded WIT package"),
        "{diagnostics:#?}"
    );
}
