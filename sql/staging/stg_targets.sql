-- Current version of each target.
with ranked as (
    select
        *,
        row_number() over (
            partition by project_code, indicator_id, period, breakdown, breakdown_value
            order by updated_at desc nulls last, _drop_id desc, _pulled_at desc, _line desc
        ) as version_rank
    from {{ source('raw', 'targets') }}
),

final as (
    select project_code, indicator_id, period, breakdown, breakdown_value, baseline, target, updated_at
    from ranked
    where version_rank = 1
)

select * from final
