//! Writing generated rows in every format and spelling the contract accepts,
//! while counting what a pull must report.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};

use super::{Expected, ExpectedFile};
use crate::pull::contract::Entity;

/// A generated value, before it is spelled for a format.
#[derive(Debug, Clone)]
pub enum V {
    Null,
    Text(String),
    Int(i64),
    Num(f64),
    Date(NaiveDate),
    Ts(NaiveDateTime),
}

#[derive(Debug, Clone, Copy)]
pub enum Delim {
    Comma,
    Semicolon,
    Tab,
}

/// How a CSV file is laid out; `header_variant` picks a header spelling.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub delim: Delim,
    pub bom: bool,
    pub crlf: bool,
    pub cp1252: bool,
    pub header_variant: usize,
}

impl Style {
    pub fn plain() -> Style {
        Style {
            delim: Delim::Comma,
            bom: false,
            crlf: false,
            cp1252: false,
            header_variant: 0,
        }
    }
}

enum Sink {
    Plain(BufWriter<File>),
    Gz(Box<flate2::write::GzEncoder<BufWriter<File>>>),
    Jsonl(BufWriter<File>),
    Xlsx(Box<rust_xlsxwriter::Workbook>, u32),
}

/// Writes one entity file and keeps its expected counts.
pub struct TableWriter {
    rel: String,
    path: std::path::PathBuf,
    columns: Vec<String>,
    headers: Vec<String>,
    style: Style,
    clean: bool,
    sink: Sink,
    /// Rotates spellings deterministically.
    n: usize,
    missing_column: bool,
    reject_all: Option<&'static str>,
    expected: ExpectedFile,
}

fn header_spelling(name: &str, variant: usize) -> String {
    match variant % 4 {
        0 => name.to_string(),
        1 => name
            .split('_')
            .map(|w| {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                    .unwrap_or_default()
            })
            .collect::<Vec<_>>()
            .join(" "),
        2 => name.to_uppercase().replace('_', "-"),
        _ if name == "sex" => "Beneficiary Sex".to_string(),
        _ => format!(" {} ", name.replace('_', " ")),
    }
}

impl TableWriter {
    pub fn new(
        out: &Path,
        rel: &str,
        entity: &str,
        style: Style,
        missing: Option<&str>,
        clean: bool,
    ) -> anyhow::Result<TableWriter> {
        let spec = Entity::from_stem(entity).expect("known entity").spec();
        let columns: Vec<String> = spec
            .columns
            .iter()
            .map(|c| c.name.clone())
            .filter(|c| Some(c.as_str()) != missing)
            .collect();
        let headers = columns
            .iter()
            .map(|c| header_spelling(c, style.header_variant))
            .collect();
        let path = out.join(rel);
        let file = || -> anyhow::Result<BufWriter<File>> {
            Ok(BufWriter::with_capacity(1 << 20, File::create(&path)?))
        };
        let sink = if rel.ends_with(".csv.gz") {
            Sink::Gz(Box::new(flate2::write::GzEncoder::new(
                file()?,
                flate2::Compression::fast(),
            )))
        } else if rel.ends_with(".jsonl") {
            Sink::Jsonl(file()?)
        } else if rel.ends_with(".xlsx") {
            Sink::Xlsx(Box::new(rust_xlsxwriter::Workbook::new()), 0)
        } else {
            Sink::Plain(file()?)
        };
        let mut w = TableWriter {
            rel: rel.to_string(),
            path: out.join(rel),
            columns,
            headers,
            style,
            clean,
            sink,
            n: 0,
            missing_column: missing.is_some(),
            reject_all: None,
            expected: ExpectedFile::default(),
        };
        w.write_header()?;
        Ok(w)
    }

    /// Every row of this file is to be rejected with `reason`.
    pub fn reject_all(&mut self, reason: &'static str) {
        self.reject_all = Some(reason);
    }

