{% import 'macros/indicators.sql' as m %}
with base as (
    select *, cast(updated_at as date) as updated_on from {{ ref('stg_cases') }}
),

placed as ({{ m.periods('base', 'updated_on') }})

{{ m.aggregate('cases_registered', 'placed', ['total'], 'count(distinct case_id)') }}
