-- What disclosure control needs of each indicator_values cell
-- (docs/disclosure.md): the exact numerator and denominator, how many
-- records are behind the cell (support), and the sums of the record keys
-- of the numerator's and the denominator's contributors, from which the
-- cell keys come. Internal, like indicator_values: only the disclosure
-- stage reads it, and nothing of it is published.
with unioned as (
    {% for ind in indicators %}
    select
        indicator_id, project_code, period, breakdown, breakdown_value,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator,
        support, numerator_key, denominator_key
    from {{ ref('ind_' ~ ind.id) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select *
    from unioned
    -- The same rows as indicator_values.
    where denominator is null or denominator > 0
)

select * from final
