"""The demo organisation: a city 12345 hotline with a water company, a metro operator and a
government service centre beneath it (departments and front-line units from the seeds)."""

from hearline.accounts.models import DepartmentKind as K
from hearline.accounts.roles import Role as R

DEMO_PASSWORD = "hearline-demo"

# (code, name, kind, parent code)
DEPARTMENTS = [
    ("hotline", "市12345政务服务便民热线", K.ORGANISATION, None),
    ("callcentre", "话务受理中心", K.DEPARTMENT, "hotline"),
    ("dispatch", "派单督办科", K.DEPARTMENT, "hotline"),
    ("water", "市自来水有限公司", K.ORGANISATION, "hotline"),
    ("water-cs", "客户服务中心", K.DEPARTMENT, "water"),
    ("water-hall-haishu", "海曙营业厅", K.UNIT, "water-cs"),
    ("water-network", "管网管理部", K.DEPARTMENT, "water"),
    ("water-crew-east", "东区抢修班", K.UNIT, "water-network"),
    ("water-crew-west", "西区抢修班", K.UNIT, "water-network"),
    ("water-quality", "水质检测中心", K.DEPARTMENT, "water"),
    ("water-billing", "营销抄表部", K.DEPARTMENT, "water"),
    ("metro", "市轨道交通运营有限公司", K.ORGANISATION, "hotline"),
    ("metro-ops", "运营管理部", K.DEPARTMENT, "metro"),
    ("metro-service", "客运服务部", K.DEPARTMENT, "metro"),
    ("metro-st-gulou", "鼓楼站", K.UNIT, "metro-service"),
    ("metro-st-nanmen", "南门站", K.UNIT, "metro-service"),
    ("govcentre", "市政务服务中心", K.ORGANISATION, "hotline"),
    ("gov-windows", "综合受理窗口科", K.DEPARTMENT, "govcentre"),
    ("gov-inspection", "效能督查室", K.DEPARTMENT, "govcentre"),
]

# (username, full name, department code, roles, what they demonstrate)
USERS = [
    ("agent", "李敏", "callcentre", [R.AGENT], "受理员：登记来电、复述确认、当场办结、回访"),
    ("agent2", "周婷", "callcentre", [R.AGENT], "受理员"),
    ("web", "网上受理台", "callcentre", [R.AGENT], "网站投诉由此账号受理（首诉负责人）"),
    ("email", "邮件受理台", "callcentre", [R.AGENT], "电子邮件投诉由此账号受理"),
    ("sms", "短信受理台", "callcentre", [R.AGENT], "短信投诉由此账号受理"),
    ("social", "新媒体受理台", "callcentre", [R.AGENT], "微博、微信等投诉由此账号受理"),
    (
        "upstream",
        "上级转办受理台",
        "callcentre",
        [R.AGENT],
        "上级 12345 平台转办的工单由此账号受理",
    ),
    ("dispatcher", "陈刚", "dispatch", [R.DISPATCHER], "派单员：派单、转派、并单"),
    (
        "supervisor",
        "吴静",
        "hotline",
        [R.SUPERVISOR],
        "督办员：督办台 /staff/supervision/，审批挂起与延期、催办、申诉",
    ),
    ("water_dispatcher", "郑涛", "water-cs", [R.DISPATCHER], "自来水公司派单员"),
    ("water_supervisor", "钱峰", "water", [R.SUPERVISOR], "自来水公司督办员"),
    ("handler_network", "王强", "water-network", [R.HANDLER], "承办人：管网管理部"),
    ("handler_cs", "蒋红", "water-cs", [R.HANDLER], "承办人：自来水客户服务中心"),
    ("handler_crew", "马超", "water-crew-east", [R.HANDLER], "承办人：东区抢修班"),
    ("handler_crew_west", "胡斌", "water-crew-west", [R.HANDLER], "承办人：西区抢修班"),
    ("handler_quality", "林雪", "water-quality", [R.HANDLER], "承办人：水质检测中心"),
    ("handler_billing", "刘洋", "water-billing", [R.HANDLER], "承办人：营销抄表部"),
    ("handler_hall", "徐丽", "water-hall-haishu", [R.HANDLER], "承办人：海曙营业厅"),
    ("handler_metro", "赵磊", "metro-service", [R.HANDLER], "承办人：地铁客运服务部"),
    ("handler_metro_ops", "冯军", "metro-ops", [R.HANDLER], "承办人：地铁运营管理部"),
    ("handler_gulou", "曹阳", "metro-st-gulou", [R.HANDLER], "承办人：鼓楼站"),
    ("handler_nanmen", "彭辉", "metro-st-nanmen", [R.HANDLER], "承办人：南门站"),
    ("handler_gov", "孙悦", "gov-windows", [R.HANDLER], "承办人：政务服务中心窗口科"),
    ("handler_inspection", "董洁", "gov-inspection", [R.HANDLER], "承办人：效能督查室"),
    ("coordinator", "黄伟", "water", [R.COORDINATOR], "应急指挥：自来水公司"),
    ("manager", "何芳", "hotline", [R.MANAGER], "管理者：统计分析与考核"),
    ("admin", "系统管理员", "hotline", [R.ADMIN], "管理员：用户、部门、分类（可登录 /admin/）"),
]

# (code, name, parent code)
CATEGORIES = [
    ("water", "供水服务", None),
    ("water-quality", "水质", "water"),
    ("water-pressure", "水压", "water"),
    ("water-outage", "停水", "water"),
    ("water-billing", "水费", "water"),
    ("water-connection", "报装", "water"),
    ("water-repair", "维修", "water"),
    ("transit", "公共交通", None),
    ("transit-operations", "运营效率", "transit"),
    ("transit-hygiene", "环境卫生", "transit"),
    ("transit-safety", "安全保障", "transit"),
    ("government", "政务服务", None),
    ("gov-efficiency", "办事效率", "government"),
    ("gov-policy", "政策咨询", "government"),
    ("general", "综合", None),
    ("service-quality", "服务质量", "general"),
    ("staff-attitude", "工作人员态度", "general"),
    ("facilities", "设施环境", "general"),
]

# Extra fields some categories ask for (Open311 service definitions show them as attributes).
CATEGORY_FIELDS = {
    "water-billing": [
        {"code": "account", "datatype": "string", "required": True, "description": "用水户号"},
        {
            "code": "amount",
            "datatype": "number",
            "required": False,
            "description": "争议金额（元）",
        },
    ],
    "water-quality": [
        {
            "code": "symptom",
            "datatype": "multivaluelist",
            "required": True,
            "description": "水质现象",
            "values": [
                {"key": "yellow", "name": "发黄"},
                {"key": "turbid", "name": "浑浊"},
                {"key": "smell", "name": "有异味"},
                {"key": "particles", "name": "有杂质"},
            ],
        }
    ],
    "water-pressure": [
        {"code": "floor", "datatype": "number", "required": False, "description": "所在楼层"}
    ],
}
