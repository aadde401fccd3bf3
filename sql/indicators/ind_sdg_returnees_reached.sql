{% import 'macros/indicators.sql' as m %}
-- Returnees with a delivered assistance in P whose type is tagged with the
-- SDG goal or target.
with base as (
    select * from {{ ref('int_delivered_assistance') }}
    where beneficiary_type = 'returnee' and sdg_target is not null
),

placed as ({{ m.periods('base', 'delivered_on') }})

{{ m.aggregate('sdg_returnees_reached', 'placed', ['sdg_goal', 'sdg_target'], 'count(distinct case_id)') }}
