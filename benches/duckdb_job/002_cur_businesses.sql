-- Frozen for benches/duckdb.sh (issue 17): Homeward's model as `homeward compile`
-- rendered it at ed3fc10 (as of 2026-06-30, demo key), in DuckDB's dialect.
-- Never regenerated: the peer of the benchmark does not move.

-- The current version of each businesses record, kept from run to run. A nightly
-- run returns only the rows that change it (the current versions among the
-- rows pulled since the previous transform that win over the kept ones);
-- they replace the kept rows of their key (README, Incremental models).
-- `homeward run --full-refresh` rebuilds it from every raw version.

select * exclude (previous_key), 1 as version_rank from (
    select *, lag(business_id) over (order by business_id, updated_at desc nulls last, _drop_id desc, _pulled_at desc, _line desc) as previous_key
    from raw_businesses
) ordered
where previous_key is distinct from business_id
