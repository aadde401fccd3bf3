{{ config(delta='sum', measures=['numerator', 'denominator', 'support'], support='support') }}
{% import 'macros/indicators.sql' as m %}
-- Returnees whose reintegration start (earliest delivered economic, social
-- or psychosocial assistance) is in P.
with starts as (
    select case_id, min(delivered_on) as started_on
    from {{ ref('int_delivered_assistance') }}
    where beneficiary_type = 'returnee' and dimension in ('economic', 'social', 'psychosocial')
    group by case_id
),

base as (
    select c.*, s.started_on
    from starts s
    join {{ ref('stg_cases') }} c on c.case_id = s.case_id
),

placed as ({{ m.periods('base', 'started_on') }})

-- One row per case: a count of rows is a count of people.
{{ m.aggregate('reintegration_started', 'placed', ['total', 'sex', 'age_group', 'country_of_origin', 'host_country', 'vulnerability'], 'count(*)') }}
