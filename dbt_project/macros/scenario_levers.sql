{#-
    Scenario levers (scenarios/README.md): what a scenario changes, as rows the models that
    compute the actual footprint join to. The var `scenario` holds them; the nightly build has
    none, so every lever gives no row and the models compute the actuals. `empreinte scenario
    run` and `empreinte what-if` build the same models with a scenario's levers into a scratch
    file: one methodology, one SQL, for the actuals and the scenarios alike.

      lifetime_extensions  device_category, years, starts_on: assets of the category still
                           amortised on starts_on (window not ended, not disposed before) are
                           amortised over their lifetime + years (int_lifetimes_matched)
      refurbished_shares   device_category, share, embodied_fraction, starts_on: that share of
                           the category acquired from starts_on is bought refurbished, its
                           manufacturing impact × embodied_fraction (int_embodied_impacts_computed)
      relocations          from_location, to_location (a site's sys_id or name pattern): the
                           assets of the first site count as being at the second: its country,
                           its data centre and PUE (int_hardware_assets_located)
-#}
{% macro scenario_lever_rows(kind) -%}
    {%- set columns = {
        'lifetime_extensions': [
            ('device_category', 'string'), ('years', 'double'), ('starts_on', 'date')
        ],
        'refurbished_shares': [
            ('device_category', 'string'), ('share', 'double'), ('embodied_fraction', 'double'),
            ('starts_on', 'date')
        ],
        'relocations': [('from_location', 'string'), ('to_location', 'string')],
    } -%}
    {%- if kind not in columns -%}
        {{ exceptions.raise_compiler_error("scenario_lever_rows: unknown lever " ~ kind) }}
    {%- endif -%}
    {{ configured_rows((var('scenario') or {}).get(kind) or [], columns[kind]) }}
{%- endmacro %}

{#- Whether a location matches a lever's site: its sys_id, or its name by a LIKE pattern. -#}
{% macro matches_site(location_id, location_name, site) -%}
    ({{ location_id }} = {{ site }} or lower({{ location_name }}) like lower({{ site }}))
{%- endmacro %}
