"""The demo world: Heilongjiang housing authorities, fictional companies, projects and people.

Plain data. Every company, project and person here is invented; names follow the patterns
of real ones so the demo reads like the real thing. Serial numbers are fixed, so credit codes
(and therefore the seed) are the same on every machine.
"""

from __future__ import annotations

from dataclasses import dataclass

from gongshi.core.choices import DeliveryStandard, HousingType, Stage, UnitRole

DEMO_PASSWORD = "gongshi-demo"

# City code → (short name used in company names, English name)
CITIES = {
    "230100": ("哈尔滨", "Harbin"),
    "230200": ("齐齐哈尔", "Qiqihar"),
    "230600": ("大庆", "Daqing"),
    "230800": ("佳木斯", "Jiamusi"),
    "231000": ("牡丹江", "Mudanjiang"),
    "231200": ("绥化", "Suihua"),
    "230300": ("鸡西", "Jixi"),
    "230400": ("鹤岗", "Hegang"),
    "230500": ("双鸭山", "Shuangyashan"),
    "230700": ("伊春", "Yichun"),
    "230900": ("七台河", "Qitaihe"),
    "231100": ("黑河", "Heihe"),
    "232700": ("大兴安岭", "Da Hinggan Ling"),
}


@dataclass(frozen=True)
class Company:
    """A demo organisation. ``key`` names it in this module; ``serial`` fixes its credit code."""

    key: str
    name: str
    kind: str
    region: str
    serial: int
    address: str
    phone: str
    # Short code used in this company's document and report numbers (e.g. "HJY").
    abbreviation: str = ""


REGULATORS = [
    Company(
        "hlj", "黑龙江省住房和城乡建设厅", "regulator", "230000", 23_000_001,
        "哈尔滨市南岗区汉水路 52 号", "0451-82305588",
    ),
    Company(
        "hrb_gov", "哈尔滨市住房和城乡建设局", "regulator", "230100", 23_000_011,
        "哈尔滨市南岗区长江路 368 号", "0451-86758121",
    ),
    Company(
        "qqhr_gov", "齐齐哈尔市住房和城乡建设局", "regulator", "230200", 23_000_021,
        "齐齐哈尔市龙沙区卜奎大街 89 号", "0452-2727651",
    ),
    Company(
        "dq_gov", "大庆市住房和城乡建设局", "regulator", "230600", 23_000_061,
        "大庆市萨尔图区东风路 26 号", "0459-6379032",
    ),
    Company(
        "jms_gov", "佳木斯市住房和城乡建设局", "regulator", "230800", 23_000_081,
        "佳木斯市向阳区长安路 1136 号", "0454-8223356",
    ),
    Company(
        "mdj_gov", "牡丹江市住房和城乡建设局", "regulator", "231000", 23_000_101,
        "牡丹江市东安区太平路 78 号", "0453-6922371",
    ),
    Company(
        "sh_gov", "绥化市住房和城乡建设局", "regulator", "231200", 23_000_121,
        "绥化市北林区中直路 165 号", "0455-8301169",
    ),
    Company(
        "jx_gov", "鸡西市住房和城乡建设局", "regulator", "230300", 23_000_031,
        "鸡西市鸡冠区红军路 102 号", "0467-2383615",
    ),
    Company(
        "hg_gov", "鹤岗市住房和城乡建设局", "regulator", "230400", 23_000_041,
        "鹤岗市向阳区红军路 19 号", "0468-3226537",
    ),
    Company(
        "sys_gov", "双鸭山市住房和城乡建设局", "regulator", "230500", 23_000_051,
        "双鸭山市尖山区新兴大街 121 号", "0469-4221063",
    ),
    Company(
        "yc_gov", "伊春市住房和城乡建设局", "regulator", "230700", 23_000_071,
        "伊春市伊美区新兴中大街 36 号", "0458-3602517",
    ),
    Company(
        "qth_gov", "七台河市住房和城乡建设局", "regulator", "230900", 23_000_091,
        "七台河市桃山区山湖路 66 号", "0464-8276105",
    ),
    Company(
        "hh_gov", "黑河市住房和城乡建设局", "regulator", "231100", 23_000_111,
        "黑河市爱辉区通江路 81 号", "0456-8222734",
    ),
    Company(
        "dxal_gov", "大兴安岭地区住房和城乡建设局", "regulator", "232700", 23_000_271,
        "大兴安岭地区加格达奇区人民路 15 号", "0457-2742361",
    ),
]  # fmt: skip

