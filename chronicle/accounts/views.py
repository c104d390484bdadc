"""Sign-in with two-factor, sign-out, partnership administration and invitations."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from chronicle.accounts import access, enrolment, services, throttle, totp
from chronicle.accounts.forms import (
    AcceptInvitationForm,
    AgencyForm,
    InvitationForm,
    RoleForm,
    SignInForm,
    TokenForm,
)
from chronicle.accounts.models import Agency, Invitation, Membership, User
from chronicle.audit.actor import Actor
from chronicle.audit.models import Action, Outcome
from chronicle.audit.services import client_ip, record


def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    if request.method == "POST":
        wait = throttle.seconds_to_wait(client_ip(request))
        if wait:
            context = {
                "form": SignInForm(request, initial={"username": request.POST.get("username", "")}),
                "wait": wait,
            }
            response = render(request, "accounts/sign_in.html", context, status=429)
            response["Retry-After"] = str(wait)
            return response
    form = SignInForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        auth_login(request, form.get_user())
        return redirect("dashboard")
    return render(request, "accounts/sign_in.html", {"form": form})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    return render(request, "accounts/signed_out.html")


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    devices = list(devices_for_user(request.user, confirmed=True))
    if not devices:
        return redirect("two-factor-setup")
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        device = next((d for d in devices if d.verify_token(form.cleaned_data["token"])), None)
        if device is not None:
            otp_login(request, device)
            record(request, Action.TWO_FACTOR, obj=request.user)
            return redirect("dashboard")
        record(request, Action.TWO_FACTOR, obj=request.user, outcome=Outcome.FAILURE)
        form.add_error(
            "token", "The security code is wrong or has expired. Enter the latest code from your app"
        )
    return render(request, "accounts/two_factor_verify.html", {"form": form})


def two_factor_enrol(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """A set-up link: valid once, and only together with the account's password."""
    user = enrolment.user_for_link(uidb64, token)
    if user is None:
        return render(request, "accounts/two_factor_link_invalid.html", status=404)
    if request.user.is_authenticated and request.user.pk != user.pk:
        auth_logout(request)
    enrolment.allow_from_link(request, user, uidb64, token)
    if not request.user.is_authenticated:
        messages.info(request, "Sign in with your password, then set up two-factor sign-in")
        return redirect("sign-in")
    return redirect("two-factor-setup")


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    if request.user.is_verified():  # type: ignore[union-attr]
        return redirect("dashboard")
    if any(devices_for_user(request.user, confirmed=True)):
        return redirect("two-factor-verify")
    if not enrolment.may_enrol(request, request.user):
        # The password alone never shows the enrolment secret.
        record(
            request,
            Action.TWO_FACTOR,
            obj=request.user,
            outcome=Outcome.DENIED,
            detail="set-up without a link",
        )
        return render(request, "accounts/two_factor_needs_link.html", status=403)
    device, _ = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Authenticator app"}
    )
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save()
            enrolment.finish(request)
            otp_login(request, device)
            record(
                request,
                Action.CREATE,
                obj=device,
                object_label="authenticator app",
                detail="two-factor set up",
            )
            messages.success(request, "Two-factor sign-in is set up")
            return redirect("dashboard")
        form.add_error(
            "token", "The security code is wrong. Check the time on your phone and enter the latest code"
        )
    context = {
        "form": form,
        "qr_svg": totp.qr_svg(device.config_url),
        "secret": totp.secret_for_people(device),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
def agencies(request: HttpRequest) -> HttpResponse:
    partnership = access.get_managed_partnership(request)
    rows = Agency.objects.filter(partnership=partnership)
    return render(request, "partnership/agencies.html", {"partnership": partnership, "agencies": rows})


@login_required
def agency_new(request: HttpRequest) -> HttpResponse:
    partnership = access.get_managed_partnership(request)
    form = AgencyForm(request.POST if request.method == "POST" else None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        agency = services.save_agency(Actor.from_request(request), form, partnership)
        messages.success(request, f"{agency.name} has been added")
        return redirect("partnership-agencies")
    return render(request, "partnership/agency_form.html", {"form": form, "title": "Add an agency"})


@login_required
def agency_edit(request: HttpRequest, code: UUID) -> HttpResponse:
    agency = access.get_managed_agency(request, code)
    form = AgencyForm(
        request.POST if request.method == "POST" else None, instance=agency, partnership=agency.partnership
    )
    if request.method == "POST" and form.is_valid():
        services.save_agency(Actor.from_request(request), form, agency.partnership)
        messages.success(request, f"{agency.name} has been updated")
        return redirect("agency", code=agency.code)
    return render(
        request,
        "partnership/agency_form.html",
        {"form": form, "title": f"Change {agency.name}", "agency": agency},
    )


@login_required
def agency(request: HttpRequest, code: UUID) -> HttpResponse:
    agency = access.get_agency_for_user(request, code)
    members = Membership.objects.filter(agency=agency).select_related("user").order_by("user__last_name")
    can_change = access.can_change_agency(request.user, agency)
    record(request, Action.VIEW, obj=agency)
    return render(
        request, "partnership/agency.html", {"agency": agency, "members": members, "can_change": can_change}
    )


@login_required
def people(request: HttpRequest) -> HttpResponse:
    partnership = access.get_managed_partnership(request)
    memberships = Prefetch(
        "memberships", queryset=Membership.objects.filter(partnership=partnership).select_related("agency")
    )
    users = (
        User.objects.filter(memberships__partnership=partnership)
        .distinct()
        .prefetch_related(memberships)
        .order_by("last_name", "first_name")
    )
    invitations = Invitation.objects.filter(
        partnership=partnership, accepted_at__isnull=True, expires_at__gt=timezone.now()
    )
    return render(request, "partnership/people.html", {"people": users, "invitations": invitations})


@login_required
def invite(request: HttpRequest) -> HttpResponse:
    partnership = access.get_managed_partnership(request)
    form = InvitationForm(request.POST if request.method == "POST" else None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        invitation = services.invite(Actor.from_request(request), partnership, form.cleaned_data)
        messages.success(request, f"An invitation has been sent to {invitation.email}")
        return redirect("partnership-people")
    return render(request, "partnership/invite.html", {"form": form})


@login_required
def person(request: HttpRequest, code: UUID) -> HttpResponse:
    partnership, member = access.get_managed_member(request, code)
    form = RoleForm(request.POST if request.method == "POST" else None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        services.add_role(Actor.from_request(request), partnership, member, form.cleaned_data)
        messages.success(request, f"The role has been added for {member.display_name}")
        return redirect("partnership-person", code=member.code)
    memberships = Membership.objects.filter(user=member, partnership=partnership).select_related("agency")
    return render(
        request, "partnership/person.html", {"member": member, "memberships": memberships, "form": form}
    )


@require_POST
@login_required
def remove_membership(request: HttpRequest, code: UUID) -> HttpResponse:
    membership = access.get_managed_membership(request, code)
    member = membership.user
    try:
        services.remove_membership(Actor.from_request(request), membership)
    except services.CannotRemove as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"The role has been removed from {member.display_name}")
    return redirect("partnership-person", code=member.code)


def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = get_object_or_404(Invitation, token=token)
    if not invitation.is_open:
        raise Http404("This invitation has expired or been used")
    if request.user.is_authenticated:
        auth_logout(request)
    form = AcceptInvitationForm(request.POST if request.method == "POST" else None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        if form.existing is not None:
            user = services.join_with_account(Actor.from_request(request), invitation, form.existing)
        else:
            user = services.accept_invitation(
                Actor.from_request(request), invitation, form.cleaned_data["password1"]
            )
        auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        enrolment.allow_from_invitation(request, user)
        return redirect("dashboard")
    context: dict[str, Any] = {"form": form, "invitation": invitation}
    return render(request, "accounts/accept_invitation.html", context)
