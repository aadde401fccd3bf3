{% import 'macros/indicators.sql' as m %}
-- Returnees with a survey whose survey_date is in P.
with placed as ({{ m.periods(ref('int_rss_scores'), 'survey_date') }})

{{ m.aggregate('rss_surveyed', 'placed', ['total', 'sex', 'age_group', 'country_of_origin', 'host_country', 'vulnerability'], 'count(distinct case_id)') }}