DEVELOPERS = [
    Company("hongtai", "哈尔滨松北宏泰置业有限公司", "developer", "230109", 23_100_011,
            "哈尔滨市松北区世茂大道 99 号宏泰大厦 12 层", "0451-58967788", "HT"),
    Company("chengan", "哈尔滨城安保障住房建设有限公司", "developer", "230103", 23_100_021,
            "哈尔滨市南岗区学府路 271 号", "0451-86321510", "CA"),
    Company("jinjiang", "黑龙江金江置业集团有限公司", "developer", "230102", 23_100_031,
            "哈尔滨市道里区群力第五大道 1688 号", "0451-87653399", "JJ"),
    Company("baihu", "大庆百湖房地产开发有限公司", "developer", "230602", 23_100_041,
            "大庆市萨尔图区会战大街 37 号", "0459-4668877", "BH"),
    Company("anju_dq", "大庆市安居保障房建设有限公司", "developer", "230604", 23_100_051,
            "大庆市让胡路区中央大街 156 号", "0459-5992316", "AJ"),
    Company("hecheng", "齐齐哈尔鹤城置业有限公司", "developer", "230202", 23_100_061,
            "齐齐哈尔市龙沙区龙华路 298 号", "0452-2456789", "HC"),
    Company("xuecheng", "牡丹江雪城房地产开发有限公司", "developer", "231002", 23_100_071,
            "牡丹江市东安区东一条路 187 号", "0453-6285566", "XC"),
    Company("anju_mdj", "牡丹江市安居房屋建设有限公司", "developer", "231004", 23_100_081,
            "牡丹江市爱民区西三条路 52 号", "0453-6917730", "MA"),
    Company("sanjiang", "佳木斯三江置业有限公司", "developer", "230803", 23_100_091,
            "佳木斯市向阳区中山街 505 号", "0454-8886216", "SJ"),
    Company("hongji", "绥化北林鸿基房地产开发有限公司", "developer", "231202", 23_100_101,
            "绥化市北林区黄河路 233 号", "0455-8237799", "HJ"),
    Company("xingkai", "鸡西兴凯湖置业有限公司", "developer", "230302", 23_100_111,
            "鸡西市鸡冠区中心大街 215 号", "0467-2651188", "XK"),
    Company("jinshan", "鹤岗金山房地产开发有限公司", "developer", "230402", 23_100_121,
            "鹤岗市向阳区解放路 77 号", "0468-3458866", "JS"),
    Company("shuangyang", "双鸭山双阳置业有限公司", "developer", "230502", 23_100_131,
            "双鸭山市尖山区二马路 90 号", "0469-4356677", "SY"),
    Company("linhai", "伊春林海房地产开发有限公司", "developer", "230717", 23_100_141,
            "伊春市伊美区青山中路 58 号", "0458-3697711", "LH"),
    Company("taoshan", "七台河桃山置业有限公司", "developer", "230903", 23_100_151,
            "七台河市桃山区桃南街 128 号", "0464-8622399", "TS"),
    Company("longjiang_hh", "黑河龙江湾房地产开发有限公司", "developer", "231102", 23_100_161,
            "黑河市爱辉区海兰街 203 号", "0456-8235566", "LW"),
    Company("beiji", "大兴安岭北极星置业有限公司", "developer", "232701", 23_100_171,
            "漠河市西林吉镇振兴街 11 号", "0457-2899100", "BJ"),
]  # fmt: skip

