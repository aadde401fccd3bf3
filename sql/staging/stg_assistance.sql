{{ config(delta='rows') }}
{% import 'macros/disclosure.sql' as d %}
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
        a.updated_at,
        -- Each assistance record's own key: counts and sums of records
        -- are perturbed by their records, not their people (docs/disclosure.md).
        {{ d.record_key('a.assistance_id') }} as record_key
    from current_rows a
    left join {{ source('seed', 'assistance_types') }} t on t.code = a.assistance_type
)

select * from final
