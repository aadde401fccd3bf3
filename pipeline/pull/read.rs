//! Readers for the four drop formats: CSV, gzip-compressed CSV, JSON lines
//! and XLSX. Each streams rows to a callback, so memory does not grow with
//! the size of a file.
//!
//! Invariant: line numbers are the contract's: for CSV the physical line a
//! record starts on (the header is line 1), for JSON lines the physical line
//! (the first object is line 1), for XLSX the sheet row.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use calamine::{DataRef, Reader, Xlsx};
use flate2::read::MultiGzDecoder;

use super::values::{Cell, normalise_header};

/// A file format, from the file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    CsvGz,
    Jsonl,
    Xlsx,
}

impl Format {
    /// Splits a file name into its stem and format, case-insensitively:
    /// `Cases.CSV.gz` is (`Cases`, [`Format::CsvGz`]).
    pub fn split_name(name: &str) -> Option<(&str, Format)> {
        let lower = name.to_ascii_lowercase();
        for (ext, format) in [
            (".csv.gz", Format::CsvGz),
            (".csv", Format::Csv),
            (".jsonl", Format::Jsonl),
            (".xlsx", Format::Xlsx),
        ] {
            if lower.ends_with(ext) {
                return Some((&name[..name.len() - ext.len()], format));
            }
        }
        None
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::CsvGz => "csv.gz",
            Format::Jsonl => "jsonl",
            Format::Xlsx => "xlsx",
        }
    }
}

/// Text encoding of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    Utf8,
    Windows1252,
    /// UTF-16 with a byte-order mark (Excel's "Unicode text"), read as
    /// UTF-8 by [`Utf16Reader`].
    Utf16Le,
    Utf16Be,
}

/// A problem that makes a file unreadable, with its place when known.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}{message}", place(*.line, *.column))]
pub struct ReadError {
    pub line: Option<u64>,
    pub column: Option<u64>,
    pub message: String,
}

fn place(line: Option<u64>, column: Option<u64>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!("line {l}, column {c}: "),
        (Some(l), None) => format!("line {l}: "),
        _ => String::new(),
    }
}

impl ReadError {
    fn new(message: impl Into<String>) -> ReadError {
        ReadError {
            line: None,
            column: None,
            message: message.into(),
        }
    }
    fn at(line: u64, message: impl Into<String>) -> ReadError {
        ReadError {
            line: Some(line),
            column: None,
            message: message.into(),
        }
    }
}

impl From<std::io::Error> for ReadError {
    fn from(e: std::io::Error) -> ReadError {
        ReadError::new(e.to_string())
    }
}

/// One data row.
#[derive(Debug, Clone)]
pub struct Row {
    pub line: u64,
    /// Cells in the order of the file's header.
    pub cells: Vec<Cell>,
}

/// What a first pass over a file found.
#[derive(Debug, Clone)]
pub struct Probe {
    pub encoding: Encoding,
    /// JSON lines: every key of the file, in order of first appearance.
    pub json_keys: Vec<String>,
}

/// What the reader says to its caller.
pub trait Visitor {
    /// The header, before any row. An error stops the read.
    fn header(&mut self, names: &[String]) -> anyhow::Result<()>;
    /// One data row. An error stops the read.
    fn row(&mut self, row: Row) -> anyhow::Result<()>;
}

/// Why a read stopped.
#[derive(Debug, thiserror::Error)]
pub enum StopError {
    /// The file broke its format.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// The visitor failed (writing Parquet, …): not the file's fault.
    #[error(transparent)]
    Visitor(anyhow::Error),
}

