-- The servers each business service depends on (`cmdb_rel_ci` of type "Depends on::Used by",
-- the service the parent, the server's CI the child) and the share of the server's footprint
-- the service bears (DESIGN.md, "Allocation to services"): equal shares between the services
-- depending on a server, since a ServiceNow relationship carries no weight.
with

relationships as (
    select * from {{ ref('stg_servicenow__relationships') }}
),

relationship_types as (
    select * from {{ ref('stg_servicenow__relationship_types') }}
),

services as (
    select * from {{ ref('stg_servicenow__services') }}
),

assets as (
    select * from {{ ref('stg_servicenow__hardware_assets') }}
),

dependencies as (
    select distinct
        services.service_id,
        assets.asset_id
    from relationships
    inner join relationship_types
        on relationships.relationship_type_id = relationship_types.relationship_type_id
    inner join services on relationships.parent_configuration_item_id = services.service_id
    inner join assets on relationships.child_configuration_item_id = assets.configuration_item_id
    where relationship_types.relationship_type_name = 'Depends on::Used by'
),

final as (
    select
        service_id,
        asset_id,
        1.0 / count(*) over (partition by asset_id) as share
    from dependencies
)

select * from final
