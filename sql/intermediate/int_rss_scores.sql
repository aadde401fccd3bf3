{{ config(delta='rows') }}
-- Survey scores of current returnee cases' interviews up to the as-of date.
-- Item score (a - 1) / 4; dimension score the weighted mean of answered
-- items, null when fewer than half are answered; overall the weighted mean
-- of the dimensions, null when any is null. Weights come from the
-- configuration (rss_items, rss_dimensions).
with surveys as (
    select
        r.*,
        c.case_key,
        -- A kept survey counts its case: the case's record key.
        c.record_key,
        c.project_code,
        c.sex,
        c.age_group,
        c.country_of_origin,
        c.host_country,
        c.vulnerability_list
    from {{ ref('stg_rss') }} r
    join {{ ref('stg_cases') }} c on c.case_id = r.case_id
    where c.beneficiary_type = 'returnee' and r.survey_date <= date '{{ as_of }}'
),

scored as (
    select
        *,
        {% for d in rss_dimensions %}
        {% set items = rss_items | selectattr('dimension', 'equalto', d.dimension) | list %}
        case
            when 2 * ({% for i in items %}(case when {{ i.item }} is null then 0 else 1 end){% if not loop.last %} + {% endif %}{% endfor %}) < {{ items | length }}
            then null
            else ({% for i in items %}coalesce({{ i.weight }} * (cast({{ i.item }} as double) - 1) / 4, 0){% if not loop.last %} + {% endif %}{% endfor %})
                / ({% for i in items %}(case when {{ i.item }} is null then 0 else {{ i.weight }} end){% if not loop.last %} + {% endif %}{% endfor %})
        end as score_{{ d.dimension }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from surveys
),

final as (
    select
        *,
        case
            when {% for d in rss_dimensions %}score_{{ d.dimension }} is null{% if not loop.last %} or {% endif %}{% endfor %} then null
            else ({% for d in rss_dimensions %}{{ d.weight }} * score_{{ d.dimension }}{% if not loop.last %} + {% endif %}{% endfor %})
                / ({% for d in rss_dimensions %}{{ d.weight }}{% if not loop.last %} + {% endif %}{% endfor %})
        end as score_overall
    from scored
)

select * from final
