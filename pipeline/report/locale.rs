//! The languages of the reports: words from Project Fluent message files
//! (`templates/locales/<language>/*.ftl`, plural rules included), and
//! numbers, percentages, dates, month names, country names and the
//! writing direction from CLDR through ICU4X. Nothing here is a
//! hand-written rule of a language.
//!
//! A language is a BCP 47 tag as configured (`fr`, `ar`, `ar-EG`,
//! `es`): its messages come from the folder of the tag, or of its
//! language alone (`ar-EG` reads `locales/ar/`); its formats from CLDR for
//! the whole tag (`ar` writes Latin digits, as CLDR says, `ar-EG` and
//! `ar-u-nu-arab` Arabic-Indic ones). English is the fallback: a message
//! missing from a language is taken from English, and the run records a
//! warning (`run.json`, `warnings`).
//!
//! English keeps the formats its reports always had: dates with the
//! abbreviated month of international English (`30 Jun 2026`, CLDR
//! `en-001`, medium); other languages write the month in full
//! (`30 juin 2026`, CLDR long), since their abbreviations (`janv.`) read
//! as clipped.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::str::FromStr;
use std::sync::{Arc, Mutex};

use anyhow::Context;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use icu_datetime::DateTimeFormatter;
use icu_datetime::fieldsets::{YM, YMD};
use icu_datetime::input::Date;
use icu_decimal::DecimalFormatter;
use icu_decimal::input::{Decimal, SignDisplay};
use icu_decimal::options::{DecimalFormatterOptions, GroupingStrategy};
use icu_experimental::dimension::percent::formatter::PercentFormatter;
use icu_experimental::displaynames::DisplayNamesOptions;
use icu_experimental::displaynames::multi::{LanguageDisplayNames, RegionDisplayNames};
use icu_locale::LocaleDirectionality;
use icu_locale_core::Locale as IcuLocale;
use icu_locale_core::subtags::Region;

/// The language every message file must be complete in, and the fallback.
pub const FALLBACK: &str = "en";

/// One language of the reports: its messages and its formats.
pub struct Locale {
    /// The tag as configured: the name of its output folder.
    pub tag: String,
    /// The language's name in itself (`français`, `العربية`; CLDR), for
    /// the links between a page's languages.
    pub name: String,
    pub formats: Formats,
    bundle: FluentBundle<FluentResource>,
}

/// How a language writes numbers, percentages, dates, months and country
/// names, and its direction (CLDR through ICU4X).
pub struct Formats {
    /// `rtl` for a right-to-left script, else `ltr` (CLDR, through the
    /// likely script of the language).
    pub dir: &'static str,
    decimal: DecimalFormatter,
    /// Years and other numbers written without grouping.
    plain: DecimalFormatter,
    percent: PercentFormatter<DecimalFormatter>,
    date: DateTimeFormatter<YMD>,
    month: DateTimeFormatter<YM>,
    /// Abbreviated months, for chart axes.
    short_month: DateTimeFormatter<YM>,
    regions: RegionDisplayNames,
}

/// English formats, for what is written before a page's language is
/// known (and the English pages).
pub static ENGLISH: std::sync::LazyLock<Formats> = std::sync::LazyLock::new(|| {
    // CLDR's English data is compiled in: a bug, not data, could break this.
    Formats::new(FALLBACK).expect("CLDR data for English")
});

