{% import 'macros/indicators.sql' as m %}
-- Businesses monitored in P whose current status is operating or closed:
-- operating over both.
with base as (
    select * from {{ ref('stg_businesses') }} where status in ('operating', 'closed')
),

placed as ({{ m.periods('base', 'last_monitored_on') }})

{{ m.aggregate('businesses_operating_rate', 'placed', ['total', 'model', 'sector'],
    "sum(case when status = 'operating' then 1 else 0 end)", 'count(*)', having='count(*) > 0') }}
