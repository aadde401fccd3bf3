{% import 'macros/indicators.sql' as m %}
-- Delivered assistance records (returnees and community members) in P.
with placed as ({{ m.periods(ref('int_delivered_assistance'), 'delivered_on') }})

{{ m.aggregate('assistance_delivered', 'placed', ['total', 'dimension', 'assistance_type', 'channel'], 'count(*)') }}
