#!/usr/bin/env python3
"""The DuckDB job a data team would write instead of Homeward, doing the same
work on the same `--clean` CSV drops:

1. read every drop's CSV files, typed as the data contract says;
2. write them as Parquet (the raw layer);
3. keep the current version of each record and compute every model up to
   `indicator_values`, each written as Parquet, running the SQL files of
   MODELS in name order (a handful of DataFusion function names are
   translated to DuckDB's dialect, see TRANSLATE);
4. write `indicator_values.csv`, sorted like Homeward's, and `phases.json`
   (seconds spent reading the drops into the raw layer, and on the models).

    python3 benches/duckdb_job.py DROPS MODELS SEEDS OUT [--threads N]

MODELS is either `benches/duckdb_job/` (the frozen job: Homeward's SQL of
ed3fc10, translated once and committed; it never changes, so a faster
Homeward SQL does not speed up the peer) or the output of today's
`homeward compile` (the same-SQL run, which separates engine from design).

What it does not do, and Homeward does: validation and quarantine of bad
rows (the drops are clean), pseudonymisation of identifiers, run records,
crash-safe commits, and reports. Its work is a subset of Homeward's.
"""

import argparse
import csv
import os
import json
import re
import sys
import time

import duckdb

# Column types of each entity's raw layer (pipeline/pull/contract.rs): the
# stored columns, in order. RSS item columns are added from the seed.
ENTITIES = {
    "cases": [
        ("case_id", "VARCHAR"),
        ("project_code", "VARCHAR"),
        ("beneficiary_type", "VARCHAR"),
        ("date_of_birth", "DATE"),
        ("sex", "VARCHAR"),
        ("country_of_origin", "VARCHAR"),
        ("host_country", "VARCHAR"),
        ("return_programme", "VARCHAR"),
        ("admin1", "VARCHAR"),
        ("return_date", "DATE"),
        ("vulnerabilities", "LIST"),
        ("case_status", "VARCHAR"),
        ("reintegration_completed_on", "DATE"),
        ("updated_at", "TIMESTAMPTZ"),
    ],
    "assistance": [
        ("assistance_id", "VARCHAR"),
        ("case_id", "VARCHAR"),
        ("assistance_type", "VARCHAR"),
        ("status", "VARCHAR"),
        ("delivered_on", "DATE"),
        ("amount_usd", "DOUBLE"),
        ("channel", "VARCHAR"),
        ("provider", "VARCHAR"),
        ("updated_at", "TIMESTAMPTZ"),
    ],
    "businesses": [
        ("business_id", "VARCHAR"),
        ("project_code", "VARCHAR"),
        ("lead_case_id", "VARCHAR"),
        ("model", "VARCHAR"),
        ("sector", "VARCHAR"),
        ("started_on", "DATE"),
        ("members", "BIGINT"),
        ("status", "VARCHAR"),
        ("last_monitored_on", "DATE"),
        ("updated_at", "TIMESTAMPTZ"),
    ],
    "rss": [
        ("survey_id", "VARCHAR"),
        ("case_id", "VARCHAR"),
        ("survey_date", "DATE"),
        # items inserted here
        ("updated_at", "TIMESTAMPTZ"),
    ],
    "projects": [
        ("project_code", "VARCHAR"),
        ("prima_id", "VARCHAR"),
        ("title", "VARCHAR"),
        ("project_type", "VARCHAR"),
        ("donor", "VARCHAR"),
        ("start_date", "DATE"),
        ("end_date", "DATE"),
        ("status", "VARCHAR"),
        ("budget_usd", "DOUBLE"),
        ("coverage", "VARCHAR"),
        ("idf_region", "VARCHAR"),
        ("benefiting_countries", "LIST"),
        ("sdg_goals", "LIST"),
        ("updated_at", "TIMESTAMPTZ"),
    ],
    "targets": [
        ("project_code", "VARCHAR"),
        ("indicator_id", "VARCHAR"),
        ("period", "VARCHAR"),
        ("breakdown", "VARCHAR"),
        ("breakdown_value", "VARCHAR"),
        ("baseline", "DOUBLE"),
        ("target", "DOUBLE"),
        ("updated_at", "TIMESTAMPTZ"),
    ],
}

# The contract's defaults for a missing value.
DEFAULTS = {
    ("cases", "sex"): "'U'",
    ("cases", "return_programme"): "'AVRR'",
    ("assistance", "channel"): "'direct'",
    ("businesses", "sector"): "'other'",
    ("businesses", "members"): "1",
    ("targets", "breakdown"): "'total'",
    ("targets", "breakdown_value"): "'total'",
}

# DataFusion spellings -> DuckDB spellings (same meaning).
TRANSLATE = [
    (re.compile(r"\bto_char\("), "strftime("),
    (re.compile(r"\bmake_array\("), "list_value("),
    (re.compile(r"\bcardinality\("), "len("),
    # Record keys (sql/macros/disclosure.sql): DuckDB's sha256() already
    # returns the hex digest that DataFusion's encode(sha256(x), 'hex') does.
    (re.compile(r"\bencode\(sha256\((concat\([^()]*\))\), 'hex'\)"), r"sha256(\1)"),
]

