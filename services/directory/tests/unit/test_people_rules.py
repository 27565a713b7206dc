import uuid

import pytest

from directory.domain.people import LiaisonContact, Representative
from directory.domain.vocabulary import RepresentativeRole
from shared.contracts.directory import LiaisonKind
from shared.errors import InvalidInput


def contact(**overrides: object) -> LiaisonContact:
    fields: dict[str, object] = {
        "id": uuid.uuid4(), "kind": LiaisonKind.DEPARTMENT_CONTACT, "name": "Liisa Yhteys", "title": "Kulttuurisihteeri",
        "email": "Liisa.Yhteys@Pori.fi", "department_id": uuid.uuid4(), "topics": [" Avustukset ", "avustukset", "tilat"],
    }  # fmt: skip
    c = LiaisonContact(**(fields | overrides))  # type: ignore[arg-type]
    c.validate()
    return c


def test_contacts_are_normalised() -> None:
    c = contact()
    assert c.email == "liisa.yhteys@pori.fi" and c.topics == ["avustukset", "tilat"]


def test_only_the_coordinator_may_stand_outside_departments() -> None:
    assert contact(kind=LiaisonKind.COORDINATOR, department_id=None).department_id is None
    with pytest.raises(InvalidInput) as caught:
        contact(department_id=None)
    assert caught.value.field == "department_id"


def test_programme_contacts_name_their_programme() -> None:
    with pytest.raises(InvalidInput) as caught:
        contact(kind=LiaisonKind.PROGRAMME_CONTACT)
    assert caught.value.field == "subject_ref"
    ref = f"grants:programme:{uuid.uuid4()}"
    assert contact(kind=LiaisonKind.PROGRAMME_CONTACT, subject_ref=ref).subject_ref == ref
    with pytest.raises(InvalidInput):
        contact(kind=LiaisonKind.FACILITY_CONTACT, subject_ref=ref)  # a programme is not a facility


@pytest.mark.parametrize("phone", ["+358 44 123 4567", "044-1234567", "(02) 621 1111"])
def test_phone_numbers_are_accepted(phone: str) -> None:
    r = Representative(uuid.uuid4(), uuid.uuid4(), "Matti", RepresentativeRole.CHAIR, "M@x.fi", phone)
    r.validate()
    assert r.phone == phone and r.email == "m@x.fi"


def test_a_phone_number_with_letters_is_refused() -> None:
    r = Representative(uuid.uuid4(), uuid.uuid4(), "Matti", RepresentativeRole.CHAIR, "m@x.fi", "call me")
    with pytest.raises(InvalidInput) as caught:
        r.validate()
    assert caught.value.field == "phone"
