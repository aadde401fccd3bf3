{{ config(delta='sum', measures=['numerator', 'denominator', 'support', 'numerator_key', 'denominator_key'], support='support') }}
{% import 'macros/indicators.sql' as m %}
-- Returnees with a delivered assistance in P whose type is tagged with the
-- SDG goal or target.
--
-- Written for speed (at 1 M cases it was the transform's largest model).
-- A case counts once per period and SDG value however many services it
-- had there. Placing each service in its four period types and dropping
-- duplicates is a hash distinct of 20 M rows, which spilled (14 s).
-- Instead the services are sorted by case, value and month (one sort) and
-- each is compared with the one before it: it is the case's first of its
-- month, quarter, year or to-date when the previous row is another case or
-- value, or lies in an earlier such period. Summing those flags per
-- project, value and month leaves a few thousand rows, which are then
-- placed in their periods and summed: the count of first rows of a period
-- is the count of its cases. A case belongs to one project, so ALL is the
-- sum over projects. Period labels are added to the counted rows only.
with delivered as (
    select
        case_key,
        case_record_key,
        project_code,
        b.breakdown,
        case b.breakdown
            when 'sdg_goal' then cast(d.sdg_goal as varchar)
            else cast(d.sdg_target as varchar)
        end as breakdown_value,
        cast(date_trunc('month', d.delivered_on) as date) as delivered_month
    from {{ ref('int_delivered_assistance') }} d
    cross join (values ('sdg_goal'), ('sdg_target')) as b(breakdown)
    where d.beneficiary_type = 'returnee' and d.sdg_target is not null
        and d.delivered_on is not null and d.delivered_on <= date '{{ as_of }}'
),

-- The previous row in (case, breakdown, value, month) order. The window is
-- partitioned by a bucket of the case, not by the case itself: the rows
-- still sort on both cores, and the window does not pay per partition (with
-- one partition per case and value it took 27 s).
sequenced as (
    select
        *,
        lag(case_key) over w as previous_case,
        lag(breakdown) over w as previous_breakdown,
        lag(breakdown_value) over w as previous_value,
        lag(delivered_month) over w as previous_month
    from delivered
    window w as (
        partition by case_key % 16
        order by case_key, breakdown, breakdown_value, delivered_month
    )
),

flagged as (
    select
        case_record_key,
        project_code,
        breakdown,
        breakdown_value,
        delivered_month,
        coalesce(previous_case = case_key and previous_breakdown = breakdown
            and previous_value = breakdown_value, false) as continues,
        previous_month
    from sequenced
),

-- Per project, value and month: the cases whose first row of the month,
-- quarter, year and to-date this month holds (with their record keys).
monthly as (
    select
        project_code,
        breakdown,
        breakdown_value,
        delivered_month,
        {%- for pt in ['month', 'quarter', 'year', 'to_date'] %}
        {%- set first = m.opens(pt, 'not continues', 'previous_month', 'delivered_month') %}
        sum(case when {{ first }} then 1 else 0 end) as first_{{ pt }},
        sum(case when {{ first }} then case_record_key else 0 end) as first_{{ pt }}_key{% if not loop.last %},{% endif %}
        {%- endfor %}
    from flagged
    group by project_code, breakdown, breakdown_value, delivered_month
),

-- Per project and for ALL in one aggregation (grouping sets).
counted as (
    select
        case when grouping(project_code) = 1 then 'ALL' else project_code end as project_code,
        period_type,
        period_day,
        breakdown,
        breakdown_value,
        sum(reached) as reached,
        sum(reached_key) as reached_key
    from (
        select
            m.project_code,
            m.breakdown,
            m.breakdown_value,
            pt.period_type,
            {{ m.period_day('pt.period_type', 'm.delivered_month') }} as period_day,
            case pt.period_type{% for pt in ['month', 'quarter', 'year'] %} when '{{ pt }}' then m.first_{{ pt }}{% endfor %} else m.first_to_date end as reached,
            case pt.period_type{% for pt in ['month', 'quarter', 'year'] %} when '{{ pt }}' then m.first_{{ pt }}_key{% endfor %} else m.first_to_date_key end as reached_key
        from monthly m
        cross join (values ('month'), ('quarter'), ('year'), ('to_date')) as pt(period_type)
    ) placed
    group by grouping sets (
        (project_code, period_type, period_day, breakdown, breakdown_value),
        (period_type, period_day, breakdown, breakdown_value)
    )
    having sum(reached) > 0
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
