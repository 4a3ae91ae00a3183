//! The symbol index: held against wit-parser's definition spans on every
//! accepted corpus tree, and its reference resolution checked case by case.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use wasmlens::analysis::index::DefKind;
use wasmlens::analysis::{Config, PackageAnalysis, Workspace, analyze_package};
use wasmlens_tests::{TestTree, wasi_p2_dir, wasi_p3_dir, wit_parser_ui_dir};

/// Every named definition wit-parser records a span for, as
/// `(path, start offset, name)`.
fn wit_parser_definitions(analysis: &PackageAnalysis) -> Vec<(String, usize, String)> {
    let resolve = analysis.resolve.as_ref().expect("the tree is valid");
    let mut found = Vec::new();
    let mut add = |span: wit_parser::Span, name: &str| {
        if let Some(location) = resolve.source_map.resolve_span(span) {
            found.push((
                location.path.to_string(),
                location.range.start,
                name.to_string(),
            ));
        }
    };
    for (_, interface) in resolve.interfaces.iter() {
        if let Some(name) = &interface.name {
            add(interface.span, name);
        }
        for function in interface.functions.values() {
            add(function.span, function.item_name());
            // A method's `self` is implicit: it has no text of its own.
            let explicit = function.params.iter().filter(|p| {
                !(p.name == "self"
                    && function.kind.resource().is_some()
                    && matches!(
                        function.kind,
                        wit_parser::FunctionKind::Method(_)
                            | wit_parser::FunctionKind::AsyncMethod(_)
                    ))
            });
            for param in explicit {
                add(param.span, &param.name);
            }
        }
    }
    for (_, world) in resolve.worlds.iter() {
        add(world.span, &world.name);
    }
    let world_items: HashMap<&str, std::ops::Range<usize>> = analysis
        .index
        .def_ids()
        .map(|id| analysis.index.def(id))
        .filter(|def| def.kind == DefKind::World)
        .map(|def| {
            (
                def.name.as_str(),
                usize::from(def.full_range.start())..usize::from(def.full_range.end()),
            )
        })
        .collect();
    for (_, ty) in resolve.types.iter() {
        let Some(name) = &ty.name else { continue };
        // `include` copies a world's types into the including world, keeping
        // the original span: those copies have no source of their own.
        if let wit_parser::TypeOwner::World(world) = ty.owner {
            let start = resolve
                .source_map
                .resolve_span(ty.span)
                .map(|l| l.range.start);
            let inside = world_items.get(resolve.worlds[world].name.as_str());
            if start
                .zip(inside)
                .is_some_and(|(start, range)| !range.contains(&start))
            {
                continue;
            }
        }
        add(ty.span, name);
        match &ty.kind {
            wit_parser::TypeDefKind::Record(record) => {
                for field in &record.fields {
                    add(field.span, &field.name);
                }
            }
            wit_parser::TypeDefKind::Variant(variant) => {
                for case in &variant.cases {
                    add(case.span, &case.name);
                }
            }
            wit_parser::TypeDefKind::Enum(e) => {
                for case in &e.cases {
                    add(case.span, &case.name);
                }
            }
            wit_parser::TypeDefKind::Flags(flags) => {
                for flag in &flags.flags {
                    add(flag.span, &flag.name);
                }
            }
            _ => {}
        }
    }
    found
}

/// `(path, name) -> [(name start, item range)]`
type DefinitionsByName = HashMap<(String, String), Vec<(usize, std::ops::Range<usize>)>>;

/// Our definitions, by file and name.
fn our_definitions(analysis: &PackageAnalysis) -> DefinitionsByName {
    let index = &analysis.index;
    let mut found: HashMap<_, Vec<_>> = HashMap::new();
    for id in index.def_ids() {
        let def = index.def(id);
        let path = analysis.file(def.file).path.display().to_string();
        let full = usize::from(def.full_range.start())..usize::from(def.full_range.end());
        found
            .entry((path, def.name.clone()))
            .or_default()
            .push((usize::from(def.name_range.start()), full));
    }
    found
}

/// Checks every wit-parser definition span of the tree at `root` is one of
/// ours: same file and name, at our name's start or, for `use a.{x as y}`
/// (which wit-parser places at `x`), inside our definition of `y`.
fn check_against_wit_parser(root: &Path) -> usize {
    let analysis = analyze_package(&Workspace::new(), root, &Config::default());
    let ours = our_definitions(&analysis);
    let theirs = wit_parser_definitions(&analysis);
    let missing: Vec<_> = theirs
        .iter()
        .filter(|(path, start, name)| {
            // wit-parser names methods `[method]r.m`; we name them `m`.
            let plain = name.rsplit('.').next().unwrap().to_string();
            let candidates = ours.get(&(path.clone(), plain));
            !candidates.is_some_and(|defs| {
                defs.iter()
                    .any(|(name_start, full)| name_start == start || full.contains(start))
            })
        })
        .collect();
    assert!(
        missing.is_empty(),
        "{}: definitions missing from the index: {missing:#?}",
        root.display()
    );
    theirs.len()
}

