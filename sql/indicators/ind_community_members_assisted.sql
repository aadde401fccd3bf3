{% import 'macros/indicators.sql' as m %}
-- Community members with a delivered assistance in P.
with base as (
    select * from {{ ref('int_delivered_assistance') }} where beneficiary_type = 'community_member'
),

placed as ({{ m.periods('base', 'delivered_on') }})

{{ m.aggregate('community_members_assisted', 'placed', ['total', 'sex', 'age_group', 'country_of_origin'], 'count(distinct case_id)') }}
