//! Every custom template filter and function, in one place: numbers,
//! percentages and scores formatted for people, dates and period labels,
//! each in the page's language (the `lang` of the template's context;
//! English without one), and `t()`, the page's words from the message
//! files (`locale.rs`).

use std::sync::Arc;

use minijinja::value::Kwargs;
use minijinja::{Environment, Error, ErrorKind, State, Value};

use super::locale::{ENGLISH, Formats, Locale, Locales};

fn number(v: &Value) -> Result<Option<f64>, Error> {
    if v.is_none() || v.is_undefined() {
        return Ok(None);
    }
    f64::try_from(v.clone())
        .map(Some)
        .map_err(|_| Error::new(ErrorKind::InvalidOperation, format!("not a number: {v}")))
}

/// What a missing value shows.
const NONE: &str = "–";

/// `1234567` → `1,234,567` (`1 234 567` in French); rounds to a whole
/// number; none → `–`.
pub fn int_in(f: &Formats, v: Value) -> Result<String, Error> {
    Ok(number(&v)?.map_or(NONE.into(), |n| f.integer(n)))
}

/// A ratio as a percentage with one decimal: `0.4567` → `45.7%`.
pub fn pct_in(f: &Formats, v: Value) -> Result<String, Error> {
    Ok(number(&v)?.map_or(NONE.into(), |n| f.percent(n)))
}

/// A score with two decimals: `0.756` → `0.76`.
pub fn score_in(f: &Formats, v: Value) -> Result<String, Error> {
    Ok(number(&v)?.map_or(NONE.into(), |n| f.decimal(n, 2)))
}

/// Seconds with one decimal: `1.234` → `1.2 s`.
pub fn seconds_in(f: &Formats, v: Value) -> Result<String, Error> {
    Ok(number(&v)?.map_or(NONE.into(), |n| format!("{} s", f.decimal(n, 1))))
}

/// An ISO date or RFC 3339 time as `30 Jun 2026` (with the time,
/// `HH:MM UTC`).
pub fn date_in(f: &Formats, v: Value) -> String {
    let s = v
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| v.to_string());
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(&s) {
        let t = t.with_timezone(&chrono::Utc);
        if let Some(day) = f.date(t.date_naive()) {
            return format!("{day} {} UTC", t.format("%H:%M"));
        }
    }
    match chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d") {
        Ok(d) => f.date(d).unwrap_or(s),
        Err(_) => s,
    }
}

/// `2026-03` → `March 2026`, `2026-Q1` → `Q1 2026`, `2026` → `2026`,
/// `to_date` → `To date`, in the language of `locale` (its messages
/// `period-quarter` and `period-to-date`).
pub fn period_in(locales: &Locales, locale: &Locale, v: Value) -> Result<String, Error> {
    let s = v.as_str().unwrap_or_default().to_string();
    let f = &locale.formats;
    let message = |key: &str, args: fluent_bundle::FluentArgs<'_>| {
        locales
            .message(Some(&locale.tag), key, &args)
            .map_err(|e| Error::new(ErrorKind::InvalidOperation, e.to_string()))
    };
    if s == "to_date" {
        return message("period-to-date", Default::default());
    }
    if let Some((y, q)) = s.split_once("-Q")
        && let (Ok(y), Ok(q)) = (y.parse::<i64>(), q.parse::<i64>())
    {
        let mut args = fluent_bundle::FluentArgs::new();
        args.set("quarter", f.plain(q));
        args.set("year", f.plain(y));
        return message("period-quarter", args);
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d")
        && let Some(m) = f.month(d)
    {
        return Ok(m);
    }
    if let Ok(y) = s.parse::<i64>() {
        return Ok(f.plain(y));
    }
    Ok(s)
}

/// English, for what Rust writes outside a page's language.
pub fn fmt_int(v: Value) -> Result<String, Error> {
    int_in(&ENGLISH, v)
}

/// English, for what Rust writes outside a page's language.
pub fn fmt_pct(v: Value) -> Result<String, Error> {
    pct_in(&ENGLISH, v)
}

/// English, for what Rust writes outside a page's language.
pub fn fmt_score(v: Value) -> Result<String, Error> {
    score_in(&ENGLISH, v)
}

