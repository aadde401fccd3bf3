{{ config(delta='sum', measures=['surveys'], support='surveys') }}
{% import 'macros/indicators.sql' as m %}
-- Distribution of overall survey scores for the programme report: kept
-- surveys (as in rss_score_overall) by tenths of the 0–1 scale, per
-- project and 'ALL', for quarters, years and to date. A score of exactly 1
-- falls in the last bin.
with binned as (
    select
        project_code,
        period_type,
        period_day,
        least(cast(floor(score_overall * 10) as bigint), 9) as bin
    from {{ ref('int_rss_kept') }}
    where score_overall is not null and period_type in ('quarter', 'year', 'to_date')
),

counted as (
    select
        case when grouping(project_code) = 1 then 'ALL' else project_code end as project_code,
        period_type,
        period_day,
        bin,
        count(*) as surveys
    from binned
    group by grouping sets ((project_code, period_type, period_day, bin), (period_type, period_day, bin))
),

final as (
    select
        project_code,
        period_type,
        {{ m.period_label('period_type', 'period_day') }} as period,
        bin,
        cast(bin as double) / 10 as bin_start,
        cast(bin + 1 as double) / 10 as bin_end,
        surveys
    from counted
)

select * from final
