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
                           manufacturing impact × embodied_fraction (int_embodied_shares_weighted)
      relocations          from_location, to_location (a site's sys_id or name pattern): the
                           assets of the first site count as being at the second: its country,
                           its data centre and PUE (int_hardware_assets_located)
      vehicle_switches     from_vehicle, to_vehicle, purpose, starts_on: vehicle trips by
                           from_vehicle (of that purpose, else any) from starts_on are driven
                           by to_vehicle, the transfer orders' estimated legs counting as
                           purpose `transfer` (int_vehicle_trips_measured,
                           int_transfer_order_legs_listed)
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

{#- The vehicle a trip is driven by under the scenario's `vehicle_switches`: the switched one
    (a switch naming the trip's purpose before one naming none), else its own. The nightly
    build has no switch: the expression is the vehicle itself. -#}
{% macro switched_vehicle(vehicle, purpose, on) -%}
    {%- set switches = (var('scenario') or {}).get('vehicle_switches') or [] -%}
    {%- if switches | length == 0 -%}
        {{ vehicle }}
    {%- else -%}
        {%- set ordered = switches | selectattr('purpose') | list
            + switches | rejectattr('purpose') | list -%}
    case
        {%- for switch in ordered %}
        when
            {{ vehicle }} = {{ configured_value(switch.from_vehicle, 'string', 'from_vehicle') }}
            {%- if switch.purpose %}
            and {{ purpose }} = {{ configured_value(switch.purpose, 'string', 'purpose') }}
            {%- endif %}
            {%- if switch.starts_on %}
            and {{ on }} >= {{ configured_value(switch.starts_on, 'date', 'starts_on') }}
            {%- endif %}
            then {{ configured_value(switch.to_vehicle, 'string', 'to_vehicle') }}
        {%- endfor %}
        else {{ vehicle }}
    end
    {%- endif -%}
{%- endmacro %}
