//! The data contract's entities as tables of columns, and the validation of
//! one row against them.
//!
//! Invariant: columns are listed in the contract's order, and
//! [`validate`] checks them in that order, so a row that breaks several rules
//! is quarantined with the reason of the first column that breaks one.

use std::borrow::Cow;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};

use super::values::{self, AmountError, Cell};
use crate::codes::Codes;
use crate::privacy::Pseudonymiser;

/// The six entities of a drop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Entity {
    Cases,
    Assistance,
    Businesses,
    Rss,
    Projects,
    Targets,
}

impl Entity {
    /// Every entity, in the contract's order.
    pub const ALL: [Entity; 6] = [
        Entity::Cases,
        Entity::Assistance,
        Entity::Businesses,
        Entity::Rss,
        Entity::Projects,
        Entity::Targets,
    ];

    /// The file stem and table suffix (`raw_cases`).
    pub fn name(self) -> &'static str {
        match self {
            Entity::Cases => "cases",
            Entity::Assistance => "assistance",
            Entity::Businesses => "businesses",
            Entity::Rss => "rss",
            Entity::Projects => "projects",
            Entity::Targets => "targets",
        }
    }

    /// Matches a file stem, case-insensitively.
    pub fn from_stem(stem: &str) -> Option<Entity> {
        Entity::ALL
            .into_iter()
            .find(|e| e.name().eq_ignore_ascii_case(stem))
    }

    /// The entity's columns with the shipped code lists (the generator's;
    /// a run uses its project's, [`Codes::spec`]).
    pub fn spec(self) -> &'static EntitySpec {
        Codes::shipped().spec(self)
    }
}

/// Spellings of an enumeration: each canonical value with its alternatives.
pub type Spellings = &'static [(&'static str, &'static [&'static str])];

/// How a column's cells are read and stored.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// Trimmed text.
    Str,
    /// A project code: text, and `ALL` is reserved.
    ProjectCode,
    /// A case id: replaced by its keyed pseudonym before anything is written.
    Pseudonym,
    /// Personal data that is read and never written (`full_name`).
    Personal,
    Date,
    Timestamp,
    Enum(Spellings),
    Country,
    /// Vulnerability codes, `;` or `,` separated.
    Vulnerabilities,
    /// Country codes, `;` separated; unknown codes are kept upper-cased.
    CountryList,
    /// Free list, `;` separated.
    StrList,
    Amount,
    Decimal,
    /// A whole number ≥ 1 (business members).
    Members,
    /// A survey answer, a whole number 1–5.
    RssAnswer,
}

/// When a column must hold a value.
#[derive(Debug, Clone, Copy)]
pub enum Req {
    No,
    /// The column must exist in the file and every row must have a value.
    Yes,
    /// A value is required when an earlier column holds this canonical value.
    When(&'static str, &'static str),
}

/// One column of an entity.
#[derive(Debug, Clone)]
pub struct Column {
    pub name: String,
    pub kind: Kind,
    pub req: Req,
    /// Reason when a required value is null.
    pub missing: &'static str,
    /// Reason when the value breaks its type.
    pub invalid: &'static str,
    /// Canonical value used for null.
    pub default: Option<&'static str>,
    /// Personal data: its value is never shown outside the warehouse (the
    /// rejected rows' CSV gives only the reason).
    pub personal: bool,
}

impl Column {
    fn new(name: &str, kind: Kind) -> Column {
        let invalid = match kind {
            Kind::Date => "invalid_date",
            Kind::Decimal => "invalid_number",
            Kind::Country => "invalid_country",
            Kind::Amount => "invalid_amount",
            _ => "invalid_value",
        };
        Column {
            name: name.to_string(),
            kind,
            req: Req::No,
            missing: "",
            invalid,
            default: None,
            personal: matches!(kind, Kind::Personal),
        }
    }
    fn personal(mut self) -> Column {
        self.personal = true;
        self
    }
    fn required(mut self, missing: &'static str) -> Column {
        self.req = Req::Yes;
        self.missing = missing;
        self
    }
    fn required_when(
        mut self,
        col: &'static str,
        value: &'static str,
        missing: &'static str,
    ) -> Column {
        self.req = Req::When(col, value);
        self.missing = missing;
        self
    }
    fn invalid(mut self, reason: &'static str) -> Column {
        self.invalid = reason;
        self
    }
    fn default(mut self, value: &'static str) -> Column {
        self.default = Some(value);
        self
    }
    /// Whether the column is stored in Parquet.
    pub fn is_stored(&self) -> bool {
        !matches!(self.kind, Kind::Personal)
    }
    fn data_type(&self) -> DataType {
        match self.kind {
            Kind::Date => DataType::Date32,
            Kind::Timestamp => DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
            Kind::Amount | Kind::Decimal => DataType::Float64,
            Kind::Members | Kind::RssAnswer => DataType::Int64,
            Kind::Vulnerabilities | Kind::CountryList | Kind::StrList => {
                DataType::List(Arc::new(Field::new("item", DataType::Utf8, true)))
            }
            _ => DataType::Utf8,
        }
    }
}

