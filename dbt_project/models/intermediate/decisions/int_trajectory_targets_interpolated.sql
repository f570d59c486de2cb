-- The target path per criterion and year, from the baseline year to 2050, as a share of the
-- baseline year's footprint (DESIGN.md, "Trajectory"; var `trajectory_targets`):
--   milestones:             straight lines between (baseline year, 1) and each milestone
--                           (year, share); after the last milestone the target stays there;
--                           milestones on or before the baseline year are not used;
--   yearly_reduction_rate:  (1 - rate) ^ (year - baseline year).
-- Each year names the source of the milestone it heads to (the rate's, for a rate).
{%- set milestones = [] -%}
{%- set rates = [] -%}
{%- for target in var('trajectory_targets') or [] -%}
    {%- for milestone in target.get('milestones') or [] -%}
        {%- do milestones.append(dict(milestone, criterion=target['criterion'])) -%}
    {%- endfor -%}
    {%- if target.get('yearly_reduction_rate') is not none -%}
        {%- do rates.append(target) -%}
    {%- endif -%}
{%- endfor %}
with

years as (
    select reporting_year from {{ ref('int_reporting_years') }}
    where reporting_year between {{ var('baseline_year') }} and 2050
),

milestones as (
    {{ configured_rows(milestones, [
        ('criterion', 'string'), ('year', 'integer'), ('share_of_baseline', 'double'),
        ('source', 'string'), ('source_url', 'string'), ('source_year', 'integer')
    ]) }}
),

rates as (
    {{ configured_rows(rates, [
        ('criterion', 'string'), ('yearly_reduction_rate', 'double'),
        ('source', 'string'), ('source_url', 'string'), ('source_year', 'integer')
    ]) }}
),

-- The baseline year is the first point of every path.
points as (
    select distinct
        criterion,
        {{ var('baseline_year') }} as point_year,
        1.0 as share_of_baseline
    from milestones
    union all
    select
        criterion,
        year as point_year,
        share_of_baseline
    from milestones
    where year > {{ var('baseline_year') }}
),

-- For each year, the point on or before it and the next point after it.
bounded as (
    select
        years.reporting_year,
        points.criterion,
        max(case when points.point_year <= years.reporting_year then points.point_year end)
            as previous_year,
        min(case when points.point_year > years.reporting_year then points.point_year end)
            as next_year
    from years
    cross join points
    group by years.reporting_year, points.criterion
),

interpolated as (
    select
        bounded.reporting_year,
        bounded.criterion,
        case
            when bounded.next_year is null then previous_points.share_of_baseline
            else
                previous_points.share_of_baseline
                + (next_points.share_of_baseline - previous_points.share_of_baseline)
                * (bounded.reporting_year - bounded.previous_year)
                / (bounded.next_year - bounded.previous_year)
        end as target_share_of_baseline,
        coalesce(bounded.next_year, bounded.previous_year) as milestone_year
    from bounded
    inner join points as previous_points
        on
            bounded.criterion = previous_points.criterion
            and bounded.previous_year = previous_points.point_year
    left join points as next_points
        on
            bounded.criterion = next_points.criterion
            and bounded.next_year = next_points.point_year
),

final as (
    select
        interpolated.reporting_year,
        interpolated.criterion,
        cast(interpolated.target_share_of_baseline as {{ type_double() }})
            as target_share_of_baseline,
        milestones.source as target_source,
        milestones.source_url as target_source_url,
        milestones.source_year as target_source_year
    from interpolated
    left join milestones
        on
            interpolated.criterion = milestones.criterion
            and interpolated.milestone_year = milestones.year
    union all
    select
        years.reporting_year,
        rates.criterion,
        cast(
            power(
                1 - rates.yearly_reduction_rate,
                years.reporting_year - {{ var('baseline_year') }}
            )
            as {{ type_double() }}
        ) as target_share_of_baseline,
        rates.source as target_source,
        rates.source_url as target_source_url,
        rates.source_year as target_source_year
    from years
    cross join rates
)

select * from final
