{% import 'macros/indicators.sql' as m %}
-- Returnees with a delivered assistance in P whose type is tagged with the
-- SDG goal or target.
--
-- A case counts once per goal and once per target, so the rows are first
-- reduced to one per (case, goal, target, month) and, once placed in
-- periods, to one per (case, goal, target, period): the distinct count then
-- runs over a few rows per case instead of one per delivered service and
-- period. A case can hold two targets of one goal, so the goal breakdown
-- still needs the distinct count.
with base as (
    select distinct
        case_id,
        project_code,
        sdg_goal,
        sdg_target,
        cast(date_trunc('month', delivered_on) as date) as delivered_month
    from {{ ref('int_delivered_assistance') }}
    where beneficiary_type = 'returnee' and sdg_target is not null
),

placed as ({{ m.periods('base', 'delivered_month') }}),

reduced as (
    select distinct
        case_id, project_code, sdg_goal, sdg_target,
        period_type, period, period_start, period_end
    from placed
)

{{ m.aggregate('sdg_returnees_reached', 'reduced', ['sdg_goal', 'sdg_target'], 'count(distinct case_id)') }}
