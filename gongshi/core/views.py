import logging

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

CSP_REPORT_MAX_BYTES = 8 * 1024
csp_logger = logging.getLogger("gongshi.security.csp")


@csrf_exempt
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    """Where browsers send Content-Security-Policy violation reports (settings "Security").

    Nothing is stored: a report (cut to 8 KB) goes to the log, where a violation in
    report-only mode shows what the enforced policy would break.
    """
    body = request.read(CSP_REPORT_MAX_BYTES)
    csp_logger.warning("CSP violation report: %s", body.decode("utf-8", "replace"))
    return HttpResponse(status=204)
