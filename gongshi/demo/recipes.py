"""Realistic content for each built-in catalogue item (see :mod:`gongshi.demo.values`).

A recipe returns the values it knows; :func:`gongshi.demo.values.complete` fills the rest
from the field definitions. Corrections (a second version with a reason) are also made here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from gongshi.core.choices import UnitRole
from gongshi.demo.values import ProjectContext, complete, iso

Recipe = Callable[[ProjectContext, dt.date], dict]
RECIPES: dict[str, Recipe] = {}


def recipe(*codes: str):
    def register(function: Recipe) -> Recipe:
        for code in codes:
            RECIPES[code] = function
        return function

    return register


def build_values(ctx: ProjectContext, item, on: dt.date) -> dict:
    """Every field of ``item`` filled for the project, as of the information date ``on``."""
    make = RECIPES.get(item.code)
    if make is None and item.code.startswith("parties."):
        make = _party_recipe(item.code.removeprefix("parties."))
    partial = make(ctx, on) if make else {}
    return complete(item.fields, partial, ctx, on)


# --- 1 procedure ------------------------------------------------------------------------------


def _permit(ctx: ProjectContext, on: dt.date, authority: str, number: str) -> dict:
    return {
        "project_name": ctx.spec.name,
        "address": ctx.spec.address,
        "scale": ctx.scale,
        "structure_type": ctx.spec.structure_type,
        "contract_duration_days": str(ctx.spec.contract_duration_days),
        "issuing_authority": authority,
        "certificate_number": number,
        "issue_date": iso(on),
    }


@recipe("procedure.planning_permit")
def planning_permit(ctx: ProjectContext, on: dt.date) -> dict:
    number = f"建字第{ctx.spec.district}{on.year}{ctx.rng.randint(1, 399):05d}号"
    return _permit(ctx, on, f"{ctx.city_name}自然资源和规划局", number)


@recipe("procedure.construction_permit")
def construction_permit(ctx: ProjectContext, on: dt.date) -> dict:
    number = f"{ctx.spec.district}{on:%Y%m%d}{ctx.rng.randint(1, 9):02d}01"
    return _permit(ctx, on, f"{ctx.city_name}住房和城乡建设局", number)


@recipe("procedure.presale_permit")
def presale_permit(ctx: ProjectContext, on: dt.date) -> dict:
    number = f"{ctx.city_short[0]}预售字〔{on.year}〕第{ctx.rng.randint(12, 260):04d}号"
    return _permit(ctx, on, f"{ctx.city_name}住房和城乡建设局", number)


# --- 2 responsible parties ----------------------------------------------------------------------


def _party_recipe(role: str) -> Recipe:
    from gongshi.demo.values import QUALIFICATIONS

    def party(ctx: ProjectContext, on: dt.date) -> dict:
        company = ctx.units[role]
        leader = ctx.leaders[role]
        return {
            "unit_name": company.name,
            "credit_code": None,  # filled by the seeder from the stored organisation
            "qualification": QUALIFICATIONS[UnitRole(role)].format(
                region=company.region, serial=company.serial % 100_000
            ),
            "leader_name": leader.name,
            "leader_title": leader.title,
            "leader_certificate": leader.certificate,
            "authorisation_date": iso(on - dt.timedelta(days=2)),
            "commitment_date": iso(on),
        }

    return party


# --- 3 materials ---------------------------------------------------------------------------------

STEEL_MILLS = ["黑龙江北疆钢铁有限公司", "伊春西岭钢铁集团有限公司", "齐齐哈尔北满特钢有限公司"]
MATERIAL_ROWS: dict[str, tuple[str, list[tuple[str, str, str]]]] = {
    # code: (report kind, [(name, specification, manufacturer), ...])
    "materials.rebar": ("GJ", [
        ("热轧带肋钢筋", "HRB400E Φ8", STEEL_MILLS[0]),
        ("热轧带肋钢筋", "HRB400E Φ12", STEEL_MILLS[0]),
        ("热轧带肋钢筋", "HRB400E Φ16", STEEL_MILLS[1]),
        ("热轧带肋钢筋", "HRB400E Φ20", STEEL_MILLS[1]),
        ("热轧带肋钢筋", "HRB400E Φ25", STEEL_MILLS[2]),
        ("热轧光圆钢筋", "HPB300 Φ6", STEEL_MILLS[2]),
    ]),
    "materials.waterproofing": ("FS", [
        ("弹性体改性沥青防水卷材", "SBS Ⅱ PY PE 4mm", "黑龙江金盾防水科技有限公司"),
        ("自粘聚合物改性沥青防水卷材", "PY Ⅱ 3mm", "北方雨盾防水材料有限公司"),
        ("单组分聚氨酯防水涂料", "Ⅰ型", "北方雨盾防水材料有限公司"),
        ("聚合物水泥防水涂料", "JS Ⅱ型", "黑龙江金盾防水科技有限公司"),
    ]),
    "materials.pipes": ("GC", [
        ("PP-R 给水管", "dn25×4.2 S2.5", "黑龙江龙塑管业有限公司"),
        ("PP-R 给水管", "dn32×5.4 S2.5", "黑龙江龙塑管业有限公司"),
        ("PVC-U 排水管", "dn110×3.2", "天津北方联通管业有限公司"),
        ("PVC-U 排水管", "dn50×2.0", "天津北方联通管业有限公司"),
        ("衬塑钢管", "DN100", "沈阳东盛钢塑管业有限公司"),
    ]),
    "materials.cables": ("DL", [
        ("无卤低烟阻燃耐火电线", "WDZN-BYJ 450/750V 2.5mm²", "哈尔滨龙缆电线电缆有限公司"),
        ("无卤低烟阻燃耐火电线", "WDZN-BYJ 450/750V 4mm²", "哈尔滨龙缆电线电缆有限公司"),
        ("交联聚乙烯绝缘电力电缆", "YJV-0.6/1kV 4×35+1×16", "沈阳北方电缆有限公司"),
        ("聚氯乙烯绝缘电线", "BV 450/750V 1.5mm²", "沈阳北方电缆有限公司"),
    ]),
    "materials.doors_windows": ("MC", [
        ("断桥铝合金平开窗", "70 系列 三玻两腔 K≤1.3", "黑龙江北窗节能门窗有限公司"),
        ("塑料平开窗", "80 系列 三玻两腔 K≤1.2", "哈尔滨寒居门窗有限公司"),
        ("钢质防火门", "GFM-1021 甲级", "黑龙江安固消防门业有限公司"),
        ("入户保温防盗门", "FAM 甲级 K≤1.5", "黑龙江安固消防门业有限公司"),
    ]),
    "materials.insulation": ("BW", [
        ("模塑聚苯板（EPS）", "033 级 B1 120mm", "黑龙江保暖佳节能建材有限公司"),
        ("石墨模塑聚苯板", "032 级 B1 110mm", "黑龙江保暖佳节能建材有限公司"),
        ("岩棉板（防火隔离带）", "A 级 120mm", "哈尔滨北岩保温材料有限公司"),
        ("挤塑聚苯板（XPS）", "B1 级 80mm", "哈尔滨北岩保温材料有限公司"),
    ]),
    "materials.prefabricated": ("YZ", [
        ("预制混凝土叠合板", "DBS2-67-3620-31 C30", "哈尔滨鸿盛建筑构件有限公司"),
        ("预制混凝土楼梯", "ST-28-25 C30", "哈尔滨鸿盛建筑构件有限公司"),
        ("预制混凝土内墙板", "NQ-2128 C30", "黑龙江宇辉装配式建筑有限公司"),
    ]),
    "materials.other": ("QT", [
        ("普通硅酸盐水泥", "P·O 42.5", "黑龙江北方水泥有限公司"),
        ("蒸压加气混凝土砌块", "A3.5 B06 600×240×200", "哈尔滨冰城新型墙材有限公司"),
        ("干混砌筑砂浆", "DM M10", "哈尔滨冰城新型墙材有限公司"),
    ]),
}  # fmt: skip


def _material_rows(ctx: ProjectContext, code: str, on: dt.date) -> list[dict]:
    kind, catalogue = MATERIAL_ROWS[code]
    rows = []
    for index, (name, specification, manufacturer) in enumerate(catalogue):
        arrived = on - dt.timedelta(days=(len(catalogue) - index) * 6)
        quantity = ctx.rng.randint(12, 380)
        unit = (
            "t" if code == "materials.rebar" else ("樘" if "门" in name or "窗" in name else "批")
        )
        rows.append(
            {
                "name": name,
                "manufacturer": manufacturer,
                "specification": specification,
                "conclusion": "pass",
                "report_number": ctx.report_number(kind, arrived),
                "batch": f"{arrived:%Y-%m-%d} 进场第 {index + 1} 批",
                "quantity": f"{quantity} {unit}",
            }
        )
    return rows


def _material_recipe(code: str) -> Recipe:
    def material_list(ctx: ProjectContext, on: dt.date) -> dict:
        rows = _material_rows(ctx, code, on)
        if code == "materials.rebar" and ctx.spec.code == "YRW2QA":
            # One failed batch, sent back off site: what a regulator looks for.
            rows.append(
                {
                    **rows[2],
                    "conclusion": "fail",
                    "report_number": ctx.report_number("GJ", on),
                    "batch": f"{on:%Y-%m-%d} 进场第 7 批（屈服强度不合格，已退场）",
                    "quantity": "36 t",
                }
            )
        values = {"materials": rows}
        if code == "materials.prefabricated":
            used = ctx.spec.structure_type == "prefabricated_concrete"
            values = {"used": "yes" if used else "no", "materials": rows if used else []}
        return values

    return material_list


for _code in MATERIAL_ROWS:
    RECIPES[_code] = _material_recipe(_code)


def _concrete(ctx: ProjectContext, on: dt.date, parts: list[tuple[str, str]]) -> dict:
    plant = f"{ctx.city_short}{ctx.rng.choice(['永固', '恒基', '北方', '鑫源'])}商品混凝土有限公司"
    return {
        "evaluations": [
            {
                "part": part,
                "strength_grade": grade,
                "supplier": plant,
                "method": "statistical" if index % 2 == 0 else "non_statistical",
                "group_count": str(ctx.rng.randint(10, 48)),
                "conclusion": "pass",
                "report_number": ctx.report_number("HN", on),
            }
            for index, (part, grade) in enumerate(parts)
        ]
    }


@recipe("materials.concrete_foundation")
def concrete_foundation(ctx: ProjectContext, on: dt.date) -> dict:
    return _concrete(ctx, on, [("筏板基础", "C35"), ("基础梁", "C35"), ("地下室外墙", "C35")])


@recipe("materials.concrete_main_structure")
def concrete_main_structure(ctx: ProjectContext, on: dt.date) -> dict:
    floors = ctx.spec.layout[2]
    return _concrete(
        ctx,
        on,
        [
            (f"1～{floors // 2} 层剪力墙、柱", "C40"),
            (f"{floors // 2 + 1}～{floors} 层剪力墙、柱", "C30"),
            (f"1～{floors} 层梁、板", "C30"),
        ],
    )


FITOUT = [
    ("实木复合地板", "雪松", "1210×165×15mm", "XS-F15", "E0 级", "黑龙江哈尔滨", "卧室"),
    ("釉面瓷砖", "北瓷", "600×1200mm", "BC-6120", "优等品", "广东佛山", "客厅、厨房"),
    ("坐便器", "龙洁", "400mm 坑距", "LJ-2230", "1 级水效", "福建厦门", "卫生间"),
    ("整体橱柜", "寒木", "3.2 延米", "HM-K32", "E1 级", "黑龙江哈尔滨", "厨房"),
    ("吸油烟机", "极光", "侧吸式", "JG-CXW-228", "1 级能效", "浙江嘉兴", "厨房"),
    ("室内木门", "冰城", "2100×900mm", "BC-M09", "合格品", "黑龙江哈尔滨", "户内各房间"),
    ("内墙乳胶漆", "北辰", "18L", "BC-NQ30", "净味型", "江苏苏州", "户内墙面"),
    ("地暖分集水器", "暖域", "DN25 五路", "NY-F5", "合格品", "浙江玉环", "户内"),
]


@recipe("materials.fitout")
def fitout(ctx: ProjectContext, on: dt.date) -> dict:
    keys = ("name", "brand", "specification", "model", "grade", "origin", "location")
    return {"products": [dict(zip(keys, row, strict=True)) for row in FITOUT]}


# --- 4 acceptance --------------------------------------------------------------------------------


def _participants(ctx: ProjectContext) -> str:
    roles = [UnitRole.DEVELOPER, UnitRole.SURVEY, UnitRole.DESIGN, UnitRole.CONTRACTOR]
    roles.append(UnitRole.SUPERVISION)
    return "、".join(ctx.units[r].name for r in roles)


def _sub_project(prefix: str, notes: str) -> Recipe:
    def sub_project(ctx: ProjectContext, on: dt.date) -> dict:
        return {
            "acceptance_date": iso(on),
            "conclusion": "pass",
            "record_number": f"{ctx.units[UnitRole.SUPERVISION].abbreviation}-{prefix}-"
            f"{on.year}-{ctx.rng.randint(1, 60):03d}",
            "participants": _participants(ctx),
            "notes": notes,
        }

    return sub_project


RECIPES["acceptance.foundation"] = _sub_project(
    "DJ", "基础底板局部蜂窝麻面 3 处，已按方案修补，复查合格。"
)
RECIPES["acceptance.main_structure"] = _sub_project(
    "ZT", "个别楼板保护层厚度偏差超限，经检测单位复核满足规范要求；无其他质量问题。"
)
RECIPES["acceptance.roof"] = _sub_project("WM", "屋面蓄水试验 24 小时无渗漏。")


def household_rows(ctx: ProjectContext, on: dt.date) -> list[dict]:
    """One row per household: building, unit, room, result, date, rectification."""
    buildings, units, floors = ctx.spec.layout
    rows = []
    failures = {3, 41, 97, 160, 233, 305}  # a few households failed first time
    problems = [
        "卫生间闭水试验渗漏，已重做防水层并复验合格",
        "外窗气密性不足，已更换密封条并复验合格",
        "客厅顶板裂缝，已修补并复验合格",
        "户内地面空鼓，已返工并复验合格",
    ]
    index = 0
    for building in range(1, buildings + 1):
        day = on - dt.timedelta(days=(buildings - building) * 3 + 2)
        for unit in range(1, units + 1):
            for floor in range(1, floors + 1):
                for door in (1, 2):
                    failed = index in failures
                    rows.append(
                        {
                            "building": f"{building}号楼",
                            "unit": f"{unit}单元",
                            "room": f"{floor}{door:02d}",
                            "result": "fail" if failed else "pass",
                            "acceptance_date": iso(day),
                            "rectification": problems[index % len(problems)]
                            if failed
                            else "无需整改",
                        }
                    )
                    index += 1
    return rows


@recipe("acceptance.household_summary")
def household_summary(ctx: ProjectContext, on: dt.date) -> dict:
    return {"household_total": str(ctx.household_count), "households": household_rows(ctx, on)}


@recipe("acceptance.indoor_environment")
def indoor_environment(ctx: ProjectContext, on: dt.date) -> dict:
    limits = [  # GB 50325-2020, Class I buildings
        ("radon", "150", "Bq/m³"),
        ("formaldehyde", "0.07", "mg/m³"),
        ("ammonia", "0.15", "mg/m³"),
        ("benzene", "0.06", "mg/m³"),
        ("toluene", "0.15", "mg/m³"),
        ("xylene", "0.20", "mg/m³"),
        ("tvoc", "0.45", "mg/m³"),
    ]
    results = []
    for pollutant, limit, unit in limits:
        share = ctx.rng.randint(25, 80) / 100
        value = float(limit) * share
        results.append(
            {
                "pollutant": pollutant,
                "max_value": f"{value:.0f}" if pollutant == "radon" else f"{value:.3f}",
                "limit": limit,
                "unit_of_measure": unit,
                "conclusion": "pass",
            }
        )
    return {
        "report_number": ctx.report_number("SH", on),
        "testing_body": ctx.units[UnitRole.TESTING].name,
        "test_date": iso(on - dt.timedelta(days=6)),
        "conclusion": "pass",
        "results": results,
    }


@recipe("acceptance.unit_completion")
def unit_completion(ctx: ProjectContext, on: dt.date) -> dict:
    return {
        "unit_projects": [
            {
                "name": f"{ctx.spec.name} {building}号楼",
                "acceptance_date": iso(on - dt.timedelta(days=ctx.spec.layout[0] - building)),
                "conclusion": "pass",
                "record_number": f"DWYS-{on.year}-{ctx.spec.code}-{building:02d}",
            }
            for building in range(1, ctx.spec.layout[0] + 1)
        ]
    }


@recipe("acceptance.joint_acceptance")
def joint_acceptance(ctx: ProjectContext, on: dt.date) -> dict:
    return {
        "acceptance_date": iso(on),
        "conclusion": "passed_with_rectification",
        "rectification": "小区消防车道标识不全、2 号楼无障碍坡道扶手缺失，已于限期内整改完毕。",
        "rectified_on": iso(on + dt.timedelta(days=5)),
        "document_number": f"{ctx.city_short[0]}联验字〔{on.year}〕第{ctx.rng.randint(10, 300)}号",
    }


@recipe("acceptance.completion_filing")
def completion_filing(ctx: ProjectContext, on: dt.date) -> dict:
    return {
        "completion_date": iso(ctx.completion),
        "filing_number": f"{ctx.spec.district}{on.year}JB{ctx.rng.randint(1, 300):04d}",
        "filing_authority": f"{ctx.city_name}住房和城乡建设局",
        "filing_date": iso(on),
    }


@recipe("acceptance.fire_protection")
def fire_protection(ctx: ProjectContext, on: dt.date) -> dict:
    return {
        "document_kind": "opinion",
        "document_number": f"{ctx.city_short[0]}建消验字〔{on.year}〕第{ctx.rng.randint(10, 400):04d}号",
        "authority": f"{ctx.city_name}住房和城乡建设局",
        "issued_on": iso(on),
        "conclusion": "pass",
    }


@recipe("acceptance.structure_entity_testing")
def structure_entity_testing(ctx: ProjectContext, on: dt.date) -> dict:
    parts = [("3号楼 5 层剪力墙", "concrete_strength"), ("1号楼 8 层楼板", "floor_thickness"),
             ("2号楼 11 层梁", "rebar_cover"), ("4号楼 2 层柱", "dimension")]  # fmt: skip
    return {
        "tests": [
            {
                "part": part,
                "item": item,
                "conclusion": "pass",
                "report_number": ctx.report_number("ST", on),
                "tested_on": iso(on - dt.timedelta(days=index)),
            }
            for index, (part, item) in enumerate(parts)
        ]
    }


# --- 5 warranty, 6 other -----------------------------------------------------------------------


@recipe("warranty.service")
def warranty_service(ctx: ProjectContext, on: dt.date) -> dict:
    return {
        "department": f"{ctx.developer.name}客户服务中心",
        "contact_person": f"{ctx.leaders[UnitRole.DEVELOPER].name[0]}经理",
        "telephone": f"{ctx.developer.phone}（工作日）、400-6{ctx.rng.randint(10, 99)}-{ctx.rng.randint(1000, 9999)}（24 小时）",
        "complaint_channel": f"现场接待：{ctx.spec.address} 物业服务中心；"
        f"书面投诉：{ctx.developer.address}；微信公众号“{ctx.developer.name[:-6]}服务”在线报修。",
        "service_hours": "周一至周日 8:30—17:30；冬季供暖期 24 小时应急维修",
        "address": f"{ctx.spec.address} 3号楼底商",
    }


@recipe("warranty.liability_successor")
def liability_successor(ctx: ProjectContext, on: dt.date) -> dict:
    return {
        "arrangement": "建设单位注销或被吊销营业执照的，由其股东单位承接保修期内的质量责任，"
        "并在注销前将保修资料移交承接单位和项目所在地住房和城乡建设主管部门。",
        "successor_name": f"{ctx.developer.name.replace('有限公司', '')}控股集团有限公司",
        "successor_credit_code": None,  # filled by the seeder with a valid code
        "successor_telephone": ctx.developer.phone,
    }


@recipe("warranty.guarantee_and_manual")
def guarantee_and_manual(ctx: ProjectContext, on: dt.date) -> dict:
    periods = [("地基基础和主体结构", "设计文件规定的合理使用年限"),
               ("屋面防水、有防水要求的卫生间和外墙", "5 年"),
               ("供热与供冷系统", "2 个采暖期、供冷期"),
               ("电气管线、给排水管道、设备安装", "2 年"), ("装修工程", "2 年")]  # fmt: skip
    return {"warranty_periods": [{"scope": s, "period": p} for s, p in periods]}


@recipe("warranty.latent_defect_insurance")
def latent_defect_insurance(ctx: ProjectContext, on: dt.date) -> dict:
    starts = ctx.completion + dt.timedelta(days=365 * 2)
    return {
        "insurer": "华安北方财产保险股份有限公司黑龙江分公司",
        "policy_number": f"IDI-HLJ-{on.year}-{ctx.rng.randint(1, 99999):06d}",
        "insured_amount": f"{int(ctx.floor_area) * 2600 // 1000 * 1000}.00",
        "cover": [
            {
                "scope": "地基基础和主体结构工程",
                "starts_on": iso(starts),
                "ends_on": iso(starts + dt.timedelta(days=365 * 8)),
            },
            {
                "scope": "保温和防水工程",
                "starts_on": iso(starts),
                "ends_on": iso(starts + dt.timedelta(days=365 * 3)),
            },
        ],  # fmt: skip
    }


@recipe("other.promises")
def promises(ctx: ProjectContext, on: dt.date) -> dict:
    return {
        "has_items": "yes",
        "items": [
            {
                "subject": "冬季供暖",
                "source": "contract",
                "content": "交付后首个采暖期室内温度不低于 18℃，达不到的按日退还当期采暖费。",
                "fulfilment": "按合同履行",
            },
            {
                "subject": "外窗节能",
                "source": "promise",
                "content": "外窗采用三玻两腔节能窗，传热系数不大于 1.3 W/(㎡·K)。",
                "fulfilment": "已按承诺施工",
            },
        ],  # fmt: skip
    }


@recipe("other.penalties")
def penalties(ctx: ProjectContext, on: dt.date) -> dict:
    # Two projects disclose a penalty with the decision's scan: one in Harbin, whose regulator
    # also records it (demo.supervision), and one in Jiamusi, whose regulator has no officer.
    if ctx.spec.code not in ("DJXCJA", "YRW2QA"):
        return {"has_items": "no", "items": []}
    return {
        "has_items": "yes",
        "items": [
            {
                "decided_on": iso(on - dt.timedelta(days=20)),
                "authority": f"{ctx.city_name}住房和城乡建设局",
                "kind": "penalty",
                "unit_name": ctx.units[UnitRole.CONTRACTOR].name,
                "document_number": f"{ctx.city_name[:1]}建罚字〔{on.year}〕第{ctx.rng.randint(5, 90)}号",
                "problem": "3号楼部分楼层钢筋保护层厚度不足，未按设计要求施工。",
                "rectification": "已对相关部位进行检测鉴定并按设计单位意见加固处理，复查合格。",
                "status": "done",
            }
        ],
    }


@recipe("other.design_service_life")
def design_service_life(ctx: ProjectContext, on: dt.date) -> dict:
    return {
        "structure_years": "50",
        "waterproofing_years": "20",
        "notes": "按《建筑与市政工程防水通用规范》GB 55030-2022，屋面防水设计工作年限不低于 20 年。",
    }


@recipe("other.quality_commitment")
def quality_commitment(ctx: ProjectContext, on: dt.date) -> dict:
    return {
        "signed_on": iso(on),
        "summary": "严格执行工程建设强制性标准；不擅自变更设计；按规定开展分户验收；"
        "如实公示质量信息，接受社会监督；保修期内及时维修。",
    }


# --- corrections ------------------------------------------------------------------------------

CORRECTIONS = {
    # item code → (what the correction changes, the public reason)
    "materials.rebar": ("report_number", "检测报告编号录入错误，予以更正"),
    "materials.cables": ("manufacturer", "生产厂家名称录入有误，予以更正"),
    "materials.concrete_foundation": ("report_number", "检测报告编号录入错误，予以更正"),
    "acceptance.foundation": ("acceptance_date", "验收日期录入错误，以验收记录原件为准予以更正"),
    "procedure.planning_permit": ("certificate_number", "证书编号少录一位，予以更正"),
    "parties.supervision": ("leader_name", "总监理工程师变更，更新项目负责人及授权书、承诺书"),
    "acceptance.household_summary": ("rectification", "补录首次验收不合格住户的复验结果"),
}


def corrected(ctx: ProjectContext, item_code: str, values: dict) -> tuple[dict, str]:
    """A second version of ``values`` with one plausible change, and the public reason."""
    key, reason = CORRECTIONS[item_code]
    new = {k: (list(v) if isinstance(v, list) else v) for k, v in values.items()}
    for table_key, rows in new.items():
        if not (isinstance(rows, list) and rows and key in rows[0]):
            continue
        if key == "rectification":  # the households that failed first time get their re-check
            new[table_key] = [
                {**row, key: f"{row[key]}（{row['acceptance_date']} 后 7 日内复验合格）"}
                if row.get("result") == "fail"
                else row
                for row in rows
            ]
            return new, reason
        row = dict(rows[0])
        if key == "report_number":
            row[key] = row[key][:-1] + str((int(row[key][-1]) + 3) % 10)
        else:
            row[key] = row[key].replace("有限公司", "股份有限公司")
        new[table_key] = [row, *rows[1:]]
        return new, reason
    if key == "acceptance_date":
        day = dt.date.fromisoformat(new[key]) - dt.timedelta(days=1)
        new[key] = iso(day)
    elif key == "certificate_number":
        new[key] = new[key].replace("号", "1号")
    elif key == "leader_name":
        from gongshi.demo.values import chinese_name

        new[key] = chinese_name(ctx.rng)
    return new, reason
