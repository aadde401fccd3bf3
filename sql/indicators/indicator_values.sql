-- Every indicator of the catalogue, in the shape of indicators.md.
with unioned as (
    -- The indicator models keep exact decimal sums and a support column
    -- (for delta runs); the published file has doubles.
    {% for ind in indicators %}
    select
        indicator_id, project_code, period_type, period, period_start, period_end,
        breakdown, breakdown_value,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator
    from {{ ref('ind_' ~ ind.id) }}
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
        -- The indicator models leave to_date's end open (for delta runs).
        coalesce(period_end, date '{{ as_of }}') as period_end,
        breakdown,
        breakdown_value,
        -- Rounded to 12 decimals: a mean's sum depends on the order the
        -- engine adds in, in the last bits; reruns must give the same file.
        round(numerator / coalesce(denominator, 1.0), 12) as value,
        round(numerator, 12) as numerator,
        denominator,
        date '{{ as_of }}' as as_of
    from unioned
    where denominator is null or denominator > 0
)

select * from final
