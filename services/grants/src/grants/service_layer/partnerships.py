"""Partnership agreements (kumppanuussopimukset): calls, proposals, preparation by the department of the domain,
signing and ending, and the job that ends agreements whose term is over. The yearly discussions are in
``partnership_discussions``. Each use case owns its transaction; what it answers carries the association's
public name, read in the same transaction.

Who sees what: signed agreements in force are public. Everything else about an agreement, and every
discussion, belongs to the parties: the preparing department (and admins) and the association itself.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from grants.adapters.partnerships import Visibility
from grants.domain.partnership import Agreement, AgreementState, Initiative, PartnershipCall
from grants.service_layer.access import ensure_acts_for_applicant, ensure_department_staff, hidden
from grants.service_layer.unit_of_work import GrantsUnitOfWork
from shared.auth import Principal, Role
from shared.contracts.directory import ApplicantKind
from shared.contracts.grants import (
    PartnershipAgreementEnded,
    PartnershipAgreementRejected,
    PartnershipAgreementSigned,
    PartnershipCallAnnounced,
    PremisesTerms,
)
from shared.errors import Conflict, Forbidden, InvalidInput, NotFound
from shared.localtime import as_local, local_date


# -- who ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ShownAgreement:
    """An agreement with its association's public name, from grants' copy of the directory."""

    agreement: Agreement
    applicant_name: str | None


def _own(actor: Principal, agreement: Agreement) -> bool:
    return actor.role is Role.ASSOCIATION and agreement.applicant_id in actor.association_ids


def party(actor: Principal, agreement: Agreement) -> bool:
    """The preparing department (or an admin) and the association itself."""
    return actor.acts_for_department(agreement.department_code) or _own(actor, agreement)


def _visibility(actor: Principal) -> Visibility:
    if actor.role is Role.ADMIN:
        return Visibility(everything=True)
    if actor.role is Role.STAFF:
        return Visibility(department_code=actor.department)
    return Visibility(applicant_ids=actor.association_ids)


async def _ensure_department_known(uow: GrantsUnitOfWork, actor: Principal, code: str) -> None:
    """A department other than the caller's own must be one the directory knows: a mistyped code would hide
    the agreement from every department."""
    if not (actor.role is Role.STAFF and code == actor.department) and not await uow.departments.known(code):
        raise InvalidInput("No such department.", field="department_code")


async def visible_agreement(
    uow: GrantsUnitOfWork, actor: Principal, agreement_id: uuid.UUID, *, lock: bool = False
) -> Agreement:
    """The agreement if the caller may see it (in force, or its party); else it does not exist."""
    agreement = await uow.agreements.get(agreement_id, for_update=lock)
    if agreement is None or not (agreement.is_public or party(actor, agreement)):
        raise hidden("partnership agreement")
    return agreement


async def prepared_agreement(uow: GrantsUnitOfWork, actor: Principal, agreement_id: uuid.UUID) -> Agreement:
    """The agreement, locked, for its department's staff (or an admin) to act on."""
    agreement = await visible_agreement(uow, actor, agreement_id, lock=True)
    ensure_department_staff(actor, agreement.department_code)
    return agreement


async def _shown(uow: GrantsUnitOfWork, agreements: Sequence[Agreement]) -> list[ShownAgreement]:
    names = await uow.agreements.applicant_names({a.applicant_id for a in agreements})
    return [ShownAgreement(a, names.get(a.applicant_id)) for a in agreements]


async def _one(uow: GrantsUnitOfWork, agreement: Agreement) -> ShownAgreement:
    [shown] = await _shown(uow, [agreement])
    return shown


# -- calls --------------------------------------------------------------------------------------------------
async def announce_call(
    uow: GrantsUnitOfWork, *, actor: Principal, now: datetime, fields: dict[str, Any]
) -> PartnershipCall:
    """The city board opened agreements for application; ``closes_at`` without a zone is a Helsinki time."""
    call = PartnershipCall(id=uuid.uuid4(), created_by=actor.subject, **fields)
    call.closes_at = as_local(call.closes_at).astimezone(UTC)
    ensure_department_staff(actor, call.department_code)
    call.validate(now)
    async with uow:
        await _ensure_department_known(uow, actor, call.department_code)
        await uow.calls.add(call)
        uow.emit(
            PartnershipCallAnnounced(
                call_id=call.id,
                department_code=call.department_code,
                title=call.title,
                closes_at=call.closes_at,
                fields_of_activity=call.fields_of_activity,
            )
        )
        await uow.commit()
    return call


async def get_call(uow: GrantsUnitOfWork, *, call_id: uuid.UUID) -> PartnershipCall:
    async with uow:
        call = await uow.calls.get(call_id)
    if call is None:
        raise NotFound("No such call.", field="call_id")
    return call