impl Formats {
    /// The formats of a BCP 47 tag.
    pub fn new(tag: &str) -> anyhow::Result<Formats> {
        let icu: IcuLocale = tag
            .parse()
            .map_err(|e| anyhow::anyhow!("report language {tag:?} is not a BCP 47 tag: {e:?}"))?;
        let rtl = LocaleDirectionality::new_common().is_right_to_left(&icu.id);
        // English dates as they always were: international English, medium.
        let english = icu.id.language.as_str() == FALLBACK && icu.id.region.is_none();
        let date_locale = if english {
            "en-001"
                .parse::<IcuLocale>()
                .unwrap_or_else(|_| icu.clone())
        } else {
            icu.clone()
        };
        let icu_err = |what: &str| format!("report language {tag}: CLDR has no {what} data");
        let mut plain_options = DecimalFormatterOptions::default();
        plain_options.grouping_strategy = Some(GroupingStrategy::Never);
        Ok(Formats {
            dir: if rtl { "rtl" } else { "ltr" },
            decimal: DecimalFormatter::try_new((&icu).into(), Default::default())
                .with_context(|| icu_err("number"))?,
            plain: DecimalFormatter::try_new((&icu).into(), plain_options)
                .with_context(|| icu_err("number"))?,
            percent: PercentFormatter::try_new((&icu).into(), Default::default())
                .with_context(|| icu_err("percent"))?,
            date: DateTimeFormatter::try_new(
                (&date_locale).into(),
                if english { YMD::medium() } else { YMD::long() },
            )
            .with_context(|| icu_err("date"))?,
            month: DateTimeFormatter::try_new((&date_locale).into(), YM::long())
                .with_context(|| icu_err("month"))?,
            // Arabic's medium month is numeric with direction marks, which
            // an axis label cannot keep in order: its names are short.
            short_month: DateTimeFormatter::try_new(
                (&date_locale).into(),
                if rtl { YM::long() } else { YM::medium() },
            )
            .with_context(|| icu_err("month"))?,
            regions: RegionDisplayNames::try_new((&icu).into(), DisplayNamesOptions::default())
                .with_context(|| icu_err("country name"))?,
        })
    }

    /// `1234567` → `1,234,567` (`1 234 567` in French); rounds to a whole
    /// number.
    pub fn integer(&self, n: f64) -> String {
        self.decimal(n, 0)
    }

    /// `n` with `digits` decimals, in the language's digits and separators.
    /// The rounding is Rust's (`{:.1}`), as the English reports always had.
    pub fn decimal(&self, n: f64, digits: usize) -> String {
        match decimal_of(n, digits) {
            Some(d) => self.decimal.format(&d).to_string(),
            None => n.to_string(),
        }
    }

    /// A change: `n` with `digits` decimals and its sign, `+` included
    /// (CLDR's signs, with the bidi marks Arabic needs).
    pub fn signed(&self, n: f64, digits: usize) -> String {
        match decimal_of(n, digits) {
            Some(d) => self
                .decimal
                .format(&d.with_sign_display(SignDisplay::ExceptZero))
                .to_string(),
            None => n.to_string(),
        }
    }

    /// A change of a ratio as a signed percentage: `0.355` → `+35.5%`.
    pub fn signed_percent(&self, ratio: f64) -> String {
        match decimal_of(ratio * 100.0, 1) {
            Some(d) => self
                .percent
                .format(&d.with_sign_display(SignDisplay::ExceptZero))
                .to_string(),
            None => format!("{ratio}"),
        }
    }

    /// A number without grouping (a year).
    pub fn plain(&self, n: i64) -> String {
        self.plain.format(&Decimal::from(n)).to_string()
    }

    /// A ratio as a percentage with one decimal: `0.564` → `56.4%`
    /// (`56,4 %` in French).
    pub fn percent(&self, ratio: f64) -> String {
        match decimal_of(ratio * 100.0, 1) {
            Some(d) => self.percent.format(&d).to_string(),
            None => format!("{ratio}"),
        }
    }

    /// A date: `30 Jun 2026`, `30 juin 2026`.
    pub fn date(&self, d: chrono::NaiveDate) -> Option<String> {
        Some(self.date.format(&iso_date(d)?).to_string())
    }

    /// A month: `March 2026`, `mars 2026`.
    pub fn month(&self, d: chrono::NaiveDate) -> Option<String> {
        Some(self.month.format(&iso_date(d)?).to_string())
    }

    /// A month on a chart's axis: `Jun 2026`, `juin 2026`.
    pub fn short_month(&self, d: chrono::NaiveDate) -> Option<String> {
        Some(self.short_month.format(&iso_date(d)?).to_string())
    }

