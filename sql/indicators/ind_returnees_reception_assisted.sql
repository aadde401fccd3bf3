{% import 'macros/indicators.sql' as m %}
-- Returnees with a delivered assistance of dimension reception in P.
with reception as ({{ m.case_periods("(select * from " ~ ref('int_delivered_assistance') ~ " where dimension = 'reception')", 'delivered_on') }}),

base as (
    select p.*, c.project_code, c.sex, c.age_group, c.country_of_origin, c.host_country, c.vulnerability_list
    from reception p
    join {{ ref('stg_cases') }} c on c.case_id = p.case_id
    where c.beneficiary_type = 'returnee'
)

-- One row per case and period: a count of rows is a count of people.
{{ m.aggregate('returnees_reception_assisted', 'base', ['total', 'sex', 'age_group', 'country_of_origin', 'host_country', 'vulnerability'], 'count(*)') }}
