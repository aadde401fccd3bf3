{{ config(delta='rows') }}
{% import 'macros/indicators.sql' as m %}
-- Kept surveys of each period: for each returnee case, only its latest
-- survey in the period (greatest survey_date, then greatest survey_id).
-- When that survey has no score for a dimension, the case does not count
-- for it in that period: there is no fall-back to an earlier survey.
--
-- The latest survey is found on narrow rows (case, key, date) with max()
-- over `date || id` (the date as fixed-width text, so the text order is the
-- (date, id) order), then joined back to its scores: a window over the
-- placed surveys would sort every score column too (at 1 M cases that
-- took 10 s). The key is built once per survey, before the survey is
-- placed in its four periods.
with placed as (
    {{ m.periods("(select case_id, survey_date, concat(cast(survey_date as varchar), survey_id) as kept_key from " ~ ref('int_rss_scores') ~ ")", 'survey_date') }}
),

latest as (
    select
        case_id,
        period_type,
        period_day,
        max(kept_key) as kept_key
    from placed
    group by case_id, period_type, period_day
),

final as (
    select
        s.*,
        l.period_type,
        l.period_day
    from latest l
    join {{ ref('int_rss_scores') }} s on s.survey_id = substr(l.kept_key, 11)
)

select * from final
