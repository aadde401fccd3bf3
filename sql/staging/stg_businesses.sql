{{ config(delta='rows') }}
{% import 'macros/disclosure.sql' as d %}
-- Current version of each business.
with current_rows as (
    select * from {{ ref('cur_businesses') }}
),

final as (
    select
        business_id, project_code, lead_case_id, model, sector, started_on, members, status,
        last_monitored_on, updated_at,
        -- The business's record key (docs/disclosure.md).
        {{ d.record_key('business_id') }} as record_key
    from current_rows
)

select * from final
