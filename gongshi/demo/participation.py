"""Public participation in the demo: questions and complaints (answered on time, late, still
waiting, overdue, hidden), a reported site open day with two social supervisors and their
findings, an upcoming open day with free places, and two confirmed email subscriptions.

Made through the domain functions (ask, answer, resolve, hide, schedule, invite, register,
record, publish, respond, close) at past moments relative to ``today``. Idempotent: nothing
is done if the demo's questions exist. Demo content is data, so it is not translated.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gongshi.accounts.models import User
from gongshi.core.choices import Stage
from gongshi.organisations.models import Membership
from gongshi.participation import opendays, questions
from gongshi.participation.models import (
    ContactVerification,
    Delivery,
    DeliveryStatus,
    EmailSubscription,
    Event,
    EventKind,
    FindingResult,
    OpenDay,
    Question,
    QuestionKind,
    Registration,
    Supervisor,
    SupervisorInvitation,
    SupervisorKind,
)
from gongshi.participation.tokens import digest, new_code, new_token
from gongshi.projects.models import Project

Q, C = QuestionKind.QUESTION, QuestionKind.COMPLAINT
# The Harbin project the supervision demo puts under key supervision (see its fallback below).
KEY = "KEY"
EXPERT, RESIDENT = "demo-expert", "demo-resident"


# (project, kind, asked days ago, hour, contact, body,
#  answer or None, answered days ago, resolution True/False/None, hidden reason)
QUESTIONS = [
    # The project under key supervision: complaints about insulation that nobody answers.
    (KEY, C, 40, 20, "zhang.hrb@example.com",
     "外墙保温材料的进场复验报告到现在也没有公示。工地西侧堆放的保温板包装上没有检测标识，"
     "请问这批保温板的燃烧性能等级和导热系数是多少？检测报告什么时候公示？",
     None, None, None, ""),
    (KEY, Q, 26, 12, "li.daoli@example.com",
     "购房合同附件约定精装修厨房橱柜、卫浴洁具的品牌，与售楼处样板间展示的不一致，"
     "请问以哪个为准？全装修主要材料清单什么时候公示？",
     None, None, None, ""),
    (KEY, C, 52, 9, "wang.qunli@example.com",
     "售楼处公示牌上写的钢筋生产厂家，和工地现场堆放钢筋的标牌对不上，是不是换了供应商？",
     "您好，项目钢筋由两家厂家供货，公示牌此前只列了其中一家，现已将两家的质量证明文件及"
     "复试报告全部补充公示，详见“钢筋”事项第 2 版。感谢监督。",
     38, False, ""),
    (KEY, Q, 3, 21, "chen.buyer@example.com",
     "请问现在主体结构施工到几层了？预计什么时候封顶？",
     None, None, None, ""),
    # The developer of the demo's first login answers promptly.
    ("YRW2QA", Q, 55, 19, "sun.songbei@example.com",
     "分户验收什么时候公示？交房前能看到每一户的验收结果吗？",
     "您好，分户验收在竣工验收前逐户进行，结果以“分户验收汇总表”逐户公示（房号、检查项目、"
     "是否合格及整改情况），预计在明年竣工验收前公示，届时关注本项目即可收到提醒。",
     53, True, ""),
    ("YRW2QA", Q, 21, 10, "zhao.yuelan@example.com",
     "防水材料公示的是哪个品牌？地下车库顶板和卫生间的防水各做几道？",
     "您好，防水卷材和涂料的生产厂家、规格及复试报告见“防水材料”事项。地下车库顶板为两道"
     "SBS 改性沥青防水卷材（4+3 mm），卫生间为 1.5 mm 聚氨酯防水涂料，闭水试验 24 小时。",
     19, None, ""),
    ("YRW2QA", C, 12, 15, "liu.jingzhuang@example.com",
     "精装修品牌与合同不一致：合同约定入户门为甲级防盗门某一线品牌，样板间安装的却是另一个品牌。",
     "您好，样板间入户门为早期样品，交付房屋将按合同约定的品牌和等级安装。我们已在"
     "“建设单位承诺及合同约定公示事项”中补充入户门品牌和等级，欢迎在开放日现场查看。",
     8, False, ""),
    ("YRW2QA", Q, 2, 11, "he.owner@example.com",
     "开放日能看到外墙保温的施工做法吗？需要带什么证件？",
     None, None, None, ""),
    # Other cities.
    ("HYBZFA", Q, 30, 14, "gao.nangang@example.com",
     "分户验收汇总表里 3 号楼有两户不合格，后来整改了吗？整改结果在哪里看？",
     "您好，两户的问题为卫生间地面坡度不足，已返工整改并复验合格，复验结果已在汇总表"
     "“整改情况”一栏注明。",
     27, True, ""),
    ("HYBZFA", Q, 8, 9, "ma.heyuan@example.com",
     "室内环境检测报告里甲醛检测点位是怎么选的？每户都测了吗？",
     "您好，按《民用建筑工程室内环境污染控制标准》抽检，抽检数量不少于房间总数的 5%，"
     "每个单体不少于 3 间，点位分布见报告附表。",
     6, None, ""),
    ("BHSYDQ", C, 45, 20, "xu.daqing@example.com",
     "入住后发现卫生间地面渗水到楼下，保修期内找物业报修三次都没人处理。",
     "您好，已安排施工单位上门检查，确认为卫生间地漏周边防水收口不严，已于本周重新施工"
     "并做闭水试验，请您再观察一周。维修费用由施工单位承担。",
     33, False, ""),
    ("XFRBZA", Q, 15, 16, "yang.ranghulu@example.com",
     "保障房的预制构件是哪家厂生产的？有没有出厂检验报告？",
     "您好，预制叠合板和楼梯由大庆本地构件厂生产，出厂合格证和进场检验记录见"
     "“预制构件”事项公示的附件。",
     13, None, ""),
    ("HMYRSA", Q, 28, 18, "zhou.longsha@example.com",
     "公示的供暖承诺为什么撤回了？什么时候重新公示？",
     "您好，撤回原因是公示表述与购房合同补充协议不一致，核实后将在本月内重新公示，"
     "以合同补充协议约定为准。",
     25, None, ""),
    ("SJHYXA", Q, 36, 13, "guo.xiangyang@example.com",
     "精装修的木地板品牌公示了吗？和样板间的一样吗？",
     "您好，木地板的品牌、型号和环保等级见“全装修主要材料、部品部件及设备”事项，"
     "与样板间一致。",
     35, True, ""),
    ("SJHYXA", C, 9, 10, "lin.jiamusi@example.com",
     "竣工验收备案已经公示了，但小区的消防验收意见书一直没看到，请尽快公示。",
     "您好，消防验收意见书已取得，正在整理扫描件，将于下周公示。",
     1, None, ""),
    ("JPYJMA", Q, 60, 19, "song.mudanjiang@example.com",
     "保修期内外窗渗漏找谁？质量保修的联系电话公示了吗？",
     "您好，保修联系人和电话见“质量保修及投诉处理”事项，外窗保修期为 5 年，"
     "报修后 48 小时内上门。",
     58, True, ""),
    ("HYBZFA", C, 1, 8, "ad.sender@example.com",
     "专业外墙保温、防水补漏、室内装修，价格全市最低，业主专享优惠，欢迎加微信咨询。",
     None, None, None, "内容为与本项目无关的装修广告，已屏蔽。"),
    ("DJXCJA", Q, 1, 20, "tang.dongji@example.com",
     "门窗公示的型材是断桥铝吗？整窗传热系数是多少？",
     None, None, None, ""),
]  # fmt: skip

# Findings of the reported open day: (supervisor, result, candidates (item code, note)).
# The first candidate the project has published is used; the last is always there.
FINDINGS = [
    (EXPERT, FindingResult.VERIFIED, [
        ("materials.rebar", "抽查 2 号楼堆场钢筋 3 捆，标牌牌号 HRB400E、生产厂家、炉批号与公示一致，"
                            "复试报告编号可在检测机构系统查到。"),
        ("procedure.construction_permit", "工地大门公示牌上的施工许可证编号与网上公示一致。"),
    ]),
    (EXPERT, FindingResult.VERIFIED, [
        ("materials.waterproofing", "地下车库顶板防水卷材现场见证取样，卷材厚度、生产厂家与公示一致。"),
        ("parties.supervision", "现场总监理工程师与公示的项目负责人为同一人，已核对执业证书。"),
    ]),
    (EXPERT, "closed", [
        ("materials.prefabricated", "预制叠合板构件标识上的生产厂家名称与公示的厂家名称不一致。"),
        ("parties.testing", "见证取样记录上的检测机构项目负责人与公示的项目负责人不是同一人。"),
    ]),
    (RESIDENT, "open", [
        ("other.promises", "公示承诺入户门为甲级防盗门，样板间入户门铭牌显示为乙级，与公示不符。"),
        ("parties.contractor", "工地大门公示牌上的施工项目经理姓名与网上公示的项目负责人不一致。"),
    ]),
    (RESIDENT, FindingResult.VERIFIED, [
        ("parties.contractor", "施工单位名称、项目负责人与现场公示牌一致，项目经理在岗。"),
        ("parties.developer", "建设单位名称、项目负责人与现场公示牌一致。"),
    ]),
    (RESIDENT, FindingResult.NOT_CHECKED, [
        ("procedure.presale_permit", "现场未能查看预售许可证原件，本次未核查。"),
        ("procedure.planning_permit", "现场未能查看规划许可证原件，本次未核查。"),
    ]),
]  # fmt: skip
CLOSED_RESPONSE = (
    "经核实，构件厂今年办理了企业名称变更，构件标识仍使用旧名称。已提交名称变更核准通知书，"
    "后续批次按新名称标识。"
)
CLOSE_NOTE = "已核对名称变更核准通知书及构件出厂合格证，差异原因清楚，予以关闭。"

REGISTRANTS = ["王女士", "李先生", "张先生", "刘女士", "陈先生", "杨女士", "赵先生", "黄女士"]


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZoneInfo(settings.TIME_ZONE))


def _verified_token(contact: str, at: dt.datetime) -> str:
    """A contact confirmed a few minutes before ``at`` — the row :func:`questions.confirm_code`
    leaves behind, made without sending a code (nothing is mailed at seed time)."""
    contact, kind = questions.normalise_contact(contact)
    token = new_token()
    sent = at - dt.timedelta(minutes=6)
    ContactVerification.objects.create(
        contact=contact,
        contact_kind=kind,
        code_hash=digest(new_code()),
        token_hash=digest(token),
        created_at=sent,
        expires_at=sent + questions.CODE_LIFETIME,
        confirmed_at=sent + dt.timedelta(minutes=1),
    )
    return token


def _date_events(project, kind: str, at: dt.datetime) -> None:
    """Follow events recorded now for something that (notionally) happened at ``at``."""
    event = Event.objects.filter(project=project, kind=kind).order_by("-pk").first()
    if event is not None:
        Event.objects.filter(pk=event.pk).update(created_at=at)


def _developer_user(project):
    membership = (
        Membership.objects.filter(organisation_id=project.developer_id)
        .select_related("user")
        .order_by("role", "pk")  # "manager" before "member"
        .first()
    )
    return membership.user


def _key_project(projects: dict[str, Project]) -> Project | None:
    from gongshi.supervision.models import ActionKind, RegulatorRecord

    record = (
        RegulatorRecord.objects.filter(
            kind=ActionKind.KEY_SUPERVISION, project__region__code__startswith="2301"
        )
        .select_related("project")
        .order_by("pk")
        .first()
    )
    if record is not None:
        return record.project
    return projects.get("JJFDRA")


def _saturday_on_or_before(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=(day.weekday() - 5) % 7)


@transaction.atomic
def seed_participation(today: dt.date | None = None) -> int:
    """Create the demo's participation once; returns how many demo questions exist after."""
    from gongshi.demo import data

    today = today or timezone.localdate()
    codes = [p.code for p in data.PROJECTS]
    existing = Question.objects.filter(project__code__in=codes)
    if existing.exists():
        return existing.count()
    started = timezone.now()
    projects = Project.objects.select_related("region", "developer").in_bulk(
        codes, field_name="code"
    )
    key = _key_project(projects)
    admin = User.objects.filter(username="demo-admin").first()
    for code, kind, asked, hour, contact, body, answer, answered, resolved, hidden in QUESTIONS:
        project = key if code == KEY else projects.get(code)
        if project is None:
            continue
        asked_at = _at(today - dt.timedelta(days=asked), hour, (asked * 7) % 60)
        question, _token = questions.ask_question(
            project, _verified_token(contact, asked_at), body=body, kind=kind, now=asked_at
        )
        if answer:
            answered_at = _at(today - dt.timedelta(days=answered), 16, (answered * 11) % 60)
            questions.answer_question(question, _developer_user(project), answer, now=answered_at)
            _date_events(project, EventKind.QUESTION_ANSWERED, answered_at)
            if resolved is not None:
                questions.set_resolution(
                    question, resolved, now=answered_at + dt.timedelta(days=1, hours=3)
                )
        if hidden and admin is not None:
            questions.hide_question(question, admin, hidden, now=asked_at + dt.timedelta(hours=3))
    supervisors = {u.username: u for u in User.objects.filter(username__in=[EXPERT, RESIDENT])}
    if "YRW2QA" in projects and len(supervisors) == 2:
        _reported_open_day(projects["YRW2QA"], supervisors, today)
    upcoming = key or projects.get("YRW2QA")
    if upcoming is not None and upcoming.stage == Stage.UNDER_CONSTRUCTION:
        _upcoming_open_day(upcoming, supervisors, today)
    _subscriptions([p for p in (projects.get("YRW2QA"), key) if p is not None], today, started)
    return existing.count()


