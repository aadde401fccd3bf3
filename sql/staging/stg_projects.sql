{{ config(materialized='incremental', unique_key='project_code') }}
{% import 'macros/staging.sql' as s %}
-- Current version of each project (reference data; updated_at may be null,
-- and null sorts as the oldest). Kept from run to run as the current-state
-- tables are: a nightly export re-sends every project, so a full build
-- would read one file per night of history; a night reads its own rows and
-- the kept rows of their keys (README, Incremental models).
with current_rows as (
{% if is_incremental() %}
    {{ s.changed_versions(this, source('new', 'projects'), 'project_code') }}
{% else %}
    {{ s.current_versions(source('raw', 'projects'), 'project_code') }}
{% endif %}
),

final as (
    select
        project_code, prima_id, title, project_type, donor, start_date, end_date, status, budget_usd,
        coverage, idf_region, benefiting_countries, sdg_goals, updated_at,
        -- What a later version is ordered against (version_order()).
        _drop_id, _pulled_at, _line
    from current_rows
)

select * from final
