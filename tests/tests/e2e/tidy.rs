//! The architecture, kept as tests: each layer of `server/src` uses only
//! the layers ARCHITECTURE.md's table allows, protocol types stay in `lsp`,
//! the runtime crate knows nothing of ours or of LSP, and no module of
//! `lsp/` imports a module that imports it back.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The table under "## Layers" in ARCHITECTURE.md: layer → what it may use.
fn allowed_layers() -> BTreeMap<String, BTreeSet<String>> {
    let text = std::fs::read_to_string(repo().join("ARCHITECTURE.md")).unwrap();
    let section = text
        .split("\n## Layers")
        .nth(1)
        .expect("ARCHITECTURE.md has a `## Layers` section with the table");
    let mut table = BTreeMap::new();
    for line in section.lines().take_while(|l| !l.starts_with("## ")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 4 || !cells[1].starts_with('`') {
            continue;
        }
        let names = |cell: &str| -> BTreeSet<String> {
            cell.split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_string)
                .collect()
        };
        let layer = names(cells[1]).into_iter().next().unwrap();
        table.insert(layer, names(cells[2]));
    }
    assert!(
        table.len() >= 6,
        "the layer table lists every layer: {table:?}"
    );
    table
}

/// The layers of ours a file names: `crate::<layer>` and the runtime crate.
fn layers_used(text: &str, layers: &BTreeSet<String>) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    for layer in layers {
        if layer == "runtime" {
            if text.contains("wasmlens_runtime") {
                used.insert(layer.clone());
            }
        } else if text.contains(&format!("crate::{layer}::")) {
            used.insert(layer.clone());
        }
    }
    used
}

#[test]
fn each_layer_uses_only_what_architecture_md_allows() {
    let table = allowed_layers();
    let layers: BTreeSet<String> = table.keys().cloned().collect();
    let mut violations = Vec::new();
    for (layer, allowed) in &table {
        let dir = match layer.as_str() {
            "runtime" => repo().join("runtime/src"),
            _ => repo().join("server/src").join(layer),
        };
        // A layer is a folder, or a single file `<layer>.rs`.
        let files = if dir.is_dir() {
            rust_files(&dir)
        } else {
            let file = dir.with_extension("rs");
            assert!(
                file.is_file(),
                "layer `{layer}` is neither {} nor a file",
                dir.display()
            );
            vec![file]
        };
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for used in layers_used(&text, &layers) {
                if used != *layer && !allowed.contains(&used) {
                    violations.push(format!(
                        "{} ({layer}) uses `{used}`",
                        file.strip_prefix(repo()).unwrap().display()
                    ));
                }
            }
        }
    }
    assert!(
        violations.is_empty(),
        "imports ARCHITECTURE.md does not allow:\n{}",
        violations.join("\n")
    );
}

#[test]
fn the_layer_check_catches_a_forbidden_import() {
    let layers: BTreeSet<String> = ["analysis", "lsp", "runtime", "syntax"]
        .map(String::from)
        .into();
    let found = layers_used(
        "use crate::lsp::ext::LensData;\nuse wasmlens_runtime::Cancel;\nuse crate::syntax::{parse};",
        &layers,
    );
    assert_eq!(found, ["lsp", "runtime", "syntax"].map(String::from).into());
}

