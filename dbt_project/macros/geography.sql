{#-
    Great-circle distance in km, to the metre, between two points given in decimal degrees
    (haversine, on a sphere of the Earth's mean radius, 6,371.0088 km: IUGG). Plain SQL every
    engine runs.
-#}
{% macro great_circle_km(latitude_from, longitude_from, latitude_to, longitude_to) -%}
    round(2 * 6371.0088 * asin(sqrt(
        power(sin(radians({{ latitude_to }} - {{ latitude_from }}) / 2), 2)
        + cos(radians({{ latitude_from }})) * cos(radians({{ latitude_to }}))
        * power(sin(radians({{ longitude_to }} - {{ longitude_from }}) / 2), 2)
    )), 3)
{%- endmacro %}

{#- Road distance estimated from a great-circle distance: × the road detour factor, to the metre. -#}
{% macro road_km(great_circle_km) -%}
    round({{ great_circle_km }} * {{ var('road_detour_factor') }}, 3)
{%- endmacro %}
