{#- current_versions(relation, key): the current version of each record
    (data-contract.md, Versions): the loaded row with the greatest
    updated_at (null, allowed only in reference data, is the oldest); ties
    go to the later drop (byte order of drop_id), then the later pull of a
    changed file, then the later line. Quarantined rows never reach the raw
    layer, so a rejected newer row hides nothing. -#}
{% macro current_versions(relation, key) -%}
select * from (
    select
        *,
        row_number() over (
            partition by {{ key }}
            order by updated_at desc nulls last, _drop_id desc, _pulled_at desc, _line desc
        ) as version_rank
    from {{ relation }}
) ranked
where version_rank = 1
{%- endmacro %}

{#- merge_versions(previous, new, key): current_versions over every version
    ever loaded, computed from the previous result (one current row per key)
    and the rows loaded since. Keys the new rows do not touch keep their row
    as it was; for touched keys the previous winner competes with the new
    versions under the same order, so the result equals a full rebuild. -#}
{% macro merge_versions(previous, new, key) -%}
select p.* from {{ previous }} p
left anti join (select distinct {{ key }} from {{ new }}) n on p.{{ key }} = n.{{ key }}
union all
{{ current_versions("(select p.* exclude (version_rank) from " ~ previous ~ " p left semi join (select distinct " ~ key ~ " from " ~ new ~ ") n on p." ~ key ~ " = n." ~ key ~ " union all select * from " ~ new ~ ")", key) }}
{%- endmacro %}
