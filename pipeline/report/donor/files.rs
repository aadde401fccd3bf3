//! A pack's machine formats: `pack.csv`, `pack.hxl.csv` and `pack.xlsx`,
//! written from the pack's published values only.

use chrono::NaiveDate;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet};

use super::{DisaggTable, LongRow, Pack, Shown};

/// The columns of `pack.csv` and their HXL hashtags.
const LONG_COLUMNS: [(&str, &str); 14] = [
    ("pack", "#meta+pack"),
    ("donor", "#org+funder"),
    ("project_code", "#activity+code"),
    ("indicator_id", "#indicator+code"),
    ("indicator_title", "#indicator+name"),
    ("unit", "#indicator+unit"),
    ("period_type", "#date+period+type"),
    ("period", "#date+period"),
    ("period_start", "#date+start"),
    ("period_end", "#date+end"),
    ("breakdown", "#indicator+breakdown"),
    ("breakdown_value", "#indicator+breakdown+value"),
    ("value", "#indicator+value+num"),
    // The observation status (after SDMX OBS_STATUS): `hidden`,
    // `perturbed` or empty.
    ("obs_status", "#status+obs"),
];

/// `pack.csv` (and, with `hxl`, `pack.hxl.csv`): one row per value of the
/// pack's projects for the period and to date, as published. The value
/// column holds numbers only (empty when hidden) and `obs_status` says
/// why; text cells cannot run as spreadsheet formulas ([`crate::csv_safe`]).
pub fn long_csv(pack: &Pack, hxl: bool) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(LONG_COLUMNS.iter().map(|c| c.0))?;
    if hxl {
        w.write_record(LONG_COLUMNS.iter().map(|c| c.1))?;
    }
    for r in &pack.long {
        let text = long_text(pack, r);
        let mut record: Vec<std::borrow::Cow<'_, str>> =
            text.iter().map(|s| crate::csv_safe::text(s)).collect();
        record.push(r.value.machine().into());
        record.push(r.value.flag.as_str().into());
        w.write_record(record.iter().map(|c| c.as_bytes()))?;
    }
    Ok(w.into_inner()?)
}

/// The text columns of a long row, in `LONG_COLUMNS` order.
fn long_text<'a>(pack: &'a Pack, r: &'a LongRow) -> [&'a str; 12] {
    [
        &pack.pack,
        &pack.donor,
        &r.project_code,
        &r.indicator_id,
        &r.indicator_title,
        &r.unit,
        &r.period_type,
        &r.period,
        &r.period_start,
        &r.period_end,
        &r.breakdown,
        &r.breakdown_value,
    ]
}

/// `pack.xlsx`: one sheet per table. Text is always written as text (never
/// a formula); a hidden cell holds the marker as text.
pub fn xlsx(pack: &Pack) -> anyhow::Result<Vec<u8>> {
    let mut wb = Workbook::new();
    // Created "on" the as-of date, not now: a rerun writes the same bytes.
    if let Ok(d) = NaiveDate::parse_from_str(&pack.as_of, "%Y-%m-%d") {
        use chrono::Datelike;
        let day = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
        wb.set_properties(&DocProperties::new().set_creation_datetime(&day));
    }
    let sheets = Sheets {
        pack,
        bold: Format::new().set_bold(),
    };
    sheets.cover(wb.add_worksheet().set_name("Cover")?)?;
    sheets.logframe(wb.add_worksheet().set_name("Logframe")?)?;
    sheets.sdg(wb.add_worksheet().set_name("SDG alignment")?)?;
    for t in &pack.disaggregation {
        sheets.disaggregation(wb.add_worksheet().set_name(&t.title)?, t)?;
    }
    sheets.definitions(wb.add_worksheet().set_name("Definitions")?)?;
    let ws = wb.add_worksheet().set_name("Methodology")?;
    for (i, l) in pack.methodology.iter().enumerate() {
        ws.write_string(i as u32, 0, l)?;
    }
    sheets.data(wb.add_worksheet().set_name("Data")?)?;
    // Zip level 3, not 6: at 1 M cases the eight packs' workbooks took
    // 0.18 s instead of 0.25 s to write, for files 12 % larger (190 kB
    // instead of 169 kB each; benches/README.md).
    wb.set_zip_compression_level(3);
    Ok(wb.save_to_buffer()?)
}