/// The file's bytes, decompressed, and as UTF-8 when it starts with a
/// UTF-16 byte-order mark; with that encoding, if so.
fn open_decoded(
    path: &Path,
    format: Format,
) -> Result<(Box<dyn Read>, Option<Encoding>), ReadError> {
    let file = File::open(path)?;
    let raw: Box<dyn Read> = match format {
        Format::CsvGz => Box::new(MultiGzDecoder::new(BufReader::with_capacity(1 << 16, file))),
        _ => Box::new(file),
    };
    let mut input = BufReader::with_capacity(1 << 16, raw);
    let head = input
        .fill_buf()
        .map_err(|e| ReadError::new(format!("cannot decompress or read: {e}")))?;
    // encoding_rs's BOM sniffing; a UTF-8 BOM is left to the readers.
    let utf16 = match encoding_rs::Encoding::for_bom(head) {
        Some((e, _)) if e == encoding_rs::UTF_16LE => Some((e, Encoding::Utf16Le)),
        Some((e, _)) if e == encoding_rs::UTF_16BE => Some((e, Encoding::Utf16Be)),
        _ => None,
    };
    Ok(match utf16 {
        Some((e, ours)) => (Box::new(Utf16Reader::new(input, e)), Some(ours)),
        None => (Box::new(input), None),
    })
}

/// UTF-16 text as UTF-8, decoded by encoding_rs as it is read (the BOM
/// removed; a malformed unit becomes U+FFFD).
struct Utf16Reader<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    chunk: Vec<u8>,
    out: Vec<u8>,
    pos: usize,
    done: bool,
}

impl<R: Read> Utf16Reader<R> {
    fn new(inner: R, encoding: &'static encoding_rs::Encoding) -> Self {
        Utf16Reader {
            inner,
            decoder: encoding.new_decoder_with_bom_removal(),
            chunk: vec![0; 1 << 15],
            out: Vec::new(),
            pos: 0,
            done: false,
        }
    }
}

impl<R: Read> Read for Utf16Reader<R> {
    fn read(&mut self, dst: &mut [u8]) -> std::io::Result<usize> {
        while self.pos == self.out.len() {
            if self.done {
                return Ok(0);
            }
            let n = self.inner.read(&mut self.chunk)?;
            let last = n == 0;
            let room = self.decoder.max_utf8_buffer_length(n).unwrap_or(3 * n + 16);
            self.out.resize(room, 0);
            // With room for the worst case, the whole chunk is decoded.
            let (_, _, written, _) =
                self.decoder
                    .decode_to_utf8(&self.chunk[..n], &mut self.out, last);
            self.out.truncate(written);
            self.pos = 0;
            self.done = last;
        }
        let k = dst.len().min(self.out.len() - self.pos);
        dst[..k].copy_from_slice(&self.out[self.pos..self.pos + k]);
        self.pos += k;
        Ok(k)
    }
}

/// A first pass: the encoding (UTF-8, else Windows-1252), binary content,
/// gzip integrity and, for JSON lines, the keys and the syntax of each line.
pub fn probe(path: &Path, format: Format) -> Result<Probe, ReadError> {
    if format == Format::Xlsx {
        return Ok(Probe {
            encoding: Encoding::Utf8,
            json_keys: vec![],
        });
    }
    let (input, utf16) = open_decoded(path, format)?;
    let mut reader = BufReader::with_capacity(1 << 16, input);
    let mut utf8 = true;
    let mut pending: Vec<u8> = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut line_no = 0u64;
    let mut line: Vec<u8> = Vec::new();
    loop {
        line.clear();
        let n = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| match line_no {
                0 => ReadError::new(format!("cannot decompress or read: {e}")),
                l => ReadError::at(l + 1, format!("cannot decompress or read: {e}")),
            })?;
        if n == 0 {
            break;
        }
        line_no += 1;
        if line.contains(&0) {
            return Err(ReadError::at(
                line_no,
                "binary content (NUL byte): not a text file",
            ));
        }
        if utf8 {
            pending.extend_from_slice(&line);
            match std::str::from_utf8(&pending) {
                Ok(_) => pending.clear(),
                Err(e) if e.error_len().is_none() => {
                    // A multi-byte character may continue past this chunk.
                    let keep = pending.split_off(e.valid_up_to());
                    pending = keep;
                }
                Err(_) => utf8 = false,
            }
        }
        if format == Format::Jsonl {
            let text = decode(
                &line,
                if utf8 {
                    Encoding::Utf8
                } else {
                    Encoding::Windows1252
                },
            );
            let trimmed = text.trim();
            if trimmed.is_empty() {
                continue;
            }
            match serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(trimmed) {
                Ok(obj) => {
                    for k in obj.keys() {
                        if seen.insert(normalise_header(k)) {
                            keys.push(k.clone());
                        }
                    }
                }
                Err(e) => {
                    return Err(ReadError {
                        line: Some(line_no),
                        column: Some(e.column() as u64),
                        message: format!("not a JSON object: {e}"),
                    });
                }
            }
        }
    }
    if !pending.is_empty() {
        utf8 = false;
    }
    if let Some(encoding) = utf16 {
        return Ok(Probe {
            encoding,
            json_keys: keys,
        });
    }
    let encoding = if utf8 {
        Encoding::Utf8
    } else {
        Encoding::Windows1252
    };
    if format == Format::Jsonl && !utf8 {
        // Keys were decoded as they came; redo them with the file's encoding.
        return probe_keys_again(path, encoding).map(|json_keys| Probe {
            encoding,
            json_keys,
        });
    }
    Ok(Probe {
        encoding,
        json_keys: keys,
    })
}

