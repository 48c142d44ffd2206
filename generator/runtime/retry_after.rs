//! How long the server asks a client to wait: the `retry-after-ms` header (milliseconds),
//! the `Retry-After` header (seconds or an HTTP date) and the `retry_after` field of a JSON
//! error body such as Baseten's 429 answer.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, RETRY_AFTER};

/// The wait the server asks for, from `retry-after-ms` if present and readable, else from
/// `Retry-After`, else from a JSON object body `{"retry_after": <seconds>}`. `now` turns a
/// date into a wait; a date in the past is no wait. A number too large to represent reads
/// as `Duration::MAX`.
///
/// ```text
/// retry-after-ms: 1500                         -> 1.5 s
/// Retry-After: 37                              -> 37 s
/// Retry-After: Wed, 21 Oct 2015 07:28:00 GMT   -> that date minus now
/// {"error": "rate limited", "retry_after": 37} -> 37 s
/// ```
pub fn server_wait(headers: &HeaderMap, body: &[u8], now: SystemTime) -> Option<Duration> {
    let from_millis = headers
        .get(RETRY_AFTER_MS)
        .and_then(|value| value.to_str().ok())
        .and_then(millis_wait);
    if from_millis.is_some() {
        return from_millis;
    }
    let from_header = headers
        .get(RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .and_then(|text| header_wait(text, now));
    from_header.or_else(|| body_wait(body))
}

/// The header OpenAI's and Stainless-built APIs send beside `Retry-After`, in milliseconds.
const RETRY_AFTER_MS: &str = "retry-after-ms";

/// Reads a `retry-after-ms` value: a non-negative number of milliseconds, maybe with a
/// fraction (`1500`, `250.5`).
pub fn millis_wait(text: &str) -> Option<Duration> {
    let text = text.trim();
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    let (whole, fraction) = text.split_once('.').unwrap_or((text, "0"));
    if whole.is_empty() || fraction.is_empty() || !digits(whole) || !digits(fraction) {
        return None;
    }
    let millis: f64 = text.parse().ok()?;
    Some(Duration::try_from_secs_f64(millis / 1000.0).unwrap_or(Duration::MAX))
}

/// Reads a `Retry-After` value: a number of seconds or an HTTP date.
pub fn header_wait(text: &str, now: SystemTime) -> Option<Duration> {
    let text = text.trim();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        // Only digits: an overflow means "longer than anything we would wait".
        return Some(text.parse().map_or(Duration::MAX, Duration::from_secs));
    }
    let date = parse_http_date(text)?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Reads `retry_after` (a non-negative number of seconds) from a JSON object body.
fn body_wait(body: &[u8]) -> Option<Duration> {
    let first = body.iter().find(|b| !b.is_ascii_whitespace())?;
    if *first != b'{' {
        return None;
    }
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let seconds = value.get("retry_after")?.as_f64()?;
    if !seconds.is_finite() || seconds < 0.0 {
        return None;
    }
    Some(Duration::try_from_secs_f64(seconds).unwrap_or(Duration::MAX))
}

/// Parses the three date formats RFC 9110 §5.6.7 requires a recipient to accept:
/// `Sun, 06 Nov 1994 08:49:37 GMT`, `Sunday, 06-Nov-94 08:49:37 GMT` and
/// `Sun Nov  6 08:49:37 1994`. The weekday is not checked.
pub fn parse_http_date(text: &str) -> Option<SystemTime> {
    let tokens: Vec<&str> = text.split_ascii_whitespace().collect();
    match tokens.as_slice() {
        [weekday, day, month, year, time, "GMT"] if weekday.ends_with(',') => {
            date_time(year.parse().ok()?, month, day, time)
        }
        [weekday, date, time, "GMT"] if weekday.ends_with(',') => {
            let mut parts = date.split('-');
            let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
            if parts.next().is_some() || year.len() != 2 {
                return None;
            }
            let year: i64 = year.parse().ok()?;
            // Two-digit years: RFC 9110 reads one more than 50 years ahead as the past.
            let year = if year < 70 { 2000 + year } else { 1900 + year };
            date_time(year, month, day, time)
        }
        [_weekday, month, day, time, year] => date_time(year.parse().ok()?, month, day, time),
        _ => None,
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn date_time(year: i64, month: &str, day: &str, time: &str) -> Option<SystemTime> {
    let month = MONTHS.iter().position(|m| *m == month)?;
    let month = i64::try_from(month).ok()? + 1;
    let day: i64 = digits(day, 1..=2)?;
    let mut hms = time.split(':');
    let hour: i64 = digits(hms.next()?, 2..=2)?;
    let minute: i64 = digits(hms.next()?, 2..=2)?;
    let second: i64 = digits(hms.next()?, 2..=2)?;
    let valid = (1..=9999).contains(&year)
        && (1..=days_in_month(year, month)).contains(&day)
        && hour < 24
        && minute < 60
        && second <= 60
        && hms.next().is_none();
    if !valid {
        return None;
    }
    let seconds = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second;
    let magnitude = Duration::from_secs(seconds.unsigned_abs());
    if seconds >= 0 {
        UNIX_EPOCH.checked_add(magnitude)
    } else {
        UNIX_EPOCH.checked_sub(magnitude)
    }
}

/// A number written with between `lengths` ASCII digits.
fn digits(text: &str, lengths: std::ops::RangeInclusive<usize>) -> Option<i64> {
    if !lengths.contains(&text.len()) || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (H. Hinnant's
/// `days_from_civil`); every input is range-checked by the caller, so nothing overflows.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let shifted_month = (month + 9) % 12;
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds)
    }

    #[test]
    fn the_three_date_formats_name_the_same_instant() {
        let want = at(784_111_777);
        for text in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
        ] {
            assert_eq!(parse_http_date(text), Some(want), "{text}");
        }
        assert_eq!(
            parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"),
            Some(at(0))
        );
        assert_eq!(
            parse_http_date("Tue, 29 Feb 2000 23:59:59 GMT"),
            Some(at(951_868_799))
        );
    }

    #[test]
    fn malformed_dates_are_refused() {
        for text in [
            "",
            "soon",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 31 Feb 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 06 Nov 1994 8:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37:00 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 06 Nov 0 08:49:37 GMT",
            "Sun, 06 Nov 99999999999999999999 08:49:37 GMT",
            "Sunday, 06-Nov-1994 08:49:37 GMT",
        ] {
            assert_eq!(parse_http_date(text), None, "{text}");
        }
    }

    #[test]
    fn retry_after_reads_seconds_or_a_date_relative_to_now() {
        let now = at(1_000);
        let wait = |text| header_wait(text, now);
        assert_eq!(wait("37"), Some(Duration::from_secs(37)));
        assert_eq!(wait(" 0 "), Some(Duration::ZERO));
        assert_eq!(wait("99999999999999999999999"), Some(Duration::MAX));
        assert_eq!(
            wait("Thu, 01 Jan 1970 00:17:00 GMT"),
            Some(Duration::from_secs(20))
        );
        assert_eq!(wait("Thu, 01 Jan 1970 00:00:01 GMT"), Some(Duration::ZERO));
        assert_eq!(wait("-5"), None);
        assert_eq!(wait("1.5"), None);
        assert_eq!(wait("later"), None);
    }

    #[test]
    fn a_json_body_retry_after_is_read_when_the_header_is_absent() {
        let now = at(0);
        let none = HeaderMap::new();
        let body = br#"{"error": "Rate limit exceeded", "retry_after": 37}"#;
        assert_eq!(server_wait(&none, body, now), Some(Duration::from_secs(37)));
        let fraction = br#" {"retry_after": 0.25}"#;
        assert_eq!(
            server_wait(&none, fraction, now),
            Some(Duration::from_millis(250))
        );
        for body in [
            &br#"{"retry_after": -1}"#[..],
            br#"{"retry_after": "37"}"#,
            br#"[{"retry_after": 37}]"#,
            b"retry_after: 37",
            b"",
        ] {
            assert_eq!(server_wait(&none, body, now), None);
        }
        assert_eq!(
            server_wait(&none, br#"{"retry_after": 1e300}"#, now),
            Some(Duration::MAX)
        );
    }

    #[test]
    fn retry_after_ms_reads_milliseconds_and_wins_over_retry_after() {
        assert_eq!(millis_wait("1500"), Some(Duration::from_millis(1500)));
        assert_eq!(millis_wait(" 0 "), Some(Duration::ZERO));
        assert_eq!(millis_wait("250.5"), Some(Duration::from_micros(250_500)));
        assert_eq!(millis_wait("1e400"), None);
        assert_eq!(
            millis_wait("99999999999999999999999999"),
            Some(Duration::MAX)
        );
        for bad in ["", "-5", "soon", ".5", "1.", "1.2.3", "0x10"] {
            assert_eq!(millis_wait(bad), None, "{bad}");
        }
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, reqwest::header::HeaderValue::from_static("3"));
        headers.insert(
            RETRY_AFTER_MS,
            reqwest::header::HeaderValue::from_static("120"),
        );
        let body = br#"{"retry_after": 37}"#;
        assert_eq!(
            server_wait(&headers, body, at(0)),
            Some(Duration::from_millis(120))
        );
        headers.insert(
            RETRY_AFTER_MS,
            reqwest::header::HeaderValue::from_static("garbage"),
        );
        assert_eq!(
            server_wait(&headers, body, at(0)),
            Some(Duration::from_secs(3))
        );
    }

    #[test]
    fn the_header_wins_over_the_body() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, reqwest::header::HeaderValue::from_static("3"));
        let body = br#"{"retry_after": 37}"#;
        assert_eq!(
            server_wait(&headers, body, at(0)),
            Some(Duration::from_secs(3))
        );
        headers.insert(
            RETRY_AFTER,
            reqwest::header::HeaderValue::from_static("garbage"),
        );
        assert_eq!(
            server_wait(&headers, body, at(0)),
            Some(Duration::from_secs(37))
        );
    }
}