/// Writes the sheets of one pack.
struct Sheets<'a> {
    pack: &'a Pack,
    bold: Format,
}

impl Sheets<'_> {
    fn text(&self, ws: &mut Worksheet, r: u32, c: u16, s: &str) -> anyhow::Result<()> {
        ws.write_string(r, c, s)?;
        Ok(())
    }

    fn num(&self, ws: &mut Worksheet, r: u32, c: u16, v: Option<f64>) -> anyhow::Result<()> {
        if let Some(v) = v {
            ws.write_number(r, c, v)?;
        }
        Ok(())
    }

    /// A cell of the human tables: a hidden cell keeps its readable mark.
    fn shown(&self, ws: &mut Worksheet, r: u32, c: u16, s: &Shown) -> anyhow::Result<()> {
        if s.hidden {
            ws.write_string(r, c, &self.pack.marker)?;
        } else if let Some(v) = s.value {
            ws.write_number(r, c, v)?;
        }
        Ok(())
    }

    /// Bold column names on row `r`.
    fn header_at(&self, ws: &mut Worksheet, r: u32, cols: &[&str]) -> anyhow::Result<()> {
        for (i, c) in cols.iter().enumerate() {
            ws.write_string_with_format(r, i as u16, *c, &self.bold)?;
        }
        Ok(())
    }

    fn header(&self, ws: &mut Worksheet, cols: &[&str]) -> anyhow::Result<()> {
        self.header_at(ws, 0, cols)
    }

    /// The note under a table, a row below its last.
    fn footnote(&self, ws: &mut Worksheet, rows: usize) -> anyhow::Result<()> {
        self.text(ws, rows as u32 + 2, 0, &self.pack.footnote)
    }

    /// What the pack is, and its projects.
    fn cover(&self, ws: &mut Worksheet) -> anyhow::Result<()> {
        let pack = self.pack;
        let lines: Vec<(&str, String)> = vec![
            ("Donor", pack.donor.clone()),
            ("Pack", pack.pack.clone()),
            (
                "Period",
                format!(
                    "{} ({} to {})",
                    pack.period.period,
                    pack.period.start.map_or(String::new(), |d| d.to_string()),
                    pack.period.end
                ),
            ),
            ("As of", pack.as_of.clone()),
            ("Newest drop", pack.newest_drop.clone().unwrap_or_default()),
            ("Run", pack.run_id.clone()),
            ("Disclosure control", pack.footnote.clone()),
        ];
        for (i, (k, v)) in lines.iter().enumerate() {
            ws.write_string_with_format(i as u32, 0, *k, &self.bold)?;
            self.text(ws, i as u32, 1, v)?;
        }
        let top = lines.len() as u32 + 1;
        self.header_at(
            ws,
            top,
            &[
                "project_code",
                "prima_id",
                "title",
                "project_type",
                "donor",
                "start_date",
                "end_date",
                "status",
                "budget_usd",
                "coverage",
                "idf_region",
                "benefiting_countries",
                "sdg_goals",
            ],
        )?;
        for (n, p) in pack.projects.iter().enumerate() {
            let r = top + 1 + n as u32;
            let fields = [
                Some(p.project_code.clone()),
                p.prima_id.clone(),
                p.title.clone(),
                p.project_type.clone(),
                p.donor.clone(),
                p.start_date.clone(),
                p.end_date.clone(),
                p.status.clone(),
            ];
            for (i, f) in fields.iter().enumerate() {
                self.text(ws, r, i as u16, f.as_deref().unwrap_or(""))?;
            }
            self.num(ws, r, 8, p.budget_usd)?;
            let rest = [
                p.coverage.clone(),
                p.idf_region.clone(),
                p.benefiting_countries.clone(),
                p.sdg_goals.clone(),
            ];
            for (i, f) in rest.iter().enumerate() {
                self.text(ws, r, 9 + i as u16, f.as_deref().unwrap_or(""))?;
            }
        }
        Ok(())
    }

    /// Targets against their published actuals.
    fn logframe(&self, ws: &mut Worksheet) -> anyhow::Result<()> {
        self.header(
            ws,
            &[
                "project_code",
                "indicator_id",
                "indicator",
                "breakdown",
                "breakdown_value",
                "target_period",
                "baseline",
                "target",
                "actual_period",
                "actual_to_date",
                "achieved_ratio",
            ],
        )?;
        for (n, l) in self.pack.logframe.iter().enumerate() {
            let r = n as u32 + 1;
            for (i, s) in [
                &l.project_code,
                &l.indicator_id,
                &l.title,
                &l.breakdown,
                &l.breakdown_value,
                &l.target_period,
            ]
            .iter()
            .enumerate()
            {
                self.text(ws, r, i as u16, s)?;
            }
            self.num(ws, r, 6, l.baseline)?;
            self.num(ws, r, 7, l.target)?;
            self.shown(ws, r, 8, &l.actual_period)?;
            self.shown(ws, r, 9, &l.actual_to_date)?;
            self.shown(ws, r, 10, &l.achieved)?;
        }
        self.footnote(ws, self.pack.logframe.len())
    }

    /// Returnees reached per SDG goal.
    fn sdg(&self, ws: &mut Worksheet) -> anyhow::Result<()> {
        self.header(ws, &["project_code", "sdg_goal", "returnees_reached"])?;
        for (n, s) in self.pack.sdg.iter().enumerate() {
            let r = n as u32 + 1;
            self.text(ws, r, 0, &s.project_code)?;
            ws.write_number(r, 1, f64::from(s.goal))?;
            self.shown(ws, r, 2, &s.reached)?;
        }
        self.footnote(ws, self.pack.sdg.len())
    }

    /// One disaggregation table.
    fn disaggregation(&self, ws: &mut Worksheet, t: &DisaggTable) -> anyhow::Result<()> {
        let mut cols = vec!["project_code", t.breakdown.as_str()];
        cols.extend(t.indicators.iter().map(String::as_str));
        self.header(ws, &cols)?;
        for (n, row) in t.rows.iter().enumerate() {
            let r = n as u32 + 1;
            self.text(ws, r, 0, &row.project_code)?;
            self.text(ws, r, 1, &row.value)?;
            for (i, c) in row.cells.iter().enumerate() {
                self.shown(ws, r, 2 + i as u16, c)?;
            }
        }
        self.footnote(ws, t.rows.len())
    }

    /// The catalogue entries of the indicators shown.
    fn definitions(&self, ws: &mut Worksheet) -> anyhow::Result<()> {
        self.header(
            ws,
            &[
                "indicator_id",
                "title",
                "definition",
                "unit",
                "sdg_goals",
                "breakdowns",
            ],
        )?;
        for (n, i) in self.pack.definitions.iter().enumerate() {
            let r = n as u32 + 1;
            let goals = i
                .sdg_goals
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(";");
            for (c, s) in [
                &i.id,
                &i.title,
                &i.definition,
                &i.unit,
                &goals,
                &i.breakdowns.join(";"),
            ]
            .iter()
            .enumerate()
            {
                self.text(ws, r, c as u16, s)?;
            }
        }
        Ok(())
    }

    /// The machine table: numbers only in `value`, the flag beside it.
    fn data(&self, ws: &mut Worksheet) -> anyhow::Result<()> {
        self.header(ws, &LONG_COLUMNS.iter().map(|c| c.0).collect::<Vec<_>>())?;
        for (n, l) in self.pack.long.iter().enumerate() {
            let r = n as u32 + 1;
            for (c, s) in long_text(self.pack, l).iter().enumerate() {
                self.text(ws, r, c as u16, s)?;
            }
            self.num(ws, r, 12, l.value.value)?;
            self.text(ws, r, 13, l.value.flag.as_str())?;
        }
        Ok(())
    }
}