fn probe_keys_again(path: &Path, encoding: Encoding) -> Result<Vec<String>, ReadError> {
    let mut keys = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let reader = BufReader::new(File::open(path)?);
    for (i, line) in reader.split(b'\n').enumerate() {
        let text = decode(&line?, encoding).into_owned();
        if let Ok(obj) =
            serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text.trim())
        {
            for k in obj.keys() {
                if seen.insert(normalise_header(k)) {
                    keys.push(k.clone());
                }
            }
        } else if !text.trim().is_empty() {
            return Err(ReadError::at(i as u64 + 1, "not a JSON object"));
        }
    }
    Ok(keys)
}

fn decode(bytes: &[u8], encoding: Encoding) -> std::borrow::Cow<'_, str> {
    match encoding {
        // The validating fast path first: almost every cell is valid UTF-8.
        // UTF-16 reaches the readers as UTF-8 (`open_decoded`).
        Encoding::Utf8 | Encoding::Utf16Le | Encoding::Utf16Be => {
            match std::str::from_utf8(bytes) {
                Ok(s) => std::borrow::Cow::Borrowed(s),
                Err(_) => String::from_utf8_lossy(bytes),
            }
        }
        Encoding::Windows1252 => {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
        }
    }
}

fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// Picks `,`, `;` or tab from the header line: the most frequent outside
/// quotes, `,` on a tie.
pub fn detect_delimiter(header: &[u8]) -> u8 {
    let (mut comma, mut semi, mut tab) = (0, 0, 0);
    let mut quoted = false;
    for &b in header {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => comma += 1,
            b';' if !quoted => semi += 1,
            b'\t' if !quoted => tab += 1,
            b'\n' => break,
            _ => {}
        }
    }
    if semi > comma && semi >= tab {
        b';'
    } else if tab > comma && tab > semi {
        b'\t'
    } else {
        b','
    }
}

/// Reads a file, calling the visitor for the header and each row. With
/// `lenient`, a JSON line that is not an object is passed on as a row of
/// nulls instead of stopping the read (used to count the rows of a file
/// that is rejected as a whole).
pub fn read(
    path: &Path,
    format: Format,
    probe: &Probe,
    delimiter: Option<u8>,
    lenient: bool,
    visitor: &mut dyn Visitor,
) -> Result<(), StopError> {
    match format {
        Format::Csv | Format::CsvGz => read_csv(path, format, probe.encoding, delimiter, visitor),
        Format::Jsonl => read_jsonl(path, probe, lenient, visitor),
        Format::Xlsx => read_xlsx(path, visitor),
    }
}

/// Offsets of `\r` and `\n` bytes (true for `\n`) not yet passed.
type Terminators = std::rc::Rc<std::cell::RefCell<std::collections::VecDeque<(u64, bool)>>>;

