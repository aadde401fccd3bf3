{% import 'macros/indicators.sql' as m %}
-- Returnees with a delivered assistance of dimension reception in P.
with base as (
    select * from {{ ref('int_delivered_assistance') }}
    where beneficiary_type = 'returnee' and dimension = 'reception'
),

placed as ({{ m.periods('base', 'delivered_on') }})

{{ m.aggregate('returnees_reception_assisted', 'placed', ['total', 'sex', 'age_group', 'country_of_origin', 'host_country', 'vulnerability'], 'count(distinct case_id)') }}
