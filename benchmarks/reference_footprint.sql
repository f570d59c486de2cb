-- The reference for the transformation benchmark: fct_footprint's hardware rows computed by
-- hand, in plain DuckDB SQL, from the same lake and with the same rules as the dbt models
-- (DESIGN.md, "Methodology"; dbt_project/README.md, "The rules"), written the way one would
-- write it for speed: the latest versions read once, each factor choice made once per distinct
-- key and date rather than per asset, one write of the fact table at the end.
-- Placeholders: ${lake} (the lake folder), ${seeds} (dbt_project/seeds), ${as_of} (YYYY-MM-DD),
-- ${time_zone}. `benchmarks/transformation.py` runs it and checks it against dbt's rows.

-- ---- the current assets and their history ---------------------------------------------------
create temp table asset_versions as
select
    sys_id as asset_id,
    nullif(install_status, '') as install_status,
    nullif(substatus, '') as substatus,
    cast(nullif(sys_updated_on, '') as timestamp) as updated_at,
    _is_deleted,
    row_number() over (
        partition by sys_id
        order by sys_updated_on desc, _extracted_at desc, _batch_id desc, _row_number desc nulls last
    ) as version_rank,
    model, model_category, company, location, cost_center, department, ci,
    purchase_date, install_date, retired, sys_created_on
from read_parquet('${lake}/servicenow/alm_hardware/*.parquet', union_by_name = true);

create temp table assets as
select
    asset_id,
    nullif(model, '') as model_id,
    nullif(company, '') as town_id,
    nullif(location, '') as location_id,
    nullif(cost_center, '') as cost_center_id,
    nullif(department, '') as department_id,
    nullif(ci, '') as configuration_item_id,
    install_status,
    substatus,
    cast(nullif(purchase_date, '') as date) as purchased_on,
    cast(timezone('${time_zone}', timezone('UTC', cast(nullif(install_date, '') as timestamp))) as date)
        as installed_on,
    cast(nullif(retired, '') as date) as retired_on,
    cast(timezone('${time_zone}', timezone('UTC', cast(nullif(sys_created_on, '') as timestamp))) as date)
        as created_on,
    cast(timezone('${time_zone}', timezone('UTC', updated_at)) as date) as updated_on
from asset_versions
where version_rank = 1 and not _is_deleted;

-- Every landed status of every asset, dated locally; the rules' two status tests.
create temp table statuses as
select distinct
    asset_id,
    updated_at,
    cast(timezone('${time_zone}', timezone('UTC', updated_at)) as date) as updated_on,
    coalesce(install_status in ('1', '3'), false) as is_in_use,
    coalesce(install_status = '7', false)
    or coalesce(substatus, '') in ('disposed', 'sold', 'donated', 'vendor_credit', 'lost', 'stolen')
        as has_left_fleet,
    install_status,
    substatus
from asset_versions
where not _is_deleted;

create temp table dated as
with history as (
    select
        asset_id,
        min(case when has_left_fleet then updated_on end) as first_seen_left_on,
        bool_or(is_in_use) as was_ever_in_use
    from statuses
    group by asset_id
),
raw as (
    select
        a.asset_id,
        coalesce(a.purchased_on, a.installed_on, a.created_on) as acquired_on,
        case
            when coalesce(a.install_status = '7', false)
                or coalesce(a.substatus, '') in (
                    'disposed', 'sold', 'donated', 'vendor_credit', 'lost', 'stolen'
                )
                then coalesce(a.retired_on, h.first_seen_left_on, a.updated_on)
        end as left_fleet_on,
        a.installed_on is not null or coalesce(h.was_ever_in_use, false) as has_use_phase,
        a.installed_on
    from assets as a
    left join history as h using (asset_id)
)
select
    asset_id,
    acquired_on,
    case when left_fleet_on < acquired_on then acquired_on else left_fleet_on end as disposed_on,
    has_use_phase,
    case when has_use_phase then coalesce(installed_on, acquired_on) end as use_started_on,
    installed_on
from raw;