async def search_calls(
    uow: GrantsUnitOfWork, *, department_code: str | None, open_at: datetime | None, limit: int, offset: int
) -> tuple[list[PartnershipCall], int]:
    async with uow:
        return await uow.calls.search(department_code=department_code, open_at=open_at, limit=limit, offset=offset)


# -- agreements ---------------------------------------------------------------------------------------------
def _initiative(actor: Principal, fields: dict[str, Any]) -> Initiative:
    if fields.get("call_id") is not None:
        allowed = [Initiative.CALL]
    elif actor.role is Role.ASSOCIATION:
        allowed = [Initiative.ASSOCIATION]
    else:
        allowed = [Initiative.CITY_STAFF, Initiative.ELECTED_OFFICIAL]
    initiative: Initiative = fields.pop("initiative", None) or allowed[0]
    if initiative not in allowed:
        named = " or ".join(i.value for i in allowed)
        raise InvalidInput(f"The initiative here is {named}.", field="initiative")
    return initiative


async def _apply_to_call(uow: GrantsUnitOfWork, actor: Principal, now: datetime, fields: dict[str, Any]) -> None:
    """An application to a call goes to the call's department while the call is open; once per association.
    The department's staff may record one that reached them otherwise."""
    call = await uow.calls.get(fields["call_id"], for_update=True)  # applications take turns
    if call is None:
        raise InvalidInput("No such call.", field="call_id")
    if actor.role is not Role.ASSOCIATION:
        ensure_department_staff(actor, call.department_code)
    call.ensure_open(now)
    if fields.get("department_code") not in (None, call.department_code):
        raise InvalidInput("The call's own department prepares its agreements.", field="department_code")
    fields["department_code"] = call.department_code
    if await uow.agreements.applied_to_call(call.id, fields["applicant_id"]):
        raise Conflict("The association has already applied to this call.", field="call_id")


async def propose_agreement(
    uow: GrantsUnitOfWork, *, actor: Principal, now: datetime, fields: dict[str, Any]
) -> ShownAgreement:
    """An initiative by city staff, an elected official (staff record it), the association, or an application
    to a call."""
    initiative = _initiative(actor, fields)
    if actor.role is Role.ASSOCIATION:
        ensure_acts_for_applicant(actor, fields["applicant_id"])
        if fields.get("responsible_liaison_ids"):
            raise InvalidInput("The city names its responsible persons.", field="responsible_liaison_ids")
        if fields.get("premises") is not None:
            raise InvalidInput("The department sets the terms about its premises.", field="premises")
    async with uow:
        if fields.get("call_id") is not None:
            await _apply_to_call(uow, actor, now, fields)
        if not fields.get("department_code"):
            raise InvalidInput("Name the department whose domain the partnership is in.", field="department_code")
        agreement = Agreement(id=uuid.uuid4(), initiative=initiative, created_by=actor.subject, **fields)
        if actor.role is not Role.ASSOCIATION:
            ensure_department_staff(actor, agreement.department_code)
        agreement.validate()
        await _ensure_department_known(uow, actor, agreement.department_code)
        applicant = await uow.applicants.get(agreement.applicant_id)
        if applicant is None or not applicant.may_apply:
            raise InvalidInput("No such active association.", field="applicant_id")
        if applicant.kind is not ApplicantKind.REGISTERED_ASSOCIATION:
            raise InvalidInput("Partnership agreements are made with registered associations.", field="applicant_id")
        await uow.agreements.add(agreement)
        await uow.commit()
    return ShownAgreement(agreement, applicant.name)


async def get_agreement(uow: GrantsUnitOfWork, *, actor: Principal, agreement_id: uuid.UUID) -> ShownAgreement:
    async with uow:
        return await _one(uow, await visible_agreement(uow, actor, agreement_id))


async def search_agreements(
    uow: GrantsUnitOfWork, *, actor: Principal, **filters: Any
) -> tuple[list[ShownAgreement], int]:
    """What the caller may see: the public sees agreements in force; the parties also their own others."""
    async with uow:
        found, total = await uow.agreements.search(seen=_visibility(actor), **filters)
        return await _shown(uow, found), total


async def change_agreement(
    uow: GrantsUnitOfWork, *, actor: Principal, agreement_id: uuid.UUID, changes: dict[str, Any]
) -> ShownAgreement:
    async with uow:
        agreement = await visible_agreement(uow, actor, agreement_id, lock=True)
        by_department = actor.acts_for_department(agreement.department_code)
        if not by_department and not _own(actor, agreement):
            raise Forbidden("Only the preparing department and the association itself may change the agreement.")
        agreement.change(changes, by_department=by_department)
        if "department_code" in changes:  # handed over to the department whose domain it turned out to be
            await _ensure_department_known(uow, actor, agreement.department_code)
        await uow.agreements.save(agreement)
        shown = await _one(uow, agreement)
        await uow.commit()
    return shown


