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

-- Counted per company first: joining every service to every user of its company is services
-- × users rows (billions at ten times the metropolis, where most services are the metropolis's).
users_per_company as (
    select
        company_id,
        count(distinct user_id) as users
    from users_of_companies
    group by company_id
),

final as (
    select
        services.service_id,
        coalesce(users_per_company.users, 0) as users
    from services
    left join users_per_company on services.company_id = users_per_company.company_id
)

select * from final
