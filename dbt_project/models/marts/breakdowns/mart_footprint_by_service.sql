-- The footprint per business service (DESIGN.md, "Allocation to services"), shared between the
-- services in int_service_footprint_allocated, with each service's users and requests and the
-- impact per user and per request. The row with no service is the explicit unallocated row.
with

allocated as (
    select * from {{ ref('int_service_footprint_allocated') }}
),

services as (
    select * from {{ ref('dim_services') }}
),

requests as (
    select * from {{ ref('int_service_requests_counted') }}
),

final as (
    select
        allocated.reporting_year,
        allocated.method,
        allocated.criterion,
        allocated.unit,
        allocated.service_id,
        coalesce(services.service_name, 'Unallocated') as service_name,
        allocated.service_id is null as is_unallocated,
        services.company_id,
        services.company_name,
        services.servers,
        services.users,
        coalesce(requests.requests, 0) as requests,
        allocated.value,
        allocated.value_min,
        allocated.value_max,
        allocated.value / nullif(services.users, 0) as value_per_user,
        allocated.value / nullif(requests.requests, 0) as value_per_request
    from allocated
    left join services on allocated.service_id = services.service_id
    left join requests
        on
            allocated.service_id = requests.service_id
            and allocated.reporting_year = requests.reporting_year
)

select * from final
