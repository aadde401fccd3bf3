-- severity: warn
-- Cases and businesses whose project is not in the projects reference data
-- (they still count, under their code, with unknown metadata).
select x.project_code
from (
    select project_code from {{ ref('stg_cases') }}
    union all
    select project_code from {{ ref('stg_businesses') }}
) x
left anti join {{ ref('stg_projects') }} p on p.project_code = x.project_code
