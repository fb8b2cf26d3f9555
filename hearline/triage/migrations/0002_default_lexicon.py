"""The lexicon a new installation starts with (administrators edit it in admin), and
override records made append-only."""

from django.db import migrations

from hearline.core.append_only import AppendOnly

DEFAULT_LEXICON = {
    "urgent": "停水 断水 没水 爆管 爆裂 冒水 漏水严重 燃气泄漏 煤气泄漏 燃气味 触电 漏电 被困 困在电梯 "
    "电梯困人 坠落 坍塌 塌陷 着火 起火 火灾 冒烟 爆炸 中毒 溺水 救命",
    "safety": "安全隐患 危险 井盖 掉落 倒塌 裂缝 燃气 高压线 消防通道 水质 浑浊 发黄 异味",
    "opinion": "媒体 记者 曝光 上访 信访 网上发帖 微博 抖音 12345投诉 省长信箱 集体 联名 拉横幅",
    "anger": "忍无可忍 太过分 气愤 愤怒 投诉无门 多次投诉 再次投诉 第三次 没人管 不作为 欺骗",
    "vulnerable": "老人 老年人 独居 孤寡 残疾 残障 瘫痪 卧床 重病 病人 孕妇 怀孕 婴儿 透析 行动不便",
    "incident": "爆管 爆裂 大面积停水 整片停水 燃气泄漏 煤气泄漏 塌陷 火灾 爆炸",
}


def add_lexicon(apps, schema_editor):
    LexiconTerm = apps.get_model("triage", "LexiconTerm")
    LexiconTerm.objects.bulk_create(
        [
            LexiconTerm(term=term, kind=kind)
            for kind, terms in DEFAULT_LEXICON.items()
            for term in terms.split()
        ]
    )


class Migration(migrations.Migration):
    dependencies = [("triage", "0001_initial")]

    operations = [
        migrations.RunPython(add_lexicon, migrations.RunPython.noop),
        AppendOnly("triage_triageoverride"),
    ]