    /// A country's name from its ISO 3166 two-letter code, in this
    /// language (CLDR); `None` for a code CLDR does not name.
    pub fn country(&self, iso2: &str) -> Option<String> {
        let region = Region::try_from_str(iso2).ok()?;
        self.regions.of(region).map(str::to_string)
    }
}

impl Locale {
    /// The message with its arguments, or `None` when the language lacks
    /// it; errors name the message.
    fn format(&self, key: &str, args: &FluentArgs<'_>) -> anyhow::Result<Option<String>> {
        let Some(pattern) = self.bundle.get_message(key).and_then(|m| m.value()) else {
            return Ok(None);
        };
        let mut errors = vec![];
        let text = self
            .bundle
            .format_pattern(pattern, Some(args), &mut errors)
            .into_owned();
        anyhow::ensure!(
            errors.is_empty(),
            "message {key} ({}): {errors:?}",
            self.tag
        );
        Ok(Some(text))
    }
}

/// `n` rounded to `digits` decimals as ICU4X's decimal, through Rust's
/// formatting (so the rounding is what it always was).
fn decimal_of(n: f64, digits: usize) -> Option<Decimal> {
    if !n.is_finite() {
        return None;
    }
    let text = format!("{n:.digits$}");
    // `-0` is 0.
    let text = if text.trim_start_matches(['-', '0', '.']).is_empty() {
        text.trim_start_matches('-').to_string()
    } else {
        text
    };
    Decimal::from_str(&text).ok()
}

fn iso_date(d: chrono::NaiveDate) -> Option<Date<icu_calendar::Iso>> {
    use chrono::Datelike;
    let month = u8::try_from(d.month()).ok()?;
    let day = u8::try_from(d.day()).ok()?;
    Date::try_new_iso(d.year(), month, day).ok()
}

/// Every configured language, the first the default, with English for the
/// messages another language lacks.
pub struct Locales {
    list: Vec<Arc<Locale>>,
    /// Languages only some donor packs are written in (their `language`).
    packs: Vec<Arc<Locale>>,
    fallback: Arc<Locale>,
    /// (language, message) taken from English: the run's warnings.
    missing: Mutex<BTreeSet<(String, String)>>,
}

impl Locales {
    /// Loads the message files of `tags` (and of English) from
    /// `<templates>/locales/`; an error names the file and the message.
    pub fn load(templates: &Path, tags: &[String]) -> anyhow::Result<Locales> {
        Locales::load_with_packs(templates, tags, &[])
    }

    /// As [`Locales::load`], with the languages of packs that set their
    /// own (`pack_tags`, loaded once each, kept out of [`Locales::all`]).
    pub fn load_with_packs(
        templates: &Path,
        tags: &[String],
        pack_tags: &[String],
    ) -> anyhow::Result<Locales> {
        let dir = templates.join("locales");
        let fallback = Arc::new(load_one(&dir, FALLBACK)?);
        let load = |tag: &String| -> anyhow::Result<Arc<Locale>> {
            if tag == FALLBACK {
                Ok(Arc::clone(&fallback))
            } else {
                Ok(Arc::new(load_one(&dir, tag)?))
            }
        };
        let mut list = tags.iter().map(load).collect::<anyhow::Result<Vec<_>>>()?;
        if list.is_empty() {
            list.push(Arc::clone(&fallback));
        }
        let mut packs: Vec<Arc<Locale>> = Vec::new();
        for tag in pack_tags {
            if !list.iter().chain(&packs).any(|l| &l.tag == tag) {
                packs.push(load(tag)?);
            }
        }
        Ok(Locales {
            list,
            packs,
            fallback,
            missing: Mutex::new(BTreeSet::new()),
        })
    }

    /// The languages a pack is written in: its own `language` alone, or
    /// every report language.
    pub fn for_pack(&self, language: Option<&str>) -> Vec<Arc<Locale>> {
        match language.and_then(|t| self.list.iter().chain(&self.packs).find(|l| l.tag == t)) {
            Some(one) => vec![Arc::clone(one)],
            None => self.list.clone(),
        }
    }

