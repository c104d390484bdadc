from __future__ import annotations

from django.urls import path

from chronicle.incidents import views

urlpatterns = [
    path("", views.incident_list, name="incidents"),
    path("report/", views.report_about, name="incident-report"),
    path("report/children/", views.report_children, name="incident-report-children"),
    path("report/harm/", views.report_harm, name="incident-report-harm"),
    path("report/check/", views.report_check, name="incident-report-check"),
    path("<uuid:code>/reported/", views.reported, name="incident-reported"),
    path("<uuid:code>/screen/", views.screen, name="incident-screen"),
    path("<uuid:code>/screenings/<int:version>/", views.screening_version, name="incident-screening-version"),
    path("<uuid:code>/notifications/new/", views.notification_new, name="incident-notification-new"),
    path("<uuid:code>/rapid-review-sent/", views.rapid_review_sent, name="incident-rapid-review-sent"),
    path("<uuid:code>/notification-summary.<str:fmt>", views.export, name="incident-export"),
]
