-- Every cell of every indicator of the catalogue: the columns of
-- indicator_values (which selects them from here), and what disclosure
-- control needs of each cell (docs/disclosure.md): how many records are
-- behind it (support), and the sums of the record keys of the numerator's
-- and the denominator's contributors, from which the cell keys come.
-- Internal: only indicator_values and the report stage read it, and
-- nothing of it is published but through the disclosure stage. One table,
-- so the report reads each cell once, without joining two tables of the
-- same rows.
with unioned as (
    -- The indicator models keep exact decimal sums and a support column
    -- (for delta runs); the published file has doubles.
    {% for ind in indicators %}
    select
        indicator_id, project_code, period_type, period, period_start, period_end,
        breakdown, breakdown_value,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator,
        support, numerator_key, denominator_key
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
        support,
        numerator_key,
        denominator_key
    from unioned
    where denominator is null or denominator > 0
)

select * from final
