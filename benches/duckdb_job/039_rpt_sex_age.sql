-- Frozen for benches/duckdb.sh (issue 17): Homeward's model as `homeward compile`
-- rendered it at ed3fc10 (as of 2026-06-30, demo key), in DuckDB's dialect.
-- Never regenerated: the peer of the benchmark does not move.

-- Returnees assisted by sex and age group together (the programme report's
-- cross table; indicator_values holds each breakdown alone). Same
-- population as returnees_assisted, per project and 'ALL', for quarters,
-- years and to date.
with base as (
    select project_code, period_type, period, sex, age_group
    from int_assisted_periods
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
