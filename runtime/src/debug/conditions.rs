//! What a breakpoint asks before it stops: a condition (a C expression
//! over the frame's variables), a hit count, or a message to log instead
//! of stopping — as VS Code and CodeLLDB offer them.

use super::dwarf;

/// The options of one breakpoint; all empty: stop every time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BreakpointOptions {
    /// Stop only when this is true (not zero): `n == 3`, `p->id > 40`.
    pub condition: Option<String>,
    /// Stop only at some hits: `5` or `== 5` (the fifth), `>= 5`, `> 5`,
    /// `< 5`, `<= 5`, `% 5` (every fifth).
    pub hit_condition: Option<String>,
    /// Log this instead of stopping; `{expression}` is replaced by its
    /// value.
    pub log_message: Option<String>,
}

/// A hit condition, parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum HitCondition {
    Equal(u64),
    AtLeast(u64),
    Above(u64),
    Below(u64),
    AtMost(u64),
    Every(u64),
}

impl HitCondition {
    pub fn parse(text: &str) -> Result<HitCondition, String> {
        let text = text.trim();
        let (make, number): (fn(u64) -> HitCondition, &str) =
            if let Some(n) = text.strip_prefix(">=") {
                (HitCondition::AtLeast, n)
            } else if let Some(n) = text.strip_prefix("<=") {
                (HitCondition::AtMost, n)
            } else if let Some(n) = text.strip_prefix("==") {
                (HitCondition::Equal, n)
            } else if let Some(n) = text.strip_prefix('>') {
                (HitCondition::Above, n)
            } else if let Some(n) = text.strip_prefix('<') {
                (HitCondition::Below, n)
            } else if let Some(n) = text.strip_prefix('%') {
                (HitCondition::Every, n)
            } else {
                (HitCondition::Equal, text)
            };
        match number.trim().parse::<u64>().map(make) {
            Ok(HitCondition::Every(0)) => Err("a hit condition `% N` needs N above 0".to_string()),
            Ok(condition) => Ok(condition),
            Err(_) => Err(format!(
                "the hit condition `{text}` is not understood: write `5`, `>= 5`, `> 5`, `< 5`, `<= 5` or `% 5`"
            )),
        }
    }

    /// Whether the `hits`-th hit (from 1) stops.
    pub fn stops_at(self, hits: u64) -> bool {
        match self {
            HitCondition::Equal(n) => hits == n,
            HitCondition::AtLeast(n) => hits >= n,
            HitCondition::Above(n) => hits > n,
            HitCondition::Below(n) => hits < n,
            HitCondition::AtMost(n) => hits <= n,
            HitCondition::Every(n) => n > 0 && hits.is_multiple_of(n),
        }
    }
}

/// Checks a breakpoint's options when it is set, so that a typo is
/// reported on the breakpoint rather than at its first hit.
pub(super) fn check(options: &BreakpointOptions) -> Result<Option<HitCondition>, String> {
    if let Some(condition) = &options.condition {
        dwarf::check_expression(condition).map_err(|e| format!("condition: {e}"))?;
    }
    if let Some(message) = &options.log_message {
        for part in log_parts(message) {
            if let LogPart::Expression(expression) = part {
                dwarf::check_expression(expression)
                    .map_err(|e| format!("log message `{{{expression}}}`: {e}"))?;
            }
        }
    }
    options
        .hit_condition
        .as_deref()
        .filter(|h| !h.trim().is_empty())
        .map(HitCondition::parse)
        .transpose()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum LogPart<'a> {
    Text(&'a str),
    Expression(&'a str),
}

/// A log message's text and `{expression}`s; `{{` and `}}` are braces.
pub(super) fn log_parts(message: &str) -> Vec<LogPart<'_>> {
    let mut parts = Vec::new();
    let mut rest = message;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("{{") {
            parts.push(LogPart::Text("{"));
            rest = after;
        } else if let Some(after) = rest.strip_prefix("}}") {
            parts.push(LogPart::Text("}"));
            rest = after;
        } else if let Some(after) = rest.strip_prefix('{')
            && let Some(end) = after.find('}')
        {
            parts.push(LogPart::Expression(&after[..end]));
            rest = &after[end + 1..];
        } else {
            let end = rest[1..].find(['{', '}']).map_or(rest.len(), |i| i + 1);
            parts.push(LogPart::Text(&rest[..end]));
            rest = &rest[end..];
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hit_conditions_read_as_in_vs_code() {
        let cases: &[(&str, &[u64])] = &[
            ("3", &[3]),
            ("== 3", &[3]),
            (">= 3", &[3, 4, 5, 6]),
            ("> 3", &[4, 5, 6]),
            ("< 3", &[1, 2]),
            ("<= 3", &[1, 2, 3]),
            ("% 2", &[2, 4, 6]),
        ];
        for (text, stops) in cases {
            let condition = HitCondition::parse(text).unwrap();
            let seen: Vec<u64> = (1..=6).filter(|&h| condition.stops_at(h)).collect();
            assert_eq!(&seen, stops, "{text}");
        }
        for bad in ["", "x", "% 0", ">= -1"] {
            assert!(HitCondition::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn log_messages_split_into_text_and_expressions() {
        assert_eq!(
            log_parts("n={n}, {{literal}} p->x={p->x}"),
            [
                LogPart::Text("n="),
                LogPart::Expression("n"),
                LogPart::Text(", "),
                LogPart::Text("{"),
                LogPart::Text("literal"),
                LogPart::Text("}"),
                LogPart::Text(" p->x="),
                LogPart::Expression("p->x"),
            ]
        );
        assert_eq!(log_parts("{unclosed"), [LogPart::Text("{unclosed")]);
    }
}
