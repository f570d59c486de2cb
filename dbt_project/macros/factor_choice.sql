{#-
    How every factor and parameter is chosen (DESIGN.md, "Factor versions"): embodied factors,
    grid intensities, lifetimes, annual energy and PUE alike. A period (an acquisition day, a
    reporting year: [starts_on, ends_on), ends_on exclusive) is computed with a row valid in it.
    Where no candidate is valid, the documented fallback is the nearest row in time (the
    earlier one on a tie), and the row says so in `factor_fallback`:
      null                   the row used is valid during the period;
      'nearest_earlier_year' the row used ended before the period (no candidate was valid);
      'nearest_later_year'   the row used starts after the period (no candidate was valid).
    Valid rows first; then the most specific (`specificity`, ascending), the factor set's
    precedence, the nearest in time (fallbacks only), the latest `valid_from`, the id.
-#}

{% macro factor_fallback(valid_from, valid_to, starts_on, ends_on) -%}
    case
        when {{ valid_to }} < {{ starts_on }} then 'nearest_earlier_year'
        when {{ valid_from }} >= {{ ends_on }} then 'nearest_later_year'
    end
{%- endmacro %}

{#- Days between the period and a row valid outside it (0 when valid). -#}
{% macro factor_distance(valid_from, valid_to, starts_on, ends_on) -%}
    case
        when {{ valid_to }} < {{ starts_on }} then {{ days_between(valid_to, starts_on) }}
        when {{ valid_from }} >= {{ ends_on }}
            then {{ days_between(ends_on, valid_from) }} + 1
        else 0
    end
{%- endmacro %}

{#- Rank candidates within each partition; rank 1 is the row used. -#}
{% macro factor_rank(
    partition_by,
    valid_from='valid_from',
    valid_to='valid_to',
    starts_on='starts_on',
    ends_on='ends_on',
    specificity=none,
    precedence='precedence',
    row_id='factor_id'
) -%}
    row_number() over (
        partition by {{ partition_by | join(', ') }}
        order by
            case
                when {{ factor_fallback(valid_from, valid_to, starts_on, ends_on) }} is null
                    then 0
                else 1
            end,
            {% if specificity %}{{ specificity }},{% endif %}
            {{ precedence }},
            {{ factor_distance(valid_from, valid_to, starts_on, ends_on) }},
            case when {{ valid_from }} >= {{ ends_on }} then 1 else 0 end,
            {{ valid_from }} desc,
            {{ row_id }}
    )
{%- endmacro %}

{#-
    A factor's range (DESIGN.md: every value carries value_min and value_max). A row whose source
    gives none (no bounds, or bounds equal to the value) gets the documented relative range of its
    match level and quality: value × (1 ∓ half_width), from the factor set's
    `relative_uncertainty` parameters (see int_relative_uncertainties_ranked).
-#}
{% macro has_source_range(value, value_min, value_max) -%}
    (
        {{ value_min }} is not null and {{ value_max }} is not null
        and not ({{ value_min }} = {{ value }} and {{ value_max }} = {{ value }})
    )
{%- endmacro %}

{% macro range_bound(bound, value, value_min, value_max, half_width) -%}
    {%- set relative_low = value ~ ' * (1 - ' ~ half_width ~ ')' -%}
    {%- set relative_high = value ~ ' * (1 + ' ~ half_width ~ ')' -%}
    case
        when {{ has_source_range(value, value_min, value_max) }}
            then {{ value_min if bound == 'min' else value_max }}
        {% if bound == 'min' -%}
            else least({{ relative_low }}, {{ relative_high }})
        {%- else -%}
            else greatest({{ relative_low }}, {{ relative_high }})
        {%- endif %}
    end
{%- endmacro %}

{#- The half-width for a factor without a range: its level's and quality's, else the fallback. -#}
{% macro relative_half_width(uncertainties) -%}
    coalesce({{ uncertainties }}.half_width, {{ var('relative_uncertainty_fallback') }})
{%- endmacro %}

{#- A factor's value and its range, as `<name>`, `<name>_min`, `<name>_max`. -#}
{% macro ranged_columns(factor, uncertainties, name='value') -%}
    {%- set half_width = relative_half_width(uncertainties) -%}
    {%- set value, low, high = factor ~ '.value', factor ~ '.value_min', factor ~ '.value_max' -%}
    {{ value }} as {{ name }},
    {{ range_bound('min', value, low, high, half_width) }} as {{ name }}_min,
    {{ range_bound('max', value, low, high, half_width) }} as {{ name }}_max
{%- endmacro %}

{#-
    One text per set of embodied candidates (an aggregate over one thing's candidate rows):
    things with the same candidates get the same text, whatever the order of their rows.
    int_embodied_factors_matched and int_footprint_gaps_listed work per such profile.
-#}
{% macro embodied_candidates_key(match_rank, factor_key) -%}
    {{ sorted_string_agg(
        "cast(" ~ match_rank ~ " as " ~ dbt.type_string() ~ ") || '=' || " ~ factor_key,
        "'|'"
    ) }}
{%- endmacro %}

{#-
    The embodied factor chosen for each thing being matched (an asset, a profile of assets, a
    new unit of a model), per stage and criterion (DESIGN.md, "Embodied impact"): of its
    candidate factor keys, a row valid on its day first, then the most specific level, then the
    factor set's precedence (`factor_rank`), with its range (`ranged_columns`). Rows a source
    states as not covered give no value. `candidates` has one row per candidate: `key`,
    `match_level`, `match_rank` (1 most specific), `factor_key` and `chosen_on` (the day the
    factor must be valid on); `factors` are the factor set's rows, `uncertainties` the relative
    ranges (int_relative_uncertainties_chosen). Gives `key`, stage, criterion, match_level,
    factor_id, factor_set, quality, flag, factor_fallback, value, value_min, value_max, unit.
-#}
{% macro embodied_factors_chosen(
    candidates, key, factors='factors', uncertainties='uncertainties'
) -%}
    select
        ranked.{{ key }},
        ranked.stage,
        ranked.criterion,
        ranked.match_level,
        ranked.factor_id,
        ranked.factor_set,
        ranked.quality,
        ranked.flag,
        ranked.factor_fallback,
        {{ ranged_columns('ranked', 'uncertainty') }},
        ranked.unit
    from (
        select
            candidate.{{ key }},
            candidate.match_level,
            factor.stage,
            factor.criterion,
            factor.factor_id,
            factor.factor_set,
            factor.quality,
            factor.flag,
            factor.value,
            factor.value_min,
            factor.value_max,
            {{ dbt.split_part('factor.unit', "'/'", 1) }} as unit,
            {{ factor_fallback('factor.valid_from', 'factor.valid_to',
                'candidate.chosen_on', add_days('candidate.chosen_on', 1)) }} as factor_fallback,
            {{ factor_rank(
                ['candidate.' ~ key, 'factor.stage', 'factor.criterion'],
                valid_from='factor.valid_from',
                valid_to='factor.valid_to',
                starts_on='candidate.chosen_on',
                ends_on=add_days('candidate.chosen_on', 1),
                specificity='candidate.match_rank',
                precedence='factor.precedence',
                row_id='factor.factor_id'
            ) }} as candidate_rank
        from {{ candidates }} as candidate
        inner join {{ factors }} as factor
            on
                candidate.match_level = factor.scope
                and candidate.factor_key = factor.factor_key
        where
            factor.stage in ('manufacturing', 'distribution', 'end_of_life')
            and factor.value is not null
    ) as ranked
    left join {{ uncertainties }} as uncertainty
        on ranked.match_level || '|' || coalesce(ranked.quality, '') = uncertainty.uncertainty_key
    where ranked.candidate_rank = 1
{%- endmacro %}