UNITS = [
    # survey 勘察
    Company("sv_hlj", "龙江岩土工程勘察院有限公司", "survey", "230103", 23_200_011,
            "哈尔滨市南岗区红军街 118 号", "0451-53641127", "LJYT"),
    Company("sv_nj", "齐齐哈尔市嫩江勘察测绘有限公司", "survey", "230203", 23_200_021,
            "齐齐哈尔市建华区新明大街 41 号", "0452-2810356", "NJKC"),
    Company("sv_jp", "牡丹江镜泊勘察设计有限公司", "survey", "231003", 23_200_031,
            "牡丹江市阳明区光华街 15 号", "0453-6581142", "JPKC"),
    # design 设计
    Company("ds_hd", "黑龙江省寒地建筑设计研究院有限公司", "design", "230103", 23_300_011,
            "哈尔滨市南岗区西大直街 92 号", "0451-86412250", "HDY"),
    Company("ds_bf", "哈尔滨北方城市规划设计研究院有限公司", "design", "230102", 23_300_021,
            "哈尔滨市道里区友谊路 300 号", "0451-84699201", "BFY"),
    Company("ds_bh", "大庆市百湖建筑设计有限公司", "design", "230602", 23_300_031,
            "大庆市萨尔图区纬二路 18 号", "0459-6321045", "BHSJ"),
    Company("ds_sj", "佳木斯三江建筑设计院有限公司", "design", "230803", 23_300_041,
            "佳木斯市向阳区胜利路 620 号", "0454-8611437", "SJSJ"),
    # contractor 施工
    Company("ct_lj3", "龙江建工集团第三工程有限公司", "contractor", "230110", 23_400_011,
            "哈尔滨市香坊区中山路 218 号", "0451-82269316", "LJ3"),
    Company("ct_bj", "黑龙江北疆建设集团有限公司", "contractor", "230104", 23_400_021,
            "哈尔滨市道外区南直路 466 号", "0451-88305127", "BJJS"),
    Company("ct_qx", "大庆庆新建筑安装工程有限公司", "contractor", "230603", 23_400_031,
            "大庆市龙凤区卧里屯大街 77 号", "0459-6712208", "QXJA"),
    Company("ct_hc", "齐齐哈尔鹤城建设集团有限公司", "contractor", "230204", 23_400_041,
            "齐齐哈尔市铁锋区站前大街 9 号", "0452-2391561", "HCJS"),
    Company("ct_xc", "牡丹江市雪城建筑工程有限公司", "contractor", "231005", 23_400_051,
            "牡丹江市西安区新华路 133 号", "0453-6430127", "XCJZ"),
    Company("ct_dj", "佳木斯东极建设工程有限公司", "contractor", "230804", 23_400_061,
            "佳木斯市前进区友谊路 256 号", "0454-8557732", "DJJS"),
    # supervision 监理
    Company("sp_lx", "黑龙江龙信工程监理有限公司", "supervision", "230103", 23_500_011,
            "哈尔滨市南岗区黄河路 88 号", "0451-82301659", "LXJL"),
    Company("sp_hk", "大庆华科工程项目管理有限公司", "supervision", "230602", 23_500_021,
            "大庆市萨尔图区西宾路 11 号", "0459-6159021", "HKGL"),
    Company("sp_hx", "牡丹江恒信工程咨询监理有限公司", "supervision", "231002", 23_500_031,
            "牡丹江市东安区光华街 302 号", "0453-6956214", "HXJL"),
    Company("sp_zy", "齐齐哈尔正阳建设监理有限公司", "supervision", "230202", 23_500_041,
            "齐齐哈尔市龙沙区公园路 62 号", "0452-2418830", "ZYJL"),
    # drawing review 施工图审查
    Company("dr_hlj", "黑龙江省建筑工程施工图审查中心有限公司", "drawing_review", "230103",
            23_600_011, "哈尔滨市南岗区中兴大道 168 号", "0451-86235120", "HLJST"),
    Company("dr_dq", "大庆市建设工程施工图审查有限公司", "drawing_review", "230602", 23_600_021,
            "大庆市萨尔图区东风路 61 号", "0459-6398562", "DQST"),
    # testing 检测
    Company("ts_hlj", "黑龙江省建筑工程质量检测中心有限公司", "testing", "230103", 23_700_011,
            "哈尔滨市南岗区嵩山路 35 号", "0451-82807346", "HJJ"),
    Company("ts_bc", "哈尔滨冰城建设工程检测有限公司", "testing", "230109", 23_700_021,
            "哈尔滨市松北区松浦路 1020 号", "0451-88190235", "BCJC"),
    Company("ts_dq", "大庆市建设工程质量检测有限公司", "testing", "230604", 23_700_031,
            "大庆市让胡路区西宾路 202 号", "0459-5887316", "DQJC"),
    Company("ts_mdj", "牡丹江宏正建设工程检测有限公司", "testing", "231003", 23_700_041,
            "牡丹江市阳明区阳明街 71 号", "0453-6672154", "HZJC"),
    Company("ts_jms", "佳木斯市三江建设工程检测有限公司", "testing", "230803", 23_700_051,
            "佳木斯市向阳区杏林路 188 号", "0454-8765102", "SJJC"),
]  # fmt: skip

