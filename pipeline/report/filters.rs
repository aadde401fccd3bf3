//! Every custom template filter, in one place: numbers, percentages and
//! scores formatted for people, dates and period labels.

use minijinja::{Environment, Error, ErrorKind, Value};

fn number(v: &Value) -> Result<Option<f64>, Error> {
    if v.is_none() || v.is_undefined() {
        return Ok(None);
    }
    f64::try_from(v.clone())
        .map(Some)
        .map_err(|_| Error::new(ErrorKind::InvalidOperation, format!("not a number: {v}")))
}

fn group_thousands(digits: &str) -> String {
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// `1234567` → `1,234,567`; rounds to a whole number; none → `–`.
pub fn fmt_int(v: Value) -> Result<String, Error> {
    Ok(match number(&v)? {
        None => "–".into(),
        Some(n) => {
            let r = n.round();
            let sign = if r < 0.0 { "-" } else { "" };
            format!("{sign}{}", group_thousands(&format!("{}", r.abs() as u64)))
        }
    })
}

/// A ratio as a percentage with one decimal: `0.4567` → `45.7%`.
pub fn fmt_pct(v: Value) -> Result<String, Error> {
    Ok(match number(&v)? {
        None => "–".into(),
        Some(n) => format!("{:.1}%", n * 100.0),
    })
}

/// A score with two decimals: `0.756` → `0.76`.
pub fn fmt_score(v: Value) -> Result<String, Error> {
    Ok(match number(&v)? {
        None => "–".into(),
        Some(n) => format!("{n:.2}"),
    })
}

/// Seconds with one decimal: `1.234` → `1.2 s`.
pub fn fmt_seconds(v: Value) -> Result<String, Error> {
    Ok(match number(&v)? {
        None => "–".into(),
        Some(n) => format!("{n:.1} s"),
    })
}

/// An ISO date or RFC 3339 time as `30 Jun 2026` (with the time, `HH:MM UTC`).
pub fn fmt_date(v: Value) -> String {
    let s = v
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| v.to_string());
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(&s) {
        return t
            .with_timezone(&chrono::Utc)
            .format("%-d %b %Y %H:%M UTC")
            .to_string();
    }
    match chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d") {
        Ok(d) => d.format("%-d %b %Y").to_string(),
        Err(_) => s,
    }
}

/// `2026-03` → `March 2026`, `2026-Q1` → `Q1 2026`, `to_date` → `To date`.
pub fn period_label(v: Value) -> String {
    let s = v.as_str().unwrap_or_default().to_string();
    if s == "to_date" {
        return "To date".into();
    }
    if let Some((y, q)) = s.split_once("-Q") {
        return format!("Q{q} {y}");
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d") {
        return d.format("%B %Y").to_string();
    }
    s
}

/// Registers every filter.
pub fn register(env: &mut Environment<'_>) {
    env.add_filter("fmt_int", fmt_int);
    env.add_filter("fmt_pct", fmt_pct);
    env.add_filter("fmt_score", fmt_score);
    env.add_filter("fmt_seconds", fmt_seconds);
    env.add_filter("fmt_date", fmt_date);
    env.add_filter("period_label", period_label);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_for_people() {
        assert_eq!(fmt_int(Value::from(1234567)).unwrap(), "1,234,567");
        assert_eq!(fmt_int(Value::from(999.6)).unwrap(), "1,000");
        assert_eq!(fmt_int(Value::from(0)).unwrap(), "0");
        assert_eq!(fmt_int(Value::from(())).unwrap(), "–");
        assert_eq!(fmt_pct(Value::from(0.4567)).unwrap(), "45.7%");
        assert_eq!(fmt_score(Value::from(0.756)).unwrap(), "0.76");
        assert_eq!(fmt_date(Value::from("2026-06-30")), "30 Jun 2026");
        assert_eq!(
            fmt_date(Value::from("2026-06-30T02:05:00+00:00")),
            "30 Jun 2026 02:05 UTC"
        );
        assert_eq!(period_label(Value::from("2026-03")), "March 2026");
        assert_eq!(period_label(Value::from("2026-Q1")), "Q1 2026");
        assert_eq!(period_label(Value::from("2026")), "2026");
        assert_eq!(period_label(Value::from("to_date")), "To date");
    }
}