    /// The configured languages, the default first.
    pub fn all(&self) -> &[Arc<Locale>] {
        &self.list
    }

    /// The language of `tag`, or the default one.
    pub fn get(&self, tag: Option<&str>) -> &Locale {
        tag.and_then(|t| self.list.iter().chain(&self.packs).find(|l| l.tag == t))
            .unwrap_or(&self.list[0])
    }

    /// The message `key` in `tag` with `args`; from English, recorded as
    /// missing, when the language lacks it; an error when English lacks it
    /// too (a template names a message no file defines).
    pub fn message(
        &self,
        tag: Option<&str>,
        key: &str,
        args: &FluentArgs<'_>,
    ) -> anyhow::Result<String> {
        let locale = self.get(tag);
        if let Some(text) = locale.format(key, args)? {
            return Ok(text);
        }
        let text = self.fallback.format(key, args)?.with_context(|| {
            format!(
                "no message {key} in templates/locales/{FALLBACK}/ (nor in {})",
                locale.tag
            )
        })?;
        if let Ok(mut missing) = self.missing.lock() {
            missing.insert((locale.tag.clone(), key.to_string()));
        }
        Ok(text)
    }

    /// Whether English, so every language, has the message `key`.
    pub fn defines(&self, key: &str) -> bool {
        self.fallback.bundle.has_message(key)
    }

    /// What was taken from English, as run warnings.
    pub fn warnings(&self) -> Vec<String> {
        let missing = self.missing.lock().map(|m| m.clone()).unwrap_or_default();
        let mut by_tag: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (tag, key) in missing {
            by_tag.entry(tag).or_default().push(key);
        }
        by_tag
            .into_iter()
            .map(|(tag, keys)| {
                format!(
                    "report language {tag}: {} message(s) missing, shown in English: {}",
                    keys.len(),
                    keys.join(", ")
                )
            })
            .collect()
    }
}

/// What Rust writes on a page in one language: its messages (English where
/// one is missing) and its formats.
#[derive(Clone, Copy)]
pub struct Words<'a> {
    pub locales: &'a Locales,
    pub locale: &'a Locale,
    /// The project's code lists: the English labels and country codes.
    pub codes: &'a crate::codes::Codes,
}

