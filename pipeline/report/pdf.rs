//! PDF through Typst, embedded as a library: the pack's Typst source (from
//! the template `donor/pack.typ`) is compiled with the Noto Sans faces
//! shipped in `fonts/`, and charts as virtual SVG files. Offline: the world
//! serves only these files, never the network or the disk.

use std::collections::HashMap;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use super::fonts::FACES as FONTS;

/// Loads the embedded fonts as Typst does (`homeward doctor`): the number of
/// faces, an error if one does not parse or a weight is missing.
pub fn check_fonts() -> anyhow::Result<usize> {
    let mut faces = 0;
    for (i, bytes) in FONTS.iter().enumerate() {
        let n = Font::iter(Bytes::new(*bytes)).count();
        anyhow::ensure!(n > 0, "embedded font {i} does not load");
        faces += n;
    }
    Ok(faces)
}

struct PackWorld {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    main: Source,
    files: HashMap<FileId, Bytes>,
    today: Option<Datetime>,
}

fn file_id(path: &str) -> anyhow::Result<FileId> {
    let vpath =
        VirtualPath::new(path).map_err(|e| anyhow::anyhow!("bad virtual path {path}: {e:?}"))?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

impl World for PackWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files.get(&id).cloned().ok_or(FileError::AccessDenied)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        self.today
    }
}

/// Compiles Typst `source` to PDF bytes. `files` are served by path (e.g.
/// `charts/0.svg`); `today` is the as-of date, so output does not depend on
/// the clock.
pub fn compile(
    source: String,
    files: Vec<(String, Vec<u8>)>,
    today: chrono::NaiveDate,
) -> anyhow::Result<Vec<u8>> {
    let pdf = compile_uncached(source, files, today);
    // Typst memoises layout work in a process-wide cache for the next
    // compile of the same document; each pack is compiled once, so keeping
    // it only holds memory (≈ 25 MiB per pack), also when a compile failed.
    // Only what no compile used since the last eviction goes: emptying it
    // all also emptied it under the pack compiling beside this one.
    comemo::evict(1);
    pdf
}

fn compile_uncached(
    source: String,
    files: Vec<(String, Vec<u8>)>,
    today: chrono::NaiveDate,
) -> anyhow::Result<Vec<u8>> {
    use chrono::Datelike;
    let fonts: Vec<Font> = FONTS
        .iter()
        .flat_map(|b| Font::iter(Bytes::new(*b)))
        .collect();
    let mut book = FontBook::new();
    for f in &fonts {
        book.push(f.info().clone());
    }
    let mut served = HashMap::new();
    for (path, bytes) in files {
        served.insert(file_id(&path)?, Bytes::new(bytes));
    }
    let world = PackWorld {
        library: LazyHash::new(Library::default()),
        book: LazyHash::new(book),
        fonts,
        main: Source::new(file_id("pack.typ")?, source),
        files: served,
        today: Datetime::from_ymd(today.year(), today.month() as u8, today.day() as u8),
    };
    let warned = typst::compile::<typst_layout::PagedDocument>(&world);
    for w in &warned.warnings {
        tracing::debug!("typst: {}", w.message);
    }
    let doc = warned.output.map_err(|errs| {
        let msgs: Vec<String> = errs
            .iter()
            .map(|e| {
                let place = typst::WorldExt::range(&world, e.span)
                    .map(|r| {
                        let text = world.main.text();
                        let line = text[..r.start].matches('\n').count() + 1;
                        format!("pack.typ line {line}: ")
                    })
                    .unwrap_or_default();
                format!("{place}{}", e.message)
            })
            .collect();
        anyhow::anyhow!("the PDF template failed: {}", msgs.join("; "))
    })?;
    let options = typst_pdf::PdfOptions {
        ident: typst::foundations::Smart::Custom("homeward-donor-pack".into()),
        timestamp: None,
        ..Default::default()
    };
    typst_pdf::pdf(&doc, &options).map_err(|errs| {
        anyhow::anyhow!(
            "PDF export failed: {}",
            errs.iter()
                .map(|e| e.message.to_string())
                .collect::<Vec<_>>()
                .join("; ")
        )
    })
}
