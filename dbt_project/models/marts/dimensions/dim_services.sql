-- Every business service with its town, status, the servers it depends on and its users.
with

services as (
    select * from {{ ref('stg_servicenow__services') }}
),

companies as (
    select * from {{ ref('stg_servicenow__companies') }}
),

servers as (
    select * from {{ ref('int_service_servers_shared') }}
),

users as (
    select * from {{ ref('int_service_users_counted') }}
),

server_counts as (
    select
        service_id,
        count(*) as servers
    from servers
    group by service_id
),

final as (
    select
        services.service_id,
        services.service_name,
        services.parent_service_id,
        services.company_id,
        companies.company_name,
        services.operational_status,
        services.business_criticality,
        services.used_for,
        coalesce(server_counts.servers, 0) as servers,
        coalesce(users.users, 0) as users
    from services
    left join companies on services.company_id = companies.company_id
    left join server_counts on services.service_id = server_counts.service_id
    left join users on services.service_id = users.service_id
)

select * from final
