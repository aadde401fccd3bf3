{{ config(delta='sum', measures=['numerator', 'denominator', 'support', 'numerator_key', 'denominator_key'], support='support') }}
{% import 'macros/indicators.sql' as m %}
-- Returnees with at least one delivered assistance (any dimension) in P.
-- int_assisted_periods has one row per case and period: a count of rows is a count of people.
with base as (
    select * from {{ ref('int_assisted_periods') }} where beneficiary_type = 'returnee'
)

{{ m.aggregate('returnees_assisted', 'base', ['total', 'sex', 'age_group', 'country_of_origin', 'host_country', 'vulnerability', 'return_programme'], 'count(*)') }}
