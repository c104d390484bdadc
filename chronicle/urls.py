from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from chronicle.accounts import views as accounts
from chronicle.jobs import views as jobs
from chronicle.oversight.auditor import views as audit
from chronicle.web import case as web_case
from chronicle.web import views as web

urlpatterns = [
    path("", web.home, name="home"),
    path("dashboard/", web.dashboard, name="dashboard"),
    path("session/keep-alive/", web.keep_alive, name="keep-alive"),
    path("sign-in/", accounts.sign_in, name="sign-in"),
    path("sign-in/two-factor/", accounts.two_factor_verify, name="two-factor-verify"),
    path("sign-in/two-factor/set-up/", accounts.two_factor_setup, name="two-factor-setup"),
    path(
        "sign-in/two-factor/enrol/<str:uidb64>/<str:token>/",
        accounts.two_factor_enrol,
        name="two-factor-enrol",
    ),
    path("sign-out/", accounts.sign_out, name="sign-out"),
    path("invitations/<str:token>/", accounts.accept_invitation, name="accept-invitation"),
    path("partnership/agencies/", accounts.agencies, name="partnership-agencies"),
    path("partnership/agencies/new/", accounts.agency_new, name="partnership-agency-new"),
    path("partnership/agencies/<uuid:code>/change/", accounts.agency_edit, name="partnership-agency-edit"),
    path("partnership/people/", accounts.people, name="partnership-people"),
    path("partnership/people/invite/", accounts.invite, name="partnership-invite"),
    path("partnership/people/<uuid:code>/", accounts.person, name="partnership-person"),
    path("partnership/roles/<uuid:code>/remove/", accounts.remove_membership, name="partnership-remove-role"),
    path("agencies/<uuid:code>/", accounts.agency, name="agency"),
    path("incidents/threshold-audit/", include("chronicle.oversight.urls")),
    path("incidents/<uuid:code>/", web_case.case_page, name="incident"),  # the case page, in the site shell
    path("incidents/", include("chronicle.incidents.urls")),
    path("chronologies/", include("chronicle.chronologies.urls")),
    path("composite/", include("chronicle.composite.urls")),
    path("reviews/learning/", include("chronicle.learning.urls")),
    path("reviews/<uuid:code>/panel-pack.<str:fmt>", jobs.panel_pack, name="review-pack"),
    path("reviews/", include("chronicle.reviews.urls")),
    path("files/", include("chronicle.jobs.urls")),
    path("audit/", audit.audit_log, name="audit-log"),
    path("audit/export.csv", audit.audit_export, name="audit-export"),
    path("admin/", admin.site.urls),
]

handler403 = "chronicle.web.views.error_403"
handler404 = "chronicle.web.views.error_404"
handler500 = "chronicle.web.views.error_500"
