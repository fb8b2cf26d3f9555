"""The root causes a utility or hotline starts with (administrators add their own)."""

from django.db import migrations

DEFAULTS = [
    ("aging-network", "管网设备老化", "供水、供电、燃气等管网或设备老化、破损"),
    ("construction", "施工影响", "本单位或第三方施工造成的停供、噪声、道路问题"),
    ("metering-billing", "计量与账单差错", "抄表、计量、计费、账单错误"),
    ("not-informed", "告知不到位", "停供、收费、办事要求等未提前或未一次性告知"),
    ("process", "流程不清或办事繁琐", "办事流程不清楚、材料反复要求、多头跑"),
    ("staff-conduct", "工作人员态度或作风", "服务态度差、推诿、不作为"),
    ("response-slow", "处置不及时", "响应或处置超过时限、抢修慢"),
    ("equipment-failure", "设备故障", "站点、系统、车辆等设备故障"),
    ("third-party", "第三方原因", "外部单位、业主、物业等责任"),
    ("policy", "政策或规定", "现行政策、标准或规定本身引起的诉求"),
    ("other", "其他", ""),
]


def add(apps, schema_editor):
    RootCause = apps.get_model("improvement", "RootCause")
    for code, name, description in DEFAULTS:
        RootCause.objects.get_or_create(
            code=code, defaults={"name": name, "description": description}
        )


def remove(apps, schema_editor):
    apps.get_model("improvement", "RootCause").objects.filter(
        code__in=[c for c, _n, _d in DEFAULTS], cases__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("improvement", "0003_rootcause")]
    operations = [migrations.RunPython(add, remove)]
