from django.utils import translation

from hearline.cases.readback import acknowledgement_text


def test_home_page_speaks_chinese_by_default(client):
    page = client.get("/")
    assert page.status_code == 200
    assert "查询投诉进度" in page.content.decode()


def test_english_through_django_i18n(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/")
    assert "Follow your complaint" in page.content.decode()


def test_a_browser_language_alone_does_not_switch_away_from_chinese(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "查询投诉进度" in page.content.decode()


def test_acknowledgement_in_both_languages(org):
    from hearline.testing.org import register

    case = register(org).case
    assert "您的投诉已受理" in acknowledgement_text(case)
    with translation.override("en"):
        assert acknowledgement_text(case).startswith("Your complaint has been registered")
