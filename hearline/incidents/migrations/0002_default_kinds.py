"""The incident kinds a new installation starts with (administrators edit them in admin),
and the incident history made append-only."""

from django.db import migrations

from hearline.core.append_only import AppendOnly

# code: (name, words, cases that make a burst)
DEFAULT_KINDS = {
    "water-supply": (
        "停水",
        "停水 断水 没水 没有水 无水 不出水 不来水 没来水 什么时候来水 水停了 供水中断 缺水 爆管 水管爆裂",
        5,
    ),
    "water-quality": ("水质异常", "水质 浑浊 发黄 黄水 异味 有沉淀 红虫", 5),
    "power": ("停电", "停电 断电 没电 跳闸 供电中断", 5),
    "gas": ("燃气泄漏", "燃气泄漏 煤气泄漏 燃气味 煤气味 漏气 天然气泄漏", 3),
    "public-health": ("公共卫生事件", "食物中毒 集体腹泻 呕吐 腹泻 疫情 传染 集体发病", 3),
    "system-outage": (
        "系统故障",
        "系统故障 系统崩溃 无法登录 登不上 打不开 无法缴费 缴费失败 无法支付 闪退 网站瘫痪",
        10,
    ),
    "transit": ("运营中断", "停运 停驶 延误 晚点 故障停车 列车故障 地铁故障", 10),
    "collapse": ("路面塌陷", "塌陷 坍塌 地陷 路面下沉", 3),
    "other": ("其他突发事件", "火灾 爆炸 着火", 5),
}


def add_kinds(apps, schema_editor):
    IncidentKind = apps.get_model("incidents", "IncidentKind")
    IncidentKind.objects.bulk_create(
        [
            IncidentKind(code=code, name=name, terms=terms, threshold=threshold)
            for code, (name, terms, threshold) in DEFAULT_KINDS.items()
        ]
    )


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial")]

    operations = [
        migrations.RunPython(add_kinds, migrations.RunPython.noop),
        AppendOnly("incidents_incidentevent"),
    ]
