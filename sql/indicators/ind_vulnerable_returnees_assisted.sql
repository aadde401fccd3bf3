{% import 'macros/indicators.sql' as m %}
-- returnees_assisted, restricted to cases with at least one vulnerability code.
-- int_assisted_periods has one row per case and period, so a count of rows
-- is a count of people.
with base as (
    select p.*, c.project_code, c.sex, c.age_group, c.country_of_origin, c.host_country,
        c.vulnerability_list, c.return_programme
    from {{ ref('int_assisted_periods') }} p
    join {{ ref('stg_cases') }} c on c.case_id = p.case_id
    where c.beneficiary_type = 'returnee' and not array_has(c.vulnerability_list, 'none')
)

{{ m.aggregate('vulnerable_returnees_assisted', 'base', ['total', 'sex', 'age_group', 'country_of_origin', 'host_country', 'vulnerability'], 'count(*)') }}
