{% import 'macros/indicators.sql' as m %}
-- Kept surveys of each period: for each returnee case, only its latest
-- survey in the period (greatest survey_date, then greatest survey_id).
-- When that survey has no score for a dimension, the case does not count
-- for it in that period: there is no fall-back to an earlier survey.
with placed as ({{ m.periods(ref('int_rss_scores'), 'survey_date') }}),

ranked as (
    select
        *,
        row_number() over (
            partition by period_type, period, case_id
            order by survey_date desc, survey_id desc
        ) as kept_rank
    from placed
),

final as (
    select * from ranked where kept_rank = 1
)

select * from final