def _join(open_day, developer, supervisors, at: dt.datetime) -> None:
    """Invite the two demo supervisors; they accept with their existing accounts."""
    for username, name_kind in (
        (EXPERT, SupervisorKind.EXPERT),
        (RESIDENT, SupervisorKind.RESIDENT),
    ):
        user = supervisors.get(username)
        if user is None:
            continue
        invitation, _token = opendays.invite(
            open_day, developer, name=user.display_name, kind=name_kind, now=at
        )
        opendays.accept_invitation(
            invitation, username="", password="", user=user, now=at + dt.timedelta(hours=5)
        )
        SupervisorInvitation.objects.filter(pk=invitation.pk).update(created_at=at)
        Supervisor.objects.filter(invitation=invitation).update(
            joined_at=at + dt.timedelta(hours=5)
        )


def _register(open_day, names: list[str], first: dt.datetime, prefix: str) -> None:
    for i, name in enumerate(names):
        at = first + dt.timedelta(hours=7 * i + 2)
        registration = opendays.register(
            open_day, _verified_token(f"{prefix}{i + 1}@example.com", at), name=name, now=at
        )
        Registration.objects.filter(pk=registration.pk).update(created_at=at)


def _schedule(project, developer, day: dt.date, at: dt.datetime, **fields) -> OpenDay:
    open_day = opendays.schedule(
        project, developer, now=at, date=day, start_time=dt.time(9, 30),
        end_time=dt.time(11, 30), **fields,
    )  # fmt: skip
    OpenDay.objects.filter(pk=open_day.pk).update(created_at=at)
    _date_events(project, EventKind.OPEN_DAY_SCHEDULED, at)
    return open_day


