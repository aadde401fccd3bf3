-- Frozen for benches/duckdb.sh (issue 17): Homeward's model as `homeward compile`
-- rendered it at ed3fc10 (as of 2026-06-30, demo key), in DuckDB's dialect.
-- Never regenerated: the peer of the benchmark does not move.

-- Current version of each business.
with current_rows as (
    select * from cur_businesses
),

final as (
    select
        business_id, project_code, lead_case_id, model, sector, started_on, members, status,
        last_monitored_on, updated_at,
        -- The business's record key (docs/disclosure.md).
        (((cast(ascii(substr(sha256(concat('8ab69df683368832485392f033809604e82addb3067c6d791588152d69175902', business_id)), 1, 1)) as bigint) - 48) % 39) * 268435456 + ((cast(ascii(substr(sha256(concat('8ab69df683368832485392f033809604e82addb3067c6d791588152d69175902', business_id)), 2, 1)) as bigint) - 48) % 39) * 16777216 + ((cast(ascii(substr(sha256(concat('8ab69df683368832485392f033809604e82addb3067c6d791588152d69175902', business_id)), 3, 1)) as bigint) - 48) % 39) * 1048576 + ((cast(ascii(substr(sha256(concat('8ab69df683368832485392f033809604e82addb3067c6d791588152d69175902', business_id)), 4, 1)) as bigint) - 48) % 39) * 65536 + ((cast(ascii(substr(sha256(concat('8ab69df683368832485392f033809604e82addb3067c6d791588152d69175902', business_id)), 5, 1)) as bigint) - 48) % 39) * 4096 + ((cast(ascii(substr(sha256(concat('8ab69df683368832485392f033809604e82addb3067c6d791588152d69175902', business_id)), 6, 1)) as bigint) - 48) % 39) * 256 + ((cast(ascii(substr(sha256(concat('8ab69df683368832485392f033809604e82addb3067c6d791588152d69175902', business_id)), 7, 1)) as bigint) - 48) % 39) * 16 + ((cast(ascii(substr(sha256(concat('8ab69df683368832485392f033809604e82addb3067c6d791588152d69175902', business_id)), 8, 1)) as bigint) - 48) % 39) * 1) as record_key
    from current_rows
)

select * from final
