"""Near-duplicates among open cases, and repeats by the same complainant."""

from hearline.cases.actions import do_transition
from hearline.cases.submission import ComplainantData
from hearline.testing.org import register, valid_payload
from hearline.triage.duplicates import band_keys, near_duplicates, shingles
from hearline.triage.models import CaseBand

BURST = "中山西路12号门口水管爆裂，路面一直冒水，整栋楼停水，已经三个小时了没人来修。"
REWORDED = "中山西路12号门口的水管爆了，路上一直在冒水，我们整栋楼都停水三个小时了，还没人来修！"
SAME_STREET = "中山西路12号门口的路灯坏了两个星期，晚上走路看不见。"
OTHER = "地铁站电梯坏了一个星期没人修，老人上下楼很不方便。"


def test_a_reworded_report_is_found_and_an_unrelated_one_in_the_same_street_is_not(org):
    first = register(org, description=BURST, district="海曙区").case
    lamp = register(org, description=SAME_STREET, district="海曙区").case
    register(org, description=OTHER, district="江北区")
    found = near_duplicates(REWORDED, district="海曙区")
    assert [m.tracking_number for m in found] == [first.tracking_number]
    assert found[0].same_place and found[0].similarity > 0.3
    assert lamp.tracking_number not in [m.tracking_number for m in near_duplicates(REWORDED)]
    assert near_duplicates("小区门口垃圾桶满了没人清理") == []


def test_an_answered_case_is_no_longer_a_duplicate_target(org):
    first = register(org, description=BURST).case
    assert near_duplicates(REWORDED)
    do_transition(
        first.pk,
        "close_on_spot",
        acting_user=org.agent,
        payload=valid_payload("close_on_spot", org),
    )
    assert near_duplicates(REWORDED) == [] and not CaseBand.objects.filter(case=first).exists()


def test_the_same_complainant_about_the_same_matter_is_a_repeat(org):
    person = ComplainantData(name="王丽", phone="13812345678")
    first = register(org, description=BURST, complainant=person).case
    again = register(org, description=REWORDED, complainant=person).case
    assert again.triage.repeat_of == first and "repeat" in again.triage.flags
    other_matter = register(org, description=OTHER, complainant=person).case
    assert other_matter.triage.repeat_of is None
    stranger = register(
        org, description=REWORDED, complainant=ComplainantData(name="李", phone="13900000000")
    ).case
    assert stranger.triage.repeat_of is None


def test_a_free_form_address_gets_its_district(org):
    from hearline.triage.places import locate

    place = locate("宁波市海曙区中山西路12号")
    assert (place.province, place.city, place.district) == ("浙江省", "宁波市", "海曙区")
    case = register(org, address="鄞州区学士路5号", district="").case
    assert case.district == "鄞州区"
    kept = register(org, address="鄞州区学士路5号", district="高新区").case
    assert kept.district == "高新区"  # what the agent typed wins
    assert locate("门口那条路") is None


def test_a_complainant_known_to_be_vulnerable_is_flagged_on_every_case(org):
    from hearline.cases.models import Complainant

    register(org, description="水压低", complainant=ComplainantData(name="张", phone="13711112222"))
    Complainant.objects.filter(phone="13711112222").update(is_elderly=True)
    later = register(
        org, description="水费有误", complainant=ComplainantData(name="张", phone="13711112222")
    ).case
    assert "vulnerable" in later.triage.flags


def test_band_keys_depend_on_the_text_alone():
    """Keys stored at one registration are looked up at the next: computing other texts'
    keys in between (all share one set of permutations) changes nothing."""
    burst, pressure = (
        shingles("小区门口消防栓漏水三天了，路面结冰。"),
        shingles("家里自来水水压很低。"),
    )
    first = band_keys(burst)
    assert len(first) == 16 and band_keys(pressure) != first
    assert band_keys(burst) == first
