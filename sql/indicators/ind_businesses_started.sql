{{ config(delta='sum', measures=['numerator', 'denominator', 'support', 'numerator_key', 'denominator_key'], support='support') }}
{% import 'macros/indicators.sql' as m %}
-- Current businesses with started_on in P (any status). stg_businesses has
-- one row per business and periods() places it once in each period, so a
-- count of rows is the count of distinct businesses. count(distinct) held
-- a set of ids per group, which cannot spill: at 5 M cases it asked the
-- pool for 285 MB at once and the run failed.
with placed as ({{ m.periods(ref('stg_businesses'), 'started_on') }})

{{ m.aggregate('businesses_started', 'placed', ['total', 'model', 'sector'], 'count(business_id)') }}