/// An entity's columns and the Parquet schema of its raw layer.
#[derive(Debug)]
pub struct EntitySpec {
    pub entity: Entity,
    pub columns: Vec<Column>,
    /// Stored columns, then the lineage columns [`LINEAGE`].
    pub schema: SchemaRef,
    /// The code lists rows are checked against.
    pub codes: &'static Codes,
}

/// Lineage columns appended to every raw row: where and when it came from.
pub const LINEAGE: [&str; 5] = ["_drop_id", "_file", "_line", "_run_id", "_pulled_at"];

impl EntitySpec {
    fn new(entity: Entity, columns: Vec<Column>, codes: &'static Codes) -> EntitySpec {
        let mut fields: Vec<Field> = columns
            .iter()
            .filter(|c| c.is_stored())
            .map(|c| Field::new(&c.name, c.data_type(), true))
            .collect();
        fields.push(Field::new("_drop_id", DataType::Utf8, false));
        fields.push(Field::new("_file", DataType::Utf8, false));
        fields.push(Field::new("_line", DataType::Int64, false));
        fields.push(Field::new("_run_id", DataType::Utf8, false));
        fields.push(Field::new(
            "_pulled_at",
            DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
            false,
        ));
        EntitySpec {
            entity,
            columns,
            schema: Arc::new(Schema::new(fields)),
            codes,
        }
    }

    /// Index of a column by canonical name.
    pub fn index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    /// Columns a file must have.
    pub fn required_columns(&self) -> impl Iterator<Item = &Column> {
        self.columns.iter().filter(|c| matches!(c.req, Req::Yes))
    }
}

const BENEFICIARY_TYPES: Spellings = &[
    ("returnee", &["migrant", "returning migrant"]),
    ("community_member", &["community", "community member"]),
];
const SEXES: Spellings = &[
    ("F", &["female", "woman", "femme", "féminin", "feminin"]),
    ("M", &["male", "man", "homme", "masculin"]),
    ("X", &["other", "non-binary", "undisclosed"]),
    ("U", &["unknown"]),
];
const RETURN_PROGRAMMES: Spellings = &[("AVRR", &[]), ("VHR", &[]), ("other", &[])];
const CASE_STATUSES: Spellings = &[
    ("registered", &[]),
    ("returned", &[]),
    ("reintegration_in_progress", &[]),
    ("reintegration_completed", &[]),
    ("closed", &[]),
    ("withdrawn", &[]),
];
const ASSISTANCE_STATUSES: Spellings = &[("planned", &[]), ("delivered", &[]), ("cancelled", &[])];
const CHANNELS: Spellings = &[("direct", &[]), ("referral", &[])];
const BUSINESS_MODELS: Spellings = &[("individual", &[]), ("collective", &[]), ("community", &[])];
const SECTORS: Spellings = &[
    ("agriculture", &[]),
    ("livestock", &[]),
    ("retail", &[]),
    ("services", &[]),
    ("manufacturing", &[]),
    ("transport", &[]),
    ("other", &[]),
];
const BUSINESS_STATUSES: Spellings = &[("planned", &[]), ("operating", &[]), ("closed", &[])];

