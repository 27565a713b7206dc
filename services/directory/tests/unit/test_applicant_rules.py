import uuid

import pytest

from directory.domain.applicant import Applicant
from directory.service_layer.events import applicant_state
from shared.contracts.directory import ApplicantKind, AssociationRegistered
from shared.errors import Conflict, InvalidInput


def applicant(**overrides: object) -> Applicant:
    fields: dict[str, object] = {
        "id": uuid.uuid4(), "kind": ApplicantKind.REGISTERED_ASSOCIATION, "name": "Porin Soutajat ry",
        "register_number": "123.456", "fields_of_activity": ["sports"],
    }  # fmt: skip
    a = Applicant(**(fields | overrides))  # type: ignore[arg-type]
    a.validate()
    return a


def test_a_registered_association_needs_its_register_number() -> None:
    with pytest.raises(InvalidInput) as caught:
        applicant(register_number=None)
    assert caught.value.field == "register_number"


@pytest.mark.parametrize("kind", [ApplicantKind.UNREGISTERED_GROUP, ApplicantKind.PRIVATE_PERSON])
def test_groups_and_private_persons_have_no_registry_identifiers(kind: ApplicantKind) -> None:
    with pytest.raises(InvalidInput) as caught:
        applicant(kind=kind, register_number=None, business_id="0112038-9")
    assert caught.value.field == "business_id"


def test_unknown_fields_of_activity_are_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        applicant(fields_of_activity=["sports", "sprots"])
    assert caught.value.field == "fields_of_activity" and "sprots" in caught.value.message


def test_representatives_cannot_change_identity_fields_but_staff_can() -> None:
    a = applicant()
    with pytest.raises(InvalidInput) as caught:
        a.change({"business_id": "0112038-9"}, may_change_identity=False)
    assert caught.value.field == "business_id"
    assert a.change({"business_id": "0112038-9"}, may_change_identity=True)
    assert a.revision == 2


def test_a_change_that_changes_nothing_keeps_the_revision() -> None:
    a = applicant()
    assert not a.change({"name": "Porin Soutajat ry"}, may_change_identity=False)
    assert a.revision == 1


def test_deactivating_twice_is_a_conflict() -> None:
    a = applicant()
    a.deactivate()
    with pytest.raises(Conflict):
        a.deactivate()
    a.reactivate()
    assert a.active and a.revision == 3


def test_private_persons_are_never_public_and_travel_without_name_or_district() -> None:
    person = applicant(
        kind=ApplicantKind.PRIVATE_PERSON, register_number=None, name="Maija Meikäläinen", district="Ulvila"
    )
    assert not person.is_public
    event = applicant_state(person, AssociationRegistered)
    assert event.name is None and event.district is None


def test_erasing_a_private_person_keeps_only_the_id() -> None:
    person = applicant(kind=ApplicantKind.PRIVATE_PERSON, register_number=None, name="Maija", public_email="m@x.fi")
    person.erase_personal_data()
    assert person.name == "(erased)" and person.public_email is None and not person.active
