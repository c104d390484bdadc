from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm

from chronicle.accounts.models import AGENCY_ROLES, Agency, AgencyType, Invitation, Partnership, Role, User
from chronicle.ui.forms import GovukBoundField, GovukForm, GovukModelForm, Radios


class SignInForm(AuthenticationForm):
    bound_field_class = GovukBoundField
    error_messages = {
        "invalid_login": "Enter a correct email address and password. Both are case-sensitive.",
        "inactive": "This account has been switched off. Ask your business manager.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Email address"
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "spellcheck": "false"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class TokenForm(GovukForm):
    token = forms.CharField(
        label="Security code",
        help_text="The 6-digit code from your authenticator app.",
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "class": "govuk-input--width-5"}
        ),
        error_messages={"required": "Enter the security code", "min_length": "The security code is 6 digits"},
    )

    def clean_token(self) -> str:
        token: str = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError("The security code must be 6 digits")
        return token


class AgencyForm(GovukModelForm):
    class Meta:
        model = Agency
        fields = ["name", "agency_type", "is_statutory_partner"]
        labels = {
            "name": "Agency name",
            "agency_type": "Type of agency",
            "is_statutory_partner": "This agency is a statutory safeguarding partner",
        }
        widgets = {"agency_type": Radios(attrs={"small": True})}
        error_messages = {
            "name": {"required": "Enter the agency's name"},
            "agency_type": {"required": "Select the type of agency"},
        }

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        cast(forms.ChoiceField, self.fields["agency_type"]).choices = AgencyType.choices

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        clash = Agency.objects.filter(partnership=self.partnership, name__iexact=name).exclude(
            pk=self.instance.pk
        )
        if clash.exists():
            raise forms.ValidationError("Your partnership already has an agency with this name")
        return name


def _agency_choices(partnership: Partnership) -> list[tuple[str, str]]:
    return [("", "Not for one agency")] + [
        (str(a.code), a.name) for a in Agency.objects.filter(partnership=partnership, active=True)
    ]


class RoleForm(GovukForm):
    """A role, and the agency it is for where the role needs one."""

    role = forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        widget=Radios(attrs={"small": True}),
        error_messages={"required": "Select a role"},
    )
    agency = forms.ChoiceField(
        label="Agency",
        required=False,
        help_text="Agency safeguarding leads, contributors and statutory partner representatives act for one agency.",
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        cast(forms.ChoiceField, self.fields["agency"]).choices = _agency_choices(partnership)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role, code = data.get("role"), data.get("agency")
        agency = Agency.objects.filter(partnership=self.partnership, code=code).first() if code else None
        if role in AGENCY_ROLES and agency is None:
            self.add_error("agency", "Select the agency this person acts for")
        data["agency_obj"] = agency if role in AGENCY_ROLES else None
        return data


class InvitationForm(RoleForm):
    first_name = forms.CharField(
        label="First name", max_length=150, error_messages={"required": "Enter their first name"}
    )
    last_name = forms.CharField(
        label="Last name", max_length=150, error_messages={"required": "Enter their last name"}
    )
    email = forms.EmailField(
        label="Work email address",
        error_messages={
            "required": "Enter their work email address",
            "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
        },
    )
    field_order = ["first_name", "last_name", "email", "role", "agency"]

    def clean_email(self) -> str:
        # Whether the address has an account in another partnership is not this partnership's to
        # know: such a person is invited like anyone else and accepts with the password they have.
        email: str = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(username__iexact=email, memberships__partnership=self.partnership).exists():
            raise forms.ValidationError(
                "This person is already in your partnership: add a role on their page instead"
            )
        if Invitation.objects.filter(
            email__iexact=email, accepted_at__isnull=True, partnership=self.partnership
        ).exists():
            raise forms.ValidationError("This person has already been invited")
        return email


class AcceptInvitationForm(GovukForm):
    password1 = forms.CharField(
        label="Create a password",
        help_text="At least 12 characters. A few unrelated words make a strong password.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Create a password"},
    )
    password2 = forms.CharField(
        label="Confirm your password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Confirm your password"},
    )

    def __init__(self, *args: Any, invitation: Invitation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        # Someone with an account already (in another partnership) signs in with its password.
        self.existing: User | None = User.objects.filter(username__iexact=invitation.email).first()
        if self.existing is not None:
            del self.fields["password2"]
            self.fields["password1"].label = "Your Chronicle password"
            self.fields[
                "password1"
            ].help_text = "You already have a Chronicle account with this email address."
            self.fields["password1"].error_messages["required"] = "Enter your Chronicle password"
            self.fields["password1"].widget.attrs["autocomplete"] = "current-password"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.existing is not None:
            password = data.get("password1")
            if password and not self.existing.check_password(password):
                self.add_error("password1", "The password is wrong")
            return data
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "The passwords do not match")
        elif p1:
            probe = User(
                username=self.invitation.email,
                email=self.invitation.email,
                first_name=self.invitation.first_name,
                last_name=self.invitation.last_name,
            )
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data
