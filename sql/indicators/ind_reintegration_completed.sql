{% import 'macros/indicators.sql' as m %}
-- Returnees whose reintegration_completed_on is in P, whatever their status.
-- One row per current case: a count of rows is a count of people.
with base as (
    select * from {{ ref('stg_cases') }} where beneficiary_type = 'returnee'
)

{{ m.rollup('reintegration_completed', 'base', ['total', 'sex', 'age_group', 'country_of_origin', 'host_country', 'vulnerability'], 'count(*)', date_col='reintegration_completed_on') }}