/// Passes bytes through and remembers where the line terminators were, so
/// that the physical line of a record can be found from its byte offset.
/// Only offsets not yet asked about are kept: memory is bounded by the
/// CSV reader's read-ahead.
struct LineCounter<R> {
    inner: R,
    offset: u64,
    newlines: Terminators,
}

impl<R: Read> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut nl = self.newlines.borrow_mut();
        for (i, b) in buf[..n].iter().enumerate() {
            if *b == b'\n' || *b == b'\r' {
                nl.push_back((self.offset + i as u64, *b == b'\n'));
            }
        }
        self.offset += n as u64;
        Ok(n)
    }
}

fn read_csv(
    path: &Path,
    format: Format,
    encoding: Encoding,
    delimiter: Option<u8>,
    visitor: &mut dyn Visitor,
) -> Result<(), StopError> {
    let mut input = BufReader::with_capacity(1 << 16, open_decoded(path, format)?.0);
    let delimiter = match delimiter {
        Some(d) => d,
        None => detect_delimiter(strip_bom(input.fill_buf().map_err(ReadError::from)?)),
    };
    let newlines = std::rc::Rc::new(std::cell::RefCell::new(std::collections::VecDeque::new()));
    let counted = LineCounter {
        inner: input,
        offset: 0,
        newlines: newlines.clone(),
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_reader(counted);
    // The csv crate reports a record as starting at the end of the previous
    // one, before any terminator or blank line. The physical line is 1 + the
    // newlines before the record's first byte that is not a terminator.
    let mut line_no = 1u64;
    let mut line_at = |byte: u64| {
        let mut nl = newlines.borrow_mut();
        let mut next = byte;
        while let Some(&(o, is_nl)) = nl.front() {
            if o < byte || o == next {
                if o == next {
                    next += 1;
                }
                nl.pop_front();
                line_no += u64::from(is_nl);
            } else {
                break;
            }
        }
        line_no
    };
    let mut record = csv::ByteRecord::new();
    let csv_err = |e: csv::Error| {
        let line = e.position().map(|p| p.line());
        StopError::Read(ReadError {
            line,
            column: None,
            message: e.to_string(),
        })
    };
    if !reader.read_byte_record(&mut record).map_err(csv_err)? {
        return Err(ReadError::new("empty file: no header line").into());
    }
    let header: Vec<String> = record
        .iter()
        .enumerate()
        .map(|(i, f)| {
            decode(if i == 0 { strip_bom(f) } else { f }, encoding)
                .trim()
                .to_string()
        })
        .collect();
    visitor.header(&header).map_err(StopError::Visitor)?;
    while reader.read_byte_record(&mut record).map_err(csv_err)? {
        let line = line_at(record.position().map_or(0, |p| p.byte()));
        let cells = record
            .iter()
            .map(|f| Cell::text(&decode(f, encoding)))
            .collect();
        visitor
            .row(Row { line, cells })
            .map_err(StopError::Visitor)?;
    }
    Ok(())
}

fn json_cell(v: &serde_json::Value) -> Cell {
    use serde_json::Value;
    match v {
        Value::Null => Cell::Null,
        Value::Bool(b) => Cell::Bool(*b),
        Value::Number(n) => n.as_f64().map_or(Cell::Text(n.to_string()), Cell::Number),
        Value::String(s) => Cell::text(s),
        Value::Array(items) => {
            let parts: Vec<String> = items
                .iter()
                .filter_map(|i| json_cell(i).as_string())
                .collect();
            Cell::text(&parts.join(";"))
        }
        Value::Object(_) => Cell::Text(v.to_string()),
    }
}

fn read_jsonl(
    path: &Path,
    probe: &Probe,
    lenient: bool,
    visitor: &mut dyn Visitor,
) -> Result<(), StopError> {
    visitor
        .header(&probe.json_keys)
        .map_err(StopError::Visitor)?;
    let index: std::collections::HashMap<String, usize> = probe
        .json_keys
        .iter()
        .enumerate()
        .map(|(i, k)| (normalise_header(k), i))
        .collect();
    let mut reader = BufReader::with_capacity(1 << 16, File::open(path).map_err(ReadError::from)?);
    let mut buf = Vec::new();
    let mut line = 0u64;
    loop {
        buf.clear();
        if reader
            .read_until(b'\n', &mut buf)
            .map_err(ReadError::from)?
            == 0
        {
            break;
        }
        line += 1;
        let text = decode(&buf, probe.encoding);
        let trimmed = text.trim();
        if trimmed.is_empty() {
            continue;
        }
        let mut cells = vec![Cell::Null; probe.json_keys.len()];
        let obj: serde_json::Map<String, serde_json::Value> = match serde_json::from_str(trimmed) {
            Ok(obj) => obj,
            Err(_) if lenient => {
                visitor
                    .row(Row { line, cells })
                    .map_err(StopError::Visitor)?;
                continue;
            }
            Err(e) => {
                return Err(ReadError {
                    line: Some(line),
                    column: Some(e.column() as u64),
                    message: format!("not a JSON object: {e}"),
                }
                .into());
            }
        };
        for (k, v) in &obj {
            if let Some(&i) = index.get(&normalise_header(k)) {
                cells[i] = json_cell(v);
            }
        }
        visitor
            .row(Row { line, cells })
            .map_err(StopError::Visitor)?;
    }
    Ok(())
}

fn xlsx_cell(v: &DataRef<'_>) -> Cell {
    match v {
        DataRef::Empty => Cell::Null,
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::String(s) => Cell::text(s),
        DataRef::SharedString(s) => Cell::text(s),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) if dt.is_datetime() => match dt.as_datetime() {
            Some(t) if t.time() == chrono::NaiveTime::MIN => Cell::Date(t.date()),
            Some(t) => Cell::DateTime(t),
            None => Cell::Number(dt.as_f64()),
        },
        DataRef::DateTime(dt) => Cell::Number(dt.as_f64()),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cell::text(s),
        DataRef::Error(e) => Cell::Text(format!("#{e:?}")),
    }
}