def _reported_open_day(project, supervisors, today: dt.date) -> None:
    developer = _developer_user(project)
    day = _saturday_on_or_before(today - dt.timedelta(days=14))
    scheduled = _at(day - dt.timedelta(days=16), 10, 20)
    open_day = _schedule(
        project, developer, day, scheduled,
        place="项目东门工地大门（创新二路一侧）集合",
        stage_of_work="主体结构施工至 14 层，二次结构砌筑至 6 层",
        capacity=40,
        showing="钢筋原材料及复试报告、地下室防水卷材施工做法、预制叠合板进场验收、"
                "精装修样板间及主要材料样品",
    )  # fmt: skip
    _join(open_day, developer, supervisors, scheduled + dt.timedelta(days=1))
    _register(open_day, REGISTRANTS, scheduled + dt.timedelta(days=2), "visitor.ylw")
    available = {v.disclosure.item.code: v for v in opendays.disclosed_versions(project)}
    used: set[tuple[str, int]] = set()
    recorded = _at(day, 10, 5)
    to_close, minute = None, 0
    for username, result, candidates in FINDINGS:
        user = supervisors[username]
        choice = next(
            (
                (available[code], note)
                for code, note in candidates
                if code in available and (username, available[code].pk) not in used
            ),
            None,
        )
        if choice is None:
            continue
        version, note = choice
        used.add((username, version.pk))
        finding = opendays.record_finding(
            open_day,
            user,
            version_id=version.pk,
            result=result if result in FindingResult.values else FindingResult.DISCREPANCY,
            note=note,
        )
        minute += 9
        type(finding).objects.filter(pk=finding.pk).update(
            recorded_at=recorded + dt.timedelta(minutes=minute)
        )
        if result == "closed":
            to_close = (finding, user)
    opendays.publish_report(
        open_day,
        developer,
        attendance=len(REGISTRANTS) - 1,
        summary="本次开放日 7 位购房人和 2 位社会监督员到场，查看了钢筋堆场、地下车库防水、"
        "预制构件和精装修样板间。监督员共核查 6 项公示信息，发现 2 处差异：预制构件厂家名称"
        "已说明原因并关闭；样板间入户门等级问题正在核实，核实结果将在此公示。",
        now=_at(day + dt.timedelta(days=2), 15, 40),
    )
    _date_events(project, EventKind.OPEN_DAY_REPORTED, _at(day + dt.timedelta(days=2), 15, 40))
    if to_close is not None:
        finding, closer = to_close
        finding.refresh_from_db()
        opendays.respond(
            finding, developer, CLOSED_RESPONSE, now=_at(day + dt.timedelta(days=4), 11, 15)
        )
        opendays.close(finding, closer, CLOSE_NOTE, now=_at(day + dt.timedelta(days=6), 9, 50))


