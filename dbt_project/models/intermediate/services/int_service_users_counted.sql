-- The users of each business service: the active agents of the service's company, and of the
-- companies under it (a service of the metropolis serves the agents of every town).
with

services as (
    select * from {{ ref('stg_servicenow__services') }}
),

users as (
    select * from {{ ref('stg_servicenow__users') }}
    where is_active
),

companies as (
    select * from {{ ref('stg_servicenow__companies') }}
),

users_of_companies as (
    select
        users.user_id,
        users.company_id
    from users
    union all
    select
        users.user_id,
        companies.parent_company_id as company_id
    from users
    inner join companies on users.company_id = companies.company_id
    where companies.parent_company_id is not null
),

final as (
    select
        services.service_id,
        count(distinct users_of_companies.user_id) as users
    from services
    left join users_of_companies on services.company_id = users_of_companies.company_id
    group by services.service_id
)

select * from final
