//! The runtime as the language server uses it: one prepared component
//! invoked many times, output captured with a cap that does not trap the
//! guest, limits that leave the runtime usable afterwards.

use std::sync::{Arc, Mutex};

use wasmlens_runtime::sandbox::Stream;
use wasmlens_runtime::{
    Artifact, Capabilities, EngineOptions, LimitHit, Limits, PrecompiledPolicy, Prepared, RunError,
    Runtime, Stdio, load_bytes,
};
use wasmlens_tests::components::{CALC_CORE, CALC_WIT, component, hello_command};

fn runtime() -> Runtime {
    Runtime::with_options(EngineOptions {
        cache_dir: None,
        ..EngineOptions::with_limits()
    })
    .unwrap()
}

fn prepared(runtime: &Runtime, bytes: &[u8]) -> Prepared {
    let artifact = load_bytes(runtime, bytes, PrecompiledPolicy::Refuse).unwrap();
    assert!(matches!(artifact, Artifact::Component(_)));
    Prepared::new(runtime, &artifact).unwrap()
}

#[tokio::test]
async fn one_prepared_component_serves_many_calls_and_survives_limits() {
    let runtime = runtime();
    let calc = prepared(&runtime, &component(CALC_WIT, CALC_CORE));
    let none = Capabilities::default();
    for i in 0..50u32 {
        let got = calc
            .invoke(&format!("add({i}, 1)"), &none, &Limits::editor())
            .await
            .unwrap();
        assert_eq!(got.results, [(i + 1).to_string()]);
    }
    // Each limit stops its fixture with its own kind...
    let limited = Limits {
        fuel: Some(100_000),
        max_memory: Some(1 << 20),
        timeout: Some(std::time::Duration::from_millis(200)),
        ..Limits::default()
    };
    match calc.invoke("spin()", &none, &limited).await {
        Err(RunError::Limit(LimitHit::Fuel(100_000), _)) => {}
        other => panic!("expected the fuel limit, got {other:?}"),
    }
    match calc
        .invoke(
            "bomb()",
            &none,
            &Limits {
                fuel: None,
                ..limited.clone()
            },
        )
        .await
    {
        Err(RunError::Limit(LimitHit::Memory(bytes), _)) => assert_eq!(bytes, 1 << 20),
        other => panic!("expected the memory limit, got {other:?}"),
    }
    match calc
        .invoke(
            "spin()",
            &none,
            &Limits {
                fuel: None,
                ..limited.clone()
            },
        )
        .await
    {
        Err(RunError::Limit(LimitHit::Timeout(_), _)) => {}
        other => panic!("expected the timeout, got {other:?}"),
    }
    match calc.invoke("crash()", &none, &Limits::editor()).await {
        Err(RunError::Trap(report)) => {
            assert!(report.message.contains("unreachable"), "{report}");
            assert!(!report.frames.is_empty());
        }
        other => panic!("expected a trap, got {other:?}"),
    }
    // ... and the same prepared component still answers.
    let got = calc
        .invoke("greet(\"again\")", &none, &Limits::editor())
        .await
        .unwrap();
    assert_eq!(got.results, ["\"Hello, again!\""]);
}

#[tokio::test]
async fn captured_output_stops_at_the_cap_without_trapping_the_guest() {
    let runtime = runtime();
    let hello = prepared(&runtime, &hello_command(false));
    let received = Arc::new(Mutex::new(Vec::new()));
    let sink = received.clone();
    let stdio = Stdio::capture(
        5,
        Arc::new(move |stream, bytes: &[u8]| {
            assert_eq!(stream, Stream::Stdout);
            sink.lock().unwrap().extend_from_slice(bytes);
        }),
    );
    let Stdio::Capture { state, .. } = &stdio else {
        unreachable!()
    };
    let state = state.clone();
    let capabilities = Capabilities {
        stdio,
        ..Capabilities::default()
    };
    let code = hello.run(&capabilities, &Limits::editor()).await.unwrap();
    assert_eq!(code, 0, "the guest ran to its end");
    assert_eq!(&*received.lock().unwrap(), b"hello");
    assert!(state.truncated());
    assert_eq!(state.delivered(), 5);
}

#[test]
fn precompiled_code_from_another_configuration_is_refused_clearly() {
    let without_fuel = Runtime::with_options(EngineOptions {
        cache_dir: None,
        fuel: false,
        epochs: false,
        pooling: None,
        guest_debug: false,
    })
    .unwrap();
    let bytes = component(CALC_WIT, CALC_CORE);
    let compiled = wasmlens_runtime::precompile(&without_fuel, &bytes).unwrap();
    // The same engine takes it back...
    assert!(load_bytes(&without_fuel, &compiled, PrecompiledPolicy::Allow).is_ok());
    // ... one that counts fuel does not, and says what to do.
    let error = load_bytes(&runtime(), &compiled, PrecompiledPolicy::Allow)
        .err()
        .expect("refused");
    let message = format!("{error:#}");
    assert!(
        message.contains("compile it again with `wasmlens compile`"),
        "{message}"
    );
    // Without permission, none is loaded.
    let error = load_bytes(&without_fuel, &compiled, PrecompiledPolicy::Refuse)
        .err()
        .expect("refused");
    assert!(format!("{error:#}").contains("--allow-precompiled"));
}

#[test]
fn truncated_and_foreign_binaries_get_clear_errors() {
    let runtime = runtime();
    let bytes = component(CALC_WIT, CALC_CORE);
    let cases: [(&[u8], &str); 3] = [
        (&bytes[..bytes.len() / 2], "does not validate or compile"),
        (b"\0asm\x0d\x00\x02\x00", "unknown version or layer"),
        (b"\0as", "the file has only 3 bytes"),
    ];
    for (input, expected) in cases {
        let error = load_bytes(&runtime, input, PrecompiledPolicy::Refuse)
            .err()
            .expect("an error");
        let message = format!("{error:#}");
        assert!(
            message.contains(expected),
            "{expected:?} not in {message:?}"
        );
    }
}
