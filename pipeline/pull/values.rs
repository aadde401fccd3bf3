//! Cell values and the contract's reading rules for them: null tokens, dates,
//! timestamps, countries, enumerations, lists, amounts and whole numbers.
//!
//! Every parser takes a [`Cell`] and returns `Ok(None)` for null, `Ok(Some)`
//! for a value, and `Err(Invalid)` when the cell breaks the rule; the caller maps
//! the error to the rule's reason code.

use std::borrow::Cow;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};

use crate::codes::Codes;

/// A cell that breaks its column's rule; the caller knows the reason code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Invalid;

/// One cell as a reader found it, before any rule is applied.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Text(String),
    /// XLSX numeric cells and JSON numbers.
    Number(f64),
    Bool(bool),
    /// XLSX native date cells.
    Date(NaiveDate),
    /// XLSX native date-time cells.
    DateTime(NaiveDateTime),
}

/// True for the contract's null tokens: empty, `NA`, `N/A`, `null`, `-`.
pub fn is_null_token(s: &str) -> bool {
    let t = s.trim();
    t.is_empty()
        || t.eq_ignore_ascii_case("na")
        || t.eq_ignore_ascii_case("n/a")
        || t.eq_ignore_ascii_case("null")
        || t == "-"
}

impl Cell {
    /// A text cell, trimmed, with the null tokens turned into [`Cell::Null`].
    pub fn text(s: &str) -> Cell {
        let t = s.trim();
        if is_null_token(t) {
            Cell::Null
        } else {
            Cell::Text(t.to_string())
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Cell::Null)
    }

    /// The value as text for string columns; numbers lose a `.0`.
    pub fn as_string(&self) -> Option<String> {
        self.as_text().map(Cow::into_owned)
    }

    /// [`Cell::as_string`] without a copy of a text cell: the pull reads
    /// every cell through this (copies per cell were part of the third of
    /// its time spent in the allocator).
    pub fn as_text(&self) -> Option<Cow<'_, str>> {
        match self {
            Cell::Null => None,
            Cell::Text(s) => Some(Cow::Borrowed(s)),
            Cell::Number(n) => Some(Cow::Owned(fmt_number(*n))),
            Cell::Bool(b) => Some(Cow::Owned(b.to_string())),
            Cell::Date(d) => Some(Cow::Owned(d.format("%Y-%m-%d").to_string())),
            Cell::DateTime(t) => Some(Cow::Owned(t.format("%Y-%m-%d %H:%M:%S").to_string())),
        }
    }

    /// The original value as text, for the quarantine (null is empty).
    pub fn original(&self) -> String {
        self.as_string().unwrap_or_default()
    }
}

/// Formats a number as people write it: whole numbers without a fraction.
pub fn fmt_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// Header matching: trimmed, BOM removed, lower case, spaces and `-` as `_`.
pub fn normalise_header(h: &str) -> String {
    h.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        .to_lowercase()
        .chars()
        .map(|c| {
            if matches!(c, ' ' | '-' | '\t') {
                '_'
            } else {
                c
            }
        })
        .collect()
}

/// Enumeration matching: lower case, spaces accepted for `_`.
pub fn normalise_enum(s: &str) -> String {
    s.trim().to_lowercase().replace(' ', "_")
}

/// `normalise_enum(input) == normalise_enum(spelling)` for a trimmed input
/// and a trimmed spelling, without allocating when both are ASCII (every
/// shipped spelling is): this runs for every enumerated cell.
fn enum_eq(input: &str, spelling: &str) -> bool {
    if input.is_ascii() && spelling.is_ascii() {
        let norm = |b: u8| {
            if b == b' ' {
                b'_'
            } else {
                b.to_ascii_lowercase()
            }
        };
        input.len() == spelling.len()
            && input
                .bytes()
                .zip(spelling.bytes())
                .all(|(a, b)| norm(a) == norm(b))
    } else {
        normalise_enum(input) == normalise_enum(spelling)
    }
}

