{{ config(delta='sum', measures=['numerator', 'denominator', 'support', 'numerator_key', 'denominator_key'], support='support') }}
{% import 'macros/indicators.sql' as m %}
-- Returnees with a delivered assistance of dimension reception in P.
-- int_reception_periods has one row per case and period: a count of rows is a count of people.
with base as (
    select * from {{ ref('int_reception_periods') }} where beneficiary_type = 'returnee'
)

{{ m.aggregate('returnees_reception_assisted', 'base', ['total', 'sex', 'age_group', 'country_of_origin', 'host_country', 'vulnerability'], 'count(*)') }}
