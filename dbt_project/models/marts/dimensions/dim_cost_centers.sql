-- Every cost centre with its name, code and town (the town of its site).
with

cost_centers as (
    select * from {{ ref('stg_servicenow__cost_centers') }}
),

locations as (
    select * from {{ ref('stg_servicenow__locations') }}
),

companies as (
    select * from {{ ref('stg_servicenow__companies') }}
),

final as (
    select
        cost_centers.cost_center_id,
        cost_centers.cost_center_name,
        cost_centers.cost_center_code,
        cost_centers.parent_cost_center_id,
        cost_centers.location_id,
        locations.company_id as town_id,
        towns.company_name as town_name,
        cost_centers.valid_from,
        cost_centers.valid_to
    from cost_centers
    left join locations on cost_centers.location_id = locations.location_id
    left join companies as towns on locations.company_id = towns.company_id
)

select * from final
