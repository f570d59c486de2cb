{#-
    GHG Protocol scope and scope 3 category of a row (documented in the marts' YAML).
    Vehicles: the organisation's own vehicle burns its fuel in scope 1 (its electricity, for an
    electric vehicle, in scope 2) and its construction per km is a capital good (scope 3,
    category 2); a carrier's or a traveller's vehicle is scope 3 in the category of the trip
    (`third_party_category`: 4 upstream transport, 6 business travel, 1 purchased services).
-#}
{% macro vehicle_ghg_scope(operator, stage, is_electric) -%}
    case
        when {{ operator }} = 'own' and {{ stage }} = 'use' and {{ is_electric }} then 2
        when {{ operator }} = 'own' and {{ stage }} = 'use' then 1
        else 3
    end
{%- endmacro %}

{% macro vehicle_ghg_category(operator, stage, third_party_category) -%}
    case
        when {{ operator }} = 'own' and {{ stage }} = 'use' then null
        when {{ operator }} = 'own' then 2
        else {{ third_party_category }}
    end
{%- endmacro %}

{#- The factor of a travel mode for a distance: the seed's band holding it. -#}
{% macro travel_mode_band(modes, travel_mode, distance_km) -%}
    {{ modes }}.travel_mode = {{ travel_mode }}
    and {{ distance_km }} >= {{ modes }}.distance_from_km
    and ({{ modes }}.distance_to_km is null or {{ distance_km }} < {{ modes }}.distance_to_km)
{%- endmacro %}

{#- The impact of an activity: its quantity (km, euros, items) × the factor row, per stage and
    criterion, with the factor's range and lineage. -#}
{% macro activity_impact(quantity, factors='factors') -%}
    {{ factors }}.stage,
    {{ factors }}.criterion,
    {{ quantity }} * {{ factors }}.value as value,
    {{ quantity }} * {{ factors }}.value_min as value_min,
    {{ quantity }} * {{ factors }}.value_max as value_max,
    {{ factors }}.unit,
    {{ factors }}.factor_id,
    {{ factors }}.factor_set,
    {{ factors }}.match_level,
    {{ factors }}.factor_flag,
    {{ factors }}.factor_fallback
{%- endmacro %}
