//! Parquet writers for the raw layer and the quarantine. Rows are buffered
//! into Arrow batches of [`BATCH_ROWS`] and row groups are bounded, so memory
//! stays flat whatever the size of the file.

use std::fs::File;
use std::path::Path;
use std::sync::{Arc, LazyLock};

use chrono::{DateTime, NaiveDate, Utc};
use datafusion::arrow::array::{
    ArrayBuilder, ArrayRef, Date32Builder, Float64Builder, Int64Builder, ListBuilder, StringArray,
    StringBuilder, TimestampMicrosecondArray, TimestampMicrosecondBuilder,
};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::parquet::basic::Compression;
use datafusion::parquet::file::properties::WriterProperties;

use super::contract::Val;

/// Rows per Arrow batch.
pub const BATCH_ROWS: usize = 32 * 1024;
/// Rows per Parquet row group (bounds the writer's buffer).
const ROW_GROUP_ROWS: usize = 256 * 1024;

fn props() -> WriterProperties {
    WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
        .build()
}

fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date")
}

/// Where the rows of one file came from.
#[derive(Debug, Clone)]
pub struct Lineage {
    pub drop_id: String,
    pub file: String,
    pub run_id: String,
    pub pulled_at: DateTime<Utc>,
}

enum ColBuilder {
    Str(StringBuilder),
    Date(Date32Builder),
    Ts(TimestampMicrosecondBuilder),
    Int(Int64Builder),
    F64(Float64Builder),
    List(ListBuilder<StringBuilder>),
}

impl ColBuilder {
    fn for_type(t: &DataType) -> ColBuilder {
        match t {
            DataType::Date32 => ColBuilder::Date(Date32Builder::new()),
            DataType::Timestamp(..) => {
                ColBuilder::Ts(TimestampMicrosecondBuilder::new().with_timezone("UTC"))
            }
            DataType::Int64 => ColBuilder::Int(Int64Builder::new()),
            DataType::Float64 => ColBuilder::F64(Float64Builder::new()),
            DataType::List(_) => ColBuilder::List(ListBuilder::new(StringBuilder::new())),
            _ => ColBuilder::Str(StringBuilder::new()),
        }
    }

    fn push(&mut self, v: Val<'_>) {
        match (self, v) {
            (ColBuilder::Str(b), Val::Str(s)) => b.append_value(&s),
            (ColBuilder::Date(b), Val::Date(d)) => b.append_value((d - epoch()).num_days() as i32),
            (ColBuilder::Ts(b), Val::Ts(t)) => b.append_value(t.timestamp_micros()),
            (ColBuilder::Int(b), Val::Int(i)) => b.append_value(i),
            (ColBuilder::F64(b), Val::F64(f)) => b.append_value(f),
            (ColBuilder::List(b), Val::List(items)) => {
                for i in items {
                    b.values().append_value(i);
                }
                b.append(true);
            }
            (ColBuilder::Str(b), _) => b.append_null(),
            (ColBuilder::Date(b), _) => b.append_null(),
            (ColBuilder::Ts(b), _) => b.append_null(),
            (ColBuilder::Int(b), _) => b.append_null(),
            (ColBuilder::F64(b), _) => b.append_null(),
            (ColBuilder::List(b), _) => b.append(false),
        }
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            ColBuilder::Str(b) => Arc::new(b.finish()),
            ColBuilder::Date(b) => Arc::new(b.finish()),
            ColBuilder::Ts(b) => Arc::new(b.finish()),
            ColBuilder::Int(b) => Arc::new(b.finish()),
            ColBuilder::F64(b) => Arc::new(b.finish()),
            ColBuilder::List(b) => Arc::new(b.finish()),
        }
    }

    fn len(&self) -> usize {
        match self {
            ColBuilder::Str(b) => b.len(),
            ColBuilder::Date(b) => b.len(),
            ColBuilder::Ts(b) => b.len(),
            ColBuilder::Int(b) => b.len(),
            ColBuilder::F64(b) => b.len(),
            ColBuilder::List(b) => b.len(),
        }
    }
}

/// Writes typed rows of one entity, plus lineage, to a Parquet file.
pub struct RawSink {
    schema: SchemaRef,
    builders: Vec<ColBuilder>,
    lines: Int64Builder,
    lineage: Lineage,
    writer: ArrowWriter<File>,
    rows: u64,
}

impl RawSink {
    /// A sink writing `schema` (data columns then the lineage columns) to `path`.
    pub fn create(path: &Path, schema: SchemaRef, lineage: Lineage) -> anyhow::Result<RawSink> {
        let data_cols = schema.fields().len() - super::contract::LINEAGE.len();
        let builders = schema.fields()[..data_cols]
            .iter()
            .map(|f| ColBuilder::for_type(f.data_type()))
            .collect();
        let writer = ArrowWriter::try_new(File::create(path)?, schema.clone(), Some(props()))?;
        Ok(RawSink {
            schema,
            builders,
            lines: Int64Builder::new(),
            lineage,
            writer,
            rows: 0,
        })
    }

