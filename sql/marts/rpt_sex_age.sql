{{ config(delta='sum', measures=['returnees'], support='returnees') }}
-- Returnees assisted by sex and age group together (the programme report's
-- cross table; indicator_values holds each breakdown alone). Same
-- population as returnees_assisted, per project and 'ALL', for quarters,
-- years and to date.
with base as (
    select project_code, period_type, period, sex, age_group
    from {{ ref('int_assisted_periods') }}
    where beneficiary_type = 'returnee' and period_type in ('quarter', 'year', 'to_date')
),

scoped as (
    select * from base
    union all
    select 'ALL' as project_code, period_type, period, sex, age_group from base
),

final as (
    select project_code, period_type, period, sex, age_group, count(*) as returnees
    from scoped
    group by project_code, period_type, period, sex, age_group
)

select * from final
