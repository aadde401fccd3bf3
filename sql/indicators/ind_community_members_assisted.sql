{{ config(delta='sum', measures=['numerator', 'denominator', 'support', 'numerator_key', 'denominator_key'], support='support') }}
{% import 'macros/indicators.sql' as m %}
-- Community members with a delivered assistance in P.
-- int_assisted_periods has one row per case and period: a count of rows is a count of people.
with base as (
    select * from {{ ref('int_assisted_periods') }} where beneficiary_type = 'community_member'
)

{{ m.aggregate('community_members_assisted', 'base', ['total', 'sex', 'age_group', 'country_of_origin'], 'count(*)') }}
