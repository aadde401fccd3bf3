{{ config(delta='rows') }}
-- Current version of each survey interview.
with current_rows as (
    select * from {{ ref('cur_rss') }}
),

final as (
    select
        survey_id, case_id, survey_date,
        {% for i in rss_items %}{{ i.item }}, {% endfor %}
        updated_at
    from current_rows
)

select * from final
