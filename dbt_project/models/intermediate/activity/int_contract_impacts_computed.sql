-- Maintenance and service contracts (DESIGN.md, "Agent trips and maintenance"): in a year
-- with logged interventions (technicians' trips naming the contract), those trips' km × the
-- vehicle's factor; in a year without, the year's spend × the money ratio of the contract's
-- kind. Each contract-year is attributed to the assets it covers in equal shares (a contract
-- covering none keeps its rows). Purchased services: scope 3 category 1.
with

spread as (
    select * from {{ ref('int_contract_years_spread') }}
),

trips as (
    select * from {{ ref('int_vehicle_trips_measured') }}
    where counted_as = 'contract_intervention' and distance_km is not null
),

contracts as (
    select * from {{ ref('stg_servicenow__contracts') }}
),

coverage as (
    select * from {{ ref('stg_servicenow__contract_assets') }}
),

years as (
    select * from {{ ref('int_reporting_years') }}
),

modes as (
    select * from {{ ref('travel_modes') }}
),

factors as (
    select * from {{ ref('int_activity_factors_matched') }}
),

interventions as (
    select
        trips.contract_id,
        factors.reporting_year,
        'vehicle_trip/' || trips.trip_id as emitter_id,
        {{ activity_impact('trips.distance_km') }},
        'interventions' as calculation_method,
        trips.vehicle_type as travel_mode,
        trips.to_location_id as location_id
    from trips
    inner join modes on {{ travel_mode_band('modes', 'trips.vehicle_type', 'trips.distance_km') }}
    inner join factors
        on
            factors.scope = 'vehicle'
            and modes.factor_key = factors.factor_key
            and {{ year_of('trips.trip_on') }} = factors.reporting_year
),

intervention_years as (
    select distinct
        contract_id,
        reporting_year
    from interventions
),

money as (
    select
        spread.contract_id,
        spread.reporting_year,
        spread.contract_id as emitter_id,
        {{ activity_impact('spread.year_spend') }},
        'money_ratio' as calculation_method,
        cast(null as {{ dbt.type_string() }}) as travel_mode,
        cast(null as {{ dbt.type_string() }}) as location_id
    from spread
    inner join factors
        on
            factors.scope = 'money'
            and spread.money_factor_key = factors.factor_key
            and spread.reporting_year = factors.reporting_year
    left join intervention_years
        on
            spread.contract_id = intervention_years.contract_id
            and spread.reporting_year = intervention_years.reporting_year
    where intervention_years.contract_id is null
),

impacts as (
    select * from interventions
    union all
    select * from money
),

contract_years as (
    select distinct
        contract_id,
        reporting_year
    from impacts
),

-- The assets a contract covers in a year: those added to it before the year ends.
covered as (
    select
        contract_years.contract_id,
        contract_years.reporting_year,
        coverage.asset_id,
        count(*) over (
            partition by contract_years.contract_id, contract_years.reporting_year
        ) as covered_assets
    from contract_years
    inner join years on contract_years.reporting_year = years.reporting_year
    inner join coverage
        on
            contract_years.contract_id = coverage.contract_id
            and (coverage.added_on is null or years.next_year_starts_on > coverage.added_on)
),

attributed as (
    select
        impacts.*,
        covered.asset_id,
        coalesce(covered.covered_assets, 1) as covered_assets
    from impacts
    left join covered
        on
            impacts.contract_id = covered.contract_id
            and impacts.reporting_year = covered.reporting_year
),

final as (
    select
        attributed.reporting_year,
        'contract' as source_kind,
        attributed.emitter_id
        || coalesce(':' || attributed.asset_id, '') as item_id,
        attributed.stage,
        attributed.criterion,
        attributed.value / attributed.covered_assets as value,
        attributed.value_min / attributed.covered_assets as value_min,
        attributed.value_max / attributed.covered_assets as value_max,
        attributed.unit,
        attributed.factor_id,
        attributed.factor_set,
        attributed.match_level,
        attributed.factor_flag,
        attributed.factor_fallback,
        attributed.calculation_method,
        3 as ghg_scope,
        1 as ghg_category,
        attributed.travel_mode,
        attributed.asset_id,
        attributed.contract_id,
        attributed.location_id,
        contracts.cost_center_id,
        cast(null as {{ dbt.type_string() }}) as device_category
    from attributed
    inner join contracts on attributed.contract_id = contracts.contract_id
)

select * from final
