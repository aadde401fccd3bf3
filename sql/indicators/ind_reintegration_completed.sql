{{ config(delta='sum', measures=['numerator', 'denominator', 'support', 'numerator_key', 'denominator_key'], support='support') }}
{% import 'macros/indicators.sql' as m %}
-- Returnees whose reintegration_completed_on is in P, whatever their status.
with base as (
    select * from {{ ref('stg_cases') }} where beneficiary_type = 'returnee'
),

placed as ({{ m.periods('base', 'reintegration_completed_on') }})

-- One row per current case: a count of rows is a count of people.
{{ m.aggregate('reintegration_completed', 'placed', ['total', 'sex', 'age_group', 'country_of_origin', 'host_country', 'vulnerability'], 'count(*)') }}
