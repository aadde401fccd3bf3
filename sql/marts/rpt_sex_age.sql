{{ config(delta='sum', measures=['returnees'], support='returnees') }}
{% import 'macros/indicators.sql' as m %}
-- Returnees assisted by sex and age group together (the programme report's
-- cross table; indicator_values holds each breakdown alone). Same
-- population as returnees_assisted, per project and 'ALL', for quarters,
-- years and to date.
with counted as (
    select
        case when grouping(project_code) = 1 then 'ALL' else project_code end as project_code,
        period_type,
        period_day,
        sex,
        age_group,
        count(*) as returnees
    from {{ ref('int_assisted_periods') }}
    where beneficiary_type = 'returnee' and period_type in ('quarter', 'year', 'to_date')
    group by grouping sets (
        (project_code, period_type, period_day, sex, age_group),
        (period_type, period_day, sex, age_group)
    )
),

final as (
    select
        project_code,
        period_type,
        {{ m.period_label('period_type', 'period_day') }} as period,
        sex,
        age_group,
        returnees
    from counted
)

select * from final
