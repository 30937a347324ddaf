from django.urls import path

from accounts import public_views, views

urlpatterns = [
    path("settings/", views.account_settings, name="account_settings"),
    path("settings/share-link/rotate/", views.rotate_share_link, name="rotate_share_link"),
    path("settings/export.json", views.export_json, name="export_json"),
    path("settings/export-progress.csv", views.export_progress_csv, name="export_progress_csv"),
    path("settings/export-log.csv", views.export_log_csv, name="export_log_csv"),
    path("settings/import/", views.import_json, name="import_json"),
    path("settings/delete/", views.delete_account, name="delete_account"),
    path("u/<str:username>/", public_views.public_profile, name="public_profile"),
    path("u/<str:username>/badge.svg", public_views.badge, name="badge"),
    path("u/<str:username>/log/<str:day>/", public_views.public_log_entry, name="public_log_entry"),
    path("s/<str:token>/", public_views.unlisted_profile, name="unlisted_profile"),
    path("s/<str:token>/badge.svg", public_views.unlisted_badge, name="unlisted_badge"),
    path("s/<str:token>/log/<str:day>/", public_views.unlisted_log_entry, name="unlisted_log_entry"),
]