impl Words<'_> {
    /// The formats of the page's language.
    pub fn formats(&self) -> &Formats {
        &self.locale.formats
    }

    /// The message `key` with text arguments.
    pub fn say(&self, key: &str, args: &[(&str, &str)]) -> anyhow::Result<String> {
        let mut fluent = FluentArgs::new();
        for (k, v) in args {
            fluent.set(*k, *v);
        }
        self.locales.message(Some(&self.locale.tag), key, &fluent)
    }

    /// Text for a chart of a page in this language: charts lay out left
    /// to right (their axes and anchors), so right-to-left text goes in a
    /// right-to-left isolate, which keeps its words in order.
    pub fn chart_text(&self, text: &str) -> String {
        if self.locale.formats.dir == "rtl" {
            format!("\u{2067}{text}\u{2069}")
        } else {
            text.to_string()
        }
    }

    /// A chart's SVG for a page in this language: a right-to-left page's
    /// charts name Noto Sans Arabic first. Typst draws a chart's SVG for the
    /// PDF with the shipped faces, and falling back from the Latin face to
    /// the Arabic one lost the glyphs of some Arabic labels (missing-glyph
    /// boxes); a browser uses the face when installed, else its own.
    ///
    /// Within a label, the runs the Arabic face lacks (codes, Latin words,
    /// `·`) go in a `<tspan>` of Noto Sans: usvg's per-character fallback
    /// gives up on a label where the Arabic face joins letters into a
    /// ligature (lam-alef), and drew those runs as boxes; a span of their
    /// own face needs no fallback.
    pub fn chart_svg(&self, svg: String) -> String {
        if self.locale.formats.dir != "rtl" {
            return svg;
        }
        let svg = svg.replace(
            "font-family=\"sans-serif\"",
            &format!(
                "font-family=\"{}, Noto Sans, sans-serif\"",
                super::fonts::ARABIC_FAMILY
            ),
        );
        latin_runs_in_spans(&svg)
    }

    /// The message `key`, or `default` when no language defines it (words
    /// whose ids come from data, such as a funnel stage a team added).
    pub fn say_or(&self, key: &str, default: &str) -> anyhow::Result<String> {
        if self.locales.defines(key) {
            self.say(key, &[])
        } else {
            Ok(default.to_string())
        }
    }

    /// A word of a layout file (`page.toml`, `pack.toml`): a message id,
    /// or, in a file written before message files, the text itself, its
    /// `{name}` placeholders replaced by `args`.
    pub fn text(&self, id_or_text: &str, args: &[(&str, &str)]) -> anyhow::Result<String> {
        if self.locales.defines(id_or_text) {
            return self.say(id_or_text, args);
        }
        let mut text = id_or_text.to_string();
        for (k, v) in args {
            text = text.replace(&format!("{{{k}}}"), v);
        }
        Ok(text)
    }

    /// An indicator's title in the page's language (its catalogue entry's
    /// `translations`), else the catalogue's title.
    pub fn indicator_title(&self, indicator: &crate::indicators::Indicator) -> String {
        indicator.title_in(&self.locale.tag).to_string()
    }

    /// How a breakdown value reads in this language: a country's CLDR
    /// name (from its alpha-3 code), a vulnerability's label (the
    /// message `vulnerability-<code>`, else the code list's English label),
    /// a sex's word (`sex-<code>`); other values as they are.
    pub fn breakdown_value(&self, breakdown: &str, value: &str) -> anyhow::Result<String> {
        match breakdown {
            "country_of_origin" | "host_country" => Ok(self.country(value)),
            "vulnerability" => {
                let code = value.to_uppercase();
                let english = self
                    .codes
                    .vulnerability_labels
                    .get(&code)
                    .map_or(value, String::as_str);
                self.say_or(&format!("vulnerability-{value}"), english)
            }
            "sex" => self.say_or(&format!("sex-{value}"), value),
            "assistance_type" => {
                let english = self
                    .codes
                    .assistance_types
                    .iter()
                    .find(|a| a.code == value)
                    .map_or(value, |a| a.label.as_str());
                self.say_or(&format!("assistance-{value}"), english)
            }
            "dimension" => self.say_or(&format!("dimension-{value}"), value),
            "channel" => self.say_or(&format!("channel-{value}"), value),
            _ => Ok(value.to_string()),
        }
    }

    /// A country's name from its alpha-3 code: CLDR's in this language,
    /// else the code list's English name, else the code.
    pub fn country(&self, iso3: &str) -> String {
        let iso3 = iso3.to_uppercase();
        let iso2 = self
            .codes
            .countries
            .iter()
            .find(|(k, v)| k.len() == 2 && **v == iso3)
            .map(|(k, _)| k.as_str());
        iso2.and_then(|c| self.locale.formats.country(c))
            .or_else(|| self.codes.country_names.get(&iso3).cloned())
            .unwrap_or(iso3)
    }

    /// A period's name (`Q2 2026`, `T2 2026`).
    pub fn period(&self, period: &str) -> anyhow::Result<String> {
        super::filters::period_in(self.locales, self.locale, minijinja::Value::from(period))
            .map_err(|e| anyhow::anyhow!("{e}"))
    }
}

/// The message keys of one language's files.
pub fn message_keys(templates: &Path, tag: &str) -> anyhow::Result<BTreeSet<String>> {
    let mut keys = BTreeSet::new();
    for (path, text) in files_of(&templates.join("locales"), tag)? {
        let resource = FluentResource::try_new(text)
            .map_err(|(_, e)| anyhow::anyhow!("{}: {e:?}", path.display()))?;
        for entry in resource.entries() {
            if let fluent_syntax::ast::Entry::Message(m) = entry {
                keys.insert(m.id.name.to_string());
            }
        }
    }
    Ok(keys)
}

