-- Frozen for benches/duckdb.sh (issue 17): Homeward's model as `homeward compile`
-- rendered it at ed3fc10 (as of 2026-06-30, demo key), in DuckDB's dialect.
-- Never regenerated: the peer of the benchmark does not move.

-- Delivered assistance (indicators.md): current rows with status delivered,
-- delivered on or before the as-of date, of a current case (orphans out),
-- with the case's project and person fields.
with final as (
    select
        a.assistance_id,
        a.case_id,
        c.case_key,
        a.assistance_type,
        a.dimension,
        a.sdg_goal,
        a.sdg_target,
        a.delivered_on,
        a.amount_usd,
        a.channel,
        a.record_key,
        c.record_key as case_record_key,
        c.project_code,
        c.beneficiary_type,
        c.sex,
        c.age,
        c.age_group,
        c.country_of_origin,
        c.host_country,
        c.vulnerability_list,
        c.return_programme
    from stg_assistance a
    join stg_cases c on c.case_id = a.case_id
    where a.status = 'delivered' and a.delivered_on <= date '2026-06-30'
)

select * from final
