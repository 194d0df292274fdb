"""Equipment standards of the plan (江门市应急管理“十四五”规划), as checkable minimums.

Forest-fire teams, Ch.4 §3 提升森林火灾预防能力 (seed text line 403):
- professional teams: 森林消防水罐车, 远程高压水泵, 应急指挥车, 运兵车, 装备工具车, plus
  drones for patrol/reconnaissance (配备无人机等);
- town (镇/街) teams: ≥ 2 远程高压水泵, ≥ 2000 m 配套水带, 风力灭火器, 背负式水箱;
- village (村/居) teams: ≥ 1 森林消防高压水泵 (柱塞泵), 三轮摩托车, ≥ 1000 m 水带;
- every team: personal protective equipment (阻燃服、作训鞋、防扎鞋、头盔…) for each member.
The plan sets no staffing number, so staff is checked only as "PPE for every member".

四合一 kit of town-and-above departments, Ch.4 (seed text line 421): 卫星电话、无人机、
指挥车、通讯保障系统.
"""

from __future__ import annotations

FOREST_TEAM_STANDARD: dict[str, dict[str, float]] = {
    "professional_forest_team": {
        "water_tanker": 1,
        "long_range_pump": 1,
        "command_vehicle": 1,
        "troop_carrier": 1,
        "tool_vehicle": 1,
        "drone": 1,
    },
    "town_forest_team": {
        "long_range_pump": 2,
        "hose_m": 2000,
        "wind_extinguisher": 1,
        "backpack_water_tank": 1,
    },
    "village_forest_team": {"high_pressure_pump": 1, "tricycle": 1, "hose_m": 1000},
}
KIT_4IN1 = ("satellite_phone", "drone", "command_vehicle", "comms_system")
FOUR_ONES = ("agency", "rescue_team", "platform", "warehouse")


def team_shortfalls(type_: str, staff: int, equipment: dict[str, float]) -> list[str]:
    """What a team lacks against the Ch.4 §3 standard (empty = meets it).

    An unknown team type cannot be checked and is reported as such (never a pass).
    """
    std = FOREST_TEAM_STANDARD.get(type_)
    if std is None:
        return [f"no Ch.4 §3 standard for team type {type_!r}"]
    short = [
        f"{k} {equipment.get(k, 0):g} < {v:g}" for k, v in std.items() if equipment.get(k, 0) < v
    ]
    if staff and equipment.get("ppe_sets", 0) < staff:
        short.append(f"ppe_sets {equipment.get('ppe_sets', 0):g} < staff {staff}")
    return short