INDICATOR_COLUMNS = [
    "indicator_id", "project_code", "period_type", "period", "period_start",
    "period_end", "breakdown", "breakdown_value", "value", "numerator",
    "denominator", "as_of",
]


def seed_rows(path):
    """A seed CSV; its last column is free text that may hold unquoted commas."""
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = []
        for rec in reader:
            n = len(header)
            rows.append(rec[: n - 1] + [",".join(rec[n - 1 :])] + [""] * max(0, n - len(rec)))
        return header, [r[: len(header)] for r in rows]


def column_expr(entity, name, kind):
    v = f'"{name}"'
    if kind == "LIST":
        upper = "upper(trim(x))" if name in ("vulnerabilities", "benefiting_countries") else "trim(x)"
        e = (f"case when {v} is null then null else "
             f"list_filter(list_transform(regexp_split_to_array({v}, '[;,]'), lambda x: {upper}), lambda x: x <> '') end")
    elif kind == "VARCHAR":
        e = f"nullif(trim({v}), '')"
    else:
        e = f"cast(nullif(trim({v}), '') as {kind})"
    default = DEFAULTS.get((entity, name))
    if default is not None:
        e = f"coalesce({e}, {default})"
    return f"{e} as {name}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("drops")
    ap.add_argument("models")
    ap.add_argument("seeds")
    ap.add_argument("out")
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--memory-limit", default=None, help="DuckDB memory_limit, e.g. 1GB")
    args = ap.parse_args()

    os.makedirs(args.out, exist_ok=True)
    con = duckdb.connect()
    con.execute(f"set threads = {args.threads}")
    con.execute(f"set temp_directory = '{args.out}/tmp'")
    if args.memory_limit:
        con.execute(f"set memory_limit = '{args.memory_limit}'")

    items = [r[0] for r in seed_rows(os.path.join(args.seeds, "rss_items.csv"))[1]]
    ENTITIES["rss"][3:3] = [(i, "BIGINT") for i in items]

    started = time.monotonic()
    # 1-2. Read the drops, typed; write the raw layer.
    drops = sorted(d for d in os.listdir(args.drops) if os.path.isdir(os.path.join(args.drops, d)))
    for entity, cols in ENTITIES.items():
        files = [os.path.join(args.drops, d, f"{entity}.csv") for d in drops]
        files = [f for f in files if os.path.exists(f)]
        select = ", ".join(column_expr(entity, n, k) for n, k in cols)
        if files:
            file_list = "[" + ", ".join(f"'{f}'" for f in files) + "]"
            con.execute(f"""
                create table raw_{entity} as
                select {select},
                    regexp_extract(filename, '([^/]+)/[^/]+$', 1) as _drop_id,
                    filename as _file,
                    cast(row_number() over (partition by filename) + 1 as bigint) as _line,
                    'duckdb' as _run_id,
                    now() as _pulled_at
                from read_csv({file_list}, header = true, all_varchar = true,
                              union_by_name = true, filename = true)
            """)
        else:
            nulls = ", ".join(f"null::varchar as {n}" for n, _ in cols)
            con.execute(f"""
                create table raw_{entity} as
                select {select}, '' as _drop_id, '' as _file, 0::bigint as _line,
                       '' as _run_id, now() as _pulled_at
                from (select {nulls}) where false
            """)
        con.execute(f"copy raw_{entity} to '{args.out}/raw_{entity}.parquet' (format parquet)")

    # Seeds: text columns, as Homeward registers them.
    for name in sorted(os.listdir(args.seeds)):
        if not name.endswith(".csv"):
            continue
        header, rows = seed_rows(os.path.join(args.seeds, name))
        table = "seed_" + name[:-4]
        columns = ", ".join('"' + h + '" varchar' for h in header)
        con.execute(f"create table {table} ({columns})")
        con.executemany(f"insert into {table} values ({', '.join('?' for _ in header)})", rows)

    raw_done = time.monotonic()
    # 3. Every model, in Homeward's run order, materialised and written.
    for name in sorted(os.listdir(args.models)):
        if not name.endswith(".sql"):
            continue
        model = name[4:-4]
        sql = open(os.path.join(args.models, name), encoding="utf-8").read()
        for pattern, repl in TRANSLATE:
            sql = pattern.sub(repl, sql)
        try:
            con.execute(f"create table {model} as {sql}")
        except duckdb.Error as e:
            sys.exit(f"{name}: {e}")
        con.execute(f"copy {model} to '{args.out}/{model}.parquet' (format parquet)")

    # 4. indicator_values.csv, sorted as Homeward sorts it.
    con.execute(f"""
        copy (
            select {", ".join(INDICATOR_COLUMNS)} from indicator_values
            order by indicator_id, project_code, period_type, period,
                     period_start asc nulls first, period_end, breakdown, breakdown_value
        ) to '{args.out}/indicator_values.csv' (header, delimiter ',')
    """)
    with open(os.path.join(args.out, "phases.json"), "w") as f:
        json.dump({"raw": raw_done - started, "models": time.monotonic() - raw_done}, f)


if __name__ == "__main__":
    main()
