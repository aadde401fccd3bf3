{% import 'macros/indicators.sql' as m %}
-- Community members with a delivered assistance in P.
-- int_assisted_periods has one row per case and period, so a count of rows
-- is a count of people.
with base as (
    select p.*, c.project_code, c.sex, c.age_group, c.country_of_origin, c.host_country,
        c.vulnerability_list, c.return_programme
    from {{ ref('int_assisted_periods') }} p
    join {{ ref('stg_cases') }} c on c.case_id = p.case_id
    where c.beneficiary_type = 'community_member'
)

{{ m.aggregate('community_members_assisted', 'base', ['total', 'sex', 'age_group', 'country_of_origin'], 'count(*)') }}
