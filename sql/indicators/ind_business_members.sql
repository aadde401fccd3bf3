{% import 'macros/indicators.sql' as m %}
-- Sum of members of the businesses started in P.
with placed as ({{ m.periods(ref('stg_businesses'), 'started_on') }})

{{ m.aggregate('business_members', 'placed', ['total', 'model'], 'sum(coalesce(members, 0))') }}
