-- Frozen for benches/duckdb.sh (issue 17): Homeward's model as `homeward compile`
-- rendered it at ed3fc10 (as of 2026-06-30, demo key), in DuckDB's dialect.
-- Never regenerated: the peer of the benchmark does not move.

-- Sum of members of the businesses started in P.
with businesses as (select * from stg_businesses)


, partial_rows as (
    select
        *,
        cast(date_trunc('month', started_on) as date) as placing_month
    from businesses
    where started_on is not null and started_on <= date '2026-06-30'
),

partial as (
    select
        project_code, placing_month, model,
        sum(coalesce(members, 0)) as part_numerator,
        cast(null as bigint) as part_denominator,
        count(*) as part_support,
        sum(record_key) as part_numerator_key,
        cast(null as bigint) as part_denominator_key
    from partial_rows
    group by project_code, placing_month, model
),

placed_partial as (select
    r.*,
    pt.period_type,
    case pt.period_type
        when 'month' then strftime(r.placing_month, '%Y-%m')
        when 'quarter' then concat(strftime(r.placing_month, '%Y'), '-Q', cast(cast(date_part('quarter', r.placing_month) as bigint) as varchar))
        when 'year' then strftime(r.placing_month, '%Y')
        else 'to_date'
    end as period,
    case pt.period_type
        when 'month' then cast(date_trunc('month', r.placing_month) as date)
        when 'quarter' then cast(date_trunc('quarter', r.placing_month) as date)
        when 'year' then cast(date_trunc('year', r.placing_month) as date)
    end as period_start,
    case pt.period_type
        when 'month' then cast(cast(date_trunc('month', r.placing_month) as date) + interval '1 month' - interval '1 day' as date)
        when 'quarter' then cast(cast(date_trunc('quarter', r.placing_month) as date) + interval '3 month' - interval '1 day' as date)
        when 'year' then cast(cast(date_trunc('year', r.placing_month) as date) + interval '1 year' - interval '1 day' as date)
        else date '2026-06-30'
    end as period_end
from partial r
cross join (values ('month'), ('quarter'), ('year'), ('to_date')) as pt(period_type)
where r.placing_month is not null and r.placing_month <= date '2026-06-30')

, scoped as (
    select r.*, case when s.scope = 'all' then 'ALL' else r.project_code end as scope_project
    from placed_partial r
    cross join (values ('own'), ('all')) as s(scope)
    where true
)


select
    'business_members' as indicator_id,
    scope_project as project_code,
    period_type,
    period,
    period_start,
    -- to_date ends on the as-of date: indicator_values fills it in, so a
    -- delta run under a new as-of date still finds last night's row.
    case when period_type = 'to_date' then cast(null as date) else period_end end as period_end,
    'total' as breakdown,
    cast(breakdown_value as varchar) as breakdown_value,
    cast(sum(part_numerator) as decimal(38, 20)) as numerator,
    cast(null as decimal(38, 20)) as denominator,
    cast(sum(part_support) as bigint) as support,
    cast(sum(part_numerator_key) as bigint) as numerator_key,
    cast(null as bigint) as denominator_key
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
    'business_members' as indicator_id,
    scope_project as project_code,
    period_type,
    period,
    period_start,
    -- to_date ends on the as-of date: indicator_values fills it in, so a
    -- delta run under a new as-of date still finds last night's row.
    case when period_type = 'to_date' then cast(null as date) else period_end end as period_end,
    'model' as breakdown,
    cast(breakdown_value as varchar) as breakdown_value,
    cast(sum(part_numerator) as decimal(38, 20)) as numerator,
    cast(null as decimal(38, 20)) as denominator,
    cast(sum(part_support) as bigint) as support,
    cast(sum(part_numerator_key) as bigint) as numerator_key,
    cast(null as bigint) as denominator_key
from (
    select
        *,
        model as breakdown_value
    from scoped
) x
group by scope_project, period_type, period, period_start, period_end, breakdown_value
having true
