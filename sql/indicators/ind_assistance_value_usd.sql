{{ config(delta='sum', measures=['numerator', 'denominator', 'support', 'numerator_key', 'denominator_key'], support='support') }}
{% import 'macros/indicators.sql' as m %}
-- Sum of amount_usd (null counts as 0) of delivered assistance in P.
with delivered as (select * from {{ ref('int_delivered_assistance') }})

{{ m.rollup('assistance_value_usd', 'delivered', ['total', 'dimension', 'assistance_type'], m.exact_sum('coalesce(amount_usd, 0)', scale=6), date_col='delivered_on') }}
