-- CI relationship types (`cmdb_rel_type`), e.g. "Depends on::Used by".
with

source as (
    {{ latest_versions(source('servicenow', 'cmdb_rel_type')) }}
),

renamed as (
    select
        sys_id as relationship_type_id,
        name as relationship_type_name,
        {{ sn_string('parent_descriptor') }} as parent_descriptor,
        {{ sn_string('child_descriptor') }} as child_descriptor
    from source
)

select * from renamed
