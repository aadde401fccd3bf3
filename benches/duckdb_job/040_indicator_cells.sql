-- Frozen for benches/duckdb.sh (issue 17): Homeward's model as `homeward compile`
-- rendered it at ed3fc10 (as of 2026-06-30, demo key), in DuckDB's dialect.
-- Never regenerated: the peer of the benchmark does not move.

-- What disclosure control needs of each indicator_values cell
-- (docs/disclosure.md): the exact numerator and denominator, how many
-- records are behind the cell (support), and the sums of the record keys
-- of the numerator's and the denominator's contributors, from which the
-- cell keys come. Internal, like indicator_values: only the disclosure
-- stage reads it, and nothing of it is published.
with unioned as (
    
    select
        indicator_id, project_code, period, breakdown, breakdown_value,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator,
        support, numerator_key, denominator_key
    from ind_returnees_assisted
    union all
    
    select
        indicator_id, project_code, period, breakdown, breakdown_value,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator,
        support, numerator_key, denominator_key
    from ind_returnees_reception_assisted
    union all
    
    select
        indicator_id, project_code, period, breakdown, breakdown_value,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator,
        support, numerator_key, denominator_key
    from ind_reintegration_started
    union all
    
    select
        indicator_id, project_code, period, breakdown, breakdown_value,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator,
        support, numerator_key, denominator_key
    from ind_reintegration_completed
    union all
    
    select
        indicator_id, project_code, period, breakdown, breakdown_value,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator,
        support, numerator_key, denominator_key
    from ind_vulnerable_returnees_assisted
    union all
    
    select
        indicator_id, project_code, period, breakdown, breakdown_value,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator,
        support, numerator_key, denominator_key
    from ind_children_assisted
    union all
    
    select
        indicator_id, project_code, period, breakdown, breakdown_value,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator,
        support, numerator_key, denominator_key
    from ind_community_members_assisted
    union all
    
    select
        indicator_id, project_code, period, breakdown, breakdown_value,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator,
        support, numerator_key, denominator_key
    from ind_assistance_delivered
    union all
    
    select
        indicator_id, project_code, period, breakdown, breakdown_value,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator,
        support, numerator_key, denominator_key
    from ind_assistance_value_usd
    union all
    
    select
        indicator_id, project_code, period, breakdown, breakdown_value,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator,
        support, numerator_key, denominator_key
    from ind_businesses_started
    union all
    
    select
        indicator_id, project_code, period, breakdown, breakdown_value,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator,
        support, numerator_key, denominator_key
    from ind_business_members
    union all
    
    select
        indicator_id, project_code, period, breakdown, breakdown_value,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator,
        support, numerator_key, denominator_key
    from ind_businesses_operating_rate
    union all
    
    select
        indicator_id, project_code, period, breakdown, breakdown_value,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator,
        support, numerator_key, denominator_key
    from ind_rss_surveyed
    union all
    
    select
        indicator_id, project_code, period, breakdown, breakdown_value,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator,
        support, numerator_key, denominator_key
    from ind_rss_score_economic
    union all
    
    select
        indicator_id, project_code, period, breakdown, breakdown_value,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator,
        support, numerator_key, denominator_key
    from ind_rss_score_social
    union all
    
    select
        indicator_id, project_code, period, breakdown, breakdown_value,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator,
        support, numerator_key, denominator_key
    from ind_rss_score_psychosocial
    union all
    
    select
        indicator_id, project_code, period, breakdown, breakdown_value,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator,
        support, numerator_key, denominator_key
    from ind_rss_score_overall
    union all
    
    select
        indicator_id, project_code, period, breakdown, breakdown_value,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator,
        support, numerator_key, denominator_key
    from ind_rss_sustainable_rate
    union all
    
    select
        indicator_id, project_code, period, breakdown, breakdown_value,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator,
        support, numerator_key, denominator_key
    from ind_sdg_returnees_reached
    
    
),

final as (
    select *
    from unioned
    -- The same rows as indicator_values.
    where denominator is null or denominator > 0
)

select * from final
