from django.db import Error, connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe  # GET, and HEAD for probes that use it
def healthz(request):
    """For load balancers: 200 "ok" when the database answers, 503 otherwise.

    It says nothing else — no versions, hosts or error text — and touches no
    session, so probes leave no rows behind.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    # Error, not DatabaseError: a connection the server dropped fails with InterfaceError.
    except Error:
        return HttpResponse("unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
