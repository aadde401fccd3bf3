-- severity: warn
-- Assistance whose case is not (yet) a case: orphans, excluded from indicators.
select a.assistance_id
from {{ ref('stg_assistance') }} a
left anti join {{ ref('stg_cases') }} c on c.case_id = a.case_id
