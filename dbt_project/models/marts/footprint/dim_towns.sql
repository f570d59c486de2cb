-- The towns items belong to (`core_company` records: the metropolis's member towns, and any
-- company an asset is assigned to), for names in reports.
with

companies as (
    select * from {{ ref('stg_servicenow__companies') }}
),

assets as (
    select distinct town_id from {{ ref('stg_servicenow__hardware_assets') }}
),

final as (
    select
        companies.company_id as town_id,
        companies.company_name as town_name,
        companies.city,
        companies.country,
        companies.parent_company_id
    from companies
    where
        companies.is_customer
        or companies.company_id in (select assets.town_id from assets)
)

select * from final
