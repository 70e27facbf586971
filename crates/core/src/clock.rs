//! The cluster's one clock and RFC 3339 conversion (no date crate needed: the
//! proleptic Gregorian arithmetic below is exact for years 0000-9999).

use serde::{Deserialize, Serialize};

/// Milliseconds since the Unix epoch. Manual clocks move only when told to;
/// a system clock reads `js_sys::Date::now()` (wasm) or `SystemTime` (native) via `now_fn`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Clock {
    /// The current virtual time in ms. For a system clock this is the last reading.
    pub now_ms: i64,
    pub manual: bool,
}

impl Clock {
    pub fn manual(start_ms: i64) -> Clock {
        Clock {
            now_ms: start_ms,
            manual: true,
        }
    }
    pub fn system() -> Clock {
        Clock {
            now_ms: system_now_ms(),
            manual: false,
        }
    }
    pub fn now_ms(&self) -> i64 {
        self.now_ms
    }
    /// A system clock catches up with real time; never moves backwards.
    pub fn tick(&mut self) {
        if !self.manual {
            self.now_ms = self.now_ms.max(system_now_ms());
        }
    }
    pub fn advance_ms(&mut self, ms: i64) {
        self.now_ms = self.now_ms.saturating_add(ms.max(0));
    }
    pub fn set_at_least(&mut self, ms: i64) {
        self.now_ms = self.now_ms.max(ms);
    }
}

#[cfg(target_arch = "wasm32")]
pub fn system_now_ms() -> i64 {
    js_sys::Date::now() as i64
}

#[cfg(not(target_arch = "wasm32"))]
pub fn system_now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// (year, month, day, hour, minute, second, weekday 0=Sunday) of a Unix second.
pub fn civil(secs: i64) -> (i64, i64, i64, i64, i64, i64, i64) {
    let days = secs.div_euclid(86400);
    let rem = secs.rem_euclid(86400);
    let (y, m, d) = civil_from_days(days);
    let wd = (days + 4).rem_euclid(7);
    (y, m, d, rem / 3600, (rem % 3600) / 60, rem % 60, wd)
}

/// "2023-10-12T15:11:07Z"
pub fn format_rfc3339(secs: i64) -> String {
    let (y, mo, d, h, mi, s, _) = civil(secs);
    if !(0..=9999).contains(&y) {
        return format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z");
    }
    // Digits by hand: every stored object's timestamps are written on each list and
    // Table, and the formatter machinery was most of that (issue #14).
    let mut b = *b"0000-00-00T00:00:00Z";
    for (at, width, v) in [
        (0, 4, y),
        (5, 2, mo),
        (8, 2, d),
        (11, 2, h),
        (14, 2, mi),
        (17, 2, s),
    ] {
        let mut v = v;
        for c in b[at..at + width].iter_mut().rev() {
            *c = b'0' + (v % 10) as u8;
            v /= 10;
        }
    }
    b.iter().map(|&c| char::from(c)).collect()
}

/// metav1.MicroTime: "2023-10-12T15:11:07.123456Z"
pub fn format_rfc3339_micro(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let frac = ms.rem_euclid(1000) * 1000;
    let (y, mo, d, h, mi, s, _) = civil(secs);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{frac:06}Z")
}

/// Parses RFC 3339 ("2006-01-02T15:04:05[.frac](Z|±hh:mm)") to epoch ms.
pub fn parse_rfc3339_millis(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || !(b[10] == b'T' || b[10] == b't')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let t = s.get(r)?;
        if !t.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        t.parse().ok()
    };
    let (y, mo, d, h, mi, se) = (
        num(0..4)?,
        num(5..7)?,
        num(8..10)?,
        num(11..13)?,
        num(14..16)?,
        num(17..19)?,
    );
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    let mut i = 19;
    let mut ms = 0i64;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return None;
        }
        let frac = &s[start..i];
        let mut digits: String = frac.chars().take(3).collect();
        while digits.len() < 3 {
            digits.push('0');
        }
        ms = digits.parse().ok()?;
    }
    let offset = match b.get(i)? {
        b'Z' | b'z' if i + 1 == b.len() => 0,
        c @ (b'+' | b'-') if i + 6 == b.len() && b[i + 3] == b':' => {
            let oh = num(i + 1..i + 3)?;
            let om = num(i + 4..i + 6)?;
            let o = (oh * 60 + om) * 60;
            if *c == b'+' {
                o
            } else {
                -o
            }
        }
        _ => return None,
    };
    let days = days_from_civil(y, mo, d);
    let secs = days * 86400 + h * 3600 + mi * 60 + se - offset;
    Some(secs * 1000 + ms)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn round_trips_rfc3339() {
        let ms = parse_rfc3339_millis("2023-10-12T15:11:07Z").unwrap();
        assert_eq!(format_rfc3339(ms / 1000), "2023-10-12T15:11:07Z");
        assert_eq!(parse_rfc3339_millis("2023-10-12T17:11:07+02:00"), Some(ms));
        assert_eq!(format_rfc3339_micro(ms + 5), "2023-10-12T15:11:07.005000Z");
        assert_eq!(parse_rfc3339_millis("nonsense"), None);
        assert_eq!(civil(0).6, 4, "1970-01-01 was a Thursday");
    }

    /// The hand-written digits equal the formatter's text, inside and outside 0000-9999.
    #[test]
    fn rfc3339_digits_equal_the_formatter() {
        let formatter = |secs: i64| {
            let (y, mo, d, h, mi, s, _) = civil(secs);
            format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
        };
        let mut secs: Vec<i64> = vec![0, 1, 59, 86_399, 951_782_400, 253_402_300_799];
        secs.extend([253_402_300_800, -1, -62_167_219_200, -62_167_219_201]);
        secs.extend([i64::MIN / 1000, i64::MAX / 1000]);
        secs.extend((0..2000).map(|i| i * 7_919_993 + 13));
        for s in secs {
            assert_eq!(format_rfc3339(s), formatter(s), "{s}");
        }
    }
}
