-- Frozen for benches/duckdb.sh (issue 17): Homeward's model as `homeward compile`
-- rendered it at ed3fc10 (as of 2026-06-30, demo key), in DuckDB's dialect.
-- Never regenerated: the peer of the benchmark does not move.

-- Every indicator of the catalogue, in the shape of indicators.md.
with unioned as (
    -- The indicator models keep exact decimal sums and a support column
    -- (for delta runs); the published file has doubles.
    
    select
        indicator_id, project_code, period_type, period, period_start, period_end,
        breakdown, breakdown_value,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator
    from ind_returnees_assisted
    union all
    
    select
        indicator_id, project_code, period_type, period, period_start, period_end,
        breakdown, breakdown_value,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator
    from ind_returnees_reception_assisted
    union all
    
    select
        indicator_id, project_code, period_type, period, period_start, period_end,
        breakdown, breakdown_value,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator
    from ind_reintegration_started
    union all
    
    select
        indicator_id, project_code, period_type, period, period_start, period_end,
        breakdown, breakdown_value,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator
    from ind_reintegration_completed
    union all
    
    select
        indicator_id, project_code, period_type, period, period_start, period_end,
        breakdown, breakdown_value,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator
    from ind_vulnerable_returnees_assisted
    union all
    
    select
        indicator_id, project_code, period_type, period, period_start, period_end,
        breakdown, breakdown_value,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator
    from ind_children_assisted
    union all
    
    select
        indicator_id, project_code, period_type, period, period_start, period_end,
        breakdown, breakdown_value,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator
    from ind_community_members_assisted
    union all
    
    select
        indicator_id, project_code, period_type, period, period_start, period_end,
        breakdown, breakdown_value,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator
    from ind_assistance_delivered
    union all
    
    select
        indicator_id, project_code, period_type, period, period_start, period_end,
        breakdown, breakdown_value,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator
    from ind_assistance_value_usd
    union all
    
    select
        indicator_id, project_code, period_type, period, period_start, period_end,
        breakdown, breakdown_value,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator
    from ind_businesses_started
    union all
    
    select
        indicator_id, project_code, period_type, period, period_start, period_end,
        breakdown, breakdown_value,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator
    from ind_business_members
    union all
    
    select
        indicator_id, project_code, period_type, period, period_start, period_end,
        breakdown, breakdown_value,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator
    from ind_businesses_operating_rate
    union all
    
    select
        indicator_id, project_code, period_type, period, period_start, period_end,
        breakdown, breakdown_value,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator
    from ind_rss_surveyed
    union all
    
    select
        indicator_id, project_code, period_type, period, period_start, period_end,
        breakdown, breakdown_value,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator
    from ind_rss_score_economic
    union all
    
    select
        indicator_id, project_code, period_type, period, period_start, period_end,
        breakdown, breakdown_value,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator
    from ind_rss_score_social
    union all
    
    select
        indicator_id, project_code, period_type, period, period_start, period_end,
        breakdown, breakdown_value,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator
    from ind_rss_score_psychosocial
    union all
    
    select
        indicator_id, project_code, period_type, period, period_start, period_end,
        breakdown, breakdown_value,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator
    from ind_rss_score_overall
    union all
    
    select
        indicator_id, project_code, period_type, period, period_start, period_end,
        breakdown, breakdown_value,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator
    from ind_rss_sustainable_rate
    union all
    
    select
        indicator_id, project_code, period_type, period, period_start, period_end,
        breakdown, breakdown_value,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator
    from ind_sdg_returnees_reached
    
    
),

final as (
    select
        indicator_id,
        project_code,
        period_type,
        period,
        period_start,
        -- The indicator models leave to_date's end open (for delta runs).
        coalesce(period_end, date '2026-06-30') as period_end,
        breakdown,
        breakdown_value,
        -- Rounded to 12 decimals: a mean's sum depends on the order the
        -- engine adds in, in the last bits; reruns must give the same file.
        round(numerator / coalesce(denominator, 1.0), 12) as value,
        round(numerator, 12) as numerator,
        denominator,
        date '2026-06-30' as as_of
    from unioned
    where denominator is null or denominator > 0
)

select * from final
