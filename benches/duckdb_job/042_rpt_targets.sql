-- Frozen for benches/duckdb.sh (issue 17): Homeward's model as `homeward compile`
-- rendered it at ed3fc10 (as of 2026-06-30, demo key), in DuckDB's dialect.
-- Never regenerated: the peer of the benchmark does not move.

-- Targets against actuals: for each target, the baseline, the target, the
-- actual of its period (a year, quarter or month) or of the project's whole
-- life ('project' = to date), and the share achieved (actual / target). A
-- missing count or sum row is 0; a missing rate or mean is unknown.
with units as (
    select * from (values
        ('returnees_assisted', 'count'), ('returnees_reception_assisted', 'count'), ('reintegration_started', 'count'), ('reintegration_completed', 'count'), ('vulnerable_returnees_assisted', 'count'), ('children_assisted', 'count'), ('community_members_assisted', 'count'), ('assistance_delivered', 'count'), ('assistance_value_usd', 'sum'), ('businesses_started', 'count'), ('business_members', 'sum'), ('businesses_operating_rate', 'rate'), ('rss_surveyed', 'count'), ('rss_score_economic', 'mean'), ('rss_score_social', 'mean'), ('rss_score_psychosocial', 'mean'), ('rss_score_overall', 'mean'), ('rss_sustainable_rate', 'rate'), ('sdg_returnees_reached', 'count')
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
    from stg_targets t
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
    left join indicator_values v
        on v.project_code = t.project_code
        and v.indicator_id = t.indicator_id
        and v.period_type = t.period_type
        and v.period = t.value_period
        and v.breakdown = t.breakdown
        and v.breakdown_value = t.breakdown_value
)

select * from final