-- ---- category and factor keys -----------------------------------------------------------
create temp table computers as
select sys_id as computer_id, nullif(form_factor, '') as form_factor
from read_parquet('${lake}/servicenow/cmdb_ci_computer/*.parquet', union_by_name = true)
qualify
    row_number() over (
        partition by sys_id
        order by sys_updated_on desc, _extracted_at desc, _batch_id desc, _row_number desc nulls last
    ) = 1
    and not _is_deleted;

create temp table categorised as
with matched as (
    select
        a.asset_id,
        m.model_key,
        m.device_category as model_device_category,
        m.category_source as model_category_source,
        m.factor_key,
        coalesce(m.match_level, 'unmapped') as model_match_level,
        m.lifetime_key,
        f.device_category as form_factor_category
    from assets as a
    left join read_parquet('${lake}/factors/model_matches.parquet') as m on a.model_id = m.model_id
    left join computers as c on a.configuration_item_id = c.computer_id
    left join read_csv('${seeds}/computer_form_factors.csv', all_varchar = true) as f
        on lower(trim(c.form_factor)) = lower(f.form_factor)
),
decided as (
    select
        *,
        case
            when model_category_source = 'model_category' then 'model_category'
            when model_category_source in ('model_name', 'undecided')
                and form_factor_category is not null then 'form_factor'
            when model_category_source = 'model_name' then 'model_name'
            when model_device_category = 'computer' then 'default'
            when model_device_category is not null then 'model_category'
        end as category_source
    from matched
),
categories as (
    select
        *,
        case category_source
            when 'form_factor' then form_factor_category
            when 'default' then 'desktop'
            else model_device_category
        end as device_category
    from decided
)
select
    asset_id,
    model_key,
    device_category,
    case when model_match_level = 'model' then factor_key end as model_factor_key,
    case
        when category_source in ('form_factor', 'default')
            then split_part(model_key, '|', 1) || '|' || device_category
        when model_match_level = 'manufacturer_category' then factor_key
    end as manufacturer_category_key,
    lifetime_key
from categories;

-- ---- factors and parameters ---------------------------------------------------------------
create temp table factors as
select
    factor_id, factor_set, scope, key as factor_key, stage, criterion, value, value_min,
    value_max, split_part(unit, '/', 1) as unit, valid_from, valid_to, precedence, quality, flag
from read_parquet('${lake}/factors/emission_factors.parquet')
where value is not null;

create temp table parameters as
select
    parameter_id, scope, key as parameter_key, parameter, value, value_min, value_max,
    valid_from, valid_to, precedence, quality, flag
from read_parquet('${lake}/factors/parameters.parquet')
where value is not null;

create temp table half_widths as
select key as uncertainty_key, value as half_width
from read_parquet('${lake}/factors/parameters.parquet')
where parameter = 'relative_uncertainty' and scope = 'match_level' and value is not null
qualify row_number() over (partition by key order by precedence, valid_from desc, parameter_id) = 1;

-- The choice among candidates valid or not in a period [starts_on, ends_on), written out once:
-- valid first, then specificity, precedence, nearest, earlier, latest valid_from, id.
create temp macro fallback_of(valid_from, valid_to, starts_on, ends_on) as
    case
        when valid_to < starts_on then 'nearest_earlier_year'
        when valid_from >= ends_on then 'nearest_later_year'
    end;

create temp macro distance_of(valid_from, valid_to, starts_on, ends_on) as
    case
        when valid_to < starts_on then date_diff('day', valid_to, starts_on)
        when valid_from >= ends_on then date_diff('day', ends_on, valid_from) + 1
        else 0
    end;

create temp macro low_of(value, value_min, value_max, half_width) as
    case
        when value_min is not null and value_max is not null
            and not (value_min = value and value_max = value) then value_min
        else least(value * (1 - half_width), value * (1 + half_width))
    end;

create temp macro high_of(value, value_min, value_max, half_width) as
    case
        when value_min is not null and value_max is not null
            and not (value_min = value and value_max = value) then value_max
        else greatest(value * (1 - half_width), value * (1 + half_width))
    end;