COMPANIES = {c.key: c for c in [*REGULATORS, *DEVELOPERS, *UNITS]}


@dataclass(frozen=True)
class DemoProject:
    """One demo project. Dates are days before the day the seed runs (so stages stay true).

    ``layout``: buildings × units per building × floors, two households a floor per unit.
    ``units``: company keys for the six participating roles.
    """

    code: str
    name: str
    developer: str
    district: str
    address: str
    housing_type: str
    delivery_standard: str
    structure_type: str
    stage: str
    layout: tuple[int, int, int]
    contract_duration_days: int
    started_days_ago: int  # negative: planned start in the future
    units: dict[str, str]
    completion_days_ago: int | None = None
    handover_days_ago: int | None = None
    presale: bool = True


def _units(survey, design, contractor, supervision, review, testing) -> dict[str, str]:
    return {
        UnitRole.SURVEY: survey,
        UnitRole.DESIGN: design,
        UnitRole.CONTRACTOR: contractor,
        UnitRole.SUPERVISION: supervision,
        UnitRole.DRAWING_REVIEW: review,
        UnitRole.TESTING: testing,
    }


C, A = HousingType.COMMERCIAL, HousingType.AFFORDABLE
SHELL, FITTED = DeliveryStandard.SHELL, DeliveryStandard.FITTED

