{% import 'macros/indicators.sql' as m %}
-- One row per case and period in which the case received a delivered
-- assistance (any dimension): the population of the "assisted" person
-- counts, deduplicated once so that each breakdown is a plain count.
with final as (
    {{ m.case_periods(ref('int_delivered_assistance'), 'delivered_on') }}
)

select * from final
