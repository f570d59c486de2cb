-- CI relationships (`cmdb_rel_ci`): the parent depends on the child (a service on a server).
with

source as (
    {{ latest_versions(source('servicenow', 'cmdb_rel_ci')) }}
),

renamed as (
    select
        sys_id as relationship_id,
        {{ sn_reference('parent') }} as parent_configuration_item_id,
        {{ sn_reference('child') }} as child_configuration_item_id,
        {{ sn_reference('type') }} as relationship_type_id
    from source
)

select * from renamed
