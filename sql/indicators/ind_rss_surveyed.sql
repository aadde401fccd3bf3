{{ config(delta='sum', measures=['numerator', 'denominator', 'support', 'numerator_key', 'denominator_key'], support='support') }}
{% import 'macros/indicators.sql' as m %}
-- Returnees with a survey whose survey_date is in P.
-- int_surveyed_periods has one row per case and period: a count of rows is a count of people.
with base as (
    select * from {{ ref('int_surveyed_periods') }} where true
)

{{ m.aggregate('rss_surveyed', 'base', ['total', 'sex', 'age_group', 'country_of_origin', 'host_country', 'vulnerability'], 'count(*)') }}
