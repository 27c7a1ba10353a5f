from django.urls import path

from followthrough.ingest import views

urlpatterns = [
    path("", views.import_list, name="imports"),
    path("new/", views.import_new, name="import_new"),
    path("guide/", views.import_guide, name="import_guide"),
    path("guide/<str:kind>.csv", views.import_template, name="import_template"),
    path("guide/presets/<str:name>.toml", views.import_preset_file, name="import_preset_file"),
    path("preview/<str:token>/", views.import_preview, name="import_preview"),
    path("<int:pk>/", views.import_run, name="import_run"),
    path("<int:pk>/status/", views.import_status, name="import_status"),
    path("<int:pk>/rejected.csv", views.rejected_csv, name="import_rejected_csv"),
]
