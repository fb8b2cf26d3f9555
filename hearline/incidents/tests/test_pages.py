"""The incident pages as coordinators, agents and the public see them."""

import pytest

from hearline.cases.models import ComplainantAccess
from hearline.cases.submission import ComplainantData
from hearline.incidents import actions
from hearline.incidents.models import Incident, IncidentKind
from hearline.testing.org import register


@pytest.fixture
def incident(org):
    kind = IncidentKind.objects.get(code="water-supply")
    kind.department = org.departments["water"]
    kind.save()
    return actions.do_open_incident(
        kind="water-supply",
        title="海曙区中山西路爆管停水",
        districts=["海曙区"],
        measures="临时供水点：中山公园东门",
        acting_user=org.coordinator,
    )


def _linked_case(org, phone="13911112222", name="赵阿姨", **person):
    return register(
        org,
        description="停水一天了，家里有卧床的老人。",
        complainant=ComplainantData(name=name, phone=phone, address="海曙区柳汀街3号", **person),
    ).case


def test_the_coordinator_publishes_a_bulletin_from_the_incident_page(client, org, incident):
    _linked_case(org)
    client.force_login(org.coordinator)
    page = client.get(f"/staff/incidents/{incident.pk}/")
    assert page.status_code == 200 and "海曙区中山西路爆管停水" in page.content.decode()
    empty = client.post(f"/staff/incidents/{incident.pk}/act/publish_bulletin/", {"text": ""})
    assert empty.status_code == 422 and "此项为必填" in empty.content.decode()
    done = client.post(
        f"/staff/incidents/{incident.pk}/act/publish_bulletin/",
        {"text": "抢修队已到场", "measures": "临时供水点：中山公园东门、望京路口"},
    )
    assert done.status_code == 302
    assert Incident.objects.get().measures == "临时供水点：中山公园东门、望京路口"
    refused = client.post(
        f"/staff/incidents/{incident.pk}/act/link/", {"numbers": "NOPE-1 260101-XXXXX"}
    )
    assert refused.status_code == 422 and "未找到" in refused.content.decode()


def test_others_see_the_incident_but_cannot_act_and_strangers_see_nothing(client, org, incident):
    client.force_login(org.water_supervisor)
    page = client.get(f"/staff/incidents/{incident.pk}/").content.decode()
    assert "/act/publish_bulletin/" not in page
    assert (
        client.post(
            f"/staff/incidents/{incident.pk}/act/publish_bulletin/", {"text": "x"}
        ).status_code
        == 302
    )
    assert not incident.bulletins.exists()
    assert client.get(f"/staff/incidents/{incident.pk}/households/").status_code == 404
    client.force_login(org.metro_handler)
    assert client.get(f"/staff/incidents/{incident.pk}/").status_code == 404


def test_the_households_page_shows_personal_data_and_logs_the_view(client, org, incident):
    case = _linked_case(org, is_elderly=True)
    client.force_login(org.coordinator)
    page = client.get(f"/staff/incidents/{incident.pk}/households/").content.decode()
    assert "赵阿姨" in page and "13911112222" in page and "海曙区柳汀街3号" in page
    assert ComplainantAccess.objects.filter(user=org.coordinator, case=case).exists()
    client.post(
        f"/staff/incidents/{incident.pk}/households/support/",
        {"complainant": case.complainant_id, "what": "送水两桶"},
    )
    assert incident.supports.get().what == "送水两桶"


def test_the_agent_reads_the_bulletin_and_the_complainant_sees_it_in_their_progress(
    client, org, incident
):
    actions.do_publish_bulletin(
        incident.pk, text="抢修队已到场，预计明早恢复", acting_user=org.coordinator
    )
    case = _linked_case(org)
    client.force_login(org.agent)
    readback = client.get(f"/staff/cases/{case.pk}/readback/").content.decode()
    assert "抢修队已到场，预计明早恢复" in readback and "中山公园东门" in readback
    client.logout()
    track = client.get(
        "/track/", {"number": case.tracking_number, "token": case.public_token}
    ).content.decode()
    assert "抢修队已到场，预计明早恢复" in track and f"/incidents/{incident.pk}/" in track


def test_the_public_page_shows_bulletins_in_order_and_nothing_personal(client, org, incident):
    case = _linked_case(org)
    for text in ("第一次通报：抢修中", "第二次通报：正在冲洗"):
        actions.do_publish_bulletin(incident.pk, text=text, acting_user=org.coordinator)
    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert page.index("第一次通报") < page.index("第二次通报")
    for private in ("赵阿姨", "13911112222", case.tracking_number, "柳汀街"):
        assert private not in page
    assert "海曙区中山西路爆管停水" in client.get("/incidents/").content.decode()


