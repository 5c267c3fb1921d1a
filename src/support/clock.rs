//! Clocks: a server is handed a `&dyn Clock` instead of reading the system time itself, so a
//! test can hand it a fixed one and check its answer byte for byte (the test clocks are in
//! `netlings::fixtures::clock`). And Go's way of printing a time.
//!
//! ```
//! use netlings::support::clock::go_time_string;
//! use std::time::{Duration, UNIX_EPOCH};
//!
//! let t = UNIX_EPOCH + Duration::from_secs(1_257_894_000);
//! assert_eq!(go_time_string(t), "2009-11-10 23:00:00 +0000 UTC");
//! ```

use std::time::{SystemTime, UNIX_EPOCH};

/// Something that tells the time.
pub trait Clock: Send + Sync {
    /// The current instant.
    fn now(&self) -> SystemTime;
}

/// The machine's clock: what a real server uses.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// An instant in UTC the way Go's `time.Time.String` prints it (without the monotonic
/// reading): `2009-11-10 23:00:00 +0000 UTC`, with a fraction only when there is one
/// (`23:00:00.5`). Instants before 1970 are printed as 1970-01-01 00:00:00.
pub fn go_time_string(t: SystemTime) -> String {
    let since = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs();
    let (year, month, day) = civil_from_days(secs / 86_400);
    let rest = secs % 86_400;
    let (h, m, s) = (rest / 3600, rest / 60 % 60, rest % 60);
    let mut text = format!("{year:04}-{month:02}-{day:02} {h:02}:{m:02}:{s:02}");
    if since.subsec_nanos() != 0 {
        let fraction = format!("{:09}", since.subsec_nanos());
        text.push('.');
        text.push_str(fraction.trim_end_matches('0'));
    }
    text.push_str(" +0000 UTC");
    text
}

/// The proleptic Gregorian date `days` days after 1970-01-01 (Howard Hinnant's algorithm,
/// restricted to non-negative day counts).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    // Shift the epoch to 0000-03-01 so leap days fall at the end of a 400-year era.
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn known_instants_print_like_go() {
        let cases = [
            (0, "1970-01-01 00:00:00 +0000 UTC"),
            (951_782_400, "2000-02-29 00:00:00 +0000 UTC"),
            (1_257_894_000, "2009-11-10 23:00:00 +0000 UTC"),
            (4_107_542_399, "2100-02-28 23:59:59 +0000 UTC"),
        ];
        for (secs, text) in cases {
            let t = UNIX_EPOCH + Duration::from_secs(secs);
            assert_eq!(go_time_string(t), text, "{secs}");
        }
        let half = UNIX_EPOCH + Duration::from_millis(1500);
        assert_eq!(go_time_string(half), "1970-01-01 00:00:01.5 +0000 UTC");
    }
}
