//! Broken trees, one per kind of mistake: wasmlens gives wit-parser's
//! message at wit-parser's position, with a stable code.

use wasmlens_tests::TestTree;

/// Checks that wit-parser rejects `files` with the error `expected` (a line
/// of `TestTree::diagnostics`), and that wasmlens reports exactly that.
#[track_caller]
fn check_rejected(files: &[(&str, &str)], expected: &str) {
    let tree = TestTree::new(files);
    let wit_parser = tree
        .wit_parser_error()
        .expect("wit-parser should reject this tree");
    assert!(
        expected.ends_with(&wit_parser),
        "the case's expectation `{expected}` is not wit-parser's verdict `{wit_parser}`"
    );
    let diagnostics = tree.diagnostics();
    assert!(
        diagnostics.iter().any(|d| d == expected),
        "expected `{expected}` among {diagnostics:#?}"
    );
}

const PKG: &str = "package test:cases;\n";

#[test]
fn unknown_type() {
    check_rejected(
        &[(
            "a.wit",
            &format!("{PKG}interface i {{\n    f: func() -> nope;\n}}\n"),
        )],
        "error unknown-name a.wit:3:18: name `nope` does not exist",
    );
}

#[test]
fn unknown_package() {
    check_rejected(
        &[(
            "a.wit",
            &format!("{PKG}interface i {{\n    use other:pkg/types.{{t}};\n}}\n"),
        )],
        "error unknown-package a.wit:3:9: package 'other:pkg' not found. known packages:",
    );
}

#[test]
fn missing_dependency_lists_the_known_ones() {
    check_rejected(
        &[
            (
                "a.wit",
                &format!("{PKG}world w {{\n    import wasi:io/streams@0.2.0;\n}}\n"),
            ),
            (
                "deps/clocks/clocks.wit",
                "package wasi:clocks@0.2.0;\ninterface wall-clock {}\n",
            ),
        ],
        "error unknown-package a.wit:3:12: package 'wasi:io@0.2.0' not found. known packages:",
    );
}

#[test]
fn type_cycle() {
    check_rejected(
        &[(
            "a.wit",
            &format!("{PKG}interface i {{\n    type a = b;\n    type b = a;\n}}\n"),
        )],
        "error cycle a.wit:3:14: type `b` depends on itself",
    );
}

#[test]
fn interface_cycle() {
    check_rejected(
        &[(
            "a.wit",
            &format!(
                "{PKG}interface a {{\n    use b.{{t}};\n}}\ninterface b {{\n    use a.{{u}};\n}}\n"
            ),
        )],
        "error cycle a.wit:5:11: interface or world `b` depends on itself",
    );
}

#[test]
fn duplicate_name() {
    check_rejected(
        &[(
            "a.wit",
            &format!("{PKG}interface i {{\n    record r {{}}\n    record r {{}}\n}}\n"),
        )],
        "error semantic a.wit:4:12: name `r` is defined more than once",
    );
}

#[test]
fn bad_version() {
    check_rejected(
        &[("a.wit", "package test:cases@01.0.0;\ninterface i {}\n")],
        "error syntax a.wit:1:20: invalid leading zero in major version number",
    );
}

#[test]
fn gate_on_an_unreleased_version() {
    check_rejected(
        &[(
            "a.wit",
            "package test:cases@0.1.0;\n@since(version = 0.2.0)\ninterface i {}\n",
        )],
        "error gate-mismatch a.wit:3:11: feature gate cannot reference unreleased version 0.2.0 of package [test:cases@0.1.0] (current version 0.1.0)",
    );
}

#[test]
fn include_shadowing() {
    check_rejected(
        &[(
            "a.wit",
            &format!(
                "{PKG}world a {{\n    import x: func();\n}}\nworld b {{\n    include a;\n    import x: func();\n}}\n"
            ),
        )],
        "error shadowing a.wit:6:13: import of `x` shadows previously imported items",
    );
}

#[test]
fn syntax_error_in_a_dependency_is_reported_in_that_file() {
    check_rejected(
        &[
            (
                "a.wit",
                &format!("{PKG}world w {{\n    import dep:pkg/i;\n}}\n"),
            ),
            (
                "deps/pkg/i.wit",
                "package dep:pkg;\ninterface i {\n    f: func(;\n}\n",
            ),
        ],
        "error syntax deps/pkg/i.wit:3:13: expected an identifier or string, found ';'",
    );
}

#[test]
fn errors_in_main_and_in_a_dependency_are_all_reported() {
    let tree = TestTree::new(&[
        (
            "a.wit",
            &format!("{PKG}world w {{\n    import dep:pkg/i\n}}\n"),
        ),
        (
            "deps/pkg.wit",
            "package dep:pkg;\ninterface i {\n    f: func(;\n}\n",
        ),
    ]);
    assert_eq!(
        tree.diagnostics(),
        [
            "error syntax a.wit:4:1: expected ';', found '}'",
            "error syntax deps/pkg.wit:3:13: expected an identifier or string, found ';'",
        ]
    );
}

#[test]
fn unstable_items_are_checked_because_all_features_are_on() {
    let tree = TestTree::new(&[(
        "a.wit",
        "package test:cases@1.0.0;\n@unstable(feature = fancy)\ninterface i {\n    f: func() -> nope;\n}\n",
    )]);
    assert_eq!(
        tree.diagnostics(),
        ["error unknown-name a.wit:4:18: name `nope` does not exist"]
    );
}

/// Whether the resolved tree has function `f` in interface `i`.
fn has_gated_function(config_text: &str) -> bool {
    let tree = TestTree::new(&[(
        "a.wit",
        "package test:cases@1.0.0;\ninterface i {\n    @unstable(feature = fancy)\n    f: func();\n}\n",
    )]);
    let config =
        wasmlens::analysis::Config::parse(config_text, std::path::Path::new("wasmlens.toml"))
            .unwrap();
    let analysis = wasmlens::analysis::analyze_package(
        &wasmlens::analysis::Workspace::new(),
        tree.path(),
        &config,
    );
    let resolve = analysis.resolve.expect("the tree is valid");
    resolve
        .interfaces
        .iter()
        .any(|(_, i)| i.name.as_deref() == Some("i") && i.functions.contains_key("f"))
}

#[test]
fn feature_gates_follow_the_config() {
    assert!(has_gated_function(""), "all features are on by default");
    assert!(!has_gated_function("[features]\nall = false\n"));
    assert!(has_gated_function(
        "[features]\nall = false\nenabled = [\"fancy\"]\n"
    ));
}

#[test]
fn a_wit_parser_panic_becomes_a_diagnostic() {
    // wit-parser 0.254.2 unwraps a `None` on an empty `/**/` comment before
    // an item (found by our fuzzer); wasmlens must report, not crash.
    let tree = TestTree::new(&[(
        "a.wit",
        "package a:b;\ninterface i {\n    /**/\n    type t = u8;\n}\n",
    )]);
    let diagnostics = tree.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    assert!(
        diagnostics[0]
            .starts_with("error semantic : wit-parser crashed while checking this package"),
        "{diagnostics:#?}"
    );
    assert!(
        diagnostics[0].contains("called `Option::unwrap()` on a `None` value"),
        "{diagnostics:#?}"
    );
}
