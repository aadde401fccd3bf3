//! Text cells of every CSV Homeward writes, made safe to open in a
//! spreadsheet (OWASP, "CSV Injection").
//!
//! A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return
//! is read by Excel, LibreOffice and Google Sheets as a formula, which may
//! run commands or send data away (`=HYPERLINK(…)`, `=cmd|…`). Such a text
//! cell is written with a leading apostrophe: spreadsheets show the text,
//! and a program reading the CSV sees the apostrophe and the text after it.
//! Only text columns go through here; numbers (a negative value starts
//! with `-`) are written as they are.

use std::borrow::Cow;

/// The characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A text cell that no spreadsheet runs as a formula.
pub fn text(s: &str) -> Cow<'_, str> {
    if s.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_text_and_the_rest_is_unchanged() {
        assert_eq!(
            text("=HYPERLINK(\"http://x\",\"click\")"),
            "'=HYPERLINK(\"http://x\",\"click\")"
        );
        for bad in ["+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "=1"] {
            assert!(text(bad).starts_with('\''), "{bad}");
        }
        for good in ["European Union", "RT.1001", "1-2", "", "'quoted", "a=b"] {
            assert_eq!(text(good), good);
        }
    }
}
