from __future__ import annotations

from django.urls import include, path

from chronicle.chronologies import views

urlpatterns = [
    path("timeliness/", views.agency_timeliness, name="chronology-timeliness"),
    path("cases/<uuid:code>/", views.case_chronologies, name="case-chronologies"),
    path("cases/<uuid:code>/request/", views.issue_requests, name="chronology-requests-new"),
    path("cases/<uuid:code>/reopen/", views.reopen_all, name="chronologies-reopen"),
    path("cases/<uuid:code>/reviewers/", views.assign_reviewer, name="case-assign-reviewer"),
    path("<uuid:code>/return/", views.return_for_revision, name="chronology-return"),
    path("<uuid:code>/accept/", views.accept, name="chronology-accept"),
    path("", include("chronicle.chronologies.workspace.urls")),
]
