"""Changes to partnerships, agencies and people. Each change is audited."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, cast

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from chronicle.accounts.models import Agency, Invitation, Membership, Partnership, Role, User
from chronicle.audit.actor import Actor
from chronicle.audit.models import Action
from chronicle.audit.services import record_as


class CannotRemove(Exception):
    """The change would leave the partnership without a business manager."""


@transaction.atomic
def save_agency(actor: Actor, form: Any, partnership: Partnership) -> Agency:
    creating = form.instance.pk is None
    agency: Agency = form.save(commit=False)
    agency.partnership = partnership
    agency.save()
    changed = ", ".join(form.changed_data)
    record_as(actor, Action.CREATE if creating else Action.UPDATE, obj=agency, detail=f"fields: {changed}")
    return agency


@transaction.atomic
def invite(actor: Actor, partnership: Partnership, data: dict[str, Any]) -> Invitation:
    manager = cast(User, actor.user)
    invitation = Invitation.objects.create(
        partnership=partnership,
        agency=data["agency_obj"],
        email=data["email"],
        first_name=data["first_name"],
        last_name=data["last_name"],
        role=data["role"],
        invited_by=manager,
    )
    link = settings.SITE_URL.rstrip("/") + reverse("accept-invitation", args=[invitation.token])
    send_mail(
        subject=f"You have been invited to Chronicle for {partnership.name}",
        message=(
            f"Hello {invitation.first_name},\n\n"
            f"{manager.get_full_name()} has invited you to join {partnership.name} on Chronicle "
            f"as {invitation.get_role_display().lower()}.\n\n"
            f"Use this link within 7 days to create your password:\n{link}\n\n"
            "If you did not expect this email, you can ignore it."
        ),
        from_email=None,
        recipient_list=[invitation.email],
    )
    record_as(actor, Action.CREATE, obj=invitation, partnership=partnership)
    return invitation


@transaction.atomic
def accept_invitation(actor: Actor, invitation: Invitation, password: str) -> User:
    user = User.objects.create_user(
        username=invitation.email,
        email=invitation.email,
        password=password,
        first_name=invitation.first_name,
        last_name=invitation.last_name,
    )
    Membership.objects.create(
        user=user, partnership=invitation.partnership, agency=invitation.agency, role=invitation.role
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    record_as(
        replace(actor, user=user),
        Action.CREATE,
        obj=user,
        partnership=invitation.partnership,
        detail="accepted invitation",
    )
    return user


@transaction.atomic
def join_with_account(actor: Actor, invitation: Invitation, user: User) -> User:
    """Accept an invitation with an account the person already has (in another partnership)."""
    Membership.objects.get_or_create(
        user=user, partnership=invitation.partnership, agency=invitation.agency, role=invitation.role
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    record_as(
        replace(actor, user=user),
        Action.CREATE,
        obj=user,
        partnership=invitation.partnership,
        detail="accepted invitation with an existing account",
    )
    return user


@transaction.atomic
def add_role(actor: Actor, partnership: Partnership, user: User, data: dict[str, Any]) -> Membership:
    membership, created = Membership.objects.get_or_create(
        user=user, partnership=partnership, agency=data["agency_obj"], role=data["role"]
    )
    if created:
        record_as(actor, Action.CREATE, obj=membership, detail=f"for {user.email}")
    return membership


@transaction.atomic
def remove_membership(actor: Actor, membership: Membership) -> None:
    if membership.role == Role.BUSINESS_MANAGER:
        others = Membership.objects.filter(
            partnership=membership.partnership, role=Role.BUSINESS_MANAGER
        ).exclude(pk=membership.pk)
        if not others.exists():
            raise CannotRemove("The partnership must keep at least one business manager")
    record_as(actor, Action.DELETE, obj=membership, detail=f"for {membership.user.email}")
    membership.delete()
