from django.urls import path

from accounts import views

urlpatterns = [
    path("settings/", views.account_settings, name="account_settings"),
    path("settings/timezone/", views.use_browser_timezone, name="use_browser_timezone"),
    path("settings/share-link/rotate/", views.rotate_share_link, name="rotate_share_link"),
    path("settings/delete/", views.delete_account, name="delete_account"),
]
