"""The demo's knowledge base: the answers a water company's and a city hotline's agents give
every day, with what to bring (一次性告知), and two reply templates."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from hearline.accounts.models import Department, User
from hearline.cases.models import Category
from hearline.knowledge.actions import do_save_article, do_save_template

# (title, answer, documents, fees, time limit, owner, categories, tags, audience)
ARTICLES = [
    (
        "水费缴纳方式及欠费停水说明",
        "水费可通过银行代扣、自来水营业厅、微信或支付宝“生活缴费”缴纳；逾期三个月未缴且经"
        "催告仍未缴的，可依法暂停供水，缴清后24小时内恢复。",
        ["用水户号（见水费单左上角）"],
        "缴费免手续费",
        "缴清后24小时内恢复供水",
        "water-billing",
        ["water-billing"],
        ["缴费", "欠费", "恢复供水"],
        "public",
    ),
    (
        "水表过户（更名）办理",
        "房屋买卖后需到自来水营业厅办理水表过户，可一次带齐材料当场办结。",
        ["不动产权证书或购房合同原件", "新户主身份证原件", "原户主结清水费的缴费凭证", "用水户号"],
        "免费",
        "材料齐全当场办结",
        "water-cs",
        ["water-billing"],
        ["过户", "更名", "户主"],
        "public",
    ),
    (
        "计划停水与抢修停水的查询和临时供水",
        "计划停水会提前24小时在官网和小区公告；抢修停水可拨打热线查询恢复时间。停水超过12"
        "小时的区域安排送水车，老人、病人家庭可申请优先送水。",
        [],
        "送水免费",
        "抢修一般在8小时内恢复",
        "water-network",
        ["water-outage"],
        ["停水", "送水车", "恢复时间"],
        "public",
    ),
    (
        "新装用水（报装）申请",
        "新建房屋或商铺用水需申请报装，可网上或到营业厅申请，现场查勘后出具方案。",
        ["申请人身份证或营业执照", "房屋产权证明或租赁合同", "用水地址平面图（商铺）"],
        "按物价部门核定的接水工程费收取",
        "受理后5个工作日内现场查勘",
        "water-cs",
        ["water-connection"],
        ["报装", "接水", "商铺"],
        "public",
    ),
    (
        "水压偏低的自查与报修",
        "先检查户内总阀是否全开、过滤器是否堵塞；整栋楼水压低多为二次供水设施问题，由物业"
        "或供水公司二供班组处理。",
        [],
        "",
        "报修后24小时内上门",
        "water-network",
        ["water-pressure"],
        ["水压", "二次供水", "高峰"],
        "public",
    ),
    (
        "停水赔偿与水费减免内部口径",
        "因供水企业原因连续停水超过24小时的，可按日减免当月基本水费；涉及财产损失的，先登记"
        "取证，转客户服务中心核实，不当场承诺金额。",
        ["损失照片", "用水户号"],
        "",
        "核实后10个工作日内答复",
        "water-cs",
        ["water-outage", "water-billing"],
        ["赔偿", "减免", "口径"],
        "staff",
    ),
    (
        "个体工商户营业执照办理",
        "个体工商户营业执照可在政务服务网全程网办，或到政务服务中心综合窗口办理。",
        ["经营者身份证原件", "经营场所使用证明（房产证或租赁合同）", "近期一寸照片一张"],
        "免费",
        "材料齐全的1个工作日内发照",
        "gov-windows",
        ["gov-policy"],
        ["个体户", "登记", "网办"],
        "public",
    ),
]

TEMPLATES = [
    (
        "通用答复",
        "",
        "您好！您于{受理日期}反映的“{诉求}”（编号{编号}）已由{承办部门}办理：{处理结果}。"
        "感谢您的监督，如有疑问请致电热线并告知编号。",
    ),
    (
        "抢修完毕答复",
        "repair",
        "您好！您于{受理日期}反映的“{诉求}”（编号{编号}），经{承办部门}核实：{调查结果}。"
        "处理结果：{处理结果}。如仍有问题，请致电热线并告知编号。",
    ),
    (
        "赔偿答复",
        "compensation",
        "您好！关于您反映的“{诉求}”（编号{编号}），经核实，{处理结果}，赔偿金额{赔偿金额}，"
        "将于10个工作日内支付。感谢您的理解与监督。",
    ),
]


def build_knowledge(users: dict[str, User]) -> None:
    """The demo articles (one staff-only, one due for review) and reply templates (one for
    every case, two for water cases by resolution type)."""
    today = timezone.localdate()
    categories = {c.code: c for c in Category.objects.all()}
    for n, (title, summary, documents, fees, limit, owner, cats, tags, audience) in enumerate(
        ARTICLES
    ):
        do_save_article(
            values={
                "title": title,
                "summary": summary,
                "documents": documents,
                "fees": fees,
                "time_limit": limit,
                "owner": Department.objects.get(code=owner),
                "responsible_department": Department.objects.get(code=owner),
                "tags": tags,
                "audience": audience,
                "status": "published",
                "review_by": today + timedelta(days=-3 if n == 4 else 180),
            },
            categories=[categories[c] for c in cats],
            acting_user=users["manager"],
        )
    for name, resolution_type, body in TEMPLATES:
        do_save_template(
            values={"name": name, "resolution_type": resolution_type, "body": body},
            categories=[categories["water"]] if resolution_type else [],
            acting_user=users["manager"],
        )
