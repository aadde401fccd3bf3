{% import 'macros/indicators.sql' as m %}
-- returnees_assisted, restricted to cases with at least one vulnerability code.
with base as (
    select * from {{ ref('int_delivered_assistance') }}
    where beneficiary_type = 'returnee' and not array_has(vulnerability_list, 'none')
),

placed as ({{ m.periods('base', 'delivered_on') }})

{{ m.aggregate('vulnerable_returnees_assisted', 'placed', ['total', 'sex', 'age_group', 'country_of_origin', 'host_country', 'vulnerability'], 'count(distinct case_id)') }}
