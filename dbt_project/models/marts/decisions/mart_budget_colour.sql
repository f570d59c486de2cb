-- IT budgets coloured by their footprint (DESIGN.md, "Budget colour"): per cost centre,
-- year, status, expense type and budget line, the spend, the kgCO2e it causes, kgCO2e per
-- euro and a colour band (var `budget_colour_bands`).
--   spent    expense lines (`fm_expense_line`): a line paying for a record the footprint knows
--            (its `source_id`: a hardware asset or a contract) carries that record's footprint
--            (climate change, amortised, over all years): a device's embodied impact (not its
--            use) shared between the device's lines by amount; a contract's footprint (money
--            ratio or interventions) per euro of the spend it was computed from
--            (int_contract_years_spread) × the line's amount, so a payment carries the
--            contract's intensity whatever part of the contract is paid yet. The budget line is
--            what it buys (the device category, the contract kind), else `untraced` (no
--            kgCO2e). A contract not counted (a lease, a warranty: the equipment's own rows
--            carry it) has no kgCO2e;
--   planned  requested items still in flight (var `requests_in_flight_stages`): quantity ×
--            the catalogue price, and quantity × what ordering one causes
--            (mart_catalogue_item_impact): a hardware item's embodied impact (budget line: its
--            device category), a service item's yearly share per user (budget line `service`),
--            in the year they were requested.
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

contracts as (
    select * from {{ ref('dim_contracts') }}
),

-- The spend each counted contract's footprint was computed from, over the reporting years.
contract_spend as (
    select
        contract_id,
        sum(year_spend) as counted_spend
    from {{ ref('int_contract_years_spread') }}
    group by contract_id
),

requests as (
    select * from {{ ref('stg_servicenow__requested_items') }}
    where stage in (
        {%- for stage in var('requests_in_flight_stages') %}
            '{{ stage }}'{{ "," if not loop.last }}
        {%- endfor %}
    )
),

-- One row per catalogue item: the organisation's country first (a hardware item's embodied
-- impact and a service item's share do not depend on it).
catalogue as (
    select
        *,
        row_number() over (
            partition by catalogue_item_id order by is_default_country desc, country_code asc
        ) as country_rank
    from {{ ref('mart_catalogue_item_impact') }}
    where criterion = 'climate_change'
),

colour_bands as (
    {{ configured_rows(
        bands, [('colour', 'string'), ('below', 'double'), ('position', 'integer')]
    ) }}
),

-- What each record an expense line pays for causes, over all its years: an asset's rows, a
-- contract's (shared between the assets it covers).
caused as (
    select
        case when source_kind = 'contract' then contract_id else item_id end as record_id,
        sum(value) as kgco2e
    from footprint
    where source_kind in ('hardware_asset', 'contract')
    group by case when source_kind = 'contract' then contract_id else item_id end
),

lines as (
    select
        expense_lines.*,
        caused.kgco2e as record_kgco2e,
        coalesce(
            contract_spend.counted_spend,
            sum(expense_lines.amount) over (partition by expense_lines.source_record_id)
        ) as record_amount,
        coalesce(assets.device_category, contracts.contract_kind) as record_line
    from expense_lines
    left join caused on expense_lines.source_record_id = caused.record_id
    left join assets on expense_lines.source_record_id = assets.asset_id
    left join contracts on expense_lines.source_record_id = contracts.contract_id
    left join contract_spend on expense_lines.source_record_id = contract_spend.contract_id
),

spent as (
    select
        cost_center_id,
        {{ year_of('spent_on') }} as reporting_year,
        'spent' as status,
        summary_type as expense_type,
        coalesce(
            record_line, case when record_kgco2e is null then 'untraced' else 'other' end
        ) as budget_line,
        cast(amount as {{ type_double() }}) as spend,
        case when record_kgco2e is not null then cast(amount as {{ type_double() }}) end
            as traced_spend,
        record_kgco2e * cast(amount as {{ type_double() }})
        / nullif(cast(record_amount as {{ type_double() }}), 0) as kgco2e
    from lines
),

planned as (
    select
        requests.cost_center_id,
        {{ year_of('requests.opened_on') }} as reporting_year,
        'planned' as status,
        case when catalogue.model_id is null then 'opex' else 'capex' end as expense_type,
        coalesce(catalogue.device_category, 'service') as budget_line,
        requests.quantity * catalogue.price as spend,
        requests.quantity * catalogue.price as traced_spend,
        requests.quantity * coalesce(catalogue.embodied, catalogue.impact_per_year) as kgco2e
    from requests
    inner join catalogue
        on
            requests.catalogue_item_id = catalogue.catalogue_item_id
            and catalogue.country_rank = 1
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
