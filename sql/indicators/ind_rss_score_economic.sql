{% import 'macros/indicators.sql' as m %}
-- Mean economic score over the kept surveys of P that have one: for each case its
-- latest survey in P (greatest survey_date, then survey_id); no fall-back.
with placed as ({{ m.periods(ref('int_rss_scores'), 'survey_date') }}),

kept as (
    select * from (
        select
            *,
            row_number() over (partition by period_type, period, case_id order by survey_date desc, survey_id desc) as kept_rank
        from placed
    ) k
    where kept_rank = 1
)

{{ m.aggregate('rss_score_economic', 'kept', ['total', 'sex', 'age_group', 'country_of_origin'],
    'sum(score_economic)', 'count(score_economic)', having='count(score_economic) > 0') }}
