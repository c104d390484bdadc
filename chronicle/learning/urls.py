"""The learning-points register, at /reviews/learning/ (chronicle/urls.py)."""

from __future__ import annotations

from django.urls import path

from chronicle.learning import views

urlpatterns = [
    path("", views.register, name="learning-register"),
    path("themes/", views.themes, name="learning-themes"),
    path("register.csv", views.register_csv, name="learning-export"),
    path("cases/<uuid:code>/", views.case_points, name="learning-case"),
    path("cases/<uuid:code>/new/", views.point_new, name="learning-point-new"),
    path("points/<uuid:code>/", views.point_detail, name="learning-point"),
    path("points/<uuid:code>/actions/new/", views.action_new, name="learning-action-new"),
    path("actions/<uuid:code>/status/", views.action_status, name="learning-action-status"),
]
