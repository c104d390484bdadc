"""The agency's side of a chronology request: the workspace, entries, importing, submitting and versions."""

from __future__ import annotations

from django.urls import path

from chronicle.chronologies.workspace import views

urlpatterns = [
    path("templates/chronology.<str:fmt>", views.template_download, name="chronology-template"),
    path("<uuid:code>/", views.workspace, name="chronology"),
    path("<uuid:code>/entries/new/", views.entry_new, name="chronology-entry-new"),
    path("<uuid:code>/entries/<uuid:entry>/", views.entry_edit, name="chronology-entry-edit"),
    path("<uuid:code>/entries/<uuid:entry>/delete/", views.entry_delete, name="chronology-entry-delete"),
    path("<uuid:code>/import/", views.import_file, name="chronology-import"),
    path("<uuid:code>/import/<uuid:upload>/map/", views.import_map, name="chronology-import-map"),
    path(
        "<uuid:code>/import/<uuid:upload>/event-types/", views.import_values, name="chronology-import-values"
    ),
    path("<uuid:code>/import/<uuid:upload>/context/", views.import_context, name="chronology-import-context"),
    path("<uuid:code>/import/<uuid:upload>/again/", views.import_again, name="chronology-import-again"),
    path("<uuid:code>/import/<uuid:upload>/errors.csv", views.import_errors, name="chronology-import-errors"),
    path("<uuid:code>/imports/<uuid:batch>/file/", views.import_download, name="chronology-import-file"),
    path("<uuid:code>/submit/", views.submit, name="chronology-submit"),
    path("<uuid:code>/versions/compare/", views.compare, name="chronology-compare"),
    path("<uuid:code>/versions/<int:number>/", views.version, name="chronology-version"),
]
