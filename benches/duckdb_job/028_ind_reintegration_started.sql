-- Frozen for benches/duckdb.sh (issue 17): Homeward's model as `homeward compile`
-- rendered it at ed3fc10 (as of 2026-06-30, demo key), in DuckDB's dialect.
-- Never regenerated: the peer of the benchmark does not move.

-- Returnees whose reintegration start (earliest delivered economic, social
-- or psychosocial assistance) is in P.
-- int_reintegration_starts has one row per returnee with a start.
with placed as (select
    r.*,
    pt.period_type,
    case pt.period_type
        when 'month' then strftime(r.started_on, '%Y-%m')
        when 'quarter' then concat(strftime(r.started_on, '%Y'), '-Q', cast(cast(date_part('quarter', r.started_on) as bigint) as varchar))
        when 'year' then strftime(r.started_on, '%Y')
        else 'to_date'
    end as period,
    case pt.period_type
        when 'month' then cast(date_trunc('month', r.started_on) as date)
        when 'quarter' then cast(date_trunc('quarter', r.started_on) as date)
        when 'year' then cast(date_trunc('year', r.started_on) as date)
    end as period_start,
    case pt.period_type
        when 'month' then cast(cast(date_trunc('month', r.started_on) as date) + interval '1 month' - interval '1 day' as date)
        when 'quarter' then cast(cast(date_trunc('quarter', r.started_on) as date) + interval '3 month' - interval '1 day' as date)
        when 'year' then cast(cast(date_trunc('year', r.started_on) as date) + interval '1 year' - interval '1 day' as date)
        else date '2026-06-30'
    end as period_end
from int_reintegration_starts r
cross join (values ('month'), ('quarter'), ('year'), ('to_date')) as pt(period_type)
where r.started_on is not null and r.started_on <= date '2026-06-30')

-- One row per case: a count of rows is a count of people.
, scoped as (
    select r.*, case when s.scope = 'all' then 'ALL' else r.project_code end as scope_project
    from placed r
    cross join (values ('own'), ('all')) as s(scope)
    where true
)


select
    'reintegration_started' as indicator_id,
    scope_project as project_code,
    period_type,
    period,
    period_start,
    -- to_date ends on the as-of date: indicator_values fills it in, so a
    -- delta run under a new as-of date still finds last night's row.
    case when period_type = 'to_date' then cast(null as date) else period_end end as period_end,
    'total' as breakdown,
    cast(breakdown_value as varchar) as breakdown_value,
    cast(count(*) as decimal(38, 20)) as numerator,
    cast(null as decimal(38, 20)) as denominator,
    cast(count(*) as bigint) as support,
    cast(sum(record_key) as bigint) as numerator_key,
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
    'reintegration_started' as indicator_id,
    scope_project as project_code,
    period_type,
    period,
    period_start,
    -- to_date ends on the as-of date: indicator_values fills it in, so a
    -- delta run under a new as-of date still finds last night's row.
    case when period_type = 'to_date' then cast(null as date) else period_end end as period_end,
    'sex' as breakdown,
    cast(breakdown_value as varchar) as breakdown_value,
    cast(count(*) as decimal(38, 20)) as numerator,
    cast(null as decimal(38, 20)) as denominator,
    cast(count(*) as bigint) as support,
    cast(sum(record_key) as bigint) as numerator_key,
    cast(null as bigint) as denominator_key
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
    'reintegration_started' as indicator_id,
    scope_project as project_code,
    period_type,
    period,
    period_start,
    -- to_date ends on the as-of date: indicator_values fills it in, so a
    -- delta run under a new as-of date still finds last night's row.
    case when period_type = 'to_date' then cast(null as date) else period_end end as period_end,
    'age_group' as breakdown,
    cast(breakdown_value as varchar) as breakdown_value,
    cast(count(*) as decimal(38, 20)) as numerator,
    cast(null as decimal(38, 20)) as denominator,
    cast(count(*) as bigint) as support,
    cast(sum(record_key) as bigint) as numerator_key,
    cast(null as bigint) as denominator_key
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
    'reintegration_started' as indicator_id,
    scope_project as project_code,
    period_type,
    period,
    period_start,
    -- to_date ends on the as-of date: indicator_values fills it in, so a
    -- delta run under a new as-of date still finds last night's row.
    case when period_type = 'to_date' then cast(null as date) else period_end end as period_end,
    'country_of_origin' as breakdown,
    cast(breakdown_value as varchar) as breakdown_value,
    cast(count(*) as decimal(38, 20)) as numerator,
    cast(null as decimal(38, 20)) as denominator,
    cast(count(*) as bigint) as support,
    cast(sum(record_key) as bigint) as numerator_key,
    cast(null as bigint) as denominator_key
from (
    select
        *,
        country_of_origin as breakdown_value
    from scoped
) x
group by scope_project, period_type, period, period_start, period_end, breakdown_value
having true

union all
select
    'reintegration_started' as indicator_id,
    scope_project as project_code,
    period_type,
    period,
    period_start,
    -- to_date ends on the as-of date: indicator_values fills it in, so a
    -- delta run under a new as-of date still finds last night's row.
    case when period_type = 'to_date' then cast(null as date) else period_end end as period_end,
    'host_country' as breakdown,
    cast(breakdown_value as varchar) as breakdown_value,
    cast(count(*) as decimal(38, 20)) as numerator,
    cast(null as decimal(38, 20)) as denominator,
    cast(count(*) as bigint) as support,
    cast(sum(record_key) as bigint) as numerator_key,
    cast(null as bigint) as denominator_key
from (
    select
        *,
        host_country as breakdown_value
    from scoped
) x
group by scope_project, period_type, period, period_start, period_end, breakdown_value
having true

union all
select
    'reintegration_started' as indicator_id,
    scope_project as project_code,
    period_type,
    period,
    period_start,
    -- to_date ends on the as-of date: indicator_values fills it in, so a
    -- delta run under a new as-of date still finds last night's row.
    case when period_type = 'to_date' then cast(null as date) else period_end end as period_end,
    'vulnerability' as breakdown,
    cast(breakdown_value as varchar) as breakdown_value,
    cast(count(*) as decimal(38, 20)) as numerator,
    cast(null as decimal(38, 20)) as denominator,
    cast(count(*) as bigint) as support,
    cast(sum(record_key) as bigint) as numerator_key,
    cast(null as bigint) as denominator_key
from (
    select
        *,
        unnest(vulnerability_list) as breakdown_value
    from scoped
) x
group by scope_project, period_type, period, period_start, period_end, breakdown_value
having true
