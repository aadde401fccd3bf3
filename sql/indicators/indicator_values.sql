-- Every indicator of the catalogue, in the shape of indicators.md.
with unioned as (
    {% for ind in indicators %}
    select * from {{ ref('ind_' ~ ind.id) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select
        indicator_id,
        project_code,
        period_type,
        period,
        period_start,
        period_end,
        breakdown,
        breakdown_value,
        numerator / coalesce(denominator, 1.0) as value,
        numerator,
        denominator,
        date '{{ as_of }}' as as_of
    from unioned
    where denominator is null or denominator > 0
)

select * from final