-- Lifetimes, chosen once per (model key, category, acquisition day).
create temp table lifetimes as
with profiles as (
    select distinct c.lifetime_key, c.device_category, d.acquired_on
    from categorised as c
    inner join dated as d using (asset_id)
),
chosen as (
    select p.lifetime_key, p.device_category, p.acquired_on, l.value as lifetime_years
    from profiles as p
    inner join parameters as l
        on l.parameter = 'lifetime_years'
        and (
            (l.scope = 'model' and p.lifetime_key = l.parameter_key)
            or (l.scope = 'category' and p.device_category = l.parameter_key)
        )
    qualify row_number() over (
        partition by p.lifetime_key, p.device_category, p.acquired_on
        order by
            case when fallback_of(l.valid_from, l.valid_to, p.acquired_on, p.acquired_on + 1)
                is null then 0 else 1 end,
            case l.scope when 'model' then 0 else 1 end,
            l.precedence,
            distance_of(l.valid_from, l.valid_to, p.acquired_on, p.acquired_on + 1),
            case when l.valid_from >= p.acquired_on + 1 then 1 else 0 end,
            l.valid_from desc,
            l.parameter_id
    ) = 1
)
select
    c.asset_id,
    greatest(cast(round(coalesce(chosen.lifetime_years, 5) * 12) as integer), 1) as lifetime_months
from categorised as c
inner join dated as d using (asset_id)
left join chosen
    on c.lifetime_key is not distinct from chosen.lifetime_key
    and c.device_category is not distinct from chosen.device_category
    and d.acquired_on = chosen.acquired_on;

-- Embodied factors, chosen once per profile (candidate keys and acquisition day), per stage and
-- criterion.
create temp table embodied_keys as
select
    c.asset_id,
    m.configuration_key,
    c.model_factor_key,
    c.manufacturer_category_key,
    c.device_category,
    d.acquired_on
from categorised as c
inner join dated as d using (asset_id)
left join read_parquet('${lake}/factors/configuration_matches.parquet') as m using (asset_id);

create temp table embodied_profiles as
select
    row_number() over () as profile_id,
    *
from (
    select distinct
        configuration_key, model_factor_key, manufacturer_category_key, device_category,
        acquired_on
    from embodied_keys
);

create temp table asset_profiles as
select k.asset_id, p.profile_id
from embodied_keys as k
inner join embodied_profiles as p
    on k.configuration_key is not distinct from p.configuration_key
    and k.model_factor_key is not distinct from p.model_factor_key
    and k.manufacturer_category_key is not distinct from p.manufacturer_category_key
    and k.device_category is not distinct from p.device_category
    and k.acquired_on = p.acquired_on;

create temp table embodied_factors as
with candidates as (
    select p.profile_id, p.acquired_on, k.match_level, k.match_rank, k.factor_key
    from embodied_profiles as p,
        lateral (
            select 'configuration' as match_level, 1 as match_rank, p.configuration_key as factor_key
            union all select 'model', 2, p.model_factor_key
            union all select 'manufacturer_category', 3, p.manufacturer_category_key
            union all select 'category', 4, p.device_category
        ) as k
    where k.factor_key is not null
),
chosen as (
    select
        c.profile_id, c.acquired_on, c.match_level, f.stage, f.criterion, f.factor_id,
        f.factor_set, f.flag, f.unit, f.quality, f.valid_from, f.valid_to, f.value,
        f.value_min, f.value_max
    from candidates as c
    inner join factors as f
        on f.stage in ('manufacturing', 'distribution', 'end_of_life')
        and c.match_level = f.scope
        and c.factor_key = f.factor_key
    qualify row_number() over (
        partition by c.profile_id, f.stage, f.criterion
        order by
            case when fallback_of(f.valid_from, f.valid_to, c.acquired_on, c.acquired_on + 1)
                is null then 0 else 1 end,
            c.match_rank,
            f.precedence,
            distance_of(f.valid_from, f.valid_to, c.acquired_on, c.acquired_on + 1),
            case when f.valid_from >= c.acquired_on + 1 then 1 else 0 end,
            f.valid_from desc,
            f.factor_id
    ) = 1
)
select
    chosen.profile_id, chosen.stage, chosen.criterion,
    chosen.match_level, chosen.factor_id, chosen.factor_set, chosen.flag, chosen.unit,
    fallback_of(chosen.valid_from, chosen.valid_to, chosen.acquired_on, chosen.acquired_on + 1)
        as factor_fallback,
    chosen.value,
    low_of(chosen.value, chosen.value_min, chosen.value_max, coalesce(h.half_width, 0.5))
        as value_min,
    high_of(chosen.value, chosen.value_min, chosen.value_max, coalesce(h.half_width, 0.5))
        as value_max
