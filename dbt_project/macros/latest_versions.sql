{#
    The current state of a landed table: the latest version of each record, delete markers
    dropped. Batches are landed at least once, so a record may appear in many batches; the
    latest `sys_updated_on` wins, then the latest extraction, then the latest batch, then the
    last row of the batch (`_row_number`, the row's place in the file or in what the instance
    returned), so two versions never tie (`connectors/lake.py` applies the same order). A
    delete marker carries the deletion time as its cursor, so it wins over every earlier
    version of its record.
#}
{% macro latest_versions(relation, key='sys_id', cursor='sys_updated_on') %}
    select versions.*
    from (
        select
            landed.*,
            row_number() over (
                partition by landed.{{ key }}
                order by
                    landed.{{ cursor }} desc,
                    landed._extracted_at desc,
                    landed._batch_id desc,
                    landed._row_number desc nulls last
            ) as version_rank
        from {{ relation }} as landed
    ) as versions
    where versions.version_rank = 1 and not versions._is_deleted
{% endmacro %}