/// The `.ftl` files of the folder of `tag` (or of its language subtag),
/// sorted, with their text. A templates folder without it (one made by an
/// older `homeward init`) gets the files this binary was built with.
fn files_of(dir: &Path, tag: &str) -> anyhow::Result<Vec<(std::path::PathBuf, String)>> {
    let language = tag.split(['-', '_']).next().unwrap_or(tag);
    let Some(folder) = [dir.join(tag), dir.join(language)]
        .into_iter()
        .find(|d| d.is_dir())
    else {
        let shipped: Vec<_> = [tag, language]
            .iter()
            .map(|t| format!("templates/locales/{t}/"))
            .find_map(|prefix| {
                let files: Vec<_> = crate::init::PROJECT_FILES
                    .iter()
                    .filter(|(p, _)| p.starts_with(&prefix) && p.ends_with(".ftl"))
                    .map(|(p, text)| (std::path::PathBuf::from(p), text.to_string()))
                    .collect();
                (!files.is_empty()).then_some(files)
            })
            .with_context(|| {
                format!(
                    "report language {tag}: no messages in {} (make the folder with its .ftl files)",
                    dir.join(language).display()
                )
            })?;
        return Ok(shipped);
    };
    let mut paths: Vec<_> = std::fs::read_dir(&folder)
        .with_context(|| format!("cannot read {}", folder.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p)
                .with_context(|| format!("cannot read {}", p.display()))?;
            Ok((p, text))
        })
        .collect()
}

fn load_one(dir: &Path, tag: &str) -> anyhow::Result<Locale> {
    let formats = Formats::new(tag)?;
    let langid: unic_langid::LanguageIdentifier = tag
        .parse()
        .map_err(|e| anyhow::anyhow!("report language {tag:?}: {e}"))?;
    let mut bundle = FluentBundle::new_concurrent(vec![langid]);
    // Fluent wraps each argument in bidi isolation marks: needed where a
    // number or code sits in right-to-left text, noise elsewhere.
    bundle.set_use_isolating(formats.dir == "rtl");
    for (path, text) in files_of(dir, tag)? {
        let resource = FluentResource::try_new(text)
            .map_err(|(_, e)| anyhow::anyhow!("{}: {e:?}", path.display()))?;
        bundle
            .add_resource(resource)
            .map_err(|e| anyhow::anyhow!("{}: {e:?}", path.display()))?;
    }
    let icu: IcuLocale = tag
        .parse()
        .map_err(|e| anyhow::anyhow!("report language {tag:?} is not a BCP 47 tag: {e:?}"))?;
    let name = LanguageDisplayNames::try_new((&icu).into(), DisplayNamesOptions::default())
        .ok()
        .and_then(|names| names.of(icu.id.language).map(str::to_string))
        .unwrap_or_else(|| tag.to_string());
    Ok(Locale {
        tag: tag.to_string(),
        name,
        formats,
        bundle,
    })
}

