{#- Record keys for disclosure control (docs/disclosure.md).

    record_key(expr): a number in [0, 2^32) for each record, the same every
    night for the same id, that no one can compute without the secret key:
    the first 32 bits of SHA-256 over the run's record-key salt (derived in
    Rust from HOMEWARD_PSEUDONYM_KEY, never the key itself) and the record's
    id (for a case, its pseudonym). A cell's key is the sum of its
    contributors' record keys modulo 2^32, over 2^32: the indicator models
    keep that sum (numerator_key, denominator_key) as an exact integer, so a
    delta run can add and subtract it like any other measure.

    The hex digits are read with ascii(): (ascii(c) - 48) % 39 is the value
    of a lower-case hex digit ('0' is 48, 'a' is 97). -#}
{% macro record_key(expr) -%}
{%- set hex = "encode(sha256(concat('" ~ record_key_salt ~ "', " ~ expr ~ ")), 'hex')" -%}
({% for i in range(8) %}((cast(ascii(substr({{ hex }}, {{ i + 1 }}, 1)) as bigint) - 48) % 39) * {{ 16 ** (7 - i) }}{% if not loop.last %} + {% endif %}{% endfor %})
{%- endmacro %}
