{{ config(delta='sum', measures=['numerator', 'denominator', 'support', 'numerator_key', 'denominator_key'], support='support') }}
{% import 'macros/indicators.sql' as m %}
-- Current businesses with started_on in P (any status).
with placed as ({{ m.periods(ref('stg_businesses'), 'started_on') }})

{{ m.aggregate('businesses_started', 'placed', ['total', 'model', 'sector'], 'count(distinct business_id)') }}
