-- Current version of each business.
with ranked as (
    select
        *,
        row_number() over (
            partition by business_id
            order by updated_at desc, _drop_id desc, _pulled_at desc, _line desc
        ) as version_rank
    from {{ source('raw', 'businesses') }}
),

final as (
    select
        business_id, project_code, lead_case_id, model, sector, started_on, members, status,
        last_monitored_on, updated_at
    from ranked
    where version_rank = 1
)

select * from final
