//! A traced invocation as a readable tree, one call per line:
//!
//! ```text
//! greet(name: "world") -> "Hello, world!"  [52 µs]
//! ├─ environment.get-environment() -> []  [3 µs]
//! └─ streams.[method]output-stream.blocking-write-and-flush(self: …, contents: […]) -> Ok(())  [9 µs]
//! ```

use std::time::Duration;

use wasmlens_runtime::{Direction, TracedCall};

/// The tree of `root` and the calls inside it.
pub fn tree_text(root: &TracedCall, dropped: usize) -> String {
    let mut text = String::new();
    line(&mut text, root, "", "");
    walk(&mut text, &root.calls, "");
    if dropped > 0 {
        text.push_str(&format!(
            "… and {dropped} more calls, not recorded (at most {} are)\n",
            wasmlens_runtime::MAX_RECORDED_CALLS
        ));
    }
    text
}

fn walk(text: &mut String, calls: &[TracedCall], indent: &str) {
    for (i, call) in calls.iter().enumerate() {
        let last = i + 1 == calls.len();
        let (branch, deeper) = if last {
            ("└─ ", "   ")
        } else {
            ("├─ ", "│  ")
        };
        line(text, call, indent, branch);
        walk(text, &call.calls, &format!("{indent}{deeper}"));
    }
}

fn line(text: &mut String, call: &TracedCall, indent: &str, branch: &str) {
    let arguments: Vec<String> = call
        .arguments
        .iter()
        .map(|(name, value)| format!("{name}: {value}"))
        .collect();
    let name = match &call.interface {
        Some(interface) => format!("{interface}.{}", call.function),
        None => call.function.clone(),
    };
    let result = match &call.result {
        Some(result) => format!(" -> {result}"),
        None if call.direction == Direction::Export => " -> (failed)".to_string(),
        None => " -> (did not return)".to_string(),
    };
    let duration = call
        .duration
        .map(|d| format!("  [{}]", short_duration(d)))
        .unwrap_or_default();
    text.push_str(&format!(
        "{indent}{branch}{name}({}){result}{duration}\n",
        arguments.join(", ")
    ));
}

/// `12 µs`, `3.4 ms`, `1.20 s`.
pub fn short_duration(duration: Duration) -> String {
    let micros = duration.as_secs_f64() * 1e6;
    if micros < 1000.0 {
        format!("{micros:.0} µs")
    } else if micros < 1e6 {
        format!("{:.1} ms", micros / 1e3)
    } else {
        format!("{:.2} s", micros / 1e6)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(function: &str, calls: Vec<TracedCall>) -> TracedCall {
        TracedCall {
            direction: Direction::Import,
            interface: Some("streams".into()),
            function: function.into(),
            arguments: vec![("x".into(), "1".into())],
            result: Some("()".into()),
            start: Duration::ZERO,
            duration: Some(Duration::from_micros(7)),
            calls,
        }
    }

    #[test]
    fn the_tree_shows_nesting_with_branches() {
        let mut root = call(
            "f",
            vec![call("a", vec![call("b", vec![])]), call("c", vec![])],
        );
        root.direction = Direction::Export;
        root.interface = None;
        let expected = "\
f(x: 1) -> ()  [7 µs]
├─ streams.a(x: 1) -> ()  [7 µs]
│  └─ streams.b(x: 1) -> ()  [7 µs]
└─ streams.c(x: 1) -> ()  [7 µs]
";
        assert_eq!(tree_text(&root, 0), expected);
        assert!(
            tree_text(&root, 3).ends_with("… and 3 more calls, not recorded (at most 10000 are)\n")
        );
    }

    #[test]
    fn durations_are_short() {
        assert_eq!(short_duration(Duration::from_micros(12)), "12 µs");
        assert_eq!(short_duration(Duration::from_micros(3400)), "3.4 ms");
        assert_eq!(short_duration(Duration::from_millis(1200)), "1.20 s");
    }
}
