-- Requests for each business service per reporting year: requested items naming the service,
-- in the (local) year they were opened.
with

requests as (
    select * from {{ ref('stg_servicenow__requested_items') }}
    where service_id is not null
),

final as (
    select
        service_id,
        {{ year_of('opened_on') }} as reporting_year,
        count(*) as requests
    from requests
    group by service_id, {{ year_of('opened_on') }}
)

select * from final
