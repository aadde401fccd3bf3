{{ config(delta='sum', measures=['numerator', 'denominator', 'support', 'numerator_key', 'denominator_key'], support='support') }}
{% import 'macros/indicators.sql' as m %}
-- Mean psychosocial score over the kept surveys of P that have one.
with kept as (
    select * from {{ ref('int_rss_kept') }}
)

{{ m.aggregate('rss_score_psychosocial', 'kept', ['total', 'sex', 'age_group', 'country_of_origin'],
    m.exact_sum('score_psychosocial'), 'count(score_psychosocial)',
    numerator_key='sum(case when score_psychosocial is not null then record_key end)',
    denominator_key='sum(case when score_psychosocial is not null then record_key end)') }}
