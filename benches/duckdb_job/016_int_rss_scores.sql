-- Frozen for benches/duckdb.sh (issue 17): Homeward's model as `homeward compile`
-- rendered it at ed3fc10 (as of 2026-06-30, demo key), in DuckDB's dialect.
-- Never regenerated: the peer of the benchmark does not move.

-- Survey scores of current returnee cases' interviews up to the as-of date.
-- Item score (a - 1) / 4; dimension score the weighted mean of answered
-- items, null when fewer than half are answered; overall the weighted mean
-- of the dimensions, null when any is null. Weights come from the
-- configuration (rss_items, rss_dimensions).
with surveys as (
    select
        r.*,
        c.case_key,
        -- A kept survey counts its case: the case's record key.
        c.record_key,
        c.project_code,
        c.sex,
        c.age_group,
        c.country_of_origin,
        c.host_country,
        c.vulnerability_list
    from stg_rss r
    join stg_cases c on c.case_id = r.case_id
    where c.beneficiary_type = 'returnee' and r.survey_date <= date '2026-06-30'
),

scored as (
    select
        *,
        
        
        case
            when 2 * ((case when econ_1 is null then 0 else 1 end) + (case when econ_2 is null then 0 else 1 end) + (case when econ_3 is null then 0 else 1 end) + (case when econ_4 is null then 0 else 1 end) + (case when econ_5 is null then 0 else 1 end)) < 5
            then null
            else (coalesce(0.25 * (cast(econ_1 as double) - 1) / 4, 0) + coalesce(0.2 * (cast(econ_2 as double) - 1) / 4, 0) + coalesce(0.15 * (cast(econ_3 as double) - 1) / 4, 0) + coalesce(0.15 * (cast(econ_4 as double) - 1) / 4, 0) + coalesce(0.25 * (cast(econ_5 as double) - 1) / 4, 0))
                / ((case when econ_1 is null then 0 else 0.25 end) + (case when econ_2 is null then 0 else 0.2 end) + (case when econ_3 is null then 0 else 0.15 end) + (case when econ_4 is null then 0 else 0.15 end) + (case when econ_5 is null then 0 else 0.25 end))
        end as score_economic,
        
        
        case
            when 2 * ((case when soc_1 is null then 0 else 1 end) + (case when soc_2 is null then 0 else 1 end) + (case when soc_3 is null then 0 else 1 end) + (case when soc_4 is null then 0 else 1 end) + (case when soc_5 is null then 0 else 1 end)) < 5
            then null
            else (coalesce(0.25 * (cast(soc_1 as double) - 1) / 4, 0) + coalesce(0.15 * (cast(soc_2 as double) - 1) / 4, 0) + coalesce(0.25 * (cast(soc_3 as double) - 1) / 4, 0) + coalesce(0.2 * (cast(soc_4 as double) - 1) / 4, 0) + coalesce(0.15 * (cast(soc_5 as double) - 1) / 4, 0))
                / ((case when soc_1 is null then 0 else 0.25 end) + (case when soc_2 is null then 0 else 0.15 end) + (case when soc_3 is null then 0 else 0.25 end) + (case when soc_4 is null then 0 else 0.2 end) + (case when soc_5 is null then 0 else 0.15 end))
        end as score_social,
        
        
        case
            when 2 * ((case when psy_1 is null then 0 else 1 end) + (case when psy_2 is null then 0 else 1 end) + (case when psy_3 is null then 0 else 1 end) + (case when psy_4 is null then 0 else 1 end) + (case when psy_5 is null then 0 else 1 end)) < 5
            then null
            else (coalesce(0.15 * (cast(psy_1 as double) - 1) / 4, 0) + coalesce(0.25 * (cast(psy_2 as double) - 1) / 4, 0) + coalesce(0.2 * (cast(psy_3 as double) - 1) / 4, 0) + coalesce(0.15 * (cast(psy_4 as double) - 1) / 4, 0) + coalesce(0.25 * (cast(psy_5 as double) - 1) / 4, 0))
                / ((case when psy_1 is null then 0 else 0.15 end) + (case when psy_2 is null then 0 else 0.25 end) + (case when psy_3 is null then 0 else 0.2 end) + (case when psy_4 is null then 0 else 0.15 end) + (case when psy_5 is null then 0 else 0.25 end))
        end as score_psychosocial
        
    from surveys
),

final as (
    select
        *,
        case
            when score_economic is null or score_social is null or score_psychosocial is null then null
            else (0.4 * score_economic + 0.3 * score_social + 0.3 * score_psychosocial)
                / (0.4 + 0.3 + 0.3)
        end as score_overall
    from scored
)

select * from final
