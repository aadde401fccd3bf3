{#- version_order(): the order of versions of one record, newest first
    (data-contract.md, Versions): the greatest updated_at (null, allowed
    only in reference data, is the oldest); ties go to the later drop (byte
    order of drop_id), then the later pull of a changed file, then the later
    line. -#}
{% macro version_order() -%}
updated_at desc nulls last, _drop_id desc, _pulled_at desc, _line desc
{%- endmacro %}

{#- current_versions(relation, key, ranked): the current version of each record:
    the first in version_order(). Quarantined rows never reach the raw
    layer, so a rejected newer row hides nothing. For a one-column key the
    rows are put in one order (key, then version_order()) and a row is kept
    when the row before it has another key: at 1 M cases this took
    `cur_assistance` from 8.9 s to ≈ 2.5 s against row_number() over a
    window per key (DataFusion pays per window partition, here 4 M of one
    or two rows each). Keys are never null (data-contract.md). With
    `ranked`, a one-column key is ranked per key too (see
    changed_versions()). -#}
{% macro current_versions(relation, key, ranked=false) -%}
{%- if ',' in key or ranked -%}
select * from (
    select
        *,
        row_number() over (partition by {{ key }} order by {{ version_order() }}) as version_rank
    from {{ relation }}
) ranked
where version_rank = 1
{%- else -%}
select * exclude (previous_key), 1 as version_rank from (
    select *, lag({{ key }}) over (order by {{ key }}, {{ version_order() }}) as previous_key
    from {{ relation }}
) ordered
where previous_key is distinct from {{ key }}
{%- endif %}
{%- endmacro %}

{#- one_key(columns): one string column for a key of several string
    columns, since an incremental model's `unique_key` is one column. Each
    part is prefixed by its length, so two different keys never give the
    same string, whatever characters they hold. Key columns are never null
    (data-contract.md: a reference row without its key is rejected). -#}
{% macro one_key(columns) -%}
concat(
    {%- for c in columns %}{% if not loop.first %}, {% endif %}character_length({{ c }}), ':', {{ c }}{% endfor -%}
)
{%- endmacro %}

{#- changed_versions(previous, new, key): for an incremental model with
    unique_key=key, the rows that replace those of their key in `previous`
    (one current row per key): the current version among the rows loaded
    since (`new`) of each key whose current version is now one of them.
    A key whose previous current version still comes first keeps its row,
    so previous with these rows in place equals current_versions over every
    version ever loaded. Only the key and the ordering columns of
    `previous` are read, and only for the new rows' keys. -#}
{% macro changed_versions(previous, new, key) -%}
select t.* from (
{{ current_versions(new, key) }}
) t
left anti join (
    {#- The keys whose current version is still the kept one: the first
        version of each key among the two, found as current_versions finds
        it (row_number() per key took 64 of a night's 70 ms here). Not on
        Ballista: there the sort and lag over this union gave other keys
        than the local engine (tests/ballista.rs,
        a_scheduler_and_two_executors_give_the_local_engines_values_on_s3),
        so there the contest ranks each key's versions. #}
    {%- set contest -%}
    (
        select p.{{ key }}, p.updated_at, p._drop_id, p._pulled_at, p._line, false as from_new
        from {{ previous }} p
        left semi join (select distinct {{ key }} from {{ new }}) n on p.{{ key }} = n.{{ key }}
        union all
        select {{ key }}, updated_at, _drop_id, _pulled_at, _line, true as from_new
        from {{ new }}
    ) contest
    {%- endset %}
    select {{ key }} from (
{{ current_versions(contest, key, ranked=(engine == 'ballista')) }}
    ) first_versions
    where not from_new
) kept on t.{{ key }} = kept.{{ key }}
{%- endmacro %}

{#- age_group(years): the age group of an age in completed years, from the
    groups of seeds/age_groups.csv (the `age_groups` global), the one place
    they are defined (indicators.md, `age_group`). An age outside every
    group's bounds, or none, is the group without bounds (`unknown`). The
    last bounded group takes the ages up to its upper bound. -#}
{% macro age_group(years) -%}
{%- set bounded = age_groups | selectattr("min_age", "ne", none) | list -%}
{%- set unknown = age_groups | selectattr("min_age", "none") | first -%}
case
            when {{ years }} is null or {{ years }} < {{ bounded[0].min_age }} or {{ years }} > {{ bounded[-1].max_age }} then '{{ unknown.age_group }}'
{%- for g in bounded[:-1] %}
            when {{ years }} < {{ g.max_age + 1 }} then '{{ g.age_group }}'
{%- endfor %}
            else '{{ bounded[-1].age_group }}'
        end
{%- endmacro %}