fn read_xlsx(path: &Path, visitor: &mut dyn Visitor) -> Result<(), StopError> {
    let unreadable =
        |e: calamine::XlsxError| ReadError::new(format!("not a readable XLSX workbook: {e}"));
    let mut workbook: Xlsx<_> = calamine::open_workbook(path).map_err(unreadable)?;
    let Some(first) = workbook.sheet_names().first().cloned() else {
        return Err(ReadError::new("the workbook has no worksheet").into());
    };
    let mut cells = workbook
        .worksheet_cells_reader(&first)
        .map_err(unreadable)?;
    let mut header: Option<Vec<String>> = None;
    let mut current_row: Option<u32> = None;
    let mut pending: Vec<(u32, Cell)> = Vec::new();
    let mut flush = |row: u32,
                     pending: &mut Vec<(u32, Cell)>,
                     header: &mut Option<Vec<String>>|
     -> Result<(), StopError> {
        let cells = std::mem::take(pending);
        if cells.iter().all(|(_, c)| c.is_null()) {
            return Ok(());
        }
        let width = cells
            .iter()
            .map(|(c, _)| *c as usize + 1)
            .max()
            .unwrap_or(0);
        let mut values = vec![Cell::Null; width];
        for (c, v) in cells {
            values[c as usize] = v;
        }
        match header {
            None => {
                let names: Vec<String> = values.iter().map(|c| c.original()).collect();
                visitor.header(&names).map_err(StopError::Visitor)?;
                *header = Some(names);
            }
            Some(_) => visitor
                .row(Row {
                    line: row as u64 + 1,
                    cells: values,
                })
                .map_err(StopError::Visitor)?,
        }
        Ok(())
    };
    loop {
        let next = cells.next_cell().map_err(|e| ReadError {
            line: current_row.map(|r| r as u64 + 1),
            column: None,
            message: format!("corrupt worksheet: {e}"),
        })?;
        let Some(cell) = next else { break };
        let (row, col) = cell.get_position();
        if current_row != Some(row) {
            if let Some(r) = current_row {
                flush(r, &mut pending, &mut header)?;
            }
            current_row = Some(row);
        }
        pending.push((col, xlsx_cell(cell.get_value())));
    }
    if let Some(r) = current_row {
        flush(r, &mut pending, &mut header)?;
    }
    if header.is_none() {
        return Err(ReadError::new("empty worksheet: no header row").into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[derive(Default)]
    struct Collect {
        header: Vec<String>,
        rows: Vec<Row>,
    }
    impl Visitor for Collect {
        fn header(&mut self, names: &[String]) -> anyhow::Result<()> {
            self.header = names.to_vec();
            Ok(())
        }
        fn row(&mut self, row: Row) -> anyhow::Result<()> {
            self.rows.push(row);
            Ok(())
        }
    }

    fn read_bytes(name: &str, bytes: &[u8]) -> Result<Collect, String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let (_, format) = Format::split_name(name).unwrap();
        let probe = probe(&path, format).map_err(|e| e.to_string())?;
        let mut c = Collect::default();
        read(&path, format, &probe, None, false, &mut c).map_err(|e| e.to_string())?;
        Ok(c)
    }

    fn texts(row: &Row) -> Vec<String> {
        row.cells.iter().map(|c| c.original()).collect()
    }

    #[test]
    fn names_and_formats() {
        assert_eq!(
            Format::split_name("Cases.CSV.gz"),
            Some(("Cases", Format::CsvGz))
        );
        assert_eq!(
            Format::split_name("rss.jsonl"),
            Some(("rss", Format::Jsonl))
        );
        assert_eq!(Format::split_name("x.xlsx"), Some(("x", Format::Xlsx)));
        assert_eq!(Format::split_name("x.txt"), None);
    }

    #[test]
    fn csv_with_bom_crlf_and_quotes() {
        let c = read_bytes(
            "c.csv",
            b"\xEF\xBB\xBFCase ID,Name\r\n1,\"a, b\"\r\n2,\"NA\"\r\n",
        )
        .unwrap();
        assert_eq!(c.header, ["Case ID", "Name"]);
        assert_eq!(texts(&c.rows[0]), ["1", "a, b"]);
        assert_eq!(c.rows[1].cells[1], Cell::Null);
        assert_eq!((c.rows[0].line, c.rows[1].line), (2, 3));
    }

    #[test]
    fn csv_delimiters_detected() {
        assert_eq!(detect_delimiter(b"a;b;c\n1,5;2;3"), b';');
        assert_eq!(detect_delimiter(b"a\tb\tc"), b'\t');
        assert_eq!(detect_delimiter(b"a,b;c"), b',');
        assert_eq!(detect_delimiter(b"\"a;b\",c"), b',');
        let c = read_bytes("c.csv", b"a;b\n1,5;x\n").unwrap();
        assert_eq!(texts(&c.rows[0]), ["1,5", "x"]);
        let c = read_bytes("c.csv", b"a\tb\n1\tx\n").unwrap();
        assert_eq!(texts(&c.rows[0]), ["1", "x"]);
    }

    #[test]
    fn windows_1252_fallback() {
        let c = read_bytes("c.csv", b"name,sex\nJos\xe9,f\xe9minin\n").unwrap();
        assert_eq!(texts(&c.rows[0]), ["José", "féminin"]);
        let c = read_bytes("c.csv", "name\nJosé\n".as_bytes()).unwrap();
        assert_eq!(texts(&c.rows[0]), ["José"]);
    }

    #[test]
    fn multi_line_fields_keep_physical_line_numbers() {
        let c = read_bytes("c.csv", b"a,b\n1,\"x\ny\"\n2,z\n\n3,w\n").unwrap();
        assert_eq!(c.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 4, 6]);
    }

    #[test]
    fn gzip_and_truncated_gzip() {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(b"a,b\n1,2\n3,4\n").unwrap();
        let gz = enc.finish().unwrap();
        let c = read_bytes("c.csv.gz", &gz).unwrap();
        assert_eq!(c.rows.len(), 2);
        let err = read_bytes("c.csv.gz", &gz[..gz.len() - 6]).err().unwrap();
        assert!(err.contains("decompress"), "{err}");
    }

    #[test]
    fn jsonl_lines_keys_and_types() {
        let body = b"{\"Case ID\": \"C1\", \"members\": 3.0, \"v\": [\"VOT\", \"UMC\"]}\n\n{\"case_id\": \"C2\", \"x\": null}\n";
        let c = read_bytes("r.jsonl", body).unwrap();
        assert_eq!(c.header, ["Case ID", "members", "v", "x"]);
        assert_eq!(texts(&c.rows[0]), ["C1", "3", "VOT;UMC", ""]);
        assert_eq!(texts(&c.rows[1]), ["C2", "", "", ""]);
        assert_eq!((c.rows[0].line, c.rows[1].line), (1, 3));
        let err = read_bytes("r.jsonl", b"{\"a\":1}\n{\"a\":\n")
            .err()
            .unwrap();
        assert!(err.contains("line 2"), "{err}");
    }

    #[test]
    fn utf16_with_a_bom_is_read_as_text() {
        // Excel's "Unicode text": UTF-16LE with a BOM, tab-separated.
        let text = "case_id\tcountry_of_origin\r\nC1\tCôte d'Ivoire\r\nC2\tمصر\r\n";
        for (bom, be) in [([0xFF, 0xFE], false), ([0xFE, 0xFF], true)] {
            let mut bytes = bom.to_vec();
            for unit in text.encode_utf16() {
                let pair = if be {
                    unit.to_be_bytes()
                } else {
                    unit.to_le_bytes()
                };
                bytes.extend_from_slice(&pair);
            }
            let c = read_bytes("c.csv", &bytes).unwrap();
            assert_eq!(c.header, ["case_id", "country_of_origin"]);
            assert_eq!(c.rows.len(), 2);
            assert_eq!(c.rows[0].cells[1], Cell::text("Côte d'Ivoire"));
            assert_eq!(c.rows[1].cells[1], Cell::text("مصر"));
            assert_eq!(c.rows[1].line, 3);
        }
    }

    #[test]
    fn binary_and_empty_files() {
        let err = read_bytes("c.csv", b"\x00\x01\x02garbage").err().unwrap();
        assert!(err.contains("binary"), "{err}");
        let err = read_bytes("c.csv", b"").err().unwrap();
        assert!(err.contains("empty"), "{err}");
        let err = read_bytes("c.xlsx", b"a,b\n1,2\n").err().unwrap();
        assert!(err.contains("XLSX"), "{err}");
    }

    #[test]
    fn xlsx_numbers_dates_and_rows() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 3, 1).unwrap();
        let fmt = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
        sheet.write_string(0, 0, "Case ID").unwrap();
        sheet.write_string(0, 1, "members").unwrap();
        sheet.write_string(0, 2, "return_date").unwrap();
        sheet.write_number(1, 0, 12345.0).unwrap();
        sheet.write_number(1, 1, 3.0).unwrap();
        sheet.write_datetime_with_format(1, 2, &date, &fmt).unwrap();
        sheet.write_string(3, 0, "C9").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let c = read_bytes("c.xlsx", &bytes).unwrap();
        assert_eq!(c.header, ["Case ID", "members", "return_date"]);
        assert_eq!(c.rows[0].cells[0], Cell::Number(12345.0));
        assert_eq!(c.rows[0].cells[0].original(), "12345");
        assert_eq!(
            c.rows[0].cells[2],
            Cell::Date(chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap())
        );
        assert_eq!((c.rows[0].line, c.rows[1].line), (2, 4));
    }
}