    fn sep(&self) -> &'static str {
        match self.style.delim {
            Delim::Comma => ",",
            Delim::Semicolon => ";",
            Delim::Tab => "\t",
        }
    }

    fn write_line(&mut self, fields: &[String]) -> anyhow::Result<()> {
        let mut line = fields.join(self.sep());
        line.push_str(if self.style.crlf { "\r\n" } else { "\n" });
        let bytes: Vec<u8> = if self.style.cp1252 {
            encoding_rs::WINDOWS_1252.encode(&line).0.into_owned()
        } else {
            line.into_bytes()
        };
        match &mut self.sink {
            Sink::Plain(w) => w.write_all(&bytes)?,
            Sink::Gz(w) => w.write_all(&bytes)?,
            _ => unreachable!("text sinks only"),
        }
        Ok(())
    }

    fn quote(&self, s: &str) -> String {
        let d = self.sep();
        if s.contains(d) || s.contains('"') || s.contains('\n') || s.contains('\r') {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    }

    fn write_header(&mut self) -> anyhow::Result<()> {
        match &mut self.sink {
            Sink::Plain(_) | Sink::Gz(_) => {
                if self.style.bom {
                    match &mut self.sink {
                        Sink::Plain(w) => w.write_all(b"\xEF\xBB\xBF")?,
                        Sink::Gz(w) => w.write_all(b"\xEF\xBB\xBF")?,
                        _ => {}
                    }
                }
                let fields: Vec<String> = self.headers.iter().map(|h| self.quote(h)).collect();
                self.write_line(&fields)
            }
            Sink::Jsonl(_) => Ok(()),
            Sink::Xlsx(book, row) => {
                let sheet = book.add_worksheet();
                for (c, h) in self.headers.iter().enumerate() {
                    sheet.write_string(0, c as u16, h)?;
                }
                *row = 1;
                Ok(())
            }
        }
    }

    fn date_text(&self, d: NaiveDate) -> String {
        if self.clean {
            return d.format("%Y-%m-%d").to_string();
        }
        match self.n % 5 {
            0 => d.format("%Y-%m-%d").to_string(),
            1 => d.format("%d/%m/%Y").to_string(),
            2 => d.format("%d.%m.%Y").to_string(),
            3 => d.format("%Y/%m/%d").to_string(),
            _ => d.format("%-d/%-m/%Y").to_string(),
        }
    }

    fn ts_text(&self, t: NaiveDateTime) -> String {
        if self.clean {
            return t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
        }
        match self.n % 5 {
            0 => t.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            1 => (t + Duration::hours(2))
                .format("%Y-%m-%dT%H:%M:%S+02:00")
                .to_string(),
            2 => t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
            3 => t.format("%Y-%m-%d %H:%M:%S").to_string(),
            _ if t.time() == NaiveTime::MIN => t.format("%Y-%m-%d").to_string(),
            _ => (t - Duration::hours(5))
                .format("%Y-%m-%dT%H:%M:%S-05:00")
                .to_string(),
        }
    }

    fn num_text(&self, f: f64) -> String {
        if !self.clean && f >= 1000.0 && self.n % 2 == 0 {
            let whole = f.trunc() as i64;
            let cents = ((f - f.trunc()) * 100.0).round() as i64;
            let digits = whole.to_string();
            let mut grouped = String::new();
            for (i, ch) in digits.chars().enumerate() {
                if i > 0 && (digits.len() - i) % 3 == 0 {
                    grouped.push(',');
                }
                grouped.push(ch);
            }
            format!("{grouped}.{cents:02}")
        } else {
            crate::pull::values::fmt_number(f)
        }
    }

    const NULLS: [&'static str; 7] = ["", "NA", "N/A", "null", "-", "n/a", "\"NA\""];

    /// Writes one row; `reason` is the code it was corrupted for, if any.
    pub fn row(
        &mut self,
        row: &[(&'static str, V)],
        reason: Option<&'static str>,
    ) -> anyhow::Result<()> {
        let value = |name: &str| {
            row.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.clone())
                .unwrap_or(V::Null)
        };
        let values: Vec<V> = self.columns.iter().map(|c| value(c)).collect();
        match &mut self.sink {
            Sink::Plain(_) | Sink::Gz(_) => {
                let mut fields = Vec::with_capacity(values.len());
                for v in &values {
                    self.n += 1;
                    fields.push(match v {
                        V::Null if self.clean => String::new(),
                        V::Null => Self::NULLS[self.n % Self::NULLS.len()].to_string(),
                        V::Text(s) => self.quote(s),
                        V::Int(i) => i.to_string(),
                        V::Num(f) => self.quote(&self.num_text(*f)),
                        V::Date(d) => self.date_text(*d),
                        V::Ts(t) => self.ts_text(*t),
                    });
                }
                self.write_line(&fields)?;
            }
            Sink::Jsonl(_) => {
                let mut obj = serde_json::Map::new();
                for (h, v) in self.headers.clone().iter().zip(&values) {
                    self.n += 1;
                    let j = match v {
                        V::Null => match self.n % 4 {
                            0 => continue,
                            1 => serde_json::Value::Null,
                            2 => "NA".into(),
                            _ => "".into(),
                        },
                        V::Text(s) => s.clone().into(),
                        V::Int(i) => (*i).into(),
                        V::Num(f) => serde_json::Value::from(*f),
                        V::Date(d) => self.date_text(*d).into(),
                        V::Ts(t) => self.ts_text(*t).into(),
                    };
                    obj.insert(h.clone(), j);
                }
                let line = serde_json::Value::Object(obj).to_string();
                if let Sink::Jsonl(w) = &mut self.sink {
                    writeln!(w, "{line}")?;
                }
            }
            Sink::Xlsx(_, _) => {
                enum X {
                    Skip,
                    Str(String),
                    Num(f64),
                    When(NaiveDateTime),
                }
                let mut cells = Vec::with_capacity(values.len());
                for v in &values {
                    self.n += 1;
                    cells.push(match v {
                        V::Date(d) if self.n % 2 == 0 => X::When(d.and_time(NaiveTime::MIN)),
                        V::Ts(t) if self.n % 3 == 0 => X::When(*t),
                        V::Date(d) => X::Str(self.date_text(*d)),
                        V::Ts(t) => X::Str(self.ts_text(*t)),
                        V::Null if self.n % 2 == 0 => X::Skip,
                        V::Null => X::Str("N/A".into()),
                        V::Text(s) => X::Str(s.clone()),
                        V::Int(i) => X::Num(*i as f64),
                        V::Num(f) => X::Num(*f),
                    });
                }
                if let Sink::Xlsx(book, r) = &mut self.sink {
                    let sheet = book.worksheet_from_index(0)?;
                    let date_fmt =
                        rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
                    for (c, cell) in cells.into_iter().enumerate() {
                        let c = c as u16;
                        match cell {
                            X::Skip => {}
                            X::Str(s) => {
                                sheet.write_string(*r, c, s)?;
                            }
                            X::Num(f) => {
                                sheet.write_number(*r, c, f)?;
                            }
                            X::When(t) => {
                                let text = t.format("%Y-%m-%dT%H:%M:%S").to_string();
                                let dt = rust_xlsxwriter::ExcelDateTime::parse_from_str(&text)?;
                                sheet.write_datetime_with_format(*r, c, &dt, &date_fmt)?;
                            }
                        }
                    }
                    *r += 1;
                }
            }
        }
        self.expected.rows_read += 1;
        let code = self
            .reject_all
            .or(self.missing_column.then_some("missing_column"))
            .or(reason);
        match code {
            Some(code) => {
                self.expected.rows_quarantined += 1;
                *self.expected.reasons.entry(code.to_string()).or_default() += 1;
            }
            None => self.expected.rows_loaded += 1,
        }
        Ok(())
    }

    /// Closes the file and records its expected counts.
    pub fn finish(mut self, expected: &mut Expected) -> anyhow::Result<()> {
        match self.sink {
            Sink::Plain(mut w) | Sink::Jsonl(mut w) => w.flush()?,
            Sink::Gz(w) => {
                w.finish()?.flush()?;
            }
            Sink::Xlsx(mut book, _) => {
                let when = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 1, 1)?;
                book.set_properties(
                    &rust_xlsxwriter::DocProperties::new().set_creation_datetime(&when),
                );
                book.save(&self.path)?;
            }
        }
        let file_level = self
            .reject_all
            .or(self.missing_column.then_some("missing_column"));
        self.expected.status = if file_level.is_some() {
            "rejected"
        } else {
            "pulled"
        }
        .into();
        if let Some(code) = file_level {
            self.expected.reasons.entry(code.to_string()).or_insert(0);
        }
        expected.files.insert(self.rel, self.expected);
        Ok(())
    }
}
