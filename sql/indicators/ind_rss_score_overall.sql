{{ config(delta='sum', measures=['numerator', 'denominator', 'support', 'numerator_key', 'denominator_key'], support='support') }}
{% import 'macros/indicators.sql' as m %}
-- Mean overall score over the kept surveys of P that have one.
with kept as (
    select * from {{ ref('int_rss_kept') }}
)

{{ m.aggregate('rss_score_overall', 'kept', ['total', 'sex', 'age_group', 'country_of_origin'],
    m.exact_sum('score_overall'), 'count(score_overall)',
    numerator_key='sum(case when score_overall is not null then record_key end)',
    denominator_key='sum(case when score_overall is not null then record_key end)') }}
