{{ config(delta='sum', measures=['numerator', 'denominator', 'support', 'numerator_key', 'denominator_key'], support='support') }}
{% import 'macros/indicators.sql' as m %}
-- Returnees whose reintegration start (earliest delivered economic, social
-- or psychosocial assistance) is in P.
-- int_reintegration_starts has one row per returnee with a start.
with placed as ({{ m.periods(ref('int_reintegration_starts'), 'started_on') }})

-- One row per case: a count of rows is a count of people.
{{ m.aggregate('reintegration_started', 'placed', ['total', 'sex', 'age_group', 'country_of_origin', 'host_country', 'vulnerability'], 'count(*)') }}
