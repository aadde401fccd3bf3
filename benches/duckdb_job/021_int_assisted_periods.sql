-- Frozen for benches/duckdb.sh (issue 17): Homeward's model as `homeward compile`
-- rendered it at ed3fc10 (as of 2026-06-30, demo key), in DuckDB's dialect.
-- Never regenerated: the peer of the benchmark does not move.

-- Cases with a delivered assistance (any dimension), by period.
-- One row per case and period, with the case's fields: the population of
-- person counts, deduplicated and joined once.
with final as (
    select
    c.case_id,
    c.record_key,
    p.period_type,
    case p.period_type
        when 'month' then strftime(p.period_day, '%Y-%m')
        when 'quarter' then concat(strftime(p.period_day, '%Y'), '-Q', cast(cast(date_part('quarter', p.period_day) as bigint) as varchar))
        when 'year' then strftime(p.period_day, '%Y')
        else 'to_date'
    end as period,
    case p.period_type
        when 'month' then cast(date_trunc('month', p.period_day) as date)
        when 'quarter' then cast(date_trunc('quarter', p.period_day) as date)
        when 'year' then cast(date_trunc('year', p.period_day) as date)
    end as period_start,
    case p.period_type
        when 'month' then cast(cast(date_trunc('month', p.period_day) as date) + interval '1 month' - interval '1 day' as date)
        when 'quarter' then cast(cast(date_trunc('quarter', p.period_day) as date) + interval '3 month' - interval '1 day' as date)
        when 'year' then cast(cast(date_trunc('year', p.period_day) as date) + interval '1 year' - interval '1 day' as date)
        else date '2026-06-30'
    end as period_end,
    c.project_code,
    c.beneficiary_type,
    c.sex,
    c.age,
    c.age_group,
    c.country_of_origin,
    c.host_country,
    c.vulnerability_list,
    c.return_programme
from (
    select distinct
        m.case_key,
        pt.period_type,
        case pt.period_type
    when 'month' then m.placing_month
    when 'quarter' then cast(date_trunc('quarter', m.placing_month) as date)
    when 'year' then cast(date_trunc('year', m.placing_month) as date)
end as period_day
    from (
        select distinct case_key, cast(date_trunc('month', delivered_on) as date) as placing_month
        from int_delivered_assistance
        where delivered_on is not null and delivered_on <= date '2026-06-30'
    ) m
    cross join (values ('month'), ('quarter'), ('year'), ('to_date')) as pt(period_type)
) p
join stg_cases c on c.case_key = p.case_key
)

select * from final
