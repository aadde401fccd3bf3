-- Frozen for benches/duckdb.sh (issue 17): Homeward's model as `homeward compile`
-- rendered it at ed3fc10 (as of 2026-06-30, demo key), in DuckDB's dialect.
-- Never regenerated: the peer of the benchmark does not move.

-- Each returnee's reintegration start (indicators.md): the earliest
-- delivered economic, social or psychosocial assistance, with the case's
-- fields. Materialised once: ind_reintegration_started reads it once per
-- breakdown, and the minimum and the join were computed again each time.
with starts as (
    select case_id, min(delivered_on) as started_on
    from int_delivered_assistance
    where beneficiary_type = 'returnee' and dimension in ('economic', 'social', 'psychosocial')
    group by case_id
),

final as (
    select c.*, s.started_on
    from starts s
    join stg_cases c on c.case_id = s.case_id
)

select * from final