from chosen
left join half_widths as h
    on chosen.match_level || '|' || coalesce(chosen.quality, '') = h.uncertainty_key;

-- ---- embodied shares per year and method ------------------------------------------------------
create temp table embodied_shares as
with windows as (
    select
        d.asset_id,
        d.acquired_on,
        d.disposed_on,
        cast(d.acquired_on + cast(l.lifetime_months as bigint) * interval 1 month as date)
            as window_ends_on
    from dated as d
    inner join lifetimes as l using (asset_id)
),
spans as (
    select
        *,
        date_diff('day', acquired_on, window_ends_on) as window_days,
        case
            when disposed_on < window_ends_on then year(disposed_on)
            else year(window_ends_on - 1)
        end as last_year
    from windows
),
amortised as (
    select
        asset_id,
        'amortised' as method,
        y.reporting_year,
        cast(date_diff(
            'day',
            greatest(acquired_on, make_date(y.reporting_year, 1, 1)),
            case
                when y.reporting_year = last_year then window_ends_on
                else least(window_ends_on, make_date(y.reporting_year + 1, 1, 1))
            end
        ) as double) / window_days as share
    from spans,
        lateral (
            select cast(range as integer) as reporting_year
            from range(year(acquired_on), last_year + 1)
        ) as y
)
select a.asset_id, a.method, a.reporting_year, s.stage, a.share
from amortised as a
cross join (values ('manufacturing'), ('distribution'), ('end_of_life')) as s (stage)
union all
select asset_id, 'acquisition', year(acquired_on), s.stage, 1.0
from dated
cross join (values ('manufacturing'), ('distribution')) as s (stage)
union all
select asset_id, 'acquisition', year(disposed_on), 'end_of_life', 1.0
from dated
where disposed_on is not null;

-- ---- use phase ------------------------------------------------------------------------
create temp table use_periods as
with numbered as (
    select
        asset_id, updated_on, is_in_use, has_left_fleet,
        lead(updated_on) over (partition by asset_id order by updated_at) as ends_on,
        row_number() over (partition by asset_id order by updated_at) as version_number
    from (select distinct asset_id, updated_at, updated_on, is_in_use, has_left_fleet, install_status, substatus from statuses)
),
bounds as (
    select
        asset_id,
        use_started_on,
        installed_on,
        case when disposed_on < date '${as_of}' then disposed_on else date '${as_of}' end
            as use_ended_on
    from dated
    where has_use_phase
),
periods as (
    select b.asset_id, b.use_started_on as starts_on, n.updated_on as ends_on
    from bounds as b
    inner join numbered as n on b.asset_id = n.asset_id and n.version_number = 1
    where n.is_in_use or (n.has_left_fleet and b.installed_on is not null)
    union all
    select asset_id, updated_on, ends_on
    from numbered
    where is_in_use
),
clipped as (
    select
        b.asset_id,
        greatest(p.starts_on, b.use_started_on) as starts_on,
        least(coalesce(p.ends_on, b.use_ended_on), b.use_ended_on) as ends_on
    from periods as p
    inner join bounds as b using (asset_id)
)
select * from clipped where starts_on < ends_on;

