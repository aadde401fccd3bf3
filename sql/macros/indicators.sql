{#- Building blocks of the indicator models (see also case_periods below).

    periods(relation, date_col): one row per record and period type (month,
    quarter, year, to_date) that its placing date falls in, up to the as-of
    date, with period, period_start and period_end.

    aggregate(id, relation, breakdowns, numerator, denominator, where, having):
    the indicator's rows, once per project and once for 'ALL' (recomputed
    over all records, never summed), one group of rows per breakdown.
    'vulnerability' counts a record once under each of its codes. -#}

{% macro periods(relation, date_col) -%}
select
    r.*,
    pt.period_type,
    case pt.period_type
        when 'month' then to_char(r.{{ date_col }}, '%Y-%m')
        when 'quarter' then concat(to_char(r.{{ date_col }}, '%Y'), '-Q', cast(cast(date_part('quarter', r.{{ date_col }}) as bigint) as varchar))
        when 'year' then to_char(r.{{ date_col }}, '%Y')
        else 'to_date'
    end as period,
    case pt.period_type
        when 'month' then cast(date_trunc('month', r.{{ date_col }}) as date)
        when 'quarter' then cast(date_trunc('quarter', r.{{ date_col }}) as date)
        when 'year' then cast(date_trunc('year', r.{{ date_col }}) as date)
    end as period_start,
    case pt.period_type
        when 'month' then cast(cast(date_trunc('month', r.{{ date_col }}) as date) + interval '1 month' - interval '1 day' as date)
        when 'quarter' then cast(cast(date_trunc('quarter', r.{{ date_col }}) as date) + interval '3 month' - interval '1 day' as date)
        when 'year' then cast(cast(date_trunc('year', r.{{ date_col }}) as date) + interval '1 year' - interval '1 day' as date)
        else date '{{ as_of }}'
    end as period_end
from {{ relation }} r
cross join (values ('month'), ('quarter'), ('year'), ('to_date')) as pt(period_type)
where r.{{ date_col }} is not null and r.{{ date_col }} <= date '{{ as_of }}'
{%- endmacro %}

{% macro aggregate(id, relation, breakdowns, numerator, denominator='null', where='true', having='true') -%}
, scoped as (
    select r.*, case when s.scope = 'all' then 'ALL' else r.project_code end as scope_project
    from {{ relation }} r
    cross join (values ('own'), ('all')) as s(scope)
    where {{ where }}
)
{% for b in breakdowns %}
{% if not loop.first %}union all{% endif %}
select
    '{{ id }}' as indicator_id,
    scope_project as project_code,
    period_type,
    period,
    period_start,
    period_end,
    '{{ b }}' as breakdown,
    cast(breakdown_value as varchar) as breakdown_value,
    cast({{ numerator }} as double) as numerator,
    cast({{ denominator }} as double) as denominator
from (
    select
        *,
        {% if b == 'total' %}'total'{% elif b == 'vulnerability' %}unnest(vulnerability_list){% else %}{{ b }}{% endif %} as breakdown_value
    from scoped
) x
group by scope_project, period_type, period, period_start, period_end, breakdown_value
having {{ having }}
{% endfor %}
{%- endmacro %}

{#- case_periods(relation, date_col): one row per case and period in which
    the case has a record of `relation` placed by `date_col`, with the case's
    project and person fields. A record's month places it in the same month,
    quarter, year and to-date as its day, so records are first reduced to
    (case, month). Person counts over these rows are plain counts. Use it in
    a materialised intermediate model: the join to the cases then happens
    once, not once per breakdown. -#}
{% macro case_periods(relation, date_col) -%}
select
    p.*,
    c.project_code,
    c.beneficiary_type,
    c.sex,
    c.age,
    c.age_group,
    c.country_of_origin,
    c.host_country,
    c.vulnerability_list,
    c.return_programme
from (
    select distinct case_id, period_type, period, period_start, period_end
    from (
        {{ periods("(select distinct case_id, cast(date_trunc('month', " ~ date_col ~ ") as date) as placing_on from " ~ relation ~ ")", 'placing_on') }}
    ) placed
) p
join {{ ref('stg_cases') }} c on c.case_id = p.case_id
{%- endmacro %}

{#- exact_sum(expr): the sum of a fractional column, the same whatever order
    the rows arrive in. Floating-point addition is not associative, and the
    row order changes with the file layout (an incremental merge lays rows
    out differently from a full rebuild), so a double sum can differ in its
    last digits from run to run. Each value is taken to 20 decimals (far
    below a double's own precision) and summed as an exact decimal. -#}
{% macro exact_sum(expr) -%}
sum(cast({{ expr }} as decimal(38, 20)))
{%- endmacro %}
