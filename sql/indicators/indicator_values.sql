-- Every indicator of the catalogue, in the shape of indicators.md: the
-- published columns of indicator_cells, which computes them.
select
    indicator_id,
    project_code,
    period_type,
    period,
    period_start,
    period_end,
    breakdown,
    breakdown_value,
    value,
    numerator,
    denominator,
    date '{{ as_of }}' as as_of
from {{ ref('indicator_cells') }}