async def withdraw_proposal(uow: GrantsUnitOfWork, *, actor: Principal, agreement_id: uuid.UUID) -> None:
    """The association takes back a proposal the department has not started preparing; nothing remains."""
    async with uow:
        agreement = await visible_agreement(uow, actor, agreement_id, lock=True)
        if not _own(actor, agreement):
            raise Forbidden("Only the association withdraws its own proposal; the department rejects one.")
        if agreement.state is not AgreementState.PROPOSED:
            raise Conflict(f"A {agreement.state.value} agreement can no longer be withdrawn.")
        await uow.agreements.delete(agreement.id)
        await uow.commit()


async def _transition(
    uow: GrantsUnitOfWork,
    actor: Principal,
    agreement_id: uuid.UUID,
    move: Callable[[Agreement], None],
    event: Callable[[Agreement], Any] | None = None,
) -> ShownAgreement:
    """Move the agreement as its department's staff, emit what the move tells others, and commit."""
    async with uow:
        agreement = await prepared_agreement(uow, actor, agreement_id)
        move(agreement)
        await uow.agreements.save(agreement)
        if event is not None:
            uow.emit(event(agreement))
        shown = await _one(uow, agreement)
        await uow.commit()
    return shown


async def start_preparation(uow: GrantsUnitOfWork, *, actor: Principal, agreement_id: uuid.UUID) -> ShownAgreement:
    return await _transition(uow, actor, agreement_id, Agreement.start_preparation)


async def approve_agreement(uow: GrantsUnitOfWork, *, actor: Principal, agreement_id: uuid.UUID) -> ShownAgreement:
    return await _transition(uow, actor, agreement_id, Agreement.approve)


def _rejected(agreement: Agreement) -> PartnershipAgreementRejected:
    return PartnershipAgreementRejected(
        agreement_id=agreement.id, applicant_id=agreement.applicant_id, department_code=agreement.department_code
    )


async def reject_agreement(
    uow: GrantsUnitOfWork, *, actor: Principal, agreement_id: uuid.UUID, reason: str
) -> ShownAgreement:
    return await _transition(uow, actor, agreement_id, lambda a: a.reject(reason), _rejected)


def _premises(agreement: Agreement) -> PremisesTerms | None:
    """The terms bookings grants free use from; they apply for the term the event carries."""
    terms = agreement.premises
    return None if terms is None else PremisesTerms(free_use=terms.free_use, facility_ids=list(terms.facility_ids))


async def sign_agreement(
    uow: GrantsUnitOfWork,
    *,
    actor: Principal,
    agreement_id: uuid.UUID,
    now: datetime,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> ShownAgreement:
    async with uow:
        agreement = await prepared_agreement(uow, actor, agreement_id)
        agreement.sign(now=now, starts_on=starts_on, ends_on=ends_on)
        applicant = await uow.applicants.get(agreement.applicant_id)
        if applicant is None or not applicant.may_apply:
            raise Conflict("The association is no longer active in the directory.", field="applicant_id")
        await uow.agreements.save(agreement)
        assert agreement.starts_on is not None and agreement.ends_on is not None
        uow.emit(
            PartnershipAgreementSigned(
                agreement_id=agreement.id,
                applicant_id=agreement.applicant_id,
                department_code=agreement.department_code,
                starts_on=agreement.starts_on,
                ends_on=agreement.ends_on,
                premises=_premises(agreement),
            )
        )
        await uow.commit()
    return ShownAgreement(agreement, applicant.name)


def _ended(agreement: Agreement) -> PartnershipAgreementEnded:
    assert agreement.ended_on is not None
    return PartnershipAgreementEnded(
        agreement_id=agreement.id, applicant_id=agreement.applicant_id, ended_on=agreement.ended_on
    )


async def end_agreement(
    uow: GrantsUnitOfWork, *, actor: Principal, agreement_id: uuid.UUID, now: datetime
) -> ShownAgreement:
    """The department ends an agreement before its term is over (the job ends the others)."""
    return await _transition(uow, actor, agreement_id, lambda a: a.end(now=now), _ended)


# -- on time, by itself ---------------------------------------------------------------------------------------
async def end_expired_agreements(uow: GrantsUnitOfWork, now: datetime) -> int:
    """Agreements whose last day has passed end, each once: the rows are claimed ``FOR UPDATE SKIP LOCKED``."""
    async with uow:
        expired = await uow.agreements.claim_expired(local_date(now))
        for agreement in expired:
            agreement.end(now=now)
            await uow.agreements.save(agreement)
            uow.emit(_ended(agreement))
        await uow.commit()
    return len(expired)
