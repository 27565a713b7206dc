"""The use cases on a unit of work without a database: results, events, commits and refusals.

The fake keeps its rows across units like a database does, counts real commits and records only what
committed units emitted, so "nothing is committed when a rule is broken" is a plain assertion.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from directory.adapters.repository import ApplicantRepository, RepresentativeRepository
from directory.domain.applicant import Applicant
from directory.domain.people import Representative
from directory.service_layer.applicants import register_applicant, set_applicant_active, update_applicant
from directory.service_layer.representatives import add_representative, list_representatives
from directory.service_layer.unit_of_work import DirectoryUnitOfWork
from shared.auth import Principal, Role
from shared.contracts.directory import (
    ApplicantKind,
    AssociationDeactivated,
    AssociationReactivated,
    AssociationRegistered,
    AssociationUpdated,
)
from shared.errors import Conflict, Forbidden, InvalidInput, NotFound
from shared.testing.uow import FakeUnitOfWorkMixin, InMemoryRepository

STAFF = Principal(subject="officer", role=Role.STAFF, department="culture")
ANONYMOUS = Principal(subject="anonymous", role=Role.ANONYMOUS)


class FakeApplicants(InMemoryRepository[Applicant], ApplicantRepository):
    pass


class FakeRepresentatives(InMemoryRepository[Representative], RepresentativeRepository):
    async def of_applicant(self, applicant_id: uuid.UUID) -> list[Representative]:
        return [r for r in self.rows.values() if r.applicant_id == applicant_id]


class FakeDirectoryUnitOfWork(FakeUnitOfWorkMixin, DirectoryUnitOfWork):
    applicants: FakeApplicants
    representatives: FakeRepresentatives

    def _open_fakes(self) -> None:
        self.applicants = FakeApplicants()
        self.representatives = FakeRepresentatives()


def representative_of(*applicant_ids: uuid.UUID) -> Principal:
    return Principal(subject="rep", role=Role.ASSOCIATION, association_ids=frozenset(applicant_ids))


def club_fields(**overrides: Any) -> dict[str, Any]:
    return {
        "kind": ApplicantKind.REGISTERED_ASSOCIATION, "name": "Porin Soutajat ry", "register_number": "123.456",
        "fields_of_activity": ["sports"], "district": "Keskusta",
    } | overrides  # fmt: skip


@pytest.fixture
def uow() -> FakeDirectoryUnitOfWork:
    return FakeDirectoryUnitOfWork()


async def registered(uow: FakeDirectoryUnitOfWork, **overrides: Any) -> Applicant:
    return await register_applicant(uow, actor=STAFF, fields=club_fields(**overrides))


async def test_staff_register_an_association_and_its_event_is_committed(uow: FakeDirectoryUnitOfWork) -> None:
    club = await registered(uow)
    assert club.revision == 1 and club.active and await uow.applicants.get(club.id) == club
    [event] = uow.emitted(AssociationRegistered)
    assert (event.applicant_id, event.name, event.district) == (club.id, "Porin Soutajat ry", "Keskusta")
    assert uow.commits == 1


async def test_a_private_person_is_registered_without_name_or_district_in_its_event(
    uow: FakeDirectoryUnitOfWork,
) -> None:
    person = await registered(uow, kind=ApplicantKind.PRIVATE_PERSON, register_number=None, name="Maija")
    [event] = uow.emitted(AssociationRegistered)
    assert event.applicant_id == person.id and event.name is None and event.district is None


@pytest.mark.parametrize("actor", [representative_of(uuid.uuid4()), ANONYMOUS])
async def test_only_staff_register(uow: FakeDirectoryUnitOfWork, actor: Principal) -> None:
    with pytest.raises(Forbidden):
        await register_applicant(uow, actor=actor, fields=club_fields())
    assert uow.applicants.rows == {} and uow.events == [] and uow.commits == 0


async def test_a_broken_rule_registers_nothing(uow: FakeDirectoryUnitOfWork) -> None:
    with pytest.raises(InvalidInput) as caught:
        await registered(uow, register_number=None)
    assert caught.value.field == "register_number"
    assert uow.applicants.rows == {} and uow.events == [] and uow.commits == 0


async def test_the_association_updates_its_profile_and_the_new_state_is_emitted(
    uow: FakeDirectoryUnitOfWork,
) -> None:
    club = await registered(uow)
    changed = await update_applicant(
        uow, actor=representative_of(club.id), applicant_id=club.id, changes={"district": "Meri-Pori"}
    )
    assert changed.revision == 2 and (await uow.applicants.get(club.id)) == changed
    [event] = uow.emitted(AssociationUpdated)
    assert (event.revision, event.district) == (2, "Meri-Pori") and uow.commits == 2


async def test_an_update_that_changes_nothing_commits_nothing(uow: FakeDirectoryUnitOfWork) -> None:
    club = await registered(uow)
    same = await update_applicant(uow, actor=STAFF, applicant_id=club.id, changes={"name": club.name})
    assert same.revision == 1 and uow.emitted(AssociationUpdated) == [] and uow.commits == 1


async def test_a_representative_may_not_change_the_identity_nor_another_association(
    uow: FakeDirectoryUnitOfWork,
) -> None:
    club, other = await registered(uow), await registered(uow, register_number="654.321")
    with pytest.raises(InvalidInput) as caught:
        await update_applicant(
            uow, actor=representative_of(club.id), applicant_id=club.id, changes={"register_number": "999.999"}
        )
    assert caught.value.field == "register_number"
    with pytest.raises(Forbidden):
        await update_applicant(uow, actor=representative_of(club.id), applicant_id=other.id, changes={"district": "x"})
    assert await uow.applicants.get(club.id) == club and await uow.applicants.get(other.id) == other
    assert uow.emitted(AssociationUpdated) == [] and uow.commits == 2  # the two registrations


async def test_a_hidden_record_is_answered_as_missing(uow: FakeDirectoryUnitOfWork) -> None:
    person = await registered(uow, kind=ApplicantKind.PRIVATE_PERSON, register_number=None)
    with pytest.raises(NotFound):
        await update_applicant(uow, actor=representative_of(uuid.uuid4()), applicant_id=person.id, changes={})
    with pytest.raises(NotFound):
        await update_applicant(uow, actor=STAFF, applicant_id=uuid.uuid4(), changes={})


async def test_deactivation_and_reactivation_emit_their_events(uow: FakeDirectoryUnitOfWork) -> None:
    club = await registered(uow)
    gone = await set_applicant_active(uow, actor=STAFF, applicant_id=club.id, active=False)
    assert not gone.active and gone.revision == 2
    back = await set_applicant_active(uow, actor=STAFF, applicant_id=club.id, active=True)
    assert back.active and back.revision == 3 and await uow.applicants.get(club.id) == back
    assert [e.revision for e in uow.emitted(AssociationDeactivated)] == [2]
    assert [e.revision for e in uow.emitted(AssociationReactivated)] == [3]


async def test_deactivating_twice_is_a_conflict_that_commits_nothing(uow: FakeDirectoryUnitOfWork) -> None:
    club = await registered(uow)
    await set_applicant_active(uow, actor=STAFF, applicant_id=club.id, active=False)
    with pytest.raises(Conflict):
        await set_applicant_active(uow, actor=STAFF, applicant_id=club.id, active=False)
    assert len(uow.emitted(AssociationDeactivated)) == 1 and uow.commits == 2
    assert (await uow.applicants.get(club.id)) is not None


async def test_only_staff_deactivate_even_their_own_association(uow: FakeDirectoryUnitOfWork) -> None:
    club = await registered(uow)
    with pytest.raises(Forbidden):
        await set_applicant_active(uow, actor=representative_of(club.id), applicant_id=club.id, active=False)
    stored = await uow.applicants.get(club.id)
    assert stored is not None and stored.active and uow.emitted(AssociationDeactivated) == []


async def test_the_association_adds_its_representative_and_no_event_carries_it(
    uow: FakeDirectoryUnitOfWork,
) -> None:
    club = await registered(uow)
    own = representative_of(club.id)
    person = await add_representative(
        uow, actor=own, applicant_id=club.id,
        fields={"name": " Matti ", "role": "chair", "email": "Matti@Example.fi", "phone": "040 123 4567"},
    )  # fmt: skip
    assert (person.name, person.email, person.applicant_id) == ("Matti", "matti@example.fi", club.id)
    assert await list_representatives(uow, actor=own, applicant_id=club.id) == [person]
    assert len(uow.events) == 1 and uow.commits == 2  # the registration's event only


@pytest.mark.parametrize("actor", [representative_of(uuid.uuid4()), ANONYMOUS])
async def test_only_staff_and_the_association_add_representatives(
    uow: FakeDirectoryUnitOfWork, actor: Principal
) -> None:
    club = await registered(uow)
    with pytest.raises(Forbidden):
        await add_representative(
            uow, actor=actor, applicant_id=club.id, fields={"name": "M", "role": "chair", "email": "m@x.fi"}
        )
    assert uow.representatives.rows == {} and uow.commits == 1


async def test_a_representative_of_a_hidden_or_missing_applicant_is_not_found(uow: FakeDirectoryUnitOfWork) -> None:
    person = await registered(uow, kind=ApplicantKind.PRIVATE_PERSON, register_number=None)
    for applicant_id in (person.id, uuid.uuid4()):
        with pytest.raises(NotFound):
            await add_representative(
                uow, actor=representative_of(uuid.uuid4()), applicant_id=applicant_id,
                fields={"name": "M", "role": "chair", "email": "m@x.fi"},
            )  # fmt: skip
    assert uow.representatives.rows == {}


async def test_an_invalid_representative_is_not_stored(uow: FakeDirectoryUnitOfWork) -> None:
    club = await registered(uow)
    with pytest.raises(InvalidInput) as caught:
        await add_representative(
            uow, actor=STAFF, applicant_id=club.id,
            fields={"name": "M", "role": "chair", "email": "m@x.fi", "phone": "not a phone"},
        )  # fmt: skip
    assert caught.value.field == "phone" and uow.representatives.rows == {} and uow.commits == 1


async def test_a_use_case_joins_the_unit_its_caller_entered(uow: FakeDirectoryUnitOfWork) -> None:
    """As an idempotent request does: the caller's commit is the only one, so its record goes with the change."""
    async with uow:
        club = await registered(uow)
        assert uow.commits == 0 and uow.events == []
        await uow.commit()
    assert uow.commits == 1 and [e.applicant_id for e in uow.emitted(AssociationRegistered)] == [club.id]


async def test_a_joined_use_case_that_fails_leaves_nothing_when_the_caller_gives_up(
    uow: FakeDirectoryUnitOfWork,
) -> None:
    with pytest.raises(Forbidden):
        async with uow:
            await register_applicant(uow, actor=ANONYMOUS, fields=club_fields())
    assert uow.commits == 0 and uow.events == []