create temp table use_shares as
select
    p.asset_id,
    y.reporting_year,
    -- The whole days summed, then divided: as the model does, so the figures agree bit for bit.
    cast(sum(date_diff(
        'day',
        greatest(p.starts_on, make_date(y.reporting_year, 1, 1)),
        least(p.ends_on, make_date(y.reporting_year + 1, 1, 1))
    )) as double)
    / date_diff('day', make_date(y.reporting_year, 1, 1), make_date(y.reporting_year + 1, 1, 1))
    as year_share
from use_periods as p,
    lateral (
        select cast(range as integer) as reporting_year
        from range(year(p.starts_on), year(p.ends_on - 1) + 1)
    ) as y
group by p.asset_id, y.reporting_year;

create temp table located as
with locations as (
    select
        sys_id as location_id,
        name as location_name,
        nullif(country, '') as country,
        nullif(parent, '') as parent_location_id
    from read_parquet('${lake}/servicenow/cmn_location/*.parquet', union_by_name = true)
    qualify
        row_number() over (
            partition by sys_id
            order by sys_updated_on desc, _extracted_at desc, _batch_id desc, _row_number desc nulls last
        ) = 1
        and not _is_deleted
),
companies as (
    select sys_id as company_id, nullif(country, '') as country
    from read_parquet('${lake}/servicenow/core_company/*.parquet', union_by_name = true)
    qualify
        row_number() over (
            partition by sys_id
            order by sys_updated_on desc, _extracted_at desc, _batch_id desc, _row_number desc nulls last
        ) = 1
        and not _is_deleted
),
codes as (
    select upper(country_name) as country_key, country_code
    from read_csv('${seeds}/country_codes.csv', all_varchar = true)
),
data_centres as (
    select location_id
    from locations
    where
        location_id in (
            select parameter_key from parameters
            where parameter = 'pue' and scope = 'datacentre' and parameter_key != 'default'
        )
        or location_id in (
            '%datacenter%', '%data center%', '%datacentre%', '%data centre%', '%centre de données%'
        )
        or lower(location_name) like '%datacenter%'
        or lower(location_name) like '%data center%'
        or lower(location_name) like '%datacentre%'
        or lower(location_name) like '%data centre%'
        or lower(location_name) like '%centre de données%'
)
select
    a.asset_id,
    coalesce(lc.country_code, cc.country_code, 'FR') as country_code,
    coalesce(lc.country_code, cc.country_code) is not null as has_known_country,
    coalesce(site.location_id, parent.location_id) as data_centre_id
from assets as a
left join locations as l on a.location_id = l.location_id
left join data_centres as site on a.location_id = site.location_id
left join data_centres as parent on l.parent_location_id = parent.location_id
left join codes as lc on upper(trim(l.country)) = lc.country_key
left join companies as co on a.town_id = co.company_id
left join codes as cc on upper(trim(co.country)) = cc.country_key;

-- Annual energy, chosen once per (model key, category, year).
create temp table energy as
with profiles as (
    select distinct c.model_key, c.device_category, s.reporting_year
    from use_shares as s
    inner join categorised as c using (asset_id)
),
chosen as (
    select
        p.*,
        e.*,
        make_date(p.reporting_year, 1, 1) as starts_on,
        make_date(p.reporting_year + 1, 1, 1) as ends_on
    from profiles as p
    inner join parameters as e
        on e.parameter = 'annual_energy_kwh'
        and (
            (e.scope = 'model' and p.model_key = e.parameter_key)
            or (e.scope = 'category' and p.device_category = e.parameter_key)
        )
    qualify row_number() over (
        partition by p.model_key, p.device_category, p.reporting_year
        order by
            case when fallback_of(e.valid_from, e.valid_to, starts_on, ends_on) is null
                then 0 else 1 end,
            case e.scope when 'model' then 0 else 1 end,
            e.precedence,
            distance_of(e.valid_from, e.valid_to, starts_on, ends_on),
            case when e.valid_from >= ends_on then 1 else 0 end,
            e.valid_from desc,
            e.parameter_id
    ) = 1
)
select
    chosen.model_key, chosen.device_category, chosen.reporting_year,
    chosen.parameter_id as energy_parameter_id,
    chosen.scope as energy_match_level,
    fallback_of(chosen.valid_from, chosen.valid_to, chosen.starts_on, chosen.ends_on)
        as energy_fallback,
    chosen.flag as energy_flag,
    chosen.value as kwh,
    low_of(chosen.value, chosen.value_min, chosen.value_max, coalesce(h.half_width, 0.5))
        as kwh_min,
    high_of(chosen.value, chosen.value_min, chosen.value_max, coalesce(h.half_width, 0.5))
        as kwh_max