fn digits(s: &str, min: usize, max: usize) -> Option<u32> {
    if s.len() < min || s.len() > max || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Parses the contract's text date forms: `YYYY-MM-DD`, `YYYY/MM/DD`,
/// `DD/MM/YYYY` and `DD.MM.YYYY`, with one- or two-digit day and month.
pub fn parse_date_text(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let sep = if s.contains('-') {
        '-'
    } else if s.contains('/') {
        '/'
    } else if s.contains('.') {
        '.'
    } else {
        return None;
    };
    let mut split = s.split(sep);
    let (Some(a), Some(b), Some(c), None) =
        (split.next(), split.next(), split.next(), split.next())
    else {
        return None;
    };
    let (y, m, d) = if a.len() == 4 && sep != '.' {
        (a, b, c)
    } else if c.len() == 4 && sep != '-' {
        (c, b, a)
    } else {
        return None;
    };
    NaiveDate::from_ymd_opt(digits(y, 4, 4)? as i32, digits(m, 1, 2)?, digits(d, 1, 2)?)
}

/// A date column.
pub fn parse_date(cell: &Cell) -> Result<Option<NaiveDate>, Invalid> {
    match cell {
        Cell::Null => Ok(None),
        Cell::Text(s) => parse_date_text(s).map(Some).ok_or(Invalid),
        Cell::Date(d) => Ok(Some(*d)),
        Cell::DateTime(t) => Ok(Some(t.date())),
        Cell::Number(_) | Cell::Bool(_) => Err(Invalid),
    }
}

/// Parses RFC 3339, `YYYY-MM-DD HH:MM:SS[.f]` (UTC) and a bare ISO date
/// (midnight UTC).
pub fn parse_timestamp_text(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    if let Ok(t) = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f") {
        return Some(t.and_utc());
    }
    if s.contains('-') && !s.contains(':') {
        return parse_date_text(s).map(|d| d.and_time(NaiveTime::MIN).and_utc());
    }
    None
}

/// A timestamp column.
pub fn parse_timestamp(cell: &Cell) -> Result<Option<DateTime<Utc>>, Invalid> {
    match cell {
        Cell::Null => Ok(None),
        Cell::Text(s) => parse_timestamp_text(s).map(Some).ok_or(Invalid),
        Cell::Date(d) => Ok(Some(d.and_time(NaiveTime::MIN).and_utc())),
        Cell::DateTime(t) => Ok(Some(t.and_utc())),
        Cell::Number(_) | Cell::Bool(_) => Err(Invalid),
    }
}

