{{ config(delta='sum', measures=['numerator', 'denominator', 'support', 'numerator_key', 'denominator_key'], support='support') }}
{% import 'macros/indicators.sql' as m %}
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
    from {{ ref('int_delivered_assistance') }}
    where beneficiary_type = 'returnee' and sdg_target is not null
        and delivered_on is not null and delivered_on <= date '{{ as_of }}'
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
        {{ m.period_day('pt.period_type', 'm.delivered_month') }} as period_day
    from months m
    cross join (values ('sdg_goal'), ('sdg_target')) as b(breakdown)
    cross join (values ('month'), ('quarter'), ('year'), ('to_date')) as pt(period_type)
),

-- Per project and for ALL in one aggregation (grouping sets), not over a
-- copy of every row per scope.
counted as (
    select
        case when grouping(project_code) = 1 then 'ALL' else project_code end as project_code,
        period_type,
        period_day,
        breakdown,
        breakdown_value,
        count(*) as reached,
        sum(case_record_key) as reached_key
    from reached
    group by grouping sets (
        (project_code, period_type, period_day, breakdown, breakdown_value),
        (period_type, period_day, breakdown, breakdown_value)
    )
)

select
    'sdg_returnees_reached' as indicator_id,
    project_code,
    period_type,
    {{ m.period_columns('period_type', 'period_day', open_end=true) }},
    breakdown,
    breakdown_value,
    cast(reached as decimal(38, 20)) as numerator,
    cast(null as decimal(38, 20)) as denominator,
    reached as support,
    reached_key as numerator_key,
    cast(null as bigint) as denominator_key
from counted
