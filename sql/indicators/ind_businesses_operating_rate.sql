{{ config(delta='sum', measures=['numerator', 'denominator', 'support', 'numerator_key', 'denominator_key'], support='support') }}
{% import 'macros/indicators.sql' as m %}
-- Businesses monitored in P whose current status is operating or closed:
-- operating over both.
with base as (
    select * from {{ ref('stg_businesses') }} where status in ('operating', 'closed')
)

{{ m.rollup('businesses_operating_rate', 'base', ['total', 'model', 'sector'],
    "sum(case when status = 'operating' then 1 else 0 end)", 'count(*)', date_col='last_monitored_on',
    numerator_key="sum(case when status = 'operating' then record_key else 0 end)", denominator_key='sum(record_key)') }}