#[test]
fn protocol_types_stay_in_lsp_and_the_runtime_knows_nothing_of_ours() {
    let mut violations = Vec::new();
    for file in rust_files(&repo().join("server/src")) {
        let relative = file.strip_prefix(repo()).unwrap();
        let in_lsp = relative.starts_with("server/src/lsp");
        let text = std::fs::read_to_string(&file).unwrap();
        if !in_lsp && (text.contains("tower_lsp_server") || text.contains("ls_types")) {
            violations.push(format!("{} names LSP types", relative.display()));
        }
    }
    for file in rust_files(&repo().join("runtime/src")) {
        let text = std::fs::read_to_string(&file).unwrap();
        for foreign in ["wasmlens::", "tower_lsp_server", "ls_types", "serde_json"] {
            if text.contains(foreign) {
                violations.push(format!(
                    "{} names `{foreign}`",
                    file.strip_prefix(repo()).unwrap().display()
                ));
            }
        }
    }
    let manifest = std::fs::read_to_string(repo().join("runtime/Cargo.toml")).unwrap();
    for foreign in ["tower-lsp", "wasmlens =", "wasmlens ="] {
        if manifest.contains(foreign) {
            violations.push(format!("runtime/Cargo.toml depends on `{foreign}`"));
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

/// The module a file is (`lsp::handlers::hover`), from its path under
/// `server/src`.
fn module_of(file: &Path, src: &Path) -> Vec<String> {
    let relative = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// The modules a file's paths name, resolved against the modules that
/// exist: `super::x`, `super::super::x`, `crate::lsp::x`, with `{a, b}`
/// groups.
fn named_modules(
    text: &str,
    module: &[String],
    modules: &BTreeSet<Vec<String>>,
) -> BTreeSet<Vec<String>> {
    let mut found = BTreeSet::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < text.len() {
        if !text.is_char_boundary(i) {
            i += 1;
            continue;
        }
        let rest = &text[i..];
        let starts_path = (rest.starts_with("super::") || rest.starts_with("crate::"))
            && (i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_'));
        if !starts_path {
            i += 1;
            continue;
        }
        // The path's text up to where it ends (`;`, `(`, space, …), with
        // one level of `{…}` kept.
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':' || c == '{'))
            .unwrap_or(rest.len());
        let mut path_text = rest[..end].to_string();
        if path_text.ends_with('{') {
            let close = rest.find('}').unwrap_or(rest.len());
            path_text = rest[..close].to_string();
        }
        i += end.max(1);
        let (head, group) = match path_text.split_once('{') {
            Some((head, group)) => (head.trim_end_matches("::"), Some(group)),
            None => (path_text.as_str(), None),
        };
        // `super` is the parent of the file's own module (for `mod.rs`,
        // of its folder's module).
        let mut base: Vec<String> = module.to_vec();
        let mut segments = head.split("::").filter(|s| !s.is_empty()).peekable();
        if segments.peek() == Some(&"crate") {
            segments.next();
            base.clear();
        }
        while segments.peek() == Some(&"super") {
            segments.next();
            base.pop();
        }
        let prefix: Vec<String> = base.into_iter().chain(segments.map(String::from)).collect();
        let targets: Vec<Vec<String>> = match group {
            Some(group) => group
                .split(',')
                .filter_map(|item| {
                    let first = item.trim().split("::").next()?.trim();
                    (!first.is_empty() && first != "self" && first != "*").then(|| {
                        let mut path = prefix.clone();
                        path.push(first.to_string());
                        path
                    })
                })
                .chain(std::iter::once(prefix.clone()))
                .collect(),
            None => vec![prefix],
        };
        for target in targets {
            // The longest prefix that is a module of ours.
            let resolved = (1..=target.len())
                .rev()
                .map(|n| target[..n].to_vec())
                .find(|candidate| modules.contains(candidate));
            if let Some(resolved) = resolved
                && resolved != module
            {
                found.insert(resolved);
            }
        }
    }
    found
}

/// The import graph of `server/src/lsp`, file by file.
fn lsp_imports() -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let src = repo().join("server/src");
    let files = rust_files(&src.join("lsp"));
    let modules: BTreeSet<Vec<String>> = files.iter().map(|f| module_of(f, &src)).collect();
    files
        .iter()
        .map(|file| {
            let module = module_of(file, &src);
            let text = std::fs::read_to_string(file).unwrap();
            let named = named_modules(&text, &module, &modules);
            (module, named)
        })
        .collect()
}

/// A cycle of the graph, if it has one.
fn find_cycle(graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Option<Vec<String>> {
    fn visit(
        node: &Vec<String>,
        graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        path: &mut Vec<Vec<String>>,
        done: &mut BTreeSet<Vec<String>>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut cycle: Vec<String> = path[at..].iter().map(|m| m.join("::")).collect();
            cycle.push(node.join("::"));
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.clone());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.clone());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[test]
fn no_module_of_lsp_imports_one_that_imports_it_back() {
    let graph = lsp_imports();
    assert!(
        graph.len() > 20,
        "every file of lsp/ is read: {:?}",
        graph.keys()
    );
    let server: Vec<String> = ["lsp", "server"].map(String::from).to_vec();
    assert!(
        graph[&server].contains(["lsp", "handlers"].map(String::from).as_slice()),
        "the graph sees `use super::handlers::*`: {:?}",
        graph[&server]
    );
    if let Some(cycle) = find_cycle(&graph) {
        panic!("an import circle in lsp/: {}", cycle.join(" → "));
    }
}

#[test]
fn the_cycle_check_finds_a_circle_through_super_paths() {
    let modules: BTreeSet<Vec<String>> = [
        vec!["lsp"],
        vec!["lsp", "state"],
        vec!["lsp", "handlers"],
        vec!["lsp", "handlers", "a"],
        vec!["lsp", "handlers", "b"],
    ]
    .into_iter()
    .map(|m| m.into_iter().map(String::from).collect())
    .collect();
    let module = |m: &[&str]| m.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let a = named_modules(
        "use super::b::Thing;\nuse crate::lsp::state::{State, lock};",
        &module(&["lsp", "handlers", "a"]),
        &modules,
    );
    let b = named_modules(
        "use super::super::handlers::a::Other;",
        &module(&["lsp", "handlers", "b"]),
        &modules,
    );
    assert!(a.contains(&module(&["lsp", "handlers", "b"])), "{a:?}");
    assert!(a.contains(&module(&["lsp", "state"])), "{a:?}");
    assert!(b.contains(&module(&["lsp", "handlers", "a"])), "{b:?}");
    let graph = BTreeMap::from([
        (module(&["lsp", "handlers", "a"]), a),
        (module(&["lsp", "handlers", "b"]), b),
    ]);
    assert!(find_cycle(&graph).is_some());
}
