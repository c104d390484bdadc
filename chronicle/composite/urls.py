from __future__ import annotations

from django.urls import path

from chronicle.composite import views

urlpatterns = [
    path("<uuid:code>/", views.composite, name="composite"),
    path("<uuid:code>/views/", views.save_view, name="composite-save-view"),
    path("<uuid:code>/entries/<uuid:uid>/", views.entry, name="composite-entry"),
    path("<uuid:code>/entries/<uuid:uid>/annotate/", views.annotate, name="composite-annotate"),
    path(
        "<uuid:code>/entries/<uuid:uid>/analysis/", views.save_entry_analysis, name="composite-entry-analysis"
    ),
    path("<uuid:code>/links/<uuid:first>/<uuid:second>/", views.decide_link, name="composite-link-decide"),
    path("<uuid:code>/findings/", views.findings, name="composite-findings"),
    path("<uuid:code>/findings/<int:number>/", views.decide_finding, name="composite-finding-decide"),
    path("<uuid:code>/queue/", views.review_queue, name="composite-queue"),
    path("<uuid:code>/quality/", views.quality, name="composite-quality"),
    path(
        "<uuid:code>/quality/<uuid:request_code>/return/", views.return_with_feedback, name="composite-return"
    ),
    path("<uuid:code>/timeline/", views.timeline, name="composite-timeline"),
    path("<uuid:code>/export/", views.export, name="composite-export"),
    path("<uuid:code>/people/", views.people, name="composite-people"),
]
