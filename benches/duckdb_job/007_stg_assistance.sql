-- Frozen for benches/duckdb.sh (issue 17): Homeward's model as `homeward compile`
-- rendered it at ed3fc10 (as of 2026-06-30, demo key), in DuckDB's dialect.
-- Never regenerated: the peer of the benchmark does not move.

-- Current version of each assistance record (greatest updated_at, then the
-- later drop, the later pull, the later line), with its code-list fields.
with current_rows as (
    select * from cur_assistance
),

final as (
    select
        a.assistance_id,
        a.case_id,
        a.assistance_type,
        t.dimension,
        t.level,
        t.sdg_target,
        split_part(t.sdg_target, '.', 1) as sdg_goal,
        a.status,
        a.delivered_on,
        a.amount_usd,
        a.channel,
        a.provider,
        a.updated_at,
        -- Each assistance record's own key: counts and sums of records
        -- are perturbed by their records, not their people (docs/disclosure.md).
        (((cast(ascii(substr(sha256(concat('8ab69df683368832485392f033809604e82addb3067c6d791588152d69175902', a.assistance_id)), 1, 1)) as bigint) - 48) % 39) * 268435456 + ((cast(ascii(substr(sha256(concat('8ab69df683368832485392f033809604e82addb3067c6d791588152d69175902', a.assistance_id)), 2, 1)) as bigint) - 48) % 39) * 16777216 + ((cast(ascii(substr(sha256(concat('8ab69df683368832485392f033809604e82addb3067c6d791588152d69175902', a.assistance_id)), 3, 1)) as bigint) - 48) % 39) * 1048576 + ((cast(ascii(substr(sha256(concat('8ab69df683368832485392f033809604e82addb3067c6d791588152d69175902', a.assistance_id)), 4, 1)) as bigint) - 48) % 39) * 65536 + ((cast(ascii(substr(sha256(concat('8ab69df683368832485392f033809604e82addb3067c6d791588152d69175902', a.assistance_id)), 5, 1)) as bigint) - 48) % 39) * 4096 + ((cast(ascii(substr(sha256(concat('8ab69df683368832485392f033809604e82addb3067c6d791588152d69175902', a.assistance_id)), 6, 1)) as bigint) - 48) % 39) * 256 + ((cast(ascii(substr(sha256(concat('8ab69df683368832485392f033809604e82addb3067c6d791588152d69175902', a.assistance_id)), 7, 1)) as bigint) - 48) % 39) * 16 + ((cast(ascii(substr(sha256(concat('8ab69df683368832485392f033809604e82addb3067c6d791588152d69175902', a.assistance_id)), 8, 1)) as bigint) - 48) % 39) * 1) as record_key
    from current_rows a
    left join seed_assistance_types t on t.code = a.assistance_type
)

select * from final