def _upcoming_open_day(project, supervisors, today: dt.date) -> None:
    developer = _developer_user(project)
    day = _saturday_on_or_before(today + dt.timedelta(days=13))
    scheduled = _at(today - dt.timedelta(days=4), 14, 10)
    open_day = _schedule(
        project, developer, day, scheduled,
        place="项目售楼处（群力第六大道一侧）集合，统一佩戴安全帽进入工地",
        stage_of_work="主体结构施工至 9 层，外墙保温板进场",
        capacity=30,
        showing="外墙保温板样品及进场复验报告、钢筋原材料堆场、精装修样板间及合同约定品牌清单",
    )  # fmt: skip
    _join(open_day, developer, supervisors, scheduled + dt.timedelta(hours=2))
    _register(open_day, REGISTRANTS[:5], scheduled + dt.timedelta(hours=20), "visitor.jjf")


def _subscriptions(projects, today: dt.date, started: dt.datetime) -> None:
    """Two confirmed followers. Created directly: the double opt-in mail is not sent."""
    ids = []
    for i, project in enumerate(projects):
        created = _at(today - dt.timedelta(days=30 - 9 * i), 21, 5)
        subscription = EmailSubscription.objects.create(
            project=project,
            email=f"follower{i + 1}.{project.code.lower()}@example.com",
            confirmed_at=created + dt.timedelta(minutes=4),
        )
        EmailSubscription.objects.filter(pk=subscription.pk).update(created_at=created)
        ids.append(subscription.pk)

    def forget_replayed_history() -> None:
        # On the first seed, every demo publication is announced to followers after the commit
        # (the announcements were queued before this); the followers subscribed after those
        # publications, so they get none of them.
        Delivery.objects.filter(
            email_subscription_id__in=ids,
            status=DeliveryStatus.PENDING,
            attempts=0,
            event__created_at__gte=started,
        ).delete()

    transaction.on_commit(forget_replayed_history)