/// `svg` with the runs of each `<text>` element that mixes Arabic with
/// other letters wrapped in `<tspan font-family="Noto Sans">` (see
/// [`Words::chart_svg`]). Plotters writes a label as the element's only
/// text, escaped, so its entities are never split (`&`, `;` and their
/// letters are all in a non-Arabic run).
fn latin_runs_in_spans(svg: &str) -> String {
    let arabic = |c: char| matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}');
    // Spaces and bidi controls belong to neither run: the Arabic face has them.
    let neutral = |c: char| {
        c.is_whitespace() || matches!(c, '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
    };
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(start) = rest.find("<text") {
        let Some(open_end) = rest[start..].find('>').map(|i| start + i + 1) else {
            break;
        };
        let Some(close) = rest[open_end..].find("</text>").map(|i| open_end + i) else {
            break;
        };
        out.push_str(&rest[..open_end]);
        let label = &rest[open_end..close];
        if label.contains('<') || !label.chars().any(arabic) {
            out.push_str(label);
        } else {
            let mut in_run = false;
            for c in label.chars() {
                let latin = !arabic(c) && !neutral(c);
                if latin && !in_run {
                    out.push_str("<tspan font-family=\"Noto Sans\">");
                    in_run = true;
                } else if !latin && in_run && !neutral(c) {
                    out.push_str("</tspan>");
                    in_run = false;
                }
                out.push(c);
            }
            if in_run {
                out.push_str("</tspan>");
            }
        }
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

/// Fluent arguments of text values, for messages Rust shows.
pub fn args<'a, const N: usize>(pairs: [(&'a str, &'a str); N]) -> FluentArgs<'a> {
    let mut args = FluentArgs::new();
    for (k, v) in pairs {
        args.set(k, v);
    }
    args
}

/// Fluent arguments from a template's keyword arguments: numbers stay
/// numbers (for plural rules), everything else is text.
pub fn fluent_args(kwargs: &[(String, minijinja::Value)]) -> FluentArgs<'static> {
    let mut args = FluentArgs::new();
    for (k, v) in kwargs {
        let value = match f64::try_from(v.clone()) {
            Ok(n) if v.as_str().is_none() => FluentValue::from(n),
            _ => FluentValue::from(v.to_string()),
        };
        args.set(k.clone(), value);
    }
    args
}

#[cfg(test)]
mod tests {
    #[test]
    fn latin_runs_of_arabic_labels_get_their_own_face() {
        let svg = "<svg><text x=\"1\">\n\u{2067}RT.1001 · معدل إعادة · 2026\u{2069}\n</text>\
                   <text>RT.1001 &amp; x</text><text>50%</text></svg>";
        assert_eq!(
            super::latin_runs_in_spans(svg),
            "<svg><text x=\"1\">\n\u{2067}<tspan font-family=\"Noto Sans\">RT.1001 · </tspan>\
             معدل إعادة <tspan font-family=\"Noto Sans\">· 2026\u{2069}\n</tspan></text>\
             <text>RT.1001 &amp; x</text><text>50%</text></svg>"
        );
    }

    use super::*;

    fn shipped() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("templates")
    }

    fn locales(tags: &[&str]) -> Locales {
        let tags: Vec<String> = tags.iter().map(|t| t.to_string()).collect();
        Locales::load(&shipped(), &tags).unwrap()
    }

    #[test]
    fn numbers_percentages_and_dates_follow_cldr() {
        let l = locales(&["en", "fr", "ar", "ar-EG", "es"]);
        let day = chrono::NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
        let en = &l.get(Some("en")).formats;
        assert_eq!(en.integer(1234.0), "1,234");
        assert_eq!(en.percent(0.564), "56.4%");
        assert_eq!(en.date(day).unwrap(), "30 Jun 2026");
        assert_eq!(en.decimal(0.7, 2), "0.70");
        assert_eq!(en.decimal(-0.001, 2), "0.00");
        assert_eq!(en.signed(27.0, 0), "+27");
        assert_eq!(en.signed(-3.0, 0), "-3");
        assert_eq!(en.signed(0.0, 0), "0");
        assert_eq!(en.signed_percent(0.355), "+35.5%");
        let fr = &l.get(Some("fr")).formats;
        // CLDR's French group separator is the narrow no-break space.
        assert_eq!(fr.integer(1234.0), "1\u{202f}234");
        assert_eq!(fr.percent(0.564), "56,4\u{a0}%");
        assert_eq!(fr.date(day).unwrap(), "30 juin 2026");
        assert_eq!(fr.month(day).unwrap(), "juin 2026");
        assert_eq!(fr.country("SN").unwrap(), "Sénégal");
        let es = &l.get(Some("es")).formats;
        assert_eq!(es.integer(1234567.0), "1.234.567");
        assert_eq!(es.date(day).unwrap(), "30 de junio de 2026");
        let ar = &l.get(Some("ar")).formats;
        assert_eq!(ar.dir, "rtl");
        assert_eq!(ar.country("IQ").unwrap(), "العراق");
        // Egyptian Arabic writes Arabic-Indic digits.
        let eg = &l.get(Some("ar-EG")).formats;
        assert_eq!(eg.integer(1234.0), "١٬٢٣٤");
        assert_eq!(eg.plain(2026), "٢٠٢٦");
        assert_eq!(l.get(Some("fr")).formats.dir, "ltr");
    }

    #[test]
    fn plurals_follow_each_language() {
        let l = locales(&["en", "fr", "ar"]);
        let say = |tag: &str, n: f64| {
            let mut args = FluentArgs::new();
            args.set("count", n);
            args.set("shown", n.to_string());
            l.message(Some(tag), "returnees-count", &args).unwrap()
        };
        assert_eq!(say("en", 1.0), "1 returnee");
        assert_eq!(say("en", 2.0), "2 returnees");
        // French: 0 and 1 are singular.
        assert_eq!(say("fr", 0.0), "0 rapatrié");
        assert_eq!(say("fr", 2.0), "2 rapatriés");
        // Arabic has six forms: two (dual) and few (3–10) differ.
        let (two, few, many) = (say("ar", 2.0), say("ar", 3.0), say("ar", 11.0));
        assert!(two != few && few != many, "{two} / {few} / {many}");
    }

    #[test]
    fn every_shipped_language_has_every_message() {
        let english = message_keys(&shipped(), FALLBACK).unwrap();
        assert!(english.len() > 50, "{} English messages", english.len());
        for tag in ["fr", "ar", "es"] {
            let keys = message_keys(&shipped(), tag).unwrap();
            let missing: Vec<_> = english.difference(&keys).collect();
            let extra: Vec<_> = keys.difference(&english).collect();
            assert!(missing.is_empty(), "{tag} lacks {missing:?}");
            assert!(
                extra.is_empty(),
                "{tag} has messages English lacks: {extra:?}"
            );
        }
    }

    #[test]
    fn every_shipped_code_has_a_label_in_every_language() {
        // English has them, so every language has them (the test above).
        let english = message_keys(&shipped(), FALLBACK).unwrap();
        let codes = crate::codes::Codes::shipped();
        let mut wanted: Vec<String> = codes
            .assistance_types
            .iter()
            .map(|a| format!("assistance-{}", a.code))
            .collect();
        wanted.extend(
            codes
                .vulnerabilities
                .iter()
                .map(|v| format!("vulnerability-{v}")),
        );
        wanted.extend(
            crate::codes::ASSISTANCE_DIMENSIONS
                .iter()
                .chain(crate::codes::RSS_DIMENSIONS)
                .map(|d| format!("dimension-{d}")),
        );
        wanted.extend(["channel-direct", "channel-referral"].map(String::from));
        wanted.extend(["F", "M", "X", "U"].map(|s| format!("sex-{s}")));
        let missing: Vec<_> = wanted.iter().filter(|k| !english.contains(*k)).collect();
        assert!(missing.is_empty(), "no message for {missing:?}");
    }

    #[test]
    fn a_missing_message_falls_back_to_english_and_warns() {
        let dir = tempfile::tempdir().unwrap();
        let locales_dir = dir.path().join("locales");
        std::fs::create_dir_all(locales_dir.join("en")).unwrap();
        std::fs::create_dir_all(locales_dir.join("fr")).unwrap();
        std::fs::write(
            locales_dir.join("en/a.ftl"),
            "hello = Hello\nbye = Goodbye\n",
        )
        .unwrap();
        std::fs::write(locales_dir.join("fr/a.ftl"), "hello = Bonjour\n").unwrap();
        let l = Locales::load(dir.path(), &["fr".to_string()]).unwrap();
        let none = FluentArgs::new();
        assert_eq!(l.message(Some("fr"), "hello", &none).unwrap(), "Bonjour");
        assert!(l.warnings().is_empty());
        assert_eq!(l.message(Some("fr"), "bye", &none).unwrap(), "Goodbye");
        assert_eq!(
            l.warnings(),
            vec!["report language fr: 1 message(s) missing, shown in English: bye"]
        );
        assert!(l.message(Some("fr"), "nowhere", &none).is_err());
    }
}
