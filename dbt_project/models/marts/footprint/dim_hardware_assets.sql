with

assets as (
    select * from {{ ref('stg_servicenow__hardware_assets') }}
),

dates as (
    select * from {{ ref('int_hardware_assets_dated') }}
),

categorised as (
    select * from {{ ref('int_hardware_assets_categorised') }}
),

energised as (
    select * from {{ ref('int_hardware_assets_energised') }}
),

-- The level of the factor behind the manufacturing climate figure sums up an asset's match.
embodied_matches as (
    select * from {{ ref('int_embodied_factors_matched') }}
    where stage = 'manufacturing' and criterion = 'climate_change'
),

models as (
    select * from {{ ref('stg_servicenow__models') }}
),

model_categories as (
    select * from {{ ref('stg_servicenow__model_categories') }}
),

companies as (
    select * from {{ ref('stg_servicenow__companies') }}
),

locations as (
    select * from {{ ref('stg_servicenow__locations') }}
),

cost_centers as (
    select * from {{ ref('stg_servicenow__cost_centers') }}
),

departments as (
    select * from {{ ref('stg_servicenow__departments') }}
),

final as (
    select
        assets.asset_id,
        assets.asset_tag,
        assets.town_id,
        towns.company_name as town_name,
        assets.location_id,
        locations.location_name,
        energised.country_code,
        energised.has_known_country,
        assets.cost_center_id,
        cost_centers.cost_center_name,
        assets.department_id,
        departments.department_name,
        assets.model_id,
        coalesce(models.model_display_name, models.model_name) as model_name,
        manufacturers.company_name as manufacturer_name,
        model_categories.model_category_name,
        categorised.device_category,
        assets.install_status,
        assets.substatus,
        dates.acquired_on,
        dates.use_started_on,
        dates.disposed_on,
        dates.has_use_phase,
        categorised.lifetime_years,
        categorised.lifetime_months,
        {{ add_months('dates.acquired_on', 'categorised.lifetime_months') }} as window_ends_on,
        energised.annual_energy_kwh,
        energised.pue,
        coalesce(embodied_matches.match_level, 'unmapped') as match_level,
        embodied_matches.factor_id as manufacturing_factor_id
    from assets
    inner join dates on assets.asset_id = dates.asset_id
    inner join categorised on assets.asset_id = categorised.asset_id
    left join energised on assets.asset_id = energised.asset_id
    left join embodied_matches on assets.asset_id = embodied_matches.asset_id
    left join models on assets.model_id = models.model_id
    left join model_categories
        on
            coalesce(models.model_category_id, assets.model_category_id)
            = model_categories.model_category_id
    left join companies as towns on assets.town_id = towns.company_id
    left join companies as manufacturers on models.manufacturer_id = manufacturers.company_id
    left join locations on assets.location_id = locations.location_id
    left join cost_centers on assets.cost_center_id = cost_centers.cost_center_id
    left join departments on assets.department_id = departments.department_id
)

select * from final
