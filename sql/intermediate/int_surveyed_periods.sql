{{ config(delta='rows') }}
{% import 'macros/indicators.sql' as m %}
-- Returnee cases with a survey (int_rss_scores: current returnee cases, up to the as-of date), by period.
-- One row per case and period, with the case's fields: the population of
-- person counts, deduplicated and joined once.
with final as (
    {{ m.case_periods(ref('int_rss_scores'), 'survey_date') }}
)

select * from final
