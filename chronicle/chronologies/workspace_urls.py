from __future__ import annotations

from django.urls import path

from chronicle.chronologies import views

# The agency workspace pages are added here.
urlpatterns: list[object] = [
    path("<uuid:code>/", views.case_chronologies, name="chronology"),
]
