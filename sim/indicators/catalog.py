"""The indicators of the Jiangmen plan that the engine can speak to.

Every row of Table 2 (专栏2, 27 rows) of 江门市应急管理“十四五”规划 (Jan 2022), the
Table 1 (专栏1) targets still in force (first relief batches 5/4/3 h, weather-warning
lead time ≥ 20 min) and the Ch.4 text target 灾害事故信息上报及时率 100 %. Rows the
engine cannot measure are kept with kind ``out_of_scope`` and a reason, so a scorecard
never silently drops a plan row. The plan's 森林火灾受害率 is written "≤1.2%/≤1%" but
the national statistic is per mille, so it is scored in ‰ (burned forest ÷ forest
area × 1000) and the row says so. Definitions: shared INDICATORS.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["proportion", "time", "rate", "static", "out_of_scope"]


@dataclass(frozen=True)
class IndicatorDef:
    """What an indicator means, its unit and its targets."""

    id: str
    wording_zh: str
    unit: str
    direction: str
    target_2023: float | None
    target_2025: float | None
    kind: Kind
    hazards: tuple[str, ...]
    note: str = ""
    seed_item: str = ""
    annual: bool = False
    needs: str = ""

    @property
    def scope(self) -> str:
        """'dynamic' (event log), 'static' (city inventory) or 'out_of_scope'."""
        if self.kind == "out_of_scope":
            return "out_of_scope"
        return "static" if self.kind == "static" else "dynamic"

    def target(self, year: int) -> float | None:
        """Target value for 2023 or 2025."""
        return self.target_2023 if year == 2023 else self.target_2025


ALL = ("forestfire", "chemical", "typhoon", "scripted")
NATURAL = ("forestfire", "typhoon")


def _oos(id_: str, zh: str, unit: str, d: str, t23, t25, item: str, reason: str) -> IndicatorDef:
    return IndicatorDef(id_, zh, unit, d, t23, t25, "out_of_scope", (), reason, seed_item=item)


_ROWS = [
    _oos(
        "work_safety_deaths",
        "生产安全事故死亡人数",
        "% change",
        "<=",
        -9.0,
        -15.0,
        "专栏2-1",
        "workplace-accident statistics (2019 baseline): outside a disaster-response simulation",
    ),
    _oos(
        "work_safety_deaths_per_gdp",
        "亿元地区生产总值生产安全事故死亡率",
        "% change",
        "<=",
        -20.0,
        -33.0,
        "专栏2-2",
        "workplace-accident statistics (2019 baseline): outside a disaster-response simulation",
    ),
    _oos(
        "industrial_deaths_per_100k_workers",
        "工矿商贸就业人员十万人生产安全事故死亡率",
        "% change",
        "<=",
        -12.0,
        -20.0,
        "专栏2-3",
        "workplace-accident statistics (2019 baseline): outside a disaster-response simulation",
    ),
    _oos(
        "road_deaths_per_10k_vehicles",
        "道路交通万车死亡率",
        "% change",
        "<=",
        -2.4,
        -4.0,
        "专栏2-4",
        "road-traffic accident statistics: outside a disaster-response simulation",
    ),
    _oos(
        "fire_deaths_per_100k",
        "十万人口火灾死亡率",
        "per 100k",
        "<",
        0.17,
        0.15,
        "专栏2-5",
        "urban/building fire statistics: no building-fire model",
    ),
    IndicatorDef(
        "direct_loss_share_of_gdp",
        "年均因灾直接经济损失占地区生产总值比例",
        "%",
        "<",
        1.3,
        1.0,
        "rate",
        ("typhoon",),
        "simulated direct loss ÷ Jiangmen GDP, per year (5-year mean in the plan)",
        seed_item="专栏2-6",
        annual=True,
        needs="a direct-loss (damage) model",
    ),
    IndicatorDef(
        "natural_disaster_deaths_per_million",
        "年均每百万人口因自然灾害死亡率",
        "per million",
        "<",
        1.2,
        1.0,
        "rate",
        ("typhoon",),
        "deaths ÷ city population (4,798,090, 2020 census) × 10⁶, per year",
        seed_item="专栏2-7",
        annual=True,
        needs="a casualty model",
    ),
    IndicatorDef(
        "affected_per_100k",
        "年均每十万人受灾人次",
        "per 100k",
        "<",
        17000,
        15000,
        "rate",
        ("typhoon", "forestfire", "chemical"),
        "evacuated, displaced or harmed person-times ÷ city population (4,798,090, "
        "2020 census) × 10⁵, per year",
        seed_item="专栏2-8",
        annual=True,
        needs="evacuation, displacement or harm",
    ),
    IndicatorDef(
        "flood_warning_issue_rate",
        "主要河流控制断面洪水预警发布率",
        "share",
        ">=",
        0.90,
        1.0,
        "proportion",
        ("typhoon",),
        "flood events at river gauges (stage passing the warning level) with a flood "
        "warning issued before them, on the scenario's stated warning rule (typhoon chain "
        "scenarios: trend forecast of the modelled stage, hydro/flood_warning.py)",
        seed_item="专栏2-9",
        needs="river gauges with a flood-warning rule (hazard.chain.hydrology.flood_warning)",
    ),
    _oos(
        "rainstorm_warning_accuracy",
        "暴雨预警准确度",
        "share",
        ">=",
        0.70,
        0.80,
        "专栏2-10",
        "forecasting skill of the meteorological service (forecast against observed rain), "
        "not response",
    ),
    IndicatorDef(
        "rain_gauges_per_100km2",
        "每百平方公里雨量（气象）站数量",
        "per 100 km²",
        ">=",
        4.0,
        5.0,
        "static",
        ALL,
        "rain/weather stations in the city inventory ÷ land area × 100",
        seed_item="专栏2-11",
    ),
    _oos(
        "storm_surge_forecast_bias",
        "台风风暴潮增水预报偏差",
        "cm",
        "<=",
        60.0,
        50.0,
        "专栏2-12",
        "forecasting skill (surge forecast against observed); a scenario may still "
        "treat forecast error as an uncertain input",
    ),
    IndicatorDef(
        "lookout_coverage_key_forest",
        "重点区域林火瞭望监测覆盖率",
        "share",
        ">=",
        0.80,
        0.90,
        "static",
        ALL,
        "key forest visible from a lookout/camera of the inventory within range "
        "(viewshed on the world DEM)",
        seed_item="专栏2-13",
    ),
    IndicatorDef(
        "forest_fire_damage_rate",
        "森林火灾受害率",
        "‰",
        "<=",
        1.2,
        1.0,
        "rate",
        ("forestfire",),
        "burned forest ÷ 411,800 ha × 1000, per year (plan prints %, the national statistic is ‰)",
        seed_item="专栏2-14",
        annual=True,
        needs="a forest-fire model",
    ),
    IndicatorDef(
        "initial_relief_time",
        "受灾群众基本生活初步救助时间",
        "h",
        "<",
        12.0,
        8.0,
        "time",
        ("typhoon", "scripted", "chemical"),
        "in need (evacuating or displaced by damage) → relief kit received, per household "
        "group; verdict on P90",
        seed_item="专栏2-15",
        needs="households in need of relief",
    ),
    IndicatorDef(
        "shelter_area_per_capita_urban",
        "城区人均应急避难场所面积",
        "m²/person",
        ">=",
        1.0,
        1.5,
        "static",
        ALL,
        "usable shelter area in urban districts (inventory) ÷ urban population",
        seed_item="专栏2-16",
    ),
    IndicatorDef(
        "warning_public_coverage",
        "灾害预警信息公众覆盖率",
        "share",
        ">=",
        0.92,
        0.95,
        "proportion",
        ALL,
        "people in groups reached by the hazard who were warned before it reached them; "
        "interval from a bootstrap over runs (people come in groups)",
        seed_item="专栏2-17",
        needs="a hazard that reaches residents",
    ),
    IndicatorDef(
        "scene_comms_assurance",
        "灾害事故救援现场应急通信保障率",
        "share",
        ">=",
        1.0,
        1.0,
        "proportion",
        ("typhoon",),
        "incident scenes whose communications worked for as long as the scene was open "
        "(losses restored before the scene closed); rule of three for 100 %",
        seed_item="专栏2-18",
        needs="a comms-failure model (public network outages)",
    ),
    IndicatorDef(
        "fulltime_firefighters_share",
        "专职消防人员占全市总人口比例",
        "‰",
        ">=",
        0.40,
        0.45,
        "static",
        ALL,
        "full-time firefighters ÷ city population, read as ‰ (the plan prints %, which "
        "would mean ~21,600 firefighters)",
        seed_item="专栏2-19",
    ),
    IndicatorDef(
        "forest_fire_team_compliance",
        "森林消防应急队伍达标率",
        "share",
        ">=",
        0.80,
        0.90,
        "static",
        ALL,
        "forest-fire teams meeting the full Ch.4 §3 equipment standard",
        seed_item="专栏2-20",
    ),
    IndicatorDef(
        "sea_arrival_time",
        "海域（12海里以内）应急处置现场到达时间",
        "h",
        "<",
        3.0,
        2.0,
        "time",
        ("typhoon", "scripted"),
        "report → first capable unit on scene, incidents ≤ 12 nmi offshore (unreached = "
        "over target); verdict on P90",
        seed_item="专栏2-21",
        needs="sea incidents",
    ),
    IndicatorDef(
        "inland_river_arrival_time",
        "内河应急处置现场到达时间",
        "h",
        "<",
        2.0,
        1.0,
        "time",
        ("typhoon", "scripted"),
        "report → first capable unit on scene, inland-water incidents; verdict on P90",
        seed_item="专栏2-22",
        needs="inland-water incidents",
    ),
    IndicatorDef(
        "forest_fire_24h_extinguish_rate",
        "24小时森林火灾扑灭率",
        "share",
        ">=",
        0.90,
        0.95,
        "proportion",
        ("forestfire",),
        "fires extinguished within 24 h of ignition; fires lit < 24 h before the run "
        "ends and not yet out are censored (left out, counted)",
        seed_item="专栏2-23",
        needs="a forest-fire model",
    ),
    IndicatorDef(
        "towns_four_ones",
        "乡镇（街道）“四个一”应急管理体系完成率",
        "share",
        ">=",
        1.0,
        1.0,
        "static",
        ALL,
        "towns with an agency, a rescue team, a response platform and a supply "
        "warehouse (plan note 9)",
        seed_item="专栏2-24",
    ),
    IndicatorDef(
        "equipment_compliance_town_up",
        "镇级以上应急管理部门装备达标率",
        "share",
        ">=",
        1.0,
        1.0,
        "static",
        ALL,
        "town-and-above departments holding the 四合一 kit: satellite phone, drone, "
        "command vehicle, comms system (Ch.4)",
        seed_item="专栏2-25",
    ),
    _oos(
        "cadre_training_rate",
        "应急管理干部专业培训率",
        "share",
        ">=",
        1.0,
        1.0,
        "专栏2-26",
        "administration (training records), not response",
    ),
    _oos(
        "enforcement_system_use_rate",
        "应急管理执法信息系统使用率",
        "share",
        ">=",
        1.0,
        1.0,
        "专栏2-27",
        "administration (IT-system use), not response",
    ),
    IndicatorDef(
        "relief_supply_first_batch_city",
        "第一批市级救灾物资到达灾区时间",
        "h",
        "<=",
        5.0,
        5.0,
        "time",
        ("typhoon", "scripted", "chemical", "forestfire"),
        "disaster onset in the area → the city's own first batch arrives there "
        "(pre-positioned before onset = 0 h); onset: typhoon = damaging wind ended at the "
        "area, chemical = release start, forest fire = ignition",
        seed_item="专栏1-relief-city",
        needs="relief deliveries from city depots",
    ),
    IndicatorDef(
        "relief_supply_first_batch_county",
        "第一批县级救灾物资到达灾区时间",
        "h",
        "<=",
        4.0,
        4.0,
        "time",
        ("typhoon", "scripted", "chemical", "forestfire"),
        "disaster onset in the area → the county's own first batch arrives there "
        "(pre-positioned before onset = 0 h); onset: typhoon = damaging wind ended at the "
        "area, chemical = release start, forest fire = ignition",
        seed_item="专栏1-relief-county",
        needs="relief deliveries from county depots",
    ),
    IndicatorDef(
        "relief_supply_first_batch_town",
        "第一批镇级救灾物资到达灾区时间",
        "h",
        "<=",
        3.0,
        3.0,
        "time",
        ("typhoon", "scripted", "chemical", "forestfire"),
        "disaster onset in the area → the town's own first batch arrives there "
        "(pre-positioned before onset = 0 h); onset: typhoon = damaging wind ended at the "
        "area, chemical = release start, forest fire = ignition",
        seed_item="专栏1-relief-town",
        needs="relief deliveries from town depots",
    ),
    IndicatorDef(
        "warning_lead_time",
        "突发灾害性天气预警提前量",
        "share",
        ">=",
        1.0,
        1.0,
        "proportion",
        ("typhoon",),
        "share of warned groups whose warning came ≥ 20 min before the hazard reached "
        "them (专栏1: 20 分钟以上; every warned area should meet it, rule of three)",
        seed_item="专栏1-warning-lead-time",
        needs="a weather hazard with warnings",
    ),
    IndicatorDef(
        "incident_report_timeliness",
        "灾害事故信息上报及时率",
        "share",
        ">=",
        1.0,
        1.0,
        "proportion",
        ALL,
        "reports of incidents (one per fire, one per chemical accident, one per call) that "
        "reached the city (town → county → city) within the scenario's deadlines; default "
        "rule 国务院令第493号 Art. 9 (county level within 1 h) and Art. 10 (each level within "
        "2 h): town hop ≤ 60 min, county hop ≤ 120 min, chain ≤ 180 min; reports still on "
        "their way at the run's end and younger than the deadline are censored; rule of "
        "three for 100 %",
        seed_item="text-report-timeliness",
        needs="incidents reported up the chain (`incident_escalated` events)",
    ),
    # Chemical-leak measures: the plan sets no numeric target (INDICATORS.md), so
    # these defaults are placeholders; a scenario sets its own via `hazard.targets`.
    IndicatorDef(
        "chem_aegl2_zone_protected_time",
        "AEGL-2区域疏散或就地避险时间",
        "h",
        "<=",
        1.0,
        1.0,
        "time",
        ("chemical",),
        "release start → group sheltered in place or at a shelter, per group ever in the "
        "AEGL-2 zone (forecast or observed); verdict on P90",
        seed_item="exercise (no plan target)",
    ),
    IndicatorDef(
        "chem_people_above_aegl2",
        "超过AEGL-2暴露人数",
        "people",
        "<=",
        0.0,
        0.0,
        "rate",
        ("chemical",),
        "people in groups whose 10/30/60-min average exposure exceeded AEGL-2, per run",
        seed_item="exercise (no plan target)",
    ),
    IndicatorDef(
        "chem_people_above_aegl3",
        "超过AEGL-3暴露人数",
        "people",
        "<=",
        0.0,
        0.0,
        "rate",
        ("chemical",),
        "people in groups whose 10/30/60-min average exposure exceeded AEGL-3, per run",
        seed_item="exercise (no plan target)",
    ),
    IndicatorDef(
        "chem_first_hazmat_arrival",
        "首支危化品救援队到场时间",
        "h",
        "<=",
        0.5,
        0.5,
        "time",
        ("chemical",),
        "leak reported → first hazmat team on scene, per leak; verdict on P90",
        seed_item="exercise (no plan target)",
    ),
    IndicatorDef(
        "chem_source_shutoff_time",
        "泄漏源切断时间",
        "h",
        "<=",
        1.5,
        1.5,
        "time",
        ("chemical",),
        "release start → source isolated by responders, per run (∞ if never isolated)",
        seed_item="exercise (no plan target)",
    ),
]
CATALOG: dict[str, IndicatorDef] = {d.id: d for d in _ROWS}

#: Why a row cannot be produced by a given hazard, where the generic "needs" text is not enough.
NOT_MODELLED: dict[tuple[str, str], str] = {
    ("natural_disaster_deaths_per_million", "forestfire"): (
        "the forest-fire model has no casualty model (no one can die in it), so 0 would be "
        "meaningless"
    ),
    ("natural_disaster_deaths_per_million", "chemical"): (
        "a chemical leak is an accident, not a natural disaster; AEGL exceedances are scored instead"
    ),
    ("direct_loss_share_of_gdp", "forestfire"): "the forest-fire model has no asset-loss model",
    ("direct_loss_share_of_gdp", "chemical"): "a chemical leak is not a natural disaster",
    ("scene_comms_assurance", "forestfire"): (
        "no comms-failure model for forest fires: nothing at a fire scene can lose comms"
    ),
    ("scene_comms_assurance", "chemical"): (
        "no comms-failure model for chemical leaks: nothing at the scene can lose comms"
    ),
    ("scene_comms_assurance", "scripted"): (
        "no comms-failure model in scripted drills: nothing at a scene can lose comms"
    ),
}


def not_modelled_reason(d: IndicatorDef, hazard: str) -> str:
    """Why hazard `hazard` cannot produce indicator `d` (one line)."""
    return NOT_MODELLED.get(
        (d.id, hazard), f"the {hazard} model cannot produce it (needs {d.needs or 'its events'})"
    )
