-- Frozen for benches/duckdb.sh (issue 17): Homeward's model as `homeward compile`
-- rendered it at ed3fc10 (as of 2026-06-30, demo key), in DuckDB's dialect.
-- Never regenerated: the peer of the benchmark does not move.

-- Current version of each target.
with current_rows as (
    select * from (
    select
        *,
        row_number() over (partition by project_code, indicator_id, period, breakdown, breakdown_value order by updated_at desc nulls last, _drop_id desc, _pulled_at desc, _line desc) as version_rank
    from raw_targets
) ranked
where version_rank = 1
),

final as (
    select project_code, indicator_id, period, breakdown, breakdown_value, baseline, target, updated_at
    from current_rows
)

select * from final
