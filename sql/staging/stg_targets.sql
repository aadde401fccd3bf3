{{ config(materialized='incremental', unique_key='target_key') }}
{% import 'macros/staging.sql' as s %}
-- Current version of each target, kept from run to run as stg_projects is.
-- Its key has five columns; `target_key` is them as one.
{% set key = s.one_key(['project_code', 'indicator_id', 'period', 'breakdown', 'breakdown_value']) %}
with keyed as (
    select *, {{ key }} as target_key
    {% if is_incremental() %}
    from {{ source('new', 'targets') }}
    {% else %}
    from {{ source('raw', 'targets') }}
    {% endif %}
),

current_rows as (
{% if is_incremental() %}
    {{ s.changed_versions(this, 'keyed', 'target_key') }}
{% else %}
    {{ s.current_versions('keyed', 'target_key') }}
{% endif %}
),

final as (
    select
        project_code, indicator_id, period, breakdown, breakdown_value, baseline, target, updated_at,
        target_key,
        -- What a later version is ordered against (version_order()).
        _drop_id, _pulled_at, _line
    from current_rows
)

select * from final
