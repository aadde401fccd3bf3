{{ config(delta='rows') }}
{% import 'macros/indicators.sql' as m %}
-- Cases with a delivered assistance (any dimension), by period.
-- One row per case and period, with the case's fields: the population of
-- person counts, deduplicated and joined once.
with final as (
    {{ m.case_periods(ref('int_delivered_assistance'), 'delivered_on') }}
)

select * from final
