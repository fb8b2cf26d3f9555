"""Synonym groups every Chinese public-service hotline needs from the first day; editable in
the administration."""

from django.db import migrations

GROUPS = [
    "水费 自来水费 水费单",
    "营业执照 执照",
    "停水 断水 没水 无水",
    "水压 水压低 水小",
    "电费 电费单",
    "停电 断电 没电",
    "燃气 煤气 天然气",
    "噪音 噪声 扰民",
    "路灯 街灯",
    "公交 公交车 公共汽车",
    "地铁 轨道交通",
    "医保 医疗保险",
    "社保 社会保险",
    "公积金 住房公积金",
    "户口 户籍",
    "身份证 居民身份证",
    "发票 票据",
    "退费 退款",
    "过户 更名",
    "水表 计量表",
]


def forward(apps, schema_editor):
    SynonymGroup = apps.get_model("knowledge", "SynonymGroup")
    SynonymGroup.objects.bulk_create(SynonymGroup(words=words) for words in GROUPS)


def backward(apps, schema_editor):
    apps.get_model("knowledge", "SynonymGroup").objects.filter(words__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0002_search_index")]

    operations = [migrations.RunPython(forward, backward)]
