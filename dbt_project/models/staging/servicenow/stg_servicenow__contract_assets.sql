-- Which assets each contract covers (`clm_m2m_contract_asset`), one row per coverage.
with

source as (
    {{ latest_versions(source('servicenow', 'clm_m2m_contract_asset')) }}
),

renamed as (
    select
        sys_id as contract_asset_id,
        {{ sn_reference('contract') }} as contract_id,
        {{ sn_reference('asset') }} as asset_id,
        {{ sn_date('added') }} as added_on
    from source
)

select * from renamed
