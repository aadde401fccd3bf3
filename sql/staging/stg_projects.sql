{% import 'macros/staging.sql' as s %}
-- Current version of each project (reference data; updated_at may be null,
-- and null sorts as the oldest).
with current_rows as (
    {{ s.current_versions(source('raw', 'projects'), 'project_code') }}
),

final as (
    select
        project_code, prima_id, title, project_type, donor, start_date, end_date, status, budget_usd,
        coverage, idf_region, benefiting_countries, sdg_goals, updated_at
    from current_rows
)

select * from final
