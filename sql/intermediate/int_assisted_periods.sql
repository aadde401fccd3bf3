{% import 'macros/indicators.sql' as m %}
-- One row per case and period in which the case received a delivered
-- assistance (any dimension): the population of the "assisted" person
-- counts, deduplicated once so that each breakdown is a plain count. A
-- service's month places it in the same month, quarter, year and to-date
-- as its day does.
with months as (
    select distinct case_id, cast(date_trunc('month', delivered_on) as date) as placing_on
    from {{ ref('int_delivered_assistance') }}
),

placed as ({{ m.periods('months', 'placing_on') }}),

final as (
    select distinct case_id, period_type, period, period_start, period_end
    from placed
)

select * from final
