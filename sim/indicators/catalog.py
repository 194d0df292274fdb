"""The indicators of the Jiangmen plan that the engine can speak to.

Targets come from Table 2 (专栏2) of 江门市应急管理“十四五”规划 (Jan 2022) and,
for the relief-supply times, Table 1 (专栏1). See shared INDICATORS.md; the
plan's 森林火灾受害率 is written "≤1.2%/≤1%" but the national statistic is per
mille, so this engine scores it in ‰ (burned forest / forest area × 1000).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["proportion", "time", "rate", "static"]


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

    def target(self, year: int) -> float | None:
        """Target value for 2023 or 2025."""
        return self.target_2023 if year == 2023 else self.target_2025


ALL = ("forestfire", "chemical", "typhoon", "scripted")
CATALOG: dict[str, IndicatorDef] = {
    d.id: d
    for d in [
        IndicatorDef(
            "forest_fire_24h_extinguish_rate",
            "24小时森林火灾扑灭率",
            "share",
            ">=",
            0.90,
            0.95,
            "proportion",
            ("forestfire",),
            "fires extinguished within 24 h of ignition; Wilson interval over fires and runs",
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
            "burned forest ÷ 411,800 ha × 1000 per simulated year (plan prints %, national statistic is ‰)",
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
            "report → first unit on scene, incidents ≤ 12 nmi offshore; verdict on P90",
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
            "report → first unit on scene, inland-water incidents; verdict on P90",
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
            "sheltered → relief kit received, per household group; verdict on P90",
        ),
        IndicatorDef(
            "relief_supply_first_batch_city",
            "第一批市级救灾物资到达灾区时间",
            "h",
            "<=",
            5.0,
            5.0,
            "time",
            ("typhoon", "scripted"),
            "relief released → first city-depot delivery (Table 1)",
        ),
        IndicatorDef(
            "relief_supply_first_batch_county",
            "第一批县级救灾物资到达灾区时间",
            "h",
            "<=",
            4.0,
            4.0,
            "time",
            ("typhoon", "scripted"),
            "relief released → first county-depot delivery (Table 1)",
        ),
        IndicatorDef(
            "relief_supply_first_batch_town",
            "第一批镇级救灾物资到达灾区时间",
            "h",
            "<=",
            3.0,
            3.0,
            "time",
            ("typhoon", "scripted"),
            "relief released → first town-depot delivery (Table 1)",
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
            "household groups reached by the hazard that were warned before it reached them",
        ),
        IndicatorDef(
            "scene_comms_assurance",
            "灾害事故救援现场应急通信保障率",
            "share",
            ">=",
            1.0,
            1.0,
            "proportion",
            ALL,
            "incident scenes with working communications for their whole duration",
        ),
        IndicatorDef(
            "natural_disaster_deaths_per_million",
            "年均每百万人口因自然灾害死亡率",
            "per million",
            "<",
            1.2,
            1.0,
            "rate",
            ("typhoon", "forestfire"),
            "per simulated event, not an annual average",
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
            "evacuated, displaced or harmed person-times per 100,000 residents, per event",
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
            "simulated direct loss ÷ Jiangmen GDP, per event",
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
            "usable area of urban shelters in the plan ÷ urban-district population",
        ),
        IndicatorDef(
            "fulltime_firefighters_share",
            "专职消防人员占全市总人口比例",
            "%",
            ">=",
            0.40,
            0.45,
            "static",
            ALL,
            "crew of full-time fire units in the plan ÷ Jiangmen population (2020 census)",
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
            "forest-fire teams meeting the plan's Ch.4 §3 equipment standard",
        ),
        IndicatorDef(
            "lookout_coverage_key_forest",
            "重点区域林火瞭望监测覆盖率",
            "share",
            ">=",
            0.80,
            0.90,
            "static",
            ("forestfire",),
            "key forest visible from a lookout/camera within range (viewshed)",
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
            "rain gauges in the plan ÷ land area × 100",
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
        ),
    ]
}
