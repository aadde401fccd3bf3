{% import 'macros/indicators.sql' as m %}
-- returnees_assisted, restricted to cases aged under 18.
with base as (
    select * from {{ ref('int_delivered_assistance') }}
    where beneficiary_type = 'returnee' and age < 18
),

placed as ({{ m.periods('base', 'delivered_on') }})

{{ m.aggregate('children_assisted', 'placed', ['total', 'sex', 'country_of_origin', 'host_country', 'vulnerability'], 'count(distinct case_id)') }}
