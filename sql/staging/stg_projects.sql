-- Current version of each project (reference data; updated_at may be null,
-- and null sorts as the oldest).
with ranked as (
    select
        *,
        row_number() over (
            partition by project_code
            order by updated_at desc nulls last, _drop_id desc, _pulled_at desc, _line desc
        ) as version_rank
    from {{ source('raw', 'projects') }}
),

final as (
    select
        project_code, prima_id, title, project_type, donor, start_date, end_date, status, budget_usd,
        coverage, idf_region, benefiting_countries, sdg_goals, updated_at
    from ranked
    where version_rank = 1
)

select * from final