/// English, for what Rust writes outside a page's language.
pub fn fmt_date(v: Value) -> String {
    date_in(&ENGLISH, v)
}

/// The language of the page being rendered: its context's `lang`.
fn page_locale<'a>(locales: &'a Locales, state: &State<'_, '_>) -> &'a Locale {
    let lang = state.lookup("lang");
    locales.get(lang.as_ref().and_then(|v| v.as_str()))
}

/// Registers every filter, and `t(key, **args)`, for `locales`.
pub fn register(env: &mut Environment<'_>, locales: Arc<Locales>) {
    macro_rules! in_page_locale {
        ($name:literal, $f:expr) => {{
            let locales = Arc::clone(&locales);
            env.add_filter($name, move |state: &State<'_, '_>, v: Value| {
                $f(&page_locale(&locales, state).formats, v)
            });
        }};
    }
    in_page_locale!("fmt_int", int_in);
    in_page_locale!("fmt_pct", pct_in);
    in_page_locale!("fmt_score", score_in);
    in_page_locale!("fmt_seconds", seconds_in);
    in_page_locale!("fmt_signed_pct", |f: &Formats, v| Ok::<_, Error>(
        number(&v)?.map_or(NONE.into(), |n| f.signed_percent(n))
    ));
    {
        let locales = Arc::clone(&locales);
        env.add_filter(
            "fmt_signed",
            move |state: &State<'_, '_>,
                  v: Value,
                  digits: Option<usize>|
                  -> Result<String, Error> {
                let f = &page_locale(&locales, state).formats;
                Ok(number(&v)?.map_or(NONE.into(), |n| f.signed(n, digits.unwrap_or(0))))
            },
        );
    }
    {
        let locales = Arc::clone(&locales);
        env.add_filter(
            "fmt_decimal",
            move |state: &State<'_, '_>, v: Value, digits: usize| -> Result<String, Error> {
                let f = &page_locale(&locales, state).formats;
                Ok(number(&v)?.map_or(NONE.into(), |n| f.decimal(n, digits)))
            },
        );
    }
    in_page_locale!("fmt_date", |f, v| Ok::<_, Error>(date_in(f, v)));
    {
        let locales = Arc::clone(&locales);
        env.add_filter("period_label", move |state: &State<'_, '_>, v: Value| {
            period_in(&locales, page_locale(&locales, state), v)
        });
    }
    {
        let locales = Arc::clone(&locales);
        env.add_filter("country", move |state: &State<'_, '_>, v: Value| {
            let code = v.to_string();
            page_locale(&locales, state)
                .formats
                .country(&code)
                .unwrap_or(code)
        });
    }
    env.add_function(
        "t",
        move |state: &State<'_, '_>, key: String, kwargs: Kwargs| -> Result<String, Error> {
            // `default=` is shown when no message file defines `key` (an
            // id made from data); it is not an argument of the message.
            if !locales.defines(&key)
                && let Some(default) = kwargs.get::<Option<String>>("default")?
            {
                return Ok(default);
            }
            let pairs: Vec<(String, Value)> = kwargs
                .args()
                .filter(|k| *k != "default")
                .map(|k| Ok((k.to_string(), kwargs.get::<Value>(k)?)))
                .collect::<Result<_, Error>>()?;
            let args = super::locale::fluent_args(&pairs);
            let locale = page_locale(&locales, state);
            locales
                .message(Some(&locale.tag), &key, &args)
                .map_err(|e| Error::new(ErrorKind::InvalidOperation, e.to_string()))
        },
    );
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
        // Period labels take their words from the English messages.
        let templates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let locales = Locales::load(&templates, &["en".to_string()]).unwrap();
        let period_label = |v: Value| period_in(&locales, locales.get(None), v).unwrap();
        assert_eq!(period_label(Value::from("2026-03")), "March 2026");
        assert_eq!(period_label(Value::from("2026-Q1")), "Q1 2026");
        assert_eq!(period_label(Value::from("2026")), "2026");
        assert_eq!(period_label(Value::from("to_date")), "To date");
    }
}
