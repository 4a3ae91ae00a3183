//! Loading binaries and listing exports, on components made at test time
//! from WIT and WAT with wit-component.

use wasmlens_runtime::{
    Artifact, EngineOptions, ExportKind, Item, PrecompiledPolicy, Runtime, exports, load_bytes,
};

/// An engine with limits compiled in and no compile cache (tests leave no
/// files behind).
fn runtime() -> Runtime {
    Runtime::with_options(EngineOptions {
        cache_dir: None,
        ..EngineOptions::with_limits()
    })
    .unwrap()
}

/// A real component: a core module implementing `world`, wrapped by
/// wit-component with the WIT embedded as wit-bindgen would.
fn component(wit: &str, core_wat: &str) -> Vec<u8> {
    let mut resolve = wit_parser::Resolve::new();
    let package = resolve.push_str("world.wit", wit).expect("valid WIT");
    let world = resolve.select_world(&[package], None).expect("one world");
    let mut module = wat::parse_str(core_wat).expect("valid WAT");
    wit_component::embed_component_metadata(
        &mut module,
        &resolve,
        world,
        wit_component::StringEncoding::UTF8,
    )
    .expect("metadata embeds");
    wit_component::ComponentEncoder::default()
        .module(&module)
        .expect("module accepted")
        .validate(true)
        .encode()
        .expect("component encodes")
}

const WIT: &str = "package test:calc;\n\ninterface math {\n    record point { x: s32, y: s32 }\n    enum mode { fast, exact }\n    scale: func(p: point, by: f64, m: mode) -> result<point, string>;\n}\n\nworld calc {\n    export add: func(a: u32, b: u32) -> u32;\n    export math;\n}\n";

const CORE: &str = r#"(module
  (memory (export "memory") 1)
  (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func (export "test:calc/math#scale") (param i32 i32 f64 i32) (result i32) i32.const 0)
  (func (export "cabi_post_test:calc/math#scale") (param i32))
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) i32.const 0)
)"#;

#[test]
fn lists_functions_of_the_component_and_its_instances() {
    let runtime = runtime();
    let Artifact::Component(component) =
        load_bytes(&runtime, &component(WIT, CORE), PrecompiledPolicy::Refuse).unwrap()
    else {
        panic!("a component must load as a component");
    };
    let function = |name: &str, signature: &str| Item {
        name: name.into(),
        kind: ExportKind::Function {
            signature: signature.into(),
        },
    };
    assert_eq!(
        exports(&runtime, &component),
        [
            function("add", "func(a: u32, b: u32) -> u32"),
            Item {
                name: "test:calc/math#point".into(),
                kind: ExportKind::Type
            },
            Item {
                name: "test:calc/math#mode".into(),
                kind: ExportKind::Type
            },
            function(
                "test:calc/math#scale",
                "func(p: record { x: s32, y: s32 }, by: f64, m: enum { fast, exact }) -> result<record { x: s32, y: s32 }, string>"
            ),
        ]
    );
}

#[test]
fn a_core_module_loads_as_a_module() {
    let runtime = runtime();
    let bytes = wat::parse_str("(module (func (export \"_start\")))").unwrap();
    assert!(matches!(
        load_bytes(&runtime, &bytes, PrecompiledPolicy::Refuse).unwrap(),
        Artifact::Module(_)
    ));
}

#[test]
fn other_bytes_get_a_clear_error() {
    let runtime = runtime();
    let Err(error) = load_bytes(&runtime, b"#!/bin/sh\necho hi\n", PrecompiledPolicy::Refuse)
    else {
        panic!("a shell script must not load");
    };
    assert_eq!(
        format!("{error:#}"),
        "not a WebAssembly binary (it starts with `23 21 2f 62 69 6e 2f 73`, not `00 61 73 6d`); \
         pass a .wasm component or module, e.g. the output of `cargo component build`"
    );
    let mut broken = component(WIT, CORE);
    broken.truncate(broken.len() / 2);
    let Err(error) = load_bytes(&runtime, &broken, PrecompiledPolicy::Refuse) else {
        panic!("a truncated component must not load");
    };
    assert!(
        format!("{error:#}").starts_with("the component does not validate or compile"),
        "{error:#}"
    );
}

#[test]
fn the_wit_of_a_component_is_its_world_and_the_packages_it_uses() {
    let wit = wasmlens_runtime::component_wit(&component(WIT, CORE)).unwrap();
    // The world as the component's type gives it, then the interface's
    // package, as `wasm-tools component wit` prints them.
    assert!(
        wit.starts_with("package root:component;\n\nworld root {\n"),
        "{wit}"
    );
    assert!(
        wit.contains("  export add: func(a: u32, b: u32) -> u32;\n"),
        "{wit}"
    );
    assert!(wit.contains("  export test:calc/math;\n"), "{wit}");
    assert!(
        wit.contains("package test:calc {\n  interface math {\n"),
        "{wit}"
    );
    assert!(
        wit.contains("scale: func(p: point, by: f64, m: mode) -> result<point, string>;"),
        "{wit}"
    );
}

#[test]
fn the_wit_of_something_else_says_what_it_is() {
    let core = wat::parse_str(CORE).unwrap();
    let error = wasmlens_runtime::component_wit(&core).unwrap_err();
    assert!(format!("{error:#}").contains("component"), "{error:#}");
    let error = wasmlens_runtime::component_wit(b"not wasm at all").unwrap_err();
    assert!(!format!("{error:#}").is_empty());
}