/// The contract's entities, in [`Entity::ALL`]'s order, with a project's
/// code lists: its assistance types and survey items.
pub fn specs(codes: &'static Codes) -> Vec<EntitySpec> {
    use Kind::*;
    let c = Column::new;
    let updated_at = || {
        c("updated_at", Timestamp)
            .required("invalid_updated_at")
            .invalid("invalid_updated_at")
    };
    let cases = vec![
        c("case_id", Pseudonym).required("missing_case_id"),
        c("project_code", ProjectCode).required("missing_project_code"),
        c("beneficiary_type", Enum(BENEFICIARY_TYPES))
            .required("invalid_beneficiary_type")
            .invalid("invalid_beneficiary_type"),
        c("full_name", Personal),
        c("date_of_birth", Date)
            .invalid("invalid_date_of_birth")
            .personal(),
        c("sex", Enum(SEXES)).invalid("invalid_sex").default("U"),
        c("country_of_origin", Country).required_when(
            "beneficiary_type",
            "returnee",
            "missing_country_of_origin",
        ),
        c("host_country", Country),
        c("return_programme", Enum(RETURN_PROGRAMMES))
            .invalid("invalid_return_programme")
            .default("AVRR"),
        c("admin1", Str),
        c("return_date", Date).invalid("invalid_return_date"),
        c("vulnerabilities", Vulnerabilities).invalid("invalid_vulnerability"),
        c("case_status", Enum(CASE_STATUSES))
            .required("invalid_case_status")
            .invalid("invalid_case_status"),
        c("reintegration_completed_on", Date).required_when(
            "case_status",
            "reintegration_completed",
            "missing_completion_date",
        ),
        updated_at(),
    ];
    let assistance_types: Spellings = codes.assistance_spellings;
    let assistance = vec![
        c("assistance_id", Str).required("missing_assistance_id"),
        c("case_id", Pseudonym).required("missing_case_id"),
        c("assistance_type", Enum(assistance_types))
            .required("invalid_assistance_type")
            .invalid("invalid_assistance_type"),
        c("status", Enum(ASSISTANCE_STATUSES))
            .required("invalid_status")
            .invalid("invalid_status"),
        c("delivered_on", Date).required_when("status", "delivered", "missing_delivered_on"),
        c("amount_usd", Amount),
        c("channel", Enum(CHANNELS))
            .invalid("invalid_channel")
            .default("direct"),
        c("provider", Str),
        updated_at(),
    ];
    let businesses = vec![
        c("business_id", Str).required("missing_business_id"),
        c("project_code", ProjectCode).required("missing_project_code"),
        c("lead_case_id", Pseudonym).required("missing_case_id"),
        c("model", Enum(BUSINESS_MODELS))
            .required("invalid_business_model")
            .invalid("invalid_business_model"),
        c("sector", Enum(SECTORS))
            .invalid("invalid_sector")
            .default("other"),
        c("started_on", Date),
        c("members", Members)
            .invalid("invalid_members")
            .default("1"),
        c("status", Enum(BUSINESS_STATUSES))
            .required("invalid_business_status")
            .invalid("invalid_business_status"),
        c("last_monitored_on", Date),
        updated_at(),
    ];
    let mut rss = vec![
        c("survey_id", Str).required("missing_survey_id"),
        c("case_id", Pseudonym).required("missing_case_id"),
        c("survey_date", Date)
            .required("invalid_survey_date")
            .invalid("invalid_survey_date"),
    ];
    for item in &codes.rss_items {
        rss.push(c(&item.item, RssAnswer).invalid("invalid_rss_answer"));
    }
    rss.push(updated_at());
    let ref_updated_at = || c("updated_at", Timestamp).invalid("invalid_updated_at");
    let projects = vec![
        c("project_code", ProjectCode).required("missing_key"),
        c("prima_id", Str),
        c("title", Str),
        c("project_type", Str),
        c("donor", Str),
        c("start_date", Date),
        c("end_date", Date),
        c("status", Str),
        c("budget_usd", Decimal),
        c("coverage", Str),
        c("idf_region", Str),
        c("benefiting_countries", CountryList),
        c("sdg_goals", StrList),
        ref_updated_at(),
    ];
    let targets = vec![
        c("project_code", ProjectCode).required("missing_key"),
        c("indicator_id", Str).required("missing_key"),
        c("period", Str).required("missing_key"),
        c("breakdown", Str).default("total"),
        c("breakdown_value", Str).default("total"),
        c("baseline", Decimal),
        c("target", Decimal),
        ref_updated_at(),
    ];
    vec![
        EntitySpec::new(Entity::Cases, cases, codes),
        EntitySpec::new(Entity::Assistance, assistance, codes),
        EntitySpec::new(Entity::Businesses, businesses, codes),
        EntitySpec::new(Entity::Rss, rss, codes),
        EntitySpec::new(Entity::Projects, projects, codes),
        EntitySpec::new(Entity::Targets, targets, codes),
    ]
}