from chosen
left join half_widths as h on chosen.scope || '|' || coalesce(chosen.quality, '') = h.uncertainty_key;

create temp table pue as
with site_years as (
    select distinct l.data_centre_id, s.reporting_year
    from located as l
    inner join use_shares as s using (asset_id)
    where l.data_centre_id is not null
),
chosen as (
    select
        y.*, p.*,
        make_date(y.reporting_year, 1, 1) as starts_on,
        make_date(y.reporting_year + 1, 1, 1) as ends_on
    from site_years as y
    inner join parameters as p
        on p.parameter = 'pue' and p.scope = 'datacentre'
        and p.parameter_key in (y.data_centre_id, 'default')
    qualify row_number() over (
        partition by y.data_centre_id, y.reporting_year
        order by
            case when fallback_of(p.valid_from, p.valid_to, starts_on, ends_on) is null
                then 0 else 1 end,
            case when p.parameter_key = 'default' then 1 else 0 end,
            p.precedence,
            distance_of(p.valid_from, p.valid_to, starts_on, ends_on),
            case when p.valid_from >= ends_on then 1 else 0 end,
            p.valid_from desc,
            p.parameter_id
    ) = 1
)
select
    data_centre_id, reporting_year, parameter_id as pue_parameter_id,
    fallback_of(valid_from, valid_to, starts_on, ends_on) as pue_fallback,
    flag as pue_flag,
    value as pue,
    coalesce(value_min, value) as pue_min,
    coalesce(value_max, value) as pue_max
from chosen;

create temp table grid as
with countries as (select distinct country_code from located),
years as (select distinct reporting_year from use_shares),
series as (select * from factors where scope = 'grid'),
candidates as (
    select c.country_code, 'country' as match_level, s.*
    from countries as c inner join series as s on c.country_code = s.factor_key
    union all
    select c.country_code, 'region', s.*
    from countries as c inner join series as s on s.factor_key = 'EUROPE'
    where c.country_code not in (select factor_key from series)
),
chosen as (
    select
        c.*, y.reporting_year,
        make_date(y.reporting_year, 1, 1) as starts_on,
        make_date(y.reporting_year + 1, 1, 1) as ends_on
    from candidates as c cross join years as y
    qualify row_number() over (
        partition by c.country_code, y.reporting_year, c.criterion
        order by
            case when fallback_of(c.valid_from, c.valid_to, starts_on, ends_on) is null
                then 0 else 1 end,
            c.precedence,
            distance_of(c.valid_from, c.valid_to, starts_on, ends_on),
            case when c.valid_from >= ends_on then 1 else 0 end,
            c.valid_from desc,
            c.factor_id
    ) = 1
)
select
    chosen.country_code, chosen.reporting_year, chosen.criterion, chosen.match_level,
    chosen.factor_id, chosen.factor_set, chosen.flag, chosen.unit,
    fallback_of(chosen.valid_from, chosen.valid_to, chosen.starts_on, chosen.ends_on)
        as factor_fallback,
    chosen.value,
    low_of(chosen.value, chosen.value_min, chosen.value_max, coalesce(h.half_width, 0.5))
        as value_min,
    high_of(chosen.value, chosen.value_min, chosen.value_max, coalesce(h.half_width, 0.5))
        as value_max
from chosen
left join half_widths as h on 'category|' || coalesce(chosen.quality, '') = h.uncertainty_key;

