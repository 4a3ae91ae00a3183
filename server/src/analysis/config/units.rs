//! Sizes and durations as a user writes them (`64MiB`, `500ms`), in
//! `wasmlens.toml`, the editor's settings and the CLI's flags.

use std::time::Duration;

/// Parses `64MiB`, `64M`, `1GiB`, `1g`, `65536` (bytes).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let digits = text
        .find(|c: char| !(c.is_ascii_digit() || c == '_'))
        .unwrap_or(text.len());
    let number: u64 = text[..digits].replace('_', "").parse().map_err(|_| {
        format!("`{text}` is not a size; write e.g. `64MiB`, `1GiB` or a number of bytes")
    })?;
    let scale = match text[digits..].trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        unit => {
            return Err(format!(
                "unknown size unit `{unit}` in `{text}`; use KiB, MiB or GiB"
            ));
        }
    };
    number
        .checked_mul(scale)
        .ok_or_else(|| format!("`{text}` is too large"))
}

/// Parses `2s`, `500ms`, `1.5s`, `2m`, `1h`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let number: f64 = text[..split]
        .parse()
        .map_err(|_| format!("`{text}` is not a duration; write e.g. `2s`, `500ms` or `1m`"))?;
    let seconds = match &text[split..] {
        "ms" => number / 1000.0,
        "s" | "" => number,
        "m" | "min" => number * 60.0,
        "h" => number * 3600.0,
        unit => {
            return Err(format!(
                "unknown duration unit `{unit}` in `{text}`; use ms, s, m or h"
            ));
        }
    };
    Duration::try_from_secs_f64(seconds).map_err(|_| format!("`{text}` is not a valid duration"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_durations_parse() {
        let sizes = [
            ("64MiB", 64 << 20),
            ("64M", 64 << 20),
            ("1g", 1 << 30),
            ("65536", 65536),
            ("512 KiB", 512 << 10),
        ];
        for (text, bytes) in sizes {
            assert_eq!(parse_size(text), Ok(bytes), "{text}");
        }
        assert!(
            parse_size("12 parsecs")
                .unwrap_err()
                .contains("unknown size unit")
        );
        let durations = [
            ("2s", 2000),
            ("500ms", 500),
            ("1.5s", 1500),
            ("2m", 120_000),
            ("3", 3000),
        ];
        for (text, ms) in durations {
            assert_eq!(
                parse_duration(text),
                Ok(Duration::from_millis(ms)),
                "{text}"
            );
        }
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("5 parsecs").is_err());
    }
}
