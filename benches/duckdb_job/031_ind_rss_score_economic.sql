-- Frozen for benches/duckdb.sh (issue 17): Homeward's model as `homeward compile`
-- rendered it at ed3fc10 (as of 2026-06-30, demo key), in DuckDB's dialect.
-- Never regenerated: the peer of the benchmark does not move.

-- Mean economic score over the kept surveys of P that have one.
with kept as (
    select * from int_rss_kept
)

, scoped as (
    select r.*, case when s.scope = 'all' then 'ALL' else r.project_code end as scope_project
    from kept r
    cross join (values ('own'), ('all')) as s(scope)
    where true
)


select
    'rss_score_economic' as indicator_id,
    scope_project as project_code,
    period_type,
    period,
    period_start,
    -- to_date ends on the as-of date: indicator_values fills it in, so a
    -- delta run under a new as-of date still finds last night's row.
    case when period_type = 'to_date' then cast(null as date) else period_end end as period_end,
    'total' as breakdown,
    cast(breakdown_value as varchar) as breakdown_value,
    cast(sum(cast(score_economic as decimal(38, 20))) as decimal(38, 20)) as numerator,
    cast(count(score_economic) as decimal(38, 20)) as denominator,
    cast(count(*) as bigint) as support,
    cast(sum(case when score_economic is not null then record_key end) as bigint) as numerator_key,
    cast(sum(case when score_economic is not null then record_key end) as bigint) as denominator_key
from (
    select
        *,
        'total' as breakdown_value
    from scoped
) x
group by scope_project, period_type, period, period_start, period_end, breakdown_value
having true

union all
select
    'rss_score_economic' as indicator_id,
    scope_project as project_code,
    period_type,
    period,
    period_start,
    -- to_date ends on the as-of date: indicator_values fills it in, so a
    -- delta run under a new as-of date still finds last night's row.
    case when period_type = 'to_date' then cast(null as date) else period_end end as period_end,
    'sex' as breakdown,
    cast(breakdown_value as varchar) as breakdown_value,
    cast(sum(cast(score_economic as decimal(38, 20))) as decimal(38, 20)) as numerator,
    cast(count(score_economic) as decimal(38, 20)) as denominator,
    cast(count(*) as bigint) as support,
    cast(sum(case when score_economic is not null then record_key end) as bigint) as numerator_key,
    cast(sum(case when score_economic is not null then record_key end) as bigint) as denominator_key
from (
    select
        *,
        sex as breakdown_value
    from scoped
) x
group by scope_project, period_type, period, period_start, period_end, breakdown_value
having true

union all
select
    'rss_score_economic' as indicator_id,
    scope_project as project_code,
    period_type,
    period,
    period_start,
    -- to_date ends on the as-of date: indicator_values fills it in, so a
    -- delta run under a new as-of date still finds last night's row.
    case when period_type = 'to_date' then cast(null as date) else period_end end as period_end,
    'age_group' as breakdown,
    cast(breakdown_value as varchar) as breakdown_value,
    cast(sum(cast(score_economic as decimal(38, 20))) as decimal(38, 20)) as numerator,
    cast(count(score_economic) as decimal(38, 20)) as denominator,
    cast(count(*) as bigint) as support,
    cast(sum(case when score_economic is not null then record_key end) as bigint) as numerator_key,
    cast(sum(case when score_economic is not null then record_key end) as bigint) as denominator_key
from (
    select
        *,
        age_group as breakdown_value
    from scoped
) x
group by scope_project, period_type, period, period_start, period_end, breakdown_value
having true

union all
select
    'rss_score_economic' as indicator_id,
    scope_project as project_code,
    period_type,
    period,
    period_start,
    -- to_date ends on the as-of date: indicator_values fills it in, so a
    -- delta run under a new as-of date still finds last night's row.
    case when period_type = 'to_date' then cast(null as date) else period_end end as period_end,
    'country_of_origin' as breakdown,
    cast(breakdown_value as varchar) as breakdown_value,
    cast(sum(cast(score_economic as decimal(38, 20))) as decimal(38, 20)) as numerator,
    cast(count(score_economic) as decimal(38, 20)) as denominator,
    cast(count(*) as bigint) as support,
    cast(sum(case when score_economic is not null then record_key end) as bigint) as numerator_key,
    cast(sum(case when score_economic is not null then record_key end) as bigint) as denominator_key
from (
    select
        *,
        country_of_origin as breakdown_value
    from scoped
) x
group by scope_project, period_type, period, period_start, period_end, breakdown_value
having true