-- ---- the fact table, written once -------------------------------------------------------
-- Every column of dbt's fct_footprint, in its order: the same table, not a narrower one.
create temp table dimensions as
select a.asset_id, a.town_id, a.location_id, a.cost_center_id, a.department_id, c.device_category,
    a.model_id
from assets as a
inner join categorised as c using (asset_id);

create table fct_footprint as
with embodied as (
    select
        s.reporting_year,
        s.method,
        s.asset_id,
        s.stage,
        f.criterion,
        f.value * s.share as value,
        f.value_min * s.share as value_min,
        f.value_max * s.share as value_max,
        f.unit,
        f.factor_id,
        f.factor_set,
        f.match_level,
        f.factor_fallback,
        f.flag as factor_flag,
        null::varchar as energy_parameter_id,
        null::varchar as energy_match_level,
        null::varchar as pue_parameter_id
    from embodied_shares as s
    inner join asset_profiles as p using (asset_id)
    inner join embodied_factors as f on p.profile_id = f.profile_id and s.stage = f.stage
),
use_inputs as (
    select
        s.asset_id,
        s.reporting_year,
        s.year_share,
        e.energy_parameter_id, e.energy_match_level, e.energy_fallback, e.energy_flag,
        e.kwh, e.kwh_min, e.kwh_max,
        l.country_code, l.has_known_country,
        p.pue_parameter_id, p.pue_fallback, p.pue_flag,
        coalesce(p.pue, 1.0) as pue,
        coalesce(p.pue_min, 1.0) as pue_min,
        coalesce(p.pue_max, 1.0) as pue_max
    from use_shares as s
    inner join categorised as c using (asset_id)
    inner join energy as e
        on c.model_key is not distinct from e.model_key
        and c.device_category is not distinct from e.device_category
        and s.reporting_year = e.reporting_year
    inner join located as l using (asset_id)
    left join pue as p on l.data_centre_id = p.data_centre_id and s.reporting_year = p.reporting_year
),
use_phase as (
    select
        i.reporting_year,
        m.method,
        i.asset_id,
        'use' as stage,
        g.criterion,
        i.kwh * i.pue * i.year_share * g.value as value,
        i.kwh_min * i.pue_min * i.year_share * g.value_min as value_min,
        i.kwh_max * i.pue_max * i.year_share * g.value_max as value_max,
        g.unit,
        g.factor_id,
        g.factor_set,
        case
            when g.match_level = 'region' then 'region'
            when not i.has_known_country then 'default_country'
            else 'country'
        end as match_level,
        coalesce(g.factor_fallback, i.energy_fallback, i.pue_fallback) as factor_fallback,
        coalesce(g.flag, i.energy_flag, i.pue_flag) as factor_flag,
        i.energy_parameter_id,
        i.energy_match_level,
        i.pue_parameter_id
    from use_inputs as i
    inner join grid as g on i.country_code = g.country_code and i.reporting_year = g.reporting_year
    cross join (values ('amortised'), ('acquisition')) as m (method)
),
impacts as (
    select * from embodied
    union all
    select * from use_phase
)
select
    i.reporting_year,
    i.method,
    'hardware_asset' as source_kind,
    i.asset_id as item_id,
    i.stage,
    i.criterion,
    i.value,
    i.value_min,
    i.value_max,
    i.unit,
    i.factor_id,
    i.factor_set,
    i.match_level,
    i.factor_fallback,
    i.factor_flag,
    i.energy_parameter_id,
    i.energy_match_level,
    i.pue_parameter_id,
    case when i.stage = 'use' then 'annual_energy' else 'device_factor' end as calculation_method,
    case when i.stage = 'use' then 2 else 3 end as ghg_scope,
    case i.stage when 'use' then null when 'end_of_life' then 5 else 2 end as ghg_category,
    null::varchar as travel_mode,
    i.asset_id,
    null::varchar as contract_id,
    d.town_id,
    d.location_id,
    d.cost_center_id,
    d.department_id,
    d.device_category,
    d.model_id
from impacts as i
inner join dimensions as d using (asset_id);
