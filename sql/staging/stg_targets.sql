{% import 'macros/staging.sql' as s %}
-- Current version of each target.
with current_rows as (
    {{ s.current_versions(source('raw', 'targets'), 'project_code, indicator_id, period, breakdown, breakdown_value') }}
),

final as (
    select project_code, indicator_id, period, breakdown, breakdown_value, baseline, target, updated_at
    from current_rows
)

select * from final
