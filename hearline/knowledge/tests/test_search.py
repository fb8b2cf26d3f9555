"""Search in Chinese: segmented words, synonyms, ranking, and what the public may see."""

import pytest

from hearline.knowledge.actions import do_save_synonym_group
from hearline.knowledge.search import search
from hearline.testing.knowledge import article

pytestmark = pytest.mark.django_db


def titles(query, public_only=False, limit=5):
    return [a.title for a in search(query, public_only=public_only, limit=limit)]


def test_a_word_inside_a_longer_word_is_found(org):
    article(org, title="个体工商户营业执照办理指南", summary="到政务服务中心综合窗口办理。")
    assert titles("执照怎么办") == ["个体工商户营业执照办理指南"]
    assert titles("营业执照丢了") == ["个体工商户营业执照办理指南"]


def test_synonyms_find_each_other(org):
    article(org, title="自来水费缴纳方式", summary="可通过银行代扣、营业厅或微信缴纳。")
    article(org, title="办理执照需要哪些材料", summary="身份证、经营场所证明。")
    assert titles("水费在哪里交") == ["自来水费缴纳方式"]
    # 营业 (of 营业执照) also occurs in 营业厅: a weaker match, ranked below.
    assert titles("营业执照的材料") == ["办理执照需要哪些材料", "自来水费缴纳方式"]


def test_a_new_synonym_group_applies_after_saving(org, django_capture_on_commit_callbacks):
    article(org, title="燃气表故障报修", summary="拨打燃气公司抢修电话。")
    assert titles("瓦斯表坏了") == []
    with django_capture_on_commit_callbacks(execute=True):
        do_save_synonym_group(words="燃气 瓦斯", acting_user=org.manager)
    assert titles("瓦斯表坏了") == ["燃气表故障报修"]


def test_exact_title_ranks_above_a_passing_mention(org):
    mention = "本指南介绍小区公共设施报修流程。" + "物业负责日常维护和巡查。" * 20
    article(
        org, title="小区公共设施报修", summary="联系物业。", body=mention + "路灯不亮也可报修。"
    )
    article(org, title="路灯不亮报修", summary="拨打城管热线，说明路灯编号和位置。")
    assert titles("路灯不亮")[0] == "路灯不亮报修"
    assert set(titles("路灯不亮")) == {"路灯不亮报修", "小区公共设施报修"}


def test_tags_are_searched(org):
    article(org, title="管网抢修期间的临时供水", summary="安排送水车。", tags=["送水车", "应急"])
    assert titles("有没有送水车") == ["管网抢修期间的临时供水"]


def test_staff_only_and_unpublished_articles_stay_off_the_portal(org):
    article(org, title="停水赔偿内部口径", summary="内部口径。", audience="staff")
    article(org, title="停水赔偿申请草稿", summary="尚未发布。", status="draft")
    article(org, title="停水赔偿申请", summary="停水超过24小时可申请减免水费。")
    assert titles("停水赔偿", public_only=True) == ["停水赔偿申请"]
    assert set(titles("停水赔偿")) == {"停水赔偿内部口径", "停水赔偿申请"}


def test_an_edit_is_searchable_at_once_and_the_old_words_are_gone(org):
    from hearline.knowledge.actions import do_save_article

    a = article(org, title="水表更换", summary="水表到期免费更换。")
    do_save_article(article_id=a.pk, values={"title": "计量表周期检定"}, acting_user=org.manager)
    assert titles("计量表") == ["计量表周期检定"]
    assert titles("更换") == ["计量表周期检定"]  # still in the answer
    do_save_article(article_id=a.pk, values={"summary": "按周期送检。"}, acting_user=org.manager)
    assert titles("更换") == []


def test_questions_of_only_filler_words_find_nothing(org):
    article(org, title="停水期间如何申请临时供水", summary="拨打热线。")
    assert titles("请问怎么办？") == []
    assert titles("") == []


def test_quotes_and_operators_in_a_query_are_plain_words(org):
    article(org, title="水压低怎么办", summary="检查户内阀门。")
    assert titles('水压 OR "低" AND NOT * ( ) \'') == ["水压低怎么办"]


def test_words_most_articles_contain_are_left_out_of_a_query(org):
    from hearline.knowledge.search import COMMON_MIN, common_words

    for n in range(COMMON_MIN + 5):
        article(org, title=f"第{n}号口径", summary="关于这个问题的答复。")
    article(org, title="水表更换", summary="水表到期免费更换。")
    assert "问题" in common_words()
    assert titles("水表的问题", limit=3) == ["水表更换"]
    assert len(titles("问题", limit=3)) == 3  # nothing else asked: the common word stays


def test_an_article_with_a_very_long_token_is_saved_and_found(org):
    article(org, title="附件下载说明", summary="下载地址：" + "a" * 3000)
    assert titles("附件下载") == ["附件下载说明"]
    assert titles("a" * 500) == []
