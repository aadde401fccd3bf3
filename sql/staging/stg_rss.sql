-- Current version of each survey interview.
with ranked as (
    select
        *,
        row_number() over (
            partition by survey_id
            order by updated_at desc, _drop_id desc, _pulled_at desc, _line desc
        ) as version_rank
    from {{ source('raw', 'rss') }}
),

final as (
    select
        survey_id, case_id, survey_date,
        {% for i in rss_items %}{{ i.item }}, {% endfor %}
        updated_at
    from ranked
    where version_rank = 1
)

select * from final
