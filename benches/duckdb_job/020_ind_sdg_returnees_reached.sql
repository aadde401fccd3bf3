-- Frozen for benches/duckdb.sh (issue 17): Homeward's model as `homeward compile`
-- rendered it at ed3fc10 (as of 2026-06-30, demo key), in DuckDB's dialect.
-- Never regenerated: the peer of the benchmark does not move.

-- Returnees with a delivered assistance in P whose type is tagged with the
-- SDG goal or target.
--
-- Written for speed (at 1 M cases this was 40 % of the transform with
-- m.aggregate's count(distinct), which keeps one hash set per group):
-- services are reduced to one row per case, goal, target and month; each
-- is placed once per breakdown (goal, target) and period type, keyed by the
-- period's first day (a date, not three text columns); duplicates are
-- dropped, and the remaining rows are counted with count(*), which equals
-- the distinct count because a case belongs to one project (it appears once
-- in its project's rows and once in ALL's). Period labels are added to the
-- few counted rows only.
with months as (
    select distinct
        case_key,
        case_record_key,
        project_code,
        sdg_goal,
        sdg_target,
        cast(date_trunc('month', delivered_on) as date) as delivered_month
    from int_delivered_assistance
    where beneficiary_type = 'returnee' and sdg_target is not null
        and delivered_on is not null and delivered_on <= date '2026-06-30'
),

reached as (
    select distinct
        m.case_key,
        m.case_record_key,
        m.project_code,
        b.breakdown,
        case b.breakdown
            when 'sdg_goal' then cast(m.sdg_goal as varchar)
            else cast(m.sdg_target as varchar)
        end as breakdown_value,
        pt.period_type,
        case pt.period_type
    when 'month' then m.delivered_month
    when 'quarter' then cast(date_trunc('quarter', m.delivered_month) as date)
    when 'year' then cast(date_trunc('year', m.delivered_month) as date)
end as period_day
    from months m
    cross join (values ('sdg_goal'), ('sdg_target')) as b(breakdown)
    cross join (values ('month'), ('quarter'), ('year'), ('to_date')) as pt(period_type)
),

counted as (
    select
        case when s.scope = 'all' then 'ALL' else r.project_code end as project_code,
        r.period_type,
        r.period_day,
        r.breakdown,
        r.breakdown_value,
        count(*) as reached,
        sum(r.case_record_key) as reached_key
    from reached r
    cross join (values ('own'), ('all')) as s(scope)
    group by 1, 2, 3, 4, 5
)

select
    'sdg_returnees_reached' as indicator_id,
    project_code,
    period_type,
    case period_type
        when 'month' then strftime(period_day, '%Y-%m')
        when 'quarter' then concat(strftime(period_day, '%Y'), '-Q', cast(cast(date_part('quarter', period_day) as bigint) as varchar))
        when 'year' then strftime(period_day, '%Y')
        else 'to_date'
    end as period,
    case period_type
        when 'month' then cast(date_trunc('month', period_day) as date)
        when 'quarter' then cast(date_trunc('quarter', period_day) as date)
        when 'year' then cast(date_trunc('year', period_day) as date)
    end as period_start,
    case period_type
        when 'month' then cast(cast(date_trunc('month', period_day) as date) + interval '1 month' - interval '1 day' as date)
        when 'quarter' then cast(cast(date_trunc('quarter', period_day) as date) + interval '3 month' - interval '1 day' as date)
        when 'year' then cast(cast(date_trunc('year', period_day) as date) + interval '1 year' - interval '1 day' as date)
        else cast(null as date)
    end as period_end,
    breakdown,
    breakdown_value,
    cast(reached as decimal(38, 20)) as numerator,
    cast(null as decimal(38, 20)) as denominator,
    reached as support,
    reached_key as numerator_key,
    cast(null as bigint) as denominator_key
from counted
