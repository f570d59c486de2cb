-- The footprint per business service (DESIGN.md, "Allocation to services"): every row of a
-- server (its embodied share, use, transport and contracts) goes to the services depending on
-- it by their share; per user and per request follow. What no service claims (end-user
-- devices, unclaimed servers, trips...) is the explicit unallocated row, so the services and
-- the unallocated row add up to fct_footprint.
with

footprint as (
    select * from {{ ref('fct_footprint') }}
),

servers as (
    select * from {{ ref('int_service_servers_shared') }}
),

services as (
    select * from {{ ref('dim_services') }}
),

requests as (
    select * from {{ ref('int_service_requests_counted') }}
),

-- One pass over the fact table (690 million rows at L): each row goes to every service whose
-- servers include its asset, by that service's share, or whole to the unallocated row
-- (service_id null) when no service claims the asset.
claimed as (
    select
        footprint.reporting_year,
        footprint.method,
        footprint.criterion,
        footprint.unit,
        footprint.value,
        footprint.value_min,
        footprint.value_max,
        servers.service_id,
        case when servers.asset_id is null then 1 else servers.share end as share
    from footprint
    left join servers on footprint.asset_id = servers.asset_id
),

shares as (
    select
        reporting_year,
        method,
        criterion,
        unit,
        service_id,
        sum(value * share) as value,
        sum(value_min * share) as value_min,
        sum(value_max * share) as value_max
    from claimed
    group by reporting_year, method, criterion, unit, service_id
),

final as (
    select
        shares.reporting_year,
        shares.method,
        shares.criterion,
        shares.unit,
        shares.service_id,
        coalesce(services.service_name, 'Unallocated') as service_name,
        shares.service_id is null as is_unallocated,
        services.company_id,
        services.company_name,
        services.servers,
        services.users,
        coalesce(requests.requests, 0) as requests,
        shares.value,
        shares.value_min,
        shares.value_max,
        shares.value / nullif(services.users, 0) as value_per_user,
        shares.value / nullif(requests.requests, 0) as value_per_request
    from shares
    left join services on shares.service_id = services.service_id
    left join requests
        on
            shares.service_id = requests.service_id
            and shares.reporting_year = requests.reporting_year
)

select * from final