/// A typed value of a loaded row. Text borrows from the row's cells (or
/// the static code lists) where it can: copies per cell were part of the
/// third of the pull's time spent in the allocator (benches/README.md).
#[derive(Debug, Clone, PartialEq)]
pub enum Val<'a> {
    Null,
    Str(Cow<'a, str>),
    Date(NaiveDate),
    Ts(DateTime<Utc>),
    Int(i64),
    F64(f64),
    List(Vec<String>),
}

/// Every reason code the contract defines, row-level and file-level.
pub const REASONS: &[&str] = &[
    "missing_case_id",
    "missing_project_code",
    "reserved_project_code",
    "invalid_beneficiary_type",
    "invalid_date_of_birth",
    "invalid_sex",
    "missing_country_of_origin",
    "invalid_country",
    "invalid_return_programme",
    "invalid_return_date",
    "invalid_vulnerability",
    "invalid_case_status",
    "missing_completion_date",
    "invalid_updated_at",
    "missing_assistance_id",
    "invalid_assistance_type",
    "invalid_status",
    "missing_delivered_on",
    "negative_amount",
    "invalid_amount",
    "invalid_channel",
    "missing_business_id",
    "invalid_business_model",
    "invalid_sector",
    "invalid_members",
    "invalid_business_status",
    "missing_survey_id",
    "invalid_survey_date",
    "invalid_rss_answer",
    "missing_key",
    "invalid_date",
    "invalid_number",
    "missing_column",
    "unreadable_file",
    "duplicate_entity_file",
];

/// The first rule a row broke: the column (its index in `spec.columns`)
/// and the reason code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Broken {
    pub column: usize,
    pub reason: &'static str,
}

/// Validates one row whose cells are aligned with `spec.columns` (a column
/// missing from the file is null). Returns the stored values, in the order
/// of the stored columns, or the first rule broken.
pub fn validate<'a>(
    spec: &EntitySpec,
    cells: &'a [Cell],
    pseudonyms: &Pseudonymiser,
) -> Result<Vec<Val<'a>>, Broken> {
    let mut vals: Vec<Val<'a>> = Vec::with_capacity(spec.columns.len());
    for (column, (col, cell)) in spec.columns.iter().zip(cells).enumerate() {
        let val = validate_cell(col, cell, spec, &vals, pseudonyms)
            .map_err(|reason| Broken { column, reason })?;
        vals.push(val);
    }
    // Drop the values of columns that are never stored.
    Ok(spec
        .columns
        .iter()
        .zip(vals)
        .filter(|(c, _)| c.is_stored())
        .map(|(_, v)| v)
        .collect())
}

