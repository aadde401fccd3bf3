-- severity: warn
-- Surveys whose case is not (yet) a case: orphans, excluded from indicators.
select r.survey_id
from {{ ref('stg_rss') }} r
left anti join {{ ref('stg_cases') }} c on c.case_id = r.case_id