#[test]
fn definitions_match_wit_parser_spans_on_wasi() {
    for dir in [wasi_p2_dir(), wasi_p3_dir()] {
        let count = check_against_wit_parser(&dir);
        assert!(
            count > 300,
            "{}: only {count} definitions compared",
            dir.display()
        );
    }
}

#[test]
fn definitions_match_wit_parser_spans_on_accepted_ui_trees() {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(wit_parser_ui_dir())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.is_dir() && !p.ends_with("parse-fail") || p.extension().is_some_and(|e| e == "wit")
        })
        .collect();
    cases.sort();
    let mut compared = 0;
    for case in cases {
        let analysis = analyze_package(&Workspace::new(), &case, &Config::default());
        if analysis.resolve.is_some() {
            compared += check_against_wit_parser(&case);
        }
    }
    assert!(compared > 500, "only {compared} definitions compared");
}

#[test]
fn every_reference_in_wasi_resolves() {
    for dir in [wasi_p2_dir(), wasi_p3_dir()] {
        let analysis = analyze_package(&Workspace::new(), &dir, &Config::default());
        let unresolved: Vec<_> = analysis
            .index
            .references
            .iter()
            .filter(|r| r.target.is_none())
            .map(|r| {
                format!(
                    "{}:{:?} {}",
                    analysis.file(r.file).path.display(),
                    r.range,
                    analysis.reference_text(r)
                )
            })
            .collect();
        assert!(unresolved.is_empty(), "{}: {unresolved:#?}", dir.display());
        assert!(analysis.index.references.len() > 200);
    }
}

const DEP: &str = "package dep:pkg@1.0.0;\n\ninterface types {\n    /// A byte count.\n    type size = u64;\n    resource blob;\n}\n\nworld base {\n    import types;\n    export run: func();\n}\n";
const A: &str = "package test:app@0.1.0;\n\nuse dep:pkg/types@1.0.0 as dep-types;\n\ninterface api {\n    use dep-types.{size, blob as b};\n    use local.{thing};\n\n    record req { len: size, data: own<b>, t: thing }\n    send: func(r: req) -> result<size>;\n}\n";
const B: &str = "package test:app@0.1.0;\n\ninterface local {\n    type thing = string;\n}\n\nworld app {\n    include dep:pkg/base@1.0.0 with { run as start }\n    import api;\n    export local;\n}\n";

/// What the `occurrence`-th (1-based) whole-word `needle` in `file`
/// refers to: `Kind name @ file:line:col`, then `-> …` for what an alias
/// stands for.
fn goto(
    analysis: &PackageAnalysis,
    root: &Path,
    file: &str,
    needle: &str,
    occurrence: usize,
) -> String {
    let id = analysis
        .file_id(&root.join(file))
        .expect("file in the tree");
    let text = &analysis.file(id).text;
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '%';
    let offset = text
        .match_indices(needle)
        .filter(|(i, _)| {
            let before = text[..*i].chars().next_back().is_none_or(|c| !is_ident(c));
            let after = text[i + needle.len()..]
                .chars()
                .next()
                .is_none_or(|c| !is_ident(c));
            before && after
        })
        .nth(occurrence - 1)
        .unwrap_or_else(|| panic!("no occurrence {occurrence} of `{needle}` in {file}"))
        .0;
    let reference = analysis
        .index
        .reference_at(id, (offset as u32).into())
        .unwrap_or_else(|| panic!("no reference at `{needle}` #{occurrence} in {file}"));
    let Some(target) = reference.target else {
        return "unresolved".into();
    };
    let describe = |def_id| {
        let def = analysis.index.def(def_id);
        let def_file = &analysis.file(def.file);
        let shown = def_file.path.strip_prefix(root).unwrap().display();
        let before = &def_file.text[..usize::from(def.name_range.start())];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().unwrap().chars().count() + 1;
        format!("{:?} {} @ {shown}:{line}:{col}", def.kind, def.name)
    };
    let original = analysis.index.original(target);
    if original == target {
        describe(target)
    } else {
        format!("{} -> {}", describe(target), describe(original))
    }
}

