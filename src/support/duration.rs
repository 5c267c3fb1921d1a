//! Durations on a command line (chapter 8): `500ms`, `10s`, `2m`, read and shown back.
//!
//! A smaller cousin of Go's `time.ParseDuration`: one whole number and one unit, because a
//! socket timeout needs nothing finer; no zero, because a zero timeout means "no time at all" to
//! Go but is refused by std's `set_read_timeout`; and nothing longer than [`MAX_DURATION`], a
//! week, because a server adds these to `Instant::now()` and an absurd length would overflow
//! the clock (`overflow when adding duration to instant`, a panic in every client thread).
//!
//! ```
//! use std::time::Duration;
//! use netlings::support::duration::{parse_duration, show};
//!
//! assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
//! assert_eq!(show(Duration::from_secs(120)), "120s");
//! assert!(parse_duration("0s").is_err());
//! assert!(parse_duration("10000000000000000000s").is_err());
//! ```

use std::time::Duration;

/// The longest duration [`parse_duration`] accepts: a week (`10080m`). Longer is no timeout
/// anyone means, and far longer overflows `Instant` arithmetic.
pub const MAX_DURATION: Duration = Duration::from_secs(7 * 24 * 60 * 60);

/// Parses a duration written as a whole number and a unit: `250ms`, `10s`, `2m`. Zero is
/// refused (a zero timeout means "no time at all" to Go but is an error to
/// `set_read_timeout`), and so is anything longer than [`MAX_DURATION`].
/// The error says what is wrong, for clap to print (it is a `value_parser`).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let (number, unit) = text.split_at(digits);
    if number.is_empty() {
        return Err(format!(
            "{text:?} does not start with a number (try 500ms, 10s or 2m)"
        ));
    }
    let too_long = || {
        format!(
            "{text:?} is too long: the most is {} (a week)",
            show(MAX_DURATION)
        )
    };
    // A number too large for u64 is too long in any unit.
    let n: u64 = number.parse().map_err(|_| too_long())?;
    let duration = match unit {
        "ms" => Duration::from_millis(n),
        "s" => Duration::from_secs(n),
        "m" => Duration::from_secs(n.checked_mul(60).ok_or_else(too_long)?),
        "" => return Err(format!("{text:?} has no unit (ms, s or m)")),
        other => {
            return Err(format!(
                "unknown unit {other:?} in {text:?} (use ms, s or m)"
            ));
        }
    };
    if duration.is_zero() {
        return Err("a timeout must be longer than zero".to_string());
    }
    if duration > MAX_DURATION {
        return Err(too_long());
    }
    Ok(duration)
}

/// Shows a duration the way [`parse_duration`] reads it: whole seconds as `10s`, anything
/// else in milliseconds (`1500ms`). Nanoseconds below a millisecond are not shown.
pub fn show(d: Duration) -> String {
    if d.subsec_millis() == 0 && d.as_secs() > 0 {
        format!("{}s", d.as_secs())
    } else {
        format!("{}ms", d.as_millis())
    }
}

#[cfg(test)]
mod tests {
    use super::{MAX_DURATION, parse_duration, show};
    use crate::harness::Rng;
    use std::time::Duration;

    #[test]
    fn whole_numbers_with_a_unit_parse_and_everything_else_says_why_not() {
        let no_number =
            |t: &str| format!("{t:?} does not start with a number (try 500ms, 10s or 2m)");
        let unknown = |u: &str, t: &str| format!("unknown unit {u:?} in {t:?} (use ms, s or m)");
        let zero = "a timeout must be longer than zero".to_string();
        let too_long = |t: &str| format!("{t:?} is too long: the most is 604800s (a week)");
        let cases: [(&str, Result<Duration, String>); 17] = [
            ("250ms", Ok(Duration::from_millis(250))),
            ("10s", Ok(Duration::from_secs(10))),
            ("2m", Ok(Duration::from_secs(120))),
            ("1500ms", Ok(Duration::from_millis(1500))),
            ("0s", Err(zero.clone())),
            ("0ms", Err(zero)),
            ("10", Err("\"10\" has no unit (ms, s or m)".to_string())),
            ("s", Err(no_number("s"))),
            ("", Err(no_number(""))),
            ("1.5s", Err(unknown(".5s", "1.5s"))),
            ("-1s", Err(no_number("-1s"))),
            ("10h", Err(unknown("h", "10h"))),
            ("5 s", Err(unknown(" s", "5 s"))),
            (
                "99999999999999999999s",
                Err(too_long("99999999999999999999s")),
            ),
            (
                "10000000000000000000s",
                Err(too_long("10000000000000000000s")),
            ),
            ("604801s", Err(too_long("604801s"))),
            ("604800s", Ok(MAX_DURATION)),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_duration(text), expected, "parse_duration({text:?})");
        }
    }

    #[test]
    fn durations_past_a_week_are_refused_and_none_overflows_the_clock() {
        for text in [
            format!("{}m", u64::MAX),
            format!("{}m", u64::MAX / 60 + 1),
            format!("{}s", u64::MAX),
            format!("{}ms", u64::MAX),
            "10081m".to_string(),
        ] {
            let err = parse_duration(&text).expect_err(&text);
            assert!(
                err.ends_with("is too long: the most is 604800s (a week)"),
                "{err}"
            );
        }
        assert_eq!(parse_duration("10080m"), Ok(MAX_DURATION));
        // What a server does with a parsed duration must not panic.
        assert!(
            std::time::Instant::now()
                .checked_add(MAX_DURATION)
                .is_some()
        );
    }

    #[test]
    fn show_writes_whole_seconds_in_seconds_and_the_rest_in_milliseconds() {
        assert_eq!(show(Duration::from_secs(7)), "7s");
        assert_eq!(show(Duration::from_millis(1500)), "1500ms");
        assert_eq!(show(Duration::from_millis(300)), "300ms");
        assert_eq!(show(Duration::ZERO), "0ms");
    }

    #[test]
    fn what_show_writes_parses_back_and_nothing_panics() {
        let mut rng = Rng::new(8);
        for _ in 0..2000 {
            let ms = rng.below(10_000_000) + 1;
            let text = format!("{ms}ms");
            let d = Duration::from_millis(ms);
            assert_eq!(parse_duration(&text), Ok(d), "parse_duration({text:?})");
            let shown = show(d);
            assert_eq!(
                parse_duration(&shown),
                Ok(d),
                "parse_duration(show({ms}ms) = {shown:?})"
            );
        }
        for _ in 0..5000 {
            let text = rng.string("0123456789msh .-", 12);
            // Any answer will do, but not a panic.
            let _ = parse_duration(&text);
        }
    }
}
