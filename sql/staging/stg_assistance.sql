{{ config(delta='rows') }}
-- Current version of each assistance record (greatest updated_at, then the
-- later drop, the later pull, the later line), with its code-list fields.
with current_rows as (
    select * from {{ ref('cur_assistance') }}
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
        a.updated_at
    from current_rows a
    left join {{ source('seed', 'assistance_types') }} t on t.code = a.assistance_type
)

select * from final
