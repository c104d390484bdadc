from __future__ import annotations

from django.urls import path

from chronicle.jobs import views

urlpatterns = [
    path("<uuid:code>/", views.job, name="job"),
    path("<uuid:code>/download/", views.download, name="job-download"),
    path("<uuid:code>/again/", views.retry, name="job-retry"),
]
