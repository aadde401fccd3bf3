{% import 'macros/indicators.sql' as m %}
-- Returnees with at least one delivered assistance (any dimension) in P.
with base as (
    select * from {{ ref('int_delivered_assistance') }} where beneficiary_type = 'returnee'
),

placed as ({{ m.periods('base', 'delivered_on') }})

{{ m.aggregate('returnees_assisted', 'placed', ['total', 'sex', 'age_group', 'country_of_origin', 'host_country', 'vulnerability', 'return_programme'], 'count(distinct case_id)') }}
