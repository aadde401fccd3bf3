-- Frozen for benches/duckdb.sh (issue 17): Homeward's model as `homeward compile`
-- rendered it at ed3fc10 (as of 2026-06-30, demo key), in DuckDB's dialect.
-- Never regenerated: the peer of the benchmark does not move.

-- Current version of each survey interview.
with current_rows as (
    select * from cur_rss
),

final as (
    select
        survey_id, case_id, survey_date,
        econ_1, econ_2, econ_3, econ_4, econ_5, soc_1, soc_2, soc_3, soc_4, soc_5, psy_1, psy_2, psy_3, psy_4, psy_5, 
        updated_at
    from current_rows
)

select * from final
