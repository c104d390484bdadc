from __future__ import annotations

from django.urls import path

from chronicle.reviews import views

urlpatterns = [
    path("cases/<uuid:code>/start/", views.start, name="review-start"),
    path("<uuid:code>/", views.review, name="review"),
    path("<uuid:code>/overview/", views.save_overview, name="review-overview"),
    path("<uuid:code>/summary/", views.summary, name="review-summary"),
    path("<uuid:code>/meetings/", views.meetings, name="review-meetings"),
    path("<uuid:code>/evidence/chosen/", views.chosen, name="review-chosen"),
    path("<uuid:code>/criteria/", views.criteria, name="review-criteria"),
    path("<uuid:code>/decisions/", views.decisions, name="review-decisions"),
    path("<uuid:code>/sign-offs/", views.sign_offs, name="review-sign-offs"),
    path("<uuid:code>/meetings/new/", views.meeting_new, name="review-meeting-new"),
    path("<uuid:code>/meetings/<uuid:meeting>/", views.meeting, name="review-meeting"),
    path(
        "<uuid:code>/meetings/<uuid:meeting>/refresh/", views.meeting_refresh, name="review-meeting-refresh"
    ),
    path("<uuid:code>/evidence/", views.evidence_pool, name="review-evidence"),
    path("<uuid:code>/evidence/add/", views.evidence_add, name="review-evidence-add"),
    path("<uuid:code>/evidence/<uuid:item>/remove/", views.evidence_remove, name="review-evidence-remove"),
    path("<uuid:code>/criteria/<str:criterion_id>/", views.consider, name="review-consider"),
    path("<uuid:code>/decision/", views.decide, name="review-decide"),
    path("<uuid:code>/position/", views.position, name="review-position"),
    path("<uuid:code>/finalise/", views.finalise, name="review-finalise"),
]
