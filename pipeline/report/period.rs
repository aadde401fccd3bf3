//! Reporting periods: parsing `2026-Q2`, `2026`, `2026-05`, and the
//! defaults (the last complete quarter or year before the as-of date).
//!
//! A period is complete when its last day is on or before the as-of date:
//! the indicators count records placed up to and including that day.

use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;

use crate::indicators::PeriodType;

/// One calendar period, as in `indicator_values`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Period {
    pub period_type: PeriodType,
    /// `2026-05`, `2026-Q2`, `2026` or `to_date`.
    pub period: String,
    /// First day (`None` for `to_date`).
    pub start: Option<NaiveDate>,
    /// Last day (the as-of date for `to_date`).
    pub end: NaiveDate,
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn last_day(start: NaiveDate, months: u32) -> Option<NaiveDate> {
    start.checked_add_months(Months::new(months))?.pred_opt()
}

impl Period {
    /// The month starting on the first of `start`'s month.
    pub fn month(year: i32, month: u32) -> Option<Period> {
        let start = ymd(year, month, 1)?;
        Some(Period {
            period_type: PeriodType::Month,
            period: format!("{year:04}-{month:02}"),
            start: Some(start),
            end: last_day(start, 1)?,
        })
    }

    /// Quarter `q` (1–4) of `year`.
    pub fn quarter(year: i32, q: u32) -> Option<Period> {
        if !(1..=4).contains(&q) {
            return None;
        }
        let start = ymd(year, (q - 1) * 3 + 1, 1)?;
        Some(Period {
            period_type: PeriodType::Quarter,
            period: format!("{year:04}-Q{q}"),
            start: Some(start),
            end: last_day(start, 3)?,
        })
    }

    /// The calendar year.
    pub fn year(year: i32) -> Option<Period> {
        let start = ymd(year, 1, 1)?;
        Some(Period {
            period_type: PeriodType::Year,
            period: format!("{year:04}"),
            start: Some(start),
            end: last_day(start, 12)?,
        })
    }

    /// Everything up to the as-of date.
    pub fn to_date(as_of: NaiveDate) -> Period {
        Period {
            period_type: PeriodType::ToDate,
            period: "to_date".into(),
            start: None,
            end: as_of,
        }
    }

    /// Parses `2026-Q2`, `2026` or `2026-05`.
    pub fn parse(s: &str) -> Option<Period> {
        let s = s.trim();
        if let Some((y, q)) = s.split_once("-Q") {
            return Period::quarter(y.parse().ok()?, q.parse().ok()?);
        }
        if let Some((y, m)) = s.split_once('-') {
            if y.len() != 4 || m.len() != 2 {
                return None;
            }
            return Period::month(y.parse().ok()?, m.parse().ok()?);
        }
        if s.len() == 4 {
            return Period::year(s.parse().ok()?);
        }
        None
    }

    /// The period of the same type just before this one.
    pub fn previous(&self) -> Option<Period> {
        let start = self.start?;
        let months = match self.period_type {
            PeriodType::Month => 1,
            PeriodType::Quarter => 3,
            PeriodType::Year | PeriodType::ToDate => 12,
        };
        let prev = start.checked_sub_months(Months::new(months))?;
        Period::containing(self.period_type, prev)
    }

    /// The period of `period_type` that holds `day`.
    pub fn containing(period_type: PeriodType, day: NaiveDate) -> Option<Period> {
        match period_type {
            PeriodType::Month => Period::month(day.year(), day.month()),
            PeriodType::Quarter => Period::quarter(day.year(), (day.month() - 1) / 3 + 1),
            PeriodType::Year => Period::year(day.year()),
            PeriodType::ToDate => None,
        }
    }

    /// The last period of `period_type` whose last day is on or before `as_of`.
    pub fn last_complete(period_type: PeriodType, as_of: NaiveDate) -> Option<Period> {
        let current = Period::containing(period_type, as_of)?;
        if current.end <= as_of {
            Some(current)
        } else {
            current.previous()
        }
    }

    /// The 12 months ending with the as-of date's month, oldest first.
    pub fn last_months(as_of: NaiveDate, n: u32) -> Vec<Period> {
        (0..n)
            .rev()
            .filter_map(|i| {
                let day = as_of.with_day(1)?.checked_sub_months(Months::new(i))?;
                Period::month(day.year(), day.month())
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn parses_and_bounds_periods() {
        let q = Period::parse("2026-Q2").unwrap();
        assert_eq!((q.start, q.end), (Some(d("2026-04-01")), d("2026-06-30")));
        let m = Period::parse("2024-02").unwrap();
        assert_eq!(m.end, d("2024-02-29"));
        assert_eq!(Period::parse("2025").unwrap().end, d("2025-12-31"));
        assert!(Period::parse("2026-Q5").is_none());
        assert!(Period::parse("26").is_none());
        assert_eq!(
            Period::parse("2026-Q1").unwrap().previous().unwrap().period,
            "2025-Q4"
        );
    }

    #[test]
    fn a_period_ending_on_the_as_of_date_is_complete() {
        assert_eq!(
            Period::last_complete(PeriodType::Quarter, d("2026-06-30"))
                .unwrap()
                .period,
            "2026-Q2"
        );
        assert_eq!(
            Period::last_complete(PeriodType::Quarter, d("2026-06-29"))
                .unwrap()
                .period,
            "2026-Q1"
        );
        assert_eq!(
            Period::last_complete(PeriodType::Year, d("2026-06-30"))
                .unwrap()
                .period,
            "2025"
        );
        let months = Period::last_months(d("2026-06-30"), 12);
        assert_eq!(months.first().unwrap().period, "2025-07");
        assert_eq!(months.last().unwrap().period, "2026-06");
    }
}
