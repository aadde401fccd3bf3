{% import 'macros/staging.sql' as s %}
-- Current version of each business.
with current_rows as (
    {{ s.current_versions(source('raw', 'businesses'), 'business_id') }}
),

final as (
    select
        business_id, project_code, lead_case_id, model, sector, started_on, members, status,
        last_monitored_on, updated_at
    from current_rows
)

select * from final
