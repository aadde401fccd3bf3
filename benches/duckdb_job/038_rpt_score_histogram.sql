-- Frozen for benches/duckdb.sh (issue 17): Homeward's model as `homeward compile`
-- rendered it at ed3fc10 (as of 2026-06-30, demo key), in DuckDB's dialect.
-- Never regenerated: the peer of the benchmark does not move.

-- Distribution of overall survey scores for the programme report: kept
-- surveys (as in rss_score_overall) by tenths of the 0–1 scale, per
-- project and 'ALL', for quarters, years and to date. A score of exactly 1
-- falls in the last bin.
with kept as (
    select project_code, period_type, period, score_overall
    from int_rss_kept
    where score_overall is not null and period_type in ('quarter', 'year', 'to_date')
),

binned as (
    select
        project_code,
        period_type,
        period,
        least(cast(floor(score_overall * 10) as bigint), 9) as bin
    from kept
),

scoped as (
    select project_code, period_type, period, bin from binned
    union all
    select 'ALL' as project_code, period_type, period, bin from binned
),

final as (
    select
        project_code,
        period_type,
        period,
        bin,
        cast(bin as double) / 10 as bin_start,
        cast(bin + 1 as double) / 10 as bin_end,
        count(*) as surveys
    from scoped
    group by project_code, period_type, period, bin
)

select * from final
