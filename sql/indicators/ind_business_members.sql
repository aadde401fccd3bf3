{{ config(delta='sum', measures=['numerator', 'denominator', 'support', 'numerator_key', 'denominator_key'], support='support') }}
{% import 'macros/indicators.sql' as m %}
-- Sum of members of the businesses started in P.
with businesses as (select * from {{ ref('stg_businesses') }})

{{ m.rollup('business_members', 'businesses', ['total', 'model'], 'sum(coalesce(members, 0))', date_col='started_on') }}