fn validate_cell<'a>(
    col: &Column,
    cell: &'a Cell,
    spec: &EntitySpec,
    earlier: &[Val<'a>],
    pseudonyms: &Pseudonymiser,
) -> Result<Val<'a>, &'static str> {
    if cell.is_null() {
        let required = match col.req {
            Req::No => false,
            Req::Yes => true,
            Req::When(other, value) => spec
                .columns
                .iter()
                .position(|c| c.name == other)
                .and_then(|i| earlier.get(i))
                .is_some_and(|v| matches!(v, Val::Str(s) if s == value)),
        };
        if required {
            return Err(col.missing);
        }
        return Ok(match col.default {
            Some(d) if matches!(col.kind, Kind::Members) => Val::Int(d.parse().unwrap_or(1)),
            Some(d) => Val::Str(Cow::Borrowed(d)),
            None => Val::Null,
        });
    }
    let invalid = col.invalid;
    let text = || cell.as_text().unwrap_or_default();
    Ok(match col.kind {
        Kind::Str => Val::Str(text()),
        Kind::ProjectCode => {
            let code = text();
            if code.eq_ignore_ascii_case("ALL") {
                return Err("reserved_project_code");
            }
            Val::Str(code)
        }
        Kind::Pseudonym => Val::Str(Cow::Owned(pseudonyms.pseudonym(&text()))),
        Kind::Personal => Val::Null,
        Kind::Date => values::parse_date(cell)
            .map_err(|_| invalid)?
            .map_or(Val::Null, Val::Date),
        Kind::Timestamp => values::parse_timestamp(cell)
            .map_err(|_| invalid)?
            .map_or(Val::Null, Val::Ts),
        Kind::Enum(spellings) => values::parse_enum(cell, spellings)
            .map_err(|_| invalid)?
            .map_or(Val::Null, |s| Val::Str(Cow::Borrowed(s))),
        Kind::Country => values::parse_country(cell, spec.codes)
            .map_err(|_| invalid)?
            .map_or(Val::Null, |c| Val::Str(Cow::Borrowed(c))),
        Kind::Vulnerabilities => values::parse_vulnerabilities(cell, spec.codes)
            .map_err(|_| invalid)?
            .map_or(Val::Null, Val::List),
        Kind::CountryList => Val::List(
            values::split_list(&text(), &[';', ','])
                .into_iter()
                .map(|c| {
                    let up = c.to_uppercase();
                    spec.codes.countries.get(&up).cloned().unwrap_or(up)
                })
                .collect(),
        ),
        Kind::StrList => Val::List(values::split_list(&text(), &[';', ','])),
        Kind::Amount => match values::parse_amount(cell) {
            Ok(v) => v.map_or(Val::Null, Val::F64),
            Err(AmountError::Negative) => return Err("negative_amount"),
            Err(AmountError::Invalid) => return Err("invalid_amount"),
        },
        Kind::Decimal => values::parse_decimal(cell)
            .map_err(|_| invalid)?
            .map_or(Val::Null, Val::F64),
        Kind::Members => match values::parse_int(cell) {
            Ok(Some(n)) if n >= 1 => Val::Int(n),
            _ => return Err(invalid),
        },
        Kind::RssAnswer => match values::parse_int(cell) {
            Ok(Some(n)) if (1..=5).contains(&n) => Val::Int(n),
            _ => return Err(invalid),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(spec: &EntitySpec, pairs: &[(&str, &str)]) -> Vec<Cell> {
        let mut cells = vec![Cell::Null; spec.columns.len()];
        for (k, v) in pairs {
            cells[spec.index(k).unwrap()] = Cell::text(v);
        }
        cells
    }

    fn check(entity: Entity, pairs: &[(&str, &str)]) -> Result<Vec<Val<'static>>, &'static str> {
        let spec = entity.spec();
        let owned = |v: Val<'_>| match v {
            Val::Str(s) => Val::Str(Cow::Owned(s.into_owned())),
            Val::Null => Val::Null,
            Val::Date(d) => Val::Date(d),
            Val::Ts(t) => Val::Ts(t),
            Val::Int(i) => Val::Int(i),
            Val::F64(f) => Val::F64(f),
            Val::List(l) => Val::List(l),
        };
        validate(
            spec,
            &row(spec, pairs),
            &Pseudonymiser::new(b"test-key-0123456789"),
        )
        .map(|vals| vals.into_iter().map(owned).collect())
        .map_err(|b| b.reason)
    }

    const CASE: &[(&str, &str)] = &[
        ("case_id", "C1"),
        ("project_code", "RT.1"),
        ("beneficiary_type", "returnee"),
        ("full_name", "Awa"),
        ("country_of_origin", "GN"),
        ("case_status", "returned"),
        ("updated_at", "2026-01-01"),
    ];

    fn with(
        base: &[(&'static str, &'static str)],
        k: &'static str,
        v: &'static str,
    ) -> Vec<(&'static str, &'static str)> {
        let mut out: Vec<_> = base.iter().filter(|(n, _)| *n != k).copied().collect();
        out.push((k, v));
        out
    }

    #[test]
    fn a_valid_case_with_defaults() {
        let vals = check(Entity::Cases, CASE).unwrap();
        let spec = Entity::Cases.spec();
        let get = |n: &str| vals[spec.schema.index_of(n).unwrap()].clone();
        assert_eq!(get("sex"), Val::Str("U".into()));
        assert_eq!(get("return_programme"), Val::Str("AVRR".into()));
        assert_eq!(get("country_of_origin"), Val::Str("GIN".into()));
        assert!(
            spec.schema.index_of("full_name").is_err(),
            "full_name is never stored"
        );
    }

    #[test]
    fn case_reasons() {
        let cases: &[(&str, &str, &str)] = &[
            ("case_id", "", "missing_case_id"),
            ("project_code", "NA", "missing_project_code"),
            ("project_code", "all", "reserved_project_code"),
            ("beneficiary_type", "tourist", "invalid_beneficiary_type"),
            ("date_of_birth", "31/02/1990", "invalid_date_of_birth"),
            ("sex", "q", "invalid_sex"),
            ("country_of_origin", "", "missing_country_of_origin"),
            ("country_of_origin", "ZZ", "invalid_country"),
            ("host_country", "ZZZ", "invalid_country"),
            ("return_programme", "XYZ", "invalid_return_programme"),
            ("return_date", "soon", "invalid_return_date"),
            ("vulnerabilities", "VOT;ABC", "invalid_vulnerability"),
            ("case_status", "lost", "invalid_case_status"),
            (
                "case_status",
                "reintegration completed",
                "missing_completion_date",
            ),
            ("reintegration_completed_on", "13/13/2026", "invalid_date"),
            ("updated_at", "", "invalid_updated_at"),
            ("updated_at", "yesterday", "invalid_updated_at"),
        ];
        for (col, value, reason) in cases {
            assert_eq!(
                check(Entity::Cases, &with(CASE, col, value)),
                Err(*reason),
                "{col}={value}"
            );
        }
        // A community member needs no country of origin.
        let member = with(
            &with(CASE, "beneficiary_type", "Community Member"),
            "country_of_origin",
            "",
        );
        assert!(check(Entity::Cases, &member).is_ok());
    }

    #[test]
    fn first_rule_broken_wins() {
        let bad = with(&with(CASE, "sex", "q"), "case_status", "lost");
        assert_eq!(check(Entity::Cases, &bad), Err("invalid_sex"));
    }

    #[test]
    fn assistance_reasons() {
        let base: &[(&str, &str)] = &[
            ("assistance_id", "A1"),
            ("case_id", "C1"),
            ("assistance_type", "Business Setup"),
            ("status", "delivered"),
            ("delivered_on", "2026-01-02"),
            ("updated_at", "2026-01-02 10:00:00"),
        ];
        assert!(check(Entity::Assistance, base).is_ok());
        let cases: &[(&str, &str, &str)] = &[
            ("assistance_id", "", "missing_assistance_id"),
            ("case_id", "", "missing_case_id"),
            ("assistance_type", "cash", "invalid_assistance_type"),
            ("status", "done", "invalid_status"),
            ("delivered_on", "", "missing_delivered_on"),
            ("delivered_on", "2026-02-31", "invalid_date"),
            ("amount_usd", "-3", "negative_amount"),
            ("amount_usd", "USD 12", "invalid_amount"),
            ("channel", "post", "invalid_channel"),
        ];
        for (col, value, reason) in cases {
            assert_eq!(
                check(Entity::Assistance, &with(base, col, value)),
                Err(*reason),
                "{col}={value}"
            );
        }
        let planned = with(&with(base, "status", "planned"), "delivered_on", "");
        assert!(check(Entity::Assistance, &planned).is_ok());
    }

    #[test]
    fn business_and_survey_reasons() {
        let biz: &[(&str, &str)] = &[
            ("business_id", "B1"),
            ("project_code", "RT.1"),
            ("lead_case_id", "C1"),
            ("model", "individual"),
            ("status", "operating"),
            ("updated_at", "2026-01-02"),
        ];
        let vals = check(Entity::Businesses, biz).unwrap();
        let spec = Entity::Businesses.spec();
        assert_eq!(vals[spec.schema.index_of("members").unwrap()], Val::Int(1));
        assert_eq!(
            vals[spec.schema.index_of("sector").unwrap()],
            Val::Str("other".into())
        );
        for (col, value, reason) in [
            ("lead_case_id", "", "missing_case_id"),
            ("model", "solo", "invalid_business_model"),
            ("sector", "mining", "invalid_sector"),
            ("started_on", "x", "invalid_date"),
            ("members", "0", "invalid_members"),
            ("members", "2.5", "invalid_members"),
            ("status", "", "invalid_business_status"),
        ] {
            assert_eq!(
                check(Entity::Businesses, &with(biz, col, value)),
                Err(reason),
                "{col}={value}"
            );
        }
        let rss: &[(&str, &str)] = &[
            ("survey_id", "S1"),
            ("case_id", "C1"),
            ("survey_date", "01.02.2026"),
            ("econ_1", "5"),
            ("updated_at", "2026-02-01T00:00:00Z"),
        ];
        assert!(check(Entity::Rss, rss).is_ok());
        assert_eq!(
            check(Entity::Rss, &with(rss, "econ_1", "6")),
            Err("invalid_rss_answer")
        );
        assert_eq!(
            check(Entity::Rss, &with(rss, "survey_date", "")),
            Err("invalid_survey_date")
        );
        assert_eq!(
            check(Entity::Rss, &with(rss, "survey_id", "")),
            Err("missing_survey_id")
        );
    }

    #[test]
    fn reference_data_reasons() {
        assert_eq!(
            check(Entity::Projects, &[("title", "x")]),
            Err("missing_key")
        );
        assert_eq!(
            check(Entity::Projects, &[("project_code", "ALL")]),
            Err("reserved_project_code")
        );
        assert_eq!(
            check(
                Entity::Projects,
                &[("project_code", "RT.1"), ("budget_usd", "lots")]
            ),
            Err("invalid_number")
        );
        assert_eq!(
            check(
                Entity::Targets,
                &[("project_code", "RT.1"), ("indicator_id", "x")]
            ),
            Err("missing_key")
        );
        let t = check(
            Entity::Targets,
            &[
                ("project_code", "RT.1"),
                ("indicator_id", "x"),
                ("period", "2026"),
                ("target", "1,200"),
            ],
        )
        .unwrap();
        assert_eq!(t[3], Val::Str("total".into()));
        assert_eq!(t[6], Val::F64(1200.0));
    }

    #[test]
    fn every_accepted_spelling_of_every_enumeration() {
        let all: &[(&str, Spellings)] = &[
            ("beneficiary_type", BENEFICIARY_TYPES),
            ("sex", SEXES),
            ("return_programme", RETURN_PROGRAMMES),
            ("case_status", CASE_STATUSES),
            ("status", ASSISTANCE_STATUSES),
            ("channel", CHANNELS),
            ("model", BUSINESS_MODELS),
            ("sector", SECTORS),
            ("business_status", BUSINESS_STATUSES),
        ];
        for (column, spellings) in all {
            for (canonical, others) in spellings.iter() {
                let mut forms: Vec<String> = vec![canonical.to_string()];
                forms.extend(others.iter().map(|o| o.to_string()));
                for form in forms {
                    // As written, upper case, and with spaces for underscores.
                    for variant in [
                        form.clone(),
                        form.to_uppercase(),
                        form.replace('_', " "),
                        format!("  {form} "),
                    ] {
                        assert_eq!(
                            values::parse_enum(&Cell::text(&variant), spellings),
                            Ok(Some(*canonical)),
                            "{column}: {variant:?}"
                        );
                    }
                }
            }
        }
        // Every assistance type of the code list, in any case, with spaces.
        let codes = Codes::shipped();
        for t in &codes.assistance_types {
            let spelled = t.code.replace('_', " ").to_uppercase();
            assert_eq!(
                values::parse_enum(&Cell::text(&spelled), codes.assistance_spellings),
                Ok(Some(&*t.code.clone().leak()))
            );
        }
        // Every vulnerability code, in any case.
        for v in &codes.vulnerabilities {
            assert_eq!(
                values::parse_vulnerabilities(&Cell::text(&v.to_lowercase()), codes),
                Ok(Some(vec![v.clone()]))
            );
        }
        // A null sex is U (the other defaults are checked in the tests above).
        let case = check(Entity::Cases, CASE).unwrap();
        let spec = Entity::Cases.spec();
        assert_eq!(
            case[spec.schema.index_of("sex").unwrap()],
            Val::Str("U".into())
        );
    }

    #[test]
    fn case_ids_are_pseudonymised() {
        let a = check(
            Entity::Assistance,
            &[
                ("assistance_id", "A1"),
                ("case_id", "C1"),
                ("assistance_type", "medical"),
                ("status", "planned"),
                ("updated_at", "2026-01-01"),
            ],
        )
        .unwrap();
        assert_ne!(a[1], Val::Str("C1".into()));
        assert_eq!(
            a[1],
            Val::Str(
                Pseudonymiser::new(b"test-key-0123456789")
                    .pseudonym("C1")
                    .into()
            )
        );
    }
}