PROJECTS = [
    DemoProject(
        "YRW2QA", "松北·悦澜湾二期", "hongtai", "230109",
        "哈尔滨市松北区创新二路与世茂大道交口东北侧", C, FITTED, "shear_wall",
        Stage.UNDER_CONSTRUCTION, (6, 2, 18), 900, 430,
        _units("sv_hlj", "ds_hd", "ct_lj3", "sp_lx", "dr_hlj", "ts_bc"),
    ),
    DemoProject(
        "YRWYQA", "松北·悦澜湾一期", "hongtai", "230109",
        "哈尔滨市松北区创新二路 688 号", C, SHELL, "shear_wall",
        Stage.HANDED_OVER, (5, 2, 11), 840, 1520,
        _units("sv_hlj", "ds_hd", "ct_lj3", "sp_lx", "dr_hlj", "ts_bc"),
        completion_days_ago=640, handover_days_ago=560,
    ),
    DemoProject(
        "HYBZFA", "南岗·和园保障性住房", "chengan", "230103",
        "哈尔滨市南岗区先锋路 469 号", A, SHELL, "prefabricated_concrete",
        Stage.COMPLETED, (4, 3, 11), 720, 860,
        _units("sv_hlj", "ds_bf", "ct_bj", "sp_lx", "dr_hlj", "ts_hlj"),
        completion_days_ago=75, presale=False,
    ),
    DemoProject(
        "JJFDRA", "道里·金江府", "jinjiang", "230102",
        "哈尔滨市道里区群力第六大道 2288 号", C, FITTED, "frame_core_tube",
        Stage.UNDER_CONSTRUCTION, (3, 2, 28), 1080, 260,
        _units("sv_hlj", "ds_bf", "ct_lj3", "sp_lx", "dr_hlj", "ts_hlj"),
    ),
    DemoProject(
        "GYRXFA", "香坊·公园里", "jinjiang", "230110",
        "哈尔滨市香坊区红旗大街 302 号", C, SHELL, "shear_wall",
        Stage.NOT_STARTED, (4, 2, 18), 780, -25,
        _units("sv_hlj", "ds_hd", "ct_bj", "sp_lx", "dr_hlj", "ts_bc"),
    ),
    DemoProject(
        "BHSYDQ", "萨尔图·百湖书苑", "baihu", "230602",
        "大庆市萨尔图区萨大路 126 号", C, FITTED, "frame_shear_wall",
        Stage.HANDED_OVER, (5, 2, 17), 900, 1400,
        _units("sv_hlj", "ds_bh", "ct_qx", "sp_hk", "dr_dq", "ts_dq"),
        completion_days_ago=470, handover_days_ago=390,
    ),
    # 金江置业 builds in Harbin too (道里·金江府, under key supervision there): one enterprise,
    # two cities, one project commended and one supervised.
    DemoProject(
        "JJHWDQ", "龙凤·金江湖畔", "jinjiang", "230603",
        "大庆市龙凤区龙凤大街 218 号", C, SHELL, "shear_wall",
        Stage.HANDED_OVER, (4, 2, 18), 810, 1300,
        _units("sv_hlj", "ds_bh", "ct_qx", "sp_hk", "dr_dq", "ts_dq"),
        completion_days_ago=420, handover_days_ago=330,
    ),
    DemoProject(
        "XFRBZA", "让胡路·幸福里保障性住房", "anju_dq", "230604",
        "大庆市让胡路区西湖街 58 号", A, SHELL, "shear_wall",
        Stage.UNDER_CONSTRUCTION, (6, 2, 11), 660, 330,
        _units("sv_hlj", "ds_bh", "ct_qx", "sp_hk", "dr_dq", "ts_dq"),
        presale=False,
    ),
    DemoProject(
        "HMYRSA", "龙沙·鹤鸣苑", "hecheng", "230202",
        "齐齐哈尔市龙沙区永安大街 175 号", C, SHELL, "frame_shear_wall",
        Stage.COMPLETED, (4, 2, 18), 810, 980,
        _units("sv_nj", "ds_hd", "ct_hc", "sp_zy", "dr_hlj", "ts_hlj"),
        completion_days_ago=150,
    ),
    DemoProject(
        "NJWJHA", "建华·嫩江湾", "hecheng", "230203",
        "齐齐哈尔市建华区文化大街 33 号", C, FITTED, "shear_wall",
        Stage.NOT_STARTED, (5, 2, 18), 840, -40,
        _units("sv_nj", "ds_hd", "ct_hc", "sp_zy", "dr_hlj", "ts_hlj"),
    ),
    DemoProject(
        "JPYJMA", "东安·江畔雅居", "xuecheng", "231002",
        "牡丹江市东安区江滨大道 39 号", C, SHELL, "shear_wall",
        Stage.HANDED_OVER, (4, 2, 11), 750, 1210,
        _units("sv_jp", "ds_hd", "ct_xc", "sp_hx", "dr_hlj", "ts_mdj"),
        completion_days_ago=420, handover_days_ago=365,
    ),
    DemoProject(
        "MDYBZA", "爱民·牡丹园保障性住房", "anju_mdj", "231004",
        "牡丹江市爱民区北安路 210 号", A, SHELL, "prefabricated_concrete",
        Stage.UNDER_CONSTRUCTION, (5, 2, 11), 600, 190,
        _units("sv_jp", "ds_hd", "ct_xc", "sp_hx", "dr_hlj", "ts_mdj"),
        presale=False,
    ),
    DemoProject(
        "SJHYXA", "向阳·松江花园", "sanjiang", "230803",
        "佳木斯市向阳区长安东路 777 号", C, FITTED, "shear_wall",
        Stage.COMPLETED, (4, 2, 17), 780, 890,
        _units("sv_hlj", "ds_sj", "ct_dj", "sp_lx", "dr_hlj", "ts_jms"),
        completion_days_ago=40,
    ),
    DemoProject(
        "DJXCJA", "前进·东极新城", "sanjiang", "230804",
        "佳木斯市前进区光复路 95 号", C, SHELL, "frame_shear_wall",
        Stage.UNDER_CONSTRUCTION, (4, 2, 18), 840, 520,
        _units("sv_hlj", "ds_sj", "ct_dj", "sp_lx", "dr_hlj", "ts_jms"),
    ),
    DemoProject(
        "HRHPSA", "北林·呼兰河畔", "hongji", "231202",
        "绥化市北林区康庄路 418 号", C, SHELL, "shear_wall",
        Stage.UNDER_CONSTRUCTION, (5, 2, 11), 720, 70,
        _units("sv_hlj", "ds_hd", "ct_lj3", "sp_lx", "dr_hlj", "ts_hlj"),
    ),
    # One smaller project in each of the other seven prefecture-level divisions, so every
    # city's regulator has something to supervise (units from the province's larger firms).
    DemoProject(
        "XKHYJA", "鸡冠·兴凯湖苑", "xingkai", "230302",
        "鸡西市鸡冠区文化路 66 号", C, SHELL, "frame_shear_wall",
        Stage.UNDER_CONSTRUCTION, (2, 1, 11), 660, 300,
        _units("sv_hlj", "ds_hd", "ct_bj", "sp_lx", "dr_hlj", "ts_hlj"),
    ),
    DemoProject(
        "JSJYHG", "向阳·金山家园", "jinshan", "230402",
        "鹤岗市向阳区红旗路 188 号", C, SHELL, "shear_wall",
        Stage.COMPLETED, (2, 2, 9), 600, 760,
        _units("sv_hlj", "ds_bf", "ct_lj3", "sp_lx", "dr_hlj", "ts_hlj"),
        completion_days_ago=120,
    ),
    DemoProject(
        "SYMDSA", "尖山·双阳名邸", "shuangyang", "230502",
        "双鸭山市尖山区新兴大街 306 号", C, FITTED, "shear_wall",
        Stage.UNDER_CONSTRUCTION, (2, 1, 15), 720, 210,
        _units("sv_hlj", "ds_sj", "ct_dj", "sp_lx", "dr_hlj", "ts_jms"),
    ),
    DemoProject(
        "YMXYYC", "伊美·林海小院", "linhai", "230717",
        "伊春市伊美区林都大街 52 号", C, SHELL, "masonry",
        Stage.NOT_STARTED, (3, 1, 6), 540, -40,
        _units("sv_hlj", "ds_hd", "ct_bj", "sp_lx", "dr_hlj", "ts_bc"),
    ),
    DemoProject(
        "TSBZQA", "桃山·安居保障性住房", "taoshan", "230903",
        "七台河市桃山区学府街 19 号", A, SHELL, "shear_wall",
        Stage.UNDER_CONSTRUCTION, (3, 1, 11), 600, 150,
        _units("sv_hlj", "ds_bf", "ct_lj3", "sp_lx", "dr_hlj", "ts_hlj"),
        presale=False,
    ),
    DemoProject(
        "AHJWHA", "爱辉·龙江湾", "longjiang_hh", "231102",
        "黑河市爱辉区中央街 410 号", C, SHELL, "frame_shear_wall",
        Stage.HANDED_OVER, (2, 2, 11), 720, 1300,
        _units("sv_hlj", "ds_hd", "ct_bj", "sp_lx", "dr_hlj", "ts_hlj"),
        completion_days_ago=400, handover_days_ago=330,
    ),
    DemoProject(
        "BJXYMH", "漠河·北极星苑", "beiji", "232701",
        "漠河市西林吉镇中华路 27 号", C, SHELL, "masonry",
        Stage.UNDER_CONSTRUCTION, (2, 1, 6), 480, 90,
        _units("sv_hlj", "ds_hd", "ct_bj", "sp_lx", "dr_hlj", "ts_hlj"),
    ),
]  # fmt: skip


