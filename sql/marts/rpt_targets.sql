-- Targets against actuals: for each target, the baseline, the target, the
-- actual of its period (a year, quarter or month) or of the project's whole
-- life ('project' = to date), and the share achieved (actual / target). A
-- missing count or sum row is 0; a missing rate or mean is unknown.
with units as (
    select * from (values
        {% for ind in indicators %}('{{ ind.id }}', '{{ ind.unit }}'){% if not loop.last %}, {% endif %}{% endfor %}
    ) as u(indicator_id, unit)
),

targets as (
    select
        t.*,
        case
            when t.period = 'project' then 'to_date'
            when t.period like '%-Q%' then 'quarter'
            when length(t.period) = 7 then 'month'
            else 'year'
        end as period_type,
        case when t.period = 'project' then 'to_date' else t.period end as value_period
    from {{ ref('stg_targets') }} t
),

final as (
    select
        t.project_code,
        t.indicator_id,
        t.period,
        t.period_type,
        t.breakdown,
        t.breakdown_value,
        t.baseline,
        t.target,
        coalesce(v.value, case when u.unit in ('count', 'sum') then 0.0 end) as actual,
        case
            when t.target is null or t.target = 0 then null
            else coalesce(v.value, case when u.unit in ('count', 'sum') then 0.0 end) / t.target
        end as achieved_ratio
    from targets t
    left join units u on u.indicator_id = t.indicator_id
    left join {{ ref('indicator_values') }} v
        on v.project_code = t.project_code
        and v.indicator_id = t.indicator_id
        and v.period_type = t.period_type
        and v.period = t.value_period
        and v.breakdown = t.breakdown
        and v.breakdown_value = t.breakdown_value
)

select * from final
