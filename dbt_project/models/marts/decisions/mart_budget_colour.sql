-- IT budgets coloured by their footprint (DESIGN.md, "Budget colour"): per cost centre,
-- year, status, expense type and budget line, the spend, the kgCO2e it causes, kgCO2e per
-- euro and a colour band (var `budget_colour_bands`).
--   spent    expense lines (`fm_expense_line`): a line paying for a record the footprint knows
--            (its `source_id`: a hardware asset) carries that record's footprint (climate
--            change, amortised over all years; a device's embodied impact, not its use)
--            shared between the record's lines by amount; the budget line is what it buys
--            (the device category), else `untraced` (no kgCO2e);
--   planned  requested items still in flight (var `requests_in_flight_stages`): quantity ×
--            the catalogue price, and quantity × the embodied impact of a new unit of the
--            item's model (as mart_catalogue_item_impact), in the year they were requested.
-- kgCO2e per euro is over the traced spend; the colour is the first band whose `below` the
-- intensity is under (the last band has none).
{%- set bands = [] -%}
{%- for band in var('budget_colour_bands') or [] -%}
    {%- do bands.append(dict(band, position=loop.index)) -%}
{%- endfor %}
with

expense_lines as (
    select * from {{ ref('stg_servicenow__expense_lines') }}
),

footprint as (
    select * from {{ ref('fct_footprint') }}
    where
        criterion = 'climate_change'
        and method = 'amortised'
        and not (source_kind = 'hardware_asset' and stage = 'use')
),

assets as (
    select * from {{ ref('dim_hardware_assets') }}
),

cost_centers as (
    select * from {{ ref('dim_cost_centers') }}
),

requests as (
    select * from {{ ref('stg_servicenow__requested_items') }}
    where stage in (
        {%- for stage in var('requests_in_flight_stages') %}
            '{{ stage }}'{{ "," if not loop.last }}
        {%- endfor %}
    )
),

items as (
    select * from {{ ref('stg_servicenow__catalogue_items') }}
),

unit_parameters as (
    select * from {{ ref('int_model_parameters_matched') }}
),

unit_factors as (
    select * from {{ ref('int_model_embodied_factors_matched') }}
    where criterion = 'climate_change'
),

colour_bands as (
    {{ configured_rows(bands, [('colour', 'string'), ('below', 'double'), ('position', 'integer')]) }}
),

-- What each record an expense line pays for causes, over all its years.
caused as (
    select
        item_id,
        sum(value) as kgco2e
    from footprint
    group by item_id
),

lines as (
    select
        expense_lines.*,
        caused.kgco2e as record_kgco2e,
        sum(expense_lines.amount) over (partition by expense_lines.source_record_id)
            as record_amount,
        assets.device_category
    from expense_lines
    left join caused on expense_lines.source_record_id = caused.item_id
    left join assets on expense_lines.source_record_id = assets.asset_id
),

spent as (
    select
        cost_center_id,
        {{ year_of('spent_on') }} as reporting_year,
        'spent' as status,
        summary_type as expense_type,
        case when record_kgco2e is null then 'untraced' else coalesce(device_category, 'other') end
            as budget_line,
        cast(amount as {{ type_double() }}) as spend,
        case when record_kgco2e is not null then cast(amount as {{ type_double() }}) end
            as traced_spend,
        record_kgco2e * cast(amount as {{ type_double() }})
        / nullif(cast(record_amount as {{ type_double() }}), 0) as kgco2e
    from lines
),

unit_embodied as (
    select
        model_id,
        sum(value) as kgco2e
    from unit_factors
    group by model_id
),

planned as (
    select
        requests.cost_center_id,
        {{ year_of('requests.opened_on') }} as reporting_year,
        'planned' as status,
        'capex' as expense_type,
        unit_parameters.device_category as budget_line,
        requests.quantity * cast(items.price as {{ type_double() }}) as spend,
        requests.quantity * cast(items.price as {{ type_double() }}) as traced_spend,
        requests.quantity * unit_embodied.kgco2e as kgco2e
    from requests
    inner join items on requests.catalogue_item_id = items.catalogue_item_id
    inner join unit_parameters on items.model_id = unit_parameters.model_id
    inner join unit_embodied on items.model_id = unit_embodied.model_id
),

budgets as (
    select
        cost_center_id,
        reporting_year,
        status,
        expense_type,
        budget_line,
        count(*) as lines,
        sum(spend) as spend,
        sum(traced_spend) as traced_spend,
        sum(kgco2e) as kgco2e
    from (
        select * from spent
        union all
        select * from planned
    ) as spending
    group by cost_center_id, reporting_year, status, expense_type, budget_line
),

intensities as (
    select
        *,
        kgco2e / nullif(traced_spend, 0) as kgco2e_per_euro
    from budgets
),

coloured as (
    select
        intensities.cost_center_id,
        intensities.reporting_year,
        intensities.status,
        intensities.expense_type,
        intensities.budget_line,
        min(colour_bands.position) as band_position
    from intensities
    inner join colour_bands
        on colour_bands.below is null or intensities.kgco2e_per_euro < colour_bands.below
    group by
        intensities.cost_center_id,
        intensities.reporting_year,
        intensities.status,
        intensities.expense_type,
        intensities.budget_line
),

final as (
    select
        intensities.cost_center_id,
        cost_centers.cost_center_name,
        intensities.reporting_year,
        intensities.status,
        intensities.expense_type,
        intensities.budget_line,
        intensities.lines,
        intensities.spend,
        intensities.traced_spend,
        intensities.kgco2e,
        intensities.kgco2e_per_euro,
        case when intensities.kgco2e_per_euro is not null then colour_bands.colour end
            as colour
    from intensities
    left join coloured
        on
            intensities.cost_center_id is not distinct from coloured.cost_center_id
            and intensities.reporting_year = coloured.reporting_year
            and intensities.status = coloured.status
            and intensities.expense_type is not distinct from coloured.expense_type
            and intensities.budget_line = coloured.budget_line
    left join colour_bands on coloured.band_position = colour_bands.position
    left join cost_centers on intensities.cost_center_id = cost_centers.cost_center_id
)

select * from final
