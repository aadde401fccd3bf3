{% import 'macros/indicators.sql' as m %}
-- Sum of amount_usd (null counts as 0) of delivered assistance in P.
with placed as ({{ m.periods(ref('int_delivered_assistance'), 'delivered_on') }})

{{ m.aggregate('assistance_value_usd', 'placed', ['total', 'dimension', 'assistance_type'], m.exact_sum('coalesce(amount_usd, 0)')) }}
