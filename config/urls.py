from django.contrib import admin
from django.urls import include, path

from config.health import healthz

admin.site.site_header = "mathpath curation"
admin.site.site_title = "mathpath admin"
admin.site.index_title = "Curate the roadmap"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("roadmap.urls")),
]
