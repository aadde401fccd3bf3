{% import 'macros/indicators.sql' as m %}
-- Returnees with a survey whose survey_date is in P (int_rss_scores holds
-- the surveys of current returnee cases up to the as-of date).
with surveyed as ({{ m.case_periods(ref('int_rss_scores'), 'survey_date') }}),

base as (
    select p.*, c.project_code, c.sex, c.age_group, c.country_of_origin, c.host_country, c.vulnerability_list
    from surveyed p
    join {{ ref('stg_cases') }} c on c.case_id = p.case_id
)

-- One row per case and period: a count of rows is a count of people.
{{ m.aggregate('rss_surveyed', 'base', ['total', 'sex', 'age_group', 'country_of_origin', 'host_country', 'vulnerability'], 'count(*)') }}
