-- Frozen for benches/duckdb.sh (issue 17): Homeward's model as `homeward compile`
-- rendered it at ed3fc10 (as of 2026-06-30, demo key), in DuckDB's dialect.
-- Never regenerated: the peer of the benchmark does not move.

-- Current version of each project (reference data; updated_at may be null,
-- and null sorts as the oldest).
with current_rows as (
    select * exclude (previous_key), 1 as version_rank from (
    select *, lag(project_code) over (order by project_code, updated_at desc nulls last, _drop_id desc, _pulled_at desc, _line desc) as previous_key
    from raw_projects
) ordered
where previous_key is distinct from project_code
),

final as (
    select
        project_code, prima_id, title, project_type, donor, start_date, end_date, status, budget_usd,
        coverage, idf_region, benefiting_countries, sdg_goals, updated_at
    from current_rows
)

select * from final