def test_the_public_pages_mask_personal_data_a_coordinator_wrote(client, org, incident):
    """A coordinator quoting a caller publishes no phone number, e-mail or house number."""
    Incident.objects.filter(pk=incident.pk).update(
        title="柳汀街3号2单元停水", summary="联系人赵阿姨 139-1111-2222"
    )
    actions.do_publish_bulletin(
        incident.pk,
        text="抢修中，咨询请联系 zhao@example.org",
        measures="送水到柳汀街3号5幢302，电话0574-87654321",
        acting_user=org.coordinator,
    )
    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    for private in ("3号", "1111", "zhao@", "5幢", "8765"):
        assert private not in page
    assert "柳汀街****停水" in page and "139****2222" in page and "z***@example.org" in page
    assert "柳汀街****停水" in client.get("/incidents/").content.decode()


def test_a_proposal_is_not_public(client, org, incident):
    for n in range(5):
        register(org, description="江北区停水了", district="江北区", address=f"江北区人民路{n}号")
    proposal = Incident.objects.get(state="proposed")
    assert client.get(f"/incidents/{proposal.pk}/").status_code == 404
    assert proposal.title not in client.get("/incidents/").content.decode()


def test_the_intake_panel_shows_the_running_incident_while_the_agent_types(client, org, incident):
    actions.do_publish_bulletin(
        incident.pk, text="抢修队已到场，预计明早恢复", acting_user=org.coordinator
    )
    client.force_login(org.agent)
    panel = client.get(
        "/staff/intake/suggest/", {"description": "我家从早上开始停水了", "district": "海曙区"}
    ).content.decode()
    assert "海曙区中山西路爆管停水" in panel and "抢修队已到场，预计明早恢复" in panel
    elsewhere = client.get(
        "/staff/intake/suggest/", {"description": "我家从早上开始停水了", "district": "江北区"}
    ).content.decode()
    assert "海曙区中山西路爆管停水" not in elsewhere


def test_cases_of_a_running_incident_leave_the_dispatch_queue_unless_they_need_more(
    client, org, incident
):
    linked = _linked_case(org)
    more = _linked_case(org, phone="13911113333", name="钱先生")
    alone = register(org, description="小区绿化带需要修剪").case
    actions.do_mark_own_needs(
        incident.pk, more.tracking_number, own_needs=True, acting_user=org.coordinator
    )
    client.force_login(org.dispatcher)
    queue = client.get("/staff/cases/", {"queue": "dispatch"}).content.decode()
    assert alone.tracking_number in queue and more.tracking_number in queue
    assert linked.tracking_number not in queue


def test_the_coordinator_sees_a_proposal_in_the_list_and_confirms_it(client, org, incident):
    for n in range(5):
        register(org, description="江北区停水了", district="江北区", address=f"江北区人民路{n}号")
    proposal = Incident.objects.get(state="proposed")
    client.force_login(org.coordinator)
    listing = client.get("/staff/incidents/").content.decode()
    assert listing.index(proposal.title) < listing.index(incident.title)  # proposals first
    page = client.get(f"/staff/incidents/{proposal.pk}/").content.decode()
    assert "由系统提出" in page and "确认为突发事件" in page
    confirmed = client.post(
        f"/staff/incidents/{proposal.pk}/act/confirm/",
        {"title": "江北区人民路停水", "districts": "江北区", "bulletin_interval_hours": 6},
    )
    assert confirmed.status_code == 302
    assert Incident.objects.get(pk=proposal.pk).coordinator == org.coordinator


def test_the_close_form_asks_when_water_came_back_and_the_pages_show_it(client, org, incident):
    from datetime import timedelta

    from django.utils import timezone

    from hearline.testing.posted_form import posted_form

    client.force_login(org.coordinator)
    url = f"/staff/incidents/{incident.pk}/"
    sent = posted_form(client.get(url).content.decode(), action_endswith="/act/close/")
    shown = sent["restored_at"][0]
    assert shown == timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "now, as the picker takes it"
    Incident.objects.filter(pk=incident.pk).update(started_at=timezone.now() - timedelta(hours=12))
    restored = timezone.localtime() - timedelta(hours=3)
    sent |= {
        "notice": ["供水已恢复"],
        "finding": ["爆管"],
        "resolution": ["换管"],
        "restored_at": [restored.strftime("%Y-%m-%dT%H:%M")],
    }
    assert client.post(f"{url}act/close/", sent).status_code == 302
    incident.refresh_from_db()
    assert incident.resolved_at == restored.replace(second=0, microsecond=0)
    shown_at = restored.strftime("%Y-%m-%d %H:%M")
    assert shown_at in client.get(url).content.decode()
    assert shown_at in client.get(f"/incidents/{incident.pk}/").content.decode()


def test_the_close_form_refuses_a_restoration_in_the_future(client, org, incident):
    from datetime import timedelta

    from django.utils import timezone

    client.force_login(org.coordinator)
    later = timezone.localtime() + timedelta(hours=2)
    page = client.post(
        f"/staff/incidents/{incident.pk}/act/close/",
        {
            "notice": "供水已恢复",
            "finding": "爆管",
            "resolution": "换管",
            "resolution_type": "repair",
            "restored_at": later.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert page.status_code == 422 and "时间不能晚于现在" in page.content.decode()
    assert Incident.objects.get(pk=incident.pk).state == "open"
