-- Every emission source beside the devices themselves, in one shape, under both accounting
-- methods (their emissions belong to the year they happen in: the same figure under both).
-- A row attributed to an asset takes the asset's town, site, cost centre and category; the
-- others take their site's town (else their cost centre's) and their own cost centre.
with

transport as (
    select * from {{ ref('int_transport_impacts_computed') }}
),

contracts as (
    select * from {{ ref('int_contract_impacts_computed') }}
),

trips as (
    select * from {{ ref('int_trip_impacts_computed') }}
),

collection as (
    select * from {{ ref('int_collection_impacts_computed') }}
),

assets as (
    select * from {{ ref('stg_servicenow__hardware_assets') }}
),

categorised as (
    select * from {{ ref('int_hardware_assets_categorised') }}
),

locations as (
    select * from {{ ref('stg_servicenow__locations') }}
),

cost_centers as (
    select * from {{ ref('stg_servicenow__cost_centers') }}
),

methods as (
    {{ accounting_methods() }}
),

impacts as (
    select * from transport
    union all
    select * from contracts
    union all
    select * from trips
    union all
    select * from collection
),

final as (
    select
        impacts.reporting_year,
        methods.method,
        impacts.source_kind,
        impacts.item_id,
        impacts.stage,
        impacts.criterion,
        impacts.value,
        impacts.value_min,
        impacts.value_max,
        impacts.unit,
        impacts.factor_id,
        impacts.factor_set,
        impacts.match_level,
        impacts.factor_flag,
        impacts.factor_fallback,
        impacts.calculation_method,
        impacts.ghg_scope,
        impacts.ghg_category,
        impacts.travel_mode,
        impacts.asset_id,
        impacts.contract_id,
        coalesce(assets.town_id, locations.company_id, cost_center_sites.company_id) as town_id,
        coalesce(assets.location_id, impacts.location_id) as location_id,
        coalesce(assets.cost_center_id, impacts.cost_center_id) as cost_center_id,
        assets.department_id,
        coalesce(categorised.device_category, impacts.device_category) as device_category,
        assets.model_id
    from impacts
    cross join methods
    left join assets on impacts.asset_id = assets.asset_id
    left join categorised on impacts.asset_id = categorised.asset_id
    left join locations on impacts.location_id = locations.location_id
    left join cost_centers on impacts.cost_center_id = cost_centers.cost_center_id
    left join locations as cost_center_sites
        on cost_centers.location_id = cost_center_sites.location_id
)

select * from final