#[test]
fn references_resolve_with_wit_scoping_rules() {
    let tree = TestTree::new(&[("a.wit", A), ("b.wit", B), ("deps/dep/types.wit", DEP)]);
    let analysis = analyze_package(&Workspace::new(), tree.path(), &Config::default());
    assert!(
        analysis
            .diagnostics
            .iter()
            .all(|d| d.severity != wasmlens::analysis::Severity::Error),
        "{:#?}",
        analysis.diagnostics
    );
    let root = tree.path();
    let cases: &[(&str, &str, usize, &str)] = &[
        // A type used through `use` points at the local name, which stands
        // for the type in the dependency.
        (
            "a.wit",
            "size",
            2,
            "UseAlias size @ a.wit:6:20 -> TypeAlias size @ deps/dep/types.wit:5:10",
        ),
        (
            "a.wit",
            "size",
            3,
            "UseAlias size @ a.wit:6:20 -> TypeAlias size @ deps/dep/types.wit:5:10",
        ),
        // The name inside `use …{size}` refers to the dependency's type.
        (
            "a.wit",
            "size",
            1,
            "TypeAlias size @ deps/dep/types.wit:5:10",
        ),
        (
            "a.wit",
            "blob",
            1,
            "Resource blob @ deps/dep/types.wit:6:14",
        ),
        (
            "a.wit",
            "b",
            2,
            "UseAlias b @ a.wit:6:34 -> Resource blob @ deps/dep/types.wit:6:14",
        ),
        // A file's top-level `use … as` name, and the package it names.
        (
            "a.wit",
            "dep-types",
            2,
            "UseAlias dep-types @ a.wit:3:28 -> Interface types @ deps/dep/types.wit:3:11",
        ),
        (
            "a.wit",
            "types",
            1,
            "Interface types @ deps/dep/types.wit:3:11",
        ),
        (
            "a.wit",
            "dep:pkg",
            1,
            "Package dep:pkg@1.0.0 @ deps/dep/types.wit:1:9",
        ),
        // Interfaces of the package, across its files.
        ("a.wit", "local", 1, "Interface local @ b.wit:3:11"),
        (
            "a.wit",
            "thing",
            2,
            "UseAlias thing @ a.wit:7:16 -> TypeAlias thing @ b.wit:4:10",
        ),
        ("a.wit", "req", 2, "Record req @ a.wit:9:12"),
        ("b.wit", "api", 1, "Interface api @ a.wit:5:11"),
        ("b.wit", "local", 2, "Interface local @ b.wit:3:11"),
        // Package-qualified paths into deps/, and `include … with`.
        ("b.wit", "base", 1, "World base @ deps/dep/types.wit:9:7"),
        ("b.wit", "run", 1, "Function run @ deps/dep/types.wit:11:12"),
    ];
    let mut failures = Vec::new();
    for (file, needle, occurrence, expected) in cases {
        let found = goto(&analysis, root, file, needle, *occurrence);
        if found != *expected {
            failures.push(format!(
                "{file} `{needle}` #{occurrence}:\n  expected {expected}\n  found    {found}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn unresolved_names_are_references_without_target() {
    let tree = TestTree::new(&[(
        "a.wit",
        "package a:b;\ninterface i {\n    f: func() -> nope;\n    use missing.{t};\n}\n",
    )]);
    let analysis = analyze_package(&Workspace::new(), tree.path(), &Config::default());
    let unresolved: Vec<&str> = analysis
        .index
        .references
        .iter()
        .filter(|r| r.target.is_none())
        .map(|r| analysis.reference_text(r))
        .collect();
    assert_eq!(unresolved, ["missing", "t", "nope"]);
}

#[test]
fn nested_packages_in_one_file_refer_to_each_other() {
    let text = "package root:top;\n\npackage a:b {\n    interface i {\n        type t = u8;\n    }\n}\n\npackage c:d {\n    interface j {\n        use a:b/i.{t};\n        f: func() -> t;\n    }\n    world w {\n        import a:b/i;\n        export j;\n    }\n}\n";
    let tree = TestTree::new(&[("nested.wit", text)]);
    assert_eq!(tree.wit_parser_error(), None);
    let analysis = analyze_package(&Workspace::new(), tree.path(), &Config::default());
    assert!(
        analysis.diagnostics.is_empty(),
        "{:#?}",
        analysis.diagnostics
    );
    let root = tree.path();
    let cases: &[(&str, usize, &str)] = &[
        ("a:b", 2, "Package a:b @ nested.wit:3:9"),
        ("i", 2, "Interface i @ nested.wit:4:15"),
        ("t", 2, "TypeAlias t @ nested.wit:5:14"),
        (
            "t",
            3,
            "UseAlias t @ nested.wit:11:20 -> TypeAlias t @ nested.wit:5:14",
        ),
        ("i", 3, "Interface i @ nested.wit:4:15"),
        ("j", 2, "Interface j @ nested.wit:10:15"),
    ];
    for (needle, occurrence, expected) in cases {
        assert_eq!(
            goto(&analysis, root, "nested.wit", needle, *occurrence),
            *expected,
            "`{needle}` #{occurrence}"
        );
    }
}