    /// Appends one row of stored values.
    pub fn push(&mut self, vals: Vec<Val<'_>>, line: u64) -> anyhow::Result<()> {
        for (b, v) in self.builders.iter_mut().zip(vals) {
            b.push(v);
        }
        self.lines.append_value(line as i64);
        self.rows += 1;
        if self.lines.len() >= BATCH_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> anyhow::Result<()> {
        let n = self.lines.len();
        if n == 0 {
            return Ok(());
        }
        let mut cols: Vec<ArrayRef> = self.builders.iter_mut().map(ColBuilder::finish).collect();
        debug_assert!(self.builders.iter().all(|b| b.len() == 0));
        let l = &self.lineage;
        cols.push(Arc::new(StringArray::from(vec![l.drop_id.as_str(); n])));
        cols.push(Arc::new(StringArray::from(vec![l.file.as_str(); n])));
        cols.push(Arc::new(self.lines.finish()));
        cols.push(Arc::new(StringArray::from(vec![l.run_id.as_str(); n])));
        cols.push(Arc::new(
            TimestampMicrosecondArray::from(vec![l.pulled_at.timestamp_micros(); n])
                .with_timezone("UTC"),
        ));
        self.writer
            .write(&RecordBatch::try_new(self.schema.clone(), cols)?)?;
        Ok(())
    }

    /// Writes the footer; returns the number of rows.
    pub fn finish(mut self) -> anyhow::Result<u64> {
        self.flush()?;
        self.writer.close()?;
        Ok(self.rows)
    }
}

/// The quarantine's schema: one row per rejected input row.
pub static QUARANTINE_SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
    let s = |n: &str, null| Field::new(n, DataType::Utf8, null);
    Arc::new(Schema::new(vec![
        s("run_id", false),
        s("source", false),
        s("drop_id", false),
        s("file", false),
        s("entity", false),
        Field::new("line", DataType::Int64, true),
        // The contract's name of the column whose rule the row broke (none
        // when the whole file was rejected). Files written before it have
        // none: read with this schema, it is null there.
        s("column", true),
        // Its position in the file's header, from 1.
        Field::new("column_number", DataType::Int64, true),
        s("reason", false),
        s("message", true),
        s("values_json", false),
        Field::new(
            "pulled_at",
            DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
            false,
        ),
    ]))
});

/// One rejected row.
#[derive(Debug, Clone)]
pub struct Rejected {
    pub line: Option<u64>,
    /// The column whose rule the row broke, and its place in the header.
    pub column: Option<String>,
    pub column_number: Option<u64>,
    pub reason: &'static str,
    pub message: Option<String>,
    /// The row's cells as text, by canonical column name, as a JSON object.
    pub values_json: String,
}

/// Writes quarantined rows of one file to a Parquet file.
pub struct QuarantineSink {
    source: String,
    entity: String,
    lineage: Lineage,
    pending: Vec<Rejected>,
    writer: ArrowWriter<File>,
    rows: u64,
}

impl QuarantineSink {
    pub fn create(
        path: &Path,
        source: &str,
        entity: &str,
        lineage: Lineage,
    ) -> anyhow::Result<QuarantineSink> {
        let writer = ArrowWriter::try_new(
            File::create(path)?,
            QUARANTINE_SCHEMA.clone(),
            Some(props()),
        )?;
        Ok(QuarantineSink {
            source: source.to_string(),
            entity: entity.to_string(),
            lineage,
            pending: Vec::new(),
            writer,
            rows: 0,
        })
    }

    pub fn push(&mut self, r: Rejected) -> anyhow::Result<()> {
        self.pending.push(r);
        self.rows += 1;
        if self.pending.len() >= BATCH_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> anyhow::Result<()> {
        let n = self.pending.len();
        if n == 0 {
            return Ok(());
        }
        let rows = std::mem::take(&mut self.pending);
        let l = &self.lineage;
        let cols: Vec<ArrayRef> = vec![
            Arc::new(StringArray::from(vec![l.run_id.as_str(); n])),
            Arc::new(StringArray::from(vec![self.source.as_str(); n])),
            Arc::new(StringArray::from(vec![l.drop_id.as_str(); n])),
            Arc::new(StringArray::from(vec![l.file.as_str(); n])),
            Arc::new(StringArray::from(vec![self.entity.as_str(); n])),
            Arc::new(
                rows.iter()
                    .map(|r| r.line.map(|l| l as i64))
                    .collect::<datafusion::arrow::array::Int64Array>(),
            ),
            Arc::new(
                rows.iter()
                    .map(|r| r.column.as_deref())
                    .collect::<StringArray>(),
            ),
            Arc::new(
                rows.iter()
                    .map(|r| r.column_number.map(|n| n as i64))
                    .collect::<datafusion::arrow::array::Int64Array>(),
            ),
            Arc::new(StringArray::from_iter_values(rows.iter().map(|r| r.reason))),
            Arc::new(
                rows.iter()
                    .map(|r| r.message.as_deref())
                    .collect::<StringArray>(),
            ),
            Arc::new(StringArray::from_iter_values(
                rows.iter().map(|r| r.values_json.as_str()),
            )),
            Arc::new(
                TimestampMicrosecondArray::from(vec![l.pulled_at.timestamp_micros(); n])
                    .with_timezone("UTC"),
            ),
        ];
        self.writer
            .write(&RecordBatch::try_new(QUARANTINE_SCHEMA.clone(), cols)?)?;
        Ok(())
    }

    pub fn finish(mut self) -> anyhow::Result<u64> {
        self.flush()?;
        self.writer.close()?;
        Ok(self.rows)
    }
}
