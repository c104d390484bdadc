from __future__ import annotations

from django.urls import path

from chronicle.oversight import views

urlpatterns = [
    path("", views.threshold_audit, name="threshold-audit"),
    path("<str:kind>/<uuid:code>/dismiss/", views.threshold_dismiss, name="threshold-dismiss"),
]
