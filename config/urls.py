from django.contrib import admin
from django.urls import include, path

from accounts.views import admin_login, email
from config import errors
from config.health import healthz

admin.site.site_header = "mathpath curation"
admin.site.site_title = "mathpath admin"
admin.site.index_title = "Curate the roadmap"
# Staff sign in through the site's (rate-limited) login; the admin's own form is gone.
admin.site.login = admin_login

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    # Ahead of allauth's own page at this address, which it wraps (accounts/email_addresses.py).
    path("accounts/email/", email),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("roadmap.urls")),
]

# The site's own error pages (DEBUG off); CSRF_FAILURE_VIEW in settings is the fifth.
handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
