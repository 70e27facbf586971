//! The AGE column: apimachinery `duration.HumanDuration` and the printers'
//! `translateTimestampSince` (now − creationTimestamp, `<unknown>` when the
//! object has no creation time).

use serde_json::Value;
use servicecidr_core::model::Time;

/// `HumanDuration` for a whole number of seconds.
pub fn human_duration(d_seconds: i64) -> String {
    human_duration_ms(d_seconds.saturating_mul(1000))
}

/// `HumanDuration` for a duration in milliseconds. Upstream truncates toward
/// zero at every step (Go integer division of a Duration), and tolerates up
/// to −1 s of clock skew as "0s" before calling the age `<invalid>`.
pub fn human_duration_ms(d_ms: i64) -> String {
    let seconds = d_ms / 1000;
    if seconds < -1 {
        return "<invalid>".into();
    }
    if seconds < 0 {
        return "0s".into();
    }
    if seconds < 60 * 2 {
        return format!("{seconds}s");
    }
    let minutes = d_ms / 60_000;
    if minutes < 10 {
        let s = seconds % 60;
        return if s == 0 {
            format!("{minutes}m")
        } else {
            format!("{minutes}m{s}s")
        };
    }
    if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = d_ms / 3_600_000;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 {
            format!("{hours}h")
        } else {
            format!("{hours}h{m}m")
        };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        let h = hours % 24;
        return if h == 0 {
            format!("{}d", hours / 24)
        } else {
            format!("{}d{}h", hours / 24, h)
        };
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    if hours < 24 * 365 * 8 {
        let dy = (hours / 24) % 365;
        return if dy == 0 {
            format!("{}y", hours / 24 / 365)
        } else {
            format!("{}y{}d", hours / 24 / 365, dy)
        };
    }
    format!("{}y", hours / 24 / 365)
}

/// `translateTimestampSince`: the AGE of an object created at `created`
/// (None = no creationTimestamp) when the clock reads `now_ms`.
pub fn age(created: Option<Time>, now_ms: i64) -> String {
    match created {
        None => "<unknown>".into(),
        Some(t) => human_duration_ms(now_ms.saturating_sub(t.seconds().saturating_mul(1000))),
    }
}

/// [`age`] of an object in JSON shape (reads `metadata.creationTimestamp`).
pub fn age_of(obj: &Value, now_ms: i64) -> String {
    let created = obj
        .pointer("/metadata/creationTimestamp")
        .and_then(Value::as_str)
        .and_then(servicecidr_core::clock::parse_rfc3339_millis)
        .map(Time::from_millis);
    age(created, now_ms)
}

/// `translateMicroTimestampSince` for a timestamp as JSON text: the age of an
/// Event time (eventTime, series.lastObservedTime, deprecated*Timestamp) with
/// its sub-second part kept; `<unknown>` when empty or unparsable.
pub fn since_rfc3339(t: &str, now_ms: i64) -> String {
    match servicecidr_core::clock::parse_rfc3339_millis(t) {
        Some(ms) if !t.is_empty() => human_duration_ms(now_ms.saturating_sub(ms)),
        _ => "<unknown>".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: i64 = 1;
    const M: i64 = 60;
    const H: i64 = 3600;
    const D: i64 = 86400;

    // apimachinery duration_test.go TestHumanDuration cases.
    #[test]
    fn upstream_human_duration_cases() {
        let cases = [
            (S, "1s"),
            (70 * S, "70s"),
            (190 * S, "3m10s"),
            (70 * M, "70m"),
            (47 * H, "47h"),
            (49 * H, "2d1h"),
            (8 * D + M, "8d"),
            (367 * D + M, "367d"),
            ((365 * 2 * 24 + 25) * H, "2y1d"),
            ((365 * 8 * 24 + 2) * H, "8y"),
        ];
        for (d, want) in cases {
            assert_eq!(human_duration(d), want, "{d}s");
        }
    }

    #[test]
    fn every_boundary() {
        let cases = [
            (-3, "<invalid>"),
            (-2, "<invalid>"),
            (-1, "0s"),
            (0, "0s"),
            (119, "119s"),
            (120, "2m"),
            (121, "2m1s"),
            (9 * M + 59, "9m59s"),
            (10 * M, "10m"),
            (10 * M + 59, "10m"),
            (3 * H - 1, "179m"),
            (3 * H, "3h"),
            (3 * H + M, "3h1m"),
            (8 * H - 1, "7h59m"),
            (8 * H, "8h"),
            (48 * H - 1, "47h"),
            (48 * H, "2d"),
            (48 * H + H, "2d1h"),
            (8 * D - 1, "7d23h"),
            (8 * D, "8d"),
            (17 * D, "17d"),
            (730 * D - 1, "729d"),
            (730 * D, "2y"),
            (731 * D, "2y1d"),
            (8 * 365 * D - 1, "7y364d"),
            (8 * 365 * D, "8y"),
            (100 * 365 * D, "100y"),
        ];
        for (d, want) in cases {
            assert_eq!(human_duration(d), want, "{d}s");
        }
    }

    #[test]
    fn sub_second_skew_truncates_toward_zero() {
        assert_eq!(human_duration_ms(-1999), "0s");
        assert_eq!(human_duration_ms(-2000), "<invalid>");
        assert_eq!(human_duration_ms(999), "0s");
        assert_eq!(human_duration_ms(119_999), "119s");
        assert_eq!(human_duration_ms(120_000), "2m");
    }

    #[test]
    fn extreme_values_do_not_overflow() {
        assert_eq!(human_duration(i64::MIN), "<invalid>");
        assert!(human_duration(i64::MAX).ends_with('y'));
        assert_eq!(
            age(Some(Time(i64::MIN)), i64::MAX),
            human_duration_ms(i64::MAX)
        );
    }

    #[test]
    fn age_uses_creation_timestamp() {
        let created = Time(1_697_123_467); // 2023-10-12T15:11:07Z
        let now = (1_697_123_467 + 17 * D) * 1000 + 500;
        assert_eq!(age(Some(created), now), "17d");
        assert_eq!(age(None, now), "<unknown>");
        let obj = serde_json::json!({"metadata": {"creationTimestamp": "2023-10-12T15:11:07Z"}});
        assert_eq!(age_of(&obj, now), "17d");
        assert_eq!(
            age_of(&serde_json::json!({"metadata": {}}), now),
            "<unknown>"
        );
    }

    #[test]
    fn since_rfc3339_keeps_sub_seconds_and_reports_unknown() {
        let t = "2026-11-27T10:45:33.500000Z";
        let at = servicecidr_core::clock::parse_rfc3339_millis(t).unwrap();
        // Sub-seconds count: 119.6 s after :33.5 is 119s; truncating the start
        // to :33 (as `age` does for metav1.Time) would make it 2m.
        assert_eq!(since_rfc3339(t, at + 119_600), "119s");
        assert_eq!(since_rfc3339(t, at + 120_000), "2m");
        assert_eq!(since_rfc3339("", at), "<unknown>");
        assert_eq!(since_rfc3339("yesterday", at), "<unknown>");
    }
}