@dataclass(frozen=True)
class DemoUser:
    username: str
    display_name: str
    organisation: str | None  # company key; None for the administrator
    role: str  # "manager" / "member" / "admin" / "supervisor" (open days, no organisation)
    description: str


USERS = [
    DemoUser("demo-admin", "平台管理员", None, "admin", "平台管理员 administrator"),
    DemoUser("demo-province", "赵立新", "hlj", "member", "省住建厅 provincial regulator"),
    DemoUser("demo-harbin", "孙明哲", "hrb_gov", "member", "哈尔滨市住建局 Harbin regulator"),
    DemoUser("demo-daqing", "钱丽娟", "dq_gov", "member", "大庆市住建局 Daqing regulator"),
    DemoUser("demo-hongtai", "王建国", "hongtai", "manager", "松北宏泰置业 developer"),
    DemoUser("demo-chengan", "刘淑华", "chengan", "manager", "城安保障住房 developer"),
    DemoUser("demo-jinjiang", "陈志远", "jinjiang", "manager", "金江置业 developer"),
    DemoUser("demo-baihu", "张海涛", "baihu", "manager", "百湖房地产 developer"),
    DemoUser("demo-anju-dq", "李秀梅", "anju_dq", "manager", "大庆安居 developer"),
    DemoUser("demo-hecheng", "周德胜", "hecheng", "manager", "鹤城置业 developer"),
    DemoUser("demo-xuecheng", "吴玉坤", "xuecheng", "manager", "雪城房地产 developer"),
    DemoUser("demo-anju-mdj", "郑春燕", "anju_mdj", "manager", "牡丹江安居 developer"),
    DemoUser("demo-sanjiang", "冯国栋", "sanjiang", "manager", "三江置业 developer"),
    DemoUser("demo-hongji", "褚宏伟", "hongji", "manager", "鸿基房地产 developer"),
    DemoUser("demo-xingkai", "卫东升", "xingkai", "manager", "鸡西兴凯湖置业 developer"),
    DemoUser("demo-jinshan", "蒋玉兰", "jinshan", "manager", "鹤岗金山房地产 developer"),
    DemoUser("demo-shuangyang", "沈德厚", "shuangyang", "manager", "双鸭山双阳置业 developer"),
    DemoUser("demo-linhai", "韦春生", "linhai", "manager", "伊春林海房地产 developer"),
    DemoUser("demo-taoshan", "尤立平", "taoshan", "manager", "七台河桃山置业 developer"),
    DemoUser("demo-longjiang-hh", "许海峰", "longjiang_hh", "manager", "黑河龙江湾 developer"),
    DemoUser("demo-beiji", "何雪松", "beiji", "manager", "大兴安岭北极星置业 developer"),
    DemoUser("demo-contractor", "韩志强", "ct_lj3", "member", "龙江建工三公司 contractor"),
    DemoUser("demo-supervision", "杨光辉", "sp_lx", "member", "龙信监理 supervision"),
    DemoUser("demo-expert", "林振华", None, "supervisor", "社会监督员·专家 social supervisor"),
    DemoUser("demo-resident", "孟凤霞", None, "supervisor", "社会监督员·业主代表 supervisor"),
]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN_NAMES = [
    "建国", "志强", "海涛", "立新", "国庆", "玉坤", "春燕", "秀梅", "德胜", "宏伟", "文博",
    "晓东", "振华", "丽娟", "淑华", "明哲", "广才", "永刚", "树林", "雪松", "长青", "凤霞",
    "继东", "庆丰", "铁军", "红梅", "晓峰", "志刚", "国华", "金龙", "亚楠", "俊杰", "佳慧",
    "思远", "天宇", "子涵", "家宁", "冬梅", "立群", "兆丰", "北辰", "松涛", "瑞雪", "鸿飞",
]  # fmt: skip