/// A country code, ISO alpha-2 or alpha-3 in any case, to upper-case alpha-3.
pub fn parse_country(cell: &Cell, codes: &'static Codes) -> Result<Option<&'static str>, Invalid> {
    let Some(s) = cell.as_text() else {
        return Ok(None);
    };
    let s = s.trim();
    let found = if s.len() <= 3 && s.is_ascii() {
        // Upper case on the stack: this runs for every case row.
        let mut buf = [0u8; 3];
        buf[..s.len()].copy_from_slice(s.as_bytes());
        buf.make_ascii_uppercase();
        std::str::from_utf8(&buf[..s.len()])
            .ok()
            .and_then(|k| codes.countries.get(k))
    } else {
        codes.countries.get(&s.to_uppercase())
    };
    found.map(|c| Some(c.as_str())).ok_or(Invalid)
}

/// An enumeration: `spellings` lists each canonical value with the other
/// spellings it accepts (the canonical one is always accepted).
pub fn parse_enum(
    cell: &Cell,
    spellings: &[(&'static str, &[&str])],
) -> Result<Option<&'static str>, Invalid> {
    let Some(s) = cell.as_text() else {
        return Ok(None);
    };
    let s = s.trim();
    for (canonical, others) in spellings {
        if enum_eq(s, canonical) || others.iter().any(|o| enum_eq(s, o)) {
            return Ok(Some(canonical));
        }
    }
    Err(Invalid)
}

/// Splits a list on the given separators; items trimmed, empty items and
/// repeats dropped, first-seen order kept.
pub fn split_list(s: &str, separators: &[char]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in s.split(|c| separators.contains(&c)) {
        let item = item.trim();
        if !item.is_empty() && !out.iter().any(|o| o == item) {
            out.push(item.to_string());
        }
    }
    out
}

/// A list of vulnerability codes (`;` or `,`), each matched in any case.
pub fn parse_vulnerabilities(cell: &Cell, codes: &Codes) -> Result<Option<Vec<String>>, Invalid> {
    let Some(s) = cell.as_text() else {
        return Ok(None);
    };
    let mut out: Vec<String> = Vec::new();
    for item in split_list(&s, &[';', ',']) {
        let code = item.to_uppercase();
        if !codes.vulnerabilities.contains(&code) {
            return Err(Invalid);
        }
        if !out.contains(&code) {
            out.push(code);
        }
    }
    Ok(Some(out))
}

/// Why an amount was rejected.
#[derive(Debug, PartialEq, Eq)]
pub enum AmountError {
    Invalid,
    Negative,
}

fn is_plain_decimal(s: &str) -> bool {
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let int_ok = !int.is_empty() && int.bytes().all(|b| b.is_ascii_digit());
    let frac_ok = frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
    int_ok && frac_ok
}

fn is_grouped_decimal(s: &str) -> bool {
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let groups: Vec<&str> = int.split(',').collect();
    groups.len() > 1
        && (1..=3).contains(&groups[0].len())
        && groups[0].bytes().all(|b| b.is_ascii_digit())
        && groups[1..]
            .iter()
            .all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// An amount: `1234.5` or `1,234.50` (comma as thousands separator); below
/// zero is [`AmountError::Negative`], any other form [`AmountError::Invalid`].
pub fn parse_amount(cell: &Cell) -> Result<Option<f64>, AmountError> {
    let s = match cell {
        Cell::Null => return Ok(None),
        Cell::Number(n) if n.is_finite() => {
            return if *n < 0.0 {
                Err(AmountError::Negative)
            } else {
                Ok(Some(*n))
            };
        }
        Cell::Text(s) => s.trim(),
        _ => return Err(AmountError::Invalid),
    };
    let (negative, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let value: f64 = if is_plain_decimal(body) {
        body.parse().map_err(|_| AmountError::Invalid)?
    } else if is_grouped_decimal(body) {
        body.replace(',', "")
            .parse()
            .map_err(|_| AmountError::Invalid)?
    } else {
        return Err(AmountError::Invalid);
    };
    if negative && value != 0.0 {
        Err(AmountError::Negative)
    } else {
        Ok(Some(value))
    }
}

/// A plain decimal number (reference data: budgets, baselines, targets).
pub fn parse_decimal(cell: &Cell) -> Result<Option<f64>, Invalid> {
    match cell {
        Cell::Null => Ok(None),
        Cell::Number(n) if n.is_finite() => Ok(Some(*n)),
        Cell::Text(s) => {
            let s = s.trim();
            let body = s.strip_prefix('-').unwrap_or(s);
            if is_plain_decimal(body) || is_grouped_decimal(body) {
                let v: f64 = body.replace(',', "").parse().map_err(|_| Invalid)?;
                Ok(Some(if s.starts_with('-') { -v } else { v }))
            } else {
                Err(Invalid)
            }
        }
        _ => Err(Invalid),
    }
}

/// A whole number: `3`, or `3.0` as written by spreadsheets.
pub fn parse_int(cell: &Cell) -> Result<Option<i64>, Invalid> {
    match cell {
        Cell::Null => Ok(None),
        Cell::Number(n) if n.fract() == 0.0 && n.abs() < 9e15 => Ok(Some(*n as i64)),
        Cell::Text(s) => {
            let s = s.trim();
            if let Ok(v) = s.parse::<i64>() {
                return Ok(Some(v));
            }
            match s.parse::<f64>() {
                Ok(v)
                    if v.fract() == 0.0
                        && v.abs() < 9e15
                        && is_plain_decimal(s.trim_start_matches('-')) =>
                {
                    Ok(Some(v as i64))
                }
                _ => Err(Invalid),
            }
        }
        _ => Err(Invalid),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Cell {
        Cell::text(s)
    }
    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn null_tokens_in_any_case() {
        for s in [
            "", "  ", "NA", "na", "N/A", "n/a", "null", "NULL", "Null", "-", " - ",
        ] {
            assert_eq!(t(s), Cell::Null, "{s:?}");
        }
        assert_eq!(t(" x "), Cell::Text("x".into()));
        assert_eq!(t("--"), Cell::Text("--".into()));
    }

    #[test]
    fn enum_matching_without_allocation_agrees_with_normalising() {
        let pairs = [
            ("in progress", "in_progress", true),
            ("IN_PROGRESS", "in progress", true),
            ("In Progress", "in-progress", false),
            ("abc", "abcd", false),
            ("Réception", "réception", true),
            ("ÉTÉ", "été", true),
            ("été", "ete", false),
        ];
        for (input, spelling, same) in pairs {
            assert_eq!(enum_eq(input, spelling), same, "{input:?} {spelling:?}");
            assert_eq!(
                enum_eq(input, spelling),
                normalise_enum(input) == normalise_enum(spelling)
            );
        }
        assert_eq!(t("x").as_text(), Some(Cow::Borrowed("x")));
        assert_eq!(Cell::Number(3.0).as_text(), Some(Cow::Owned("3".into())));
        assert_eq!(Cell::Null.as_text(), None);
    }

    #[test]
    fn header_spellings() {
        for h in [
            "Case ID",
            "case-id",
            "CASE_ID",
            " case_id ",
            "\u{feff}Case ID",
        ] {
            assert_eq!(normalise_header(h), "case_id", "{h:?}");
        }
    }

    #[test]
    fn date_forms() {
        assert_eq!(parse_date(&t("2026-03-01")), Ok(Some(d(2026, 3, 1))));
        assert_eq!(parse_date(&t("2026-3-1")), Ok(Some(d(2026, 3, 1))));
        assert_eq!(parse_date(&t("01/03/2026")), Ok(Some(d(2026, 3, 1))));
        assert_eq!(parse_date(&t("1/3/2026")), Ok(Some(d(2026, 3, 1))));
        assert_eq!(parse_date(&t("01.03.2026")), Ok(Some(d(2026, 3, 1))));
        assert_eq!(parse_date(&t("2026/03/01")), Ok(Some(d(2026, 3, 1))));
        assert_eq!(
            parse_date(&Cell::Date(d(2026, 3, 1))),
            Ok(Some(d(2026, 3, 1)))
        );
        assert_eq!(parse_date(&Cell::Null), Ok(None));
        for bad in [
            "2026-02-30",
            "31/04/2026",
            "26-03-01",
            "03/01/26",
            "2026.03.01",
            "01-03-2026",
            "yesterday",
            "2026-03-01T00:00:00Z",
            "2026-03",
        ] {
            assert_eq!(parse_date(&t(bad)), Err(Invalid), "{bad}");
        }
        assert_eq!(parse_date(&Cell::Number(45000.0)), Err(Invalid));
    }

    #[test]
    fn timestamp_forms() {
        let at = |s: &str| parse_timestamp(&t(s)).map(|o| o.map(|v| v.to_rfc3339()));
        assert_eq!(
            at("2026-03-01T02:00:00Z"),
            Ok(Some("2026-03-01T02:00:00+00:00".into()))
        );
        assert_eq!(
            at("2026-03-01T04:00:00+02:00"),
            Ok(Some("2026-03-01T02:00:00+00:00".into()))
        );
        assert_eq!(
            at("2026-03-01T02:00:00.250Z"),
            Ok(Some("2026-03-01T02:00:00.250+00:00".into()))
        );
        assert_eq!(
            at("2026-03-01 02:00:00"),
            Ok(Some("2026-03-01T02:00:00+00:00".into()))
        );
        assert_eq!(
            at("2026-03-01"),
            Ok(Some("2026-03-01T00:00:00+00:00".into()))
        );
        for bad in [
            "01/03/2026 02:00",
            "2026-03-01 02:00",
            "2026-13-01",
            "soon",
            "2026-03-01T25:00:00Z",
        ] {
            assert_eq!(at(bad), Err(Invalid), "{bad}");
        }
    }

    #[test]
    fn countries_alpha2_alpha3_any_case() {
        for s in ["GIN", "gin", "GN", "gn", " Gn "] {
            assert_eq!(
                parse_country(&t(s), Codes::shipped()),
                Ok(Some("GIN")),
                "{s}"
            );
        }
        assert_eq!(parse_country(&t("XYZ"), Codes::shipped()), Err(Invalid));
        assert_eq!(parse_country(&Cell::Null, Codes::shipped()), Ok(None));
    }

    #[test]
    fn enums_any_case_spaces_for_underscores() {
        const S: &[(&str, &[&str])] = &[
            ("returnee", &["migrant", "returning migrant"]),
            ("reintegration_in_progress", &[]),
        ];
        assert_eq!(parse_enum(&t("Returning Migrant"), S), Ok(Some("returnee")));
        assert_eq!(parse_enum(&t("RETURNEE"), S), Ok(Some("returnee")));
        assert_eq!(
            parse_enum(&t("Reintegration in progress"), S),
            Ok(Some("reintegration_in_progress"))
        );
        assert_eq!(parse_enum(&t("reintegration-in-progress"), S), Err(Invalid));
        assert_eq!(parse_enum(&Cell::Null, S), Ok(None));
    }

    #[test]
    fn vulnerability_lists() {
        assert_eq!(
            parse_vulnerabilities(&t("vot; UMC,,vot ;"), Codes::shipped()),
            Ok(Some(vec!["VOT".to_string(), "UMC".to_string()]))
        );
        assert_eq!(
            parse_vulnerabilities(&t("VOT;XYZ"), Codes::shipped()),
            Err(Invalid)
        );
        assert_eq!(
            parse_vulnerabilities(&t(";"), Codes::shipped()),
            Ok(Some(vec![]))
        );
    }

    #[test]
    fn amounts() {
        assert_eq!(parse_amount(&t("1234.5")), Ok(Some(1234.5)));
        assert_eq!(parse_amount(&t("1,234.50")), Ok(Some(1234.5)));
        assert_eq!(parse_amount(&t("1,234,567")), Ok(Some(1234567.0)));
        assert_eq!(parse_amount(&t("0")), Ok(Some(0.0)));
        assert_eq!(parse_amount(&Cell::Number(12.25)), Ok(Some(12.25)));
        assert_eq!(parse_amount(&t("-5")), Err(AmountError::Negative));
        assert_eq!(parse_amount(&t("-1,234.50")), Err(AmountError::Negative));
        assert_eq!(
            parse_amount(&Cell::Number(-1.0)),
            Err(AmountError::Negative)
        );
        for bad in [
            "1 234,50", "USD 12", "12,34", "1,2345", "1.2.3", "1e3", "12.",
        ] {
            assert_eq!(parse_amount(&t(bad)), Err(AmountError::Invalid), "{bad}");
        }
    }

    #[test]
    fn whole_numbers() {
        assert_eq!(parse_int(&t("3")), Ok(Some(3)));
        assert_eq!(parse_int(&t("3.0")), Ok(Some(3)));
        assert_eq!(parse_int(&Cell::Number(3.0)), Ok(Some(3)));
        assert_eq!(parse_int(&t("3.5")), Err(Invalid));
        assert_eq!(parse_int(&Cell::Number(3.5)), Err(Invalid));
        assert_eq!(parse_int(&t("three")), Err(Invalid));
    }

    #[test]
    fn numbers_as_text() {
        assert_eq!(Cell::Number(12345.0).as_string().as_deref(), Some("12345"));
        assert_eq!(Cell::Number(1.5).as_string().as_deref(), Some("1.5"));
    }
}
