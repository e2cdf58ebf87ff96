"""The decision memo as a page and as a PDF, for everyone who may see the application."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sifra.accounts import permissions
from sifra.applications.memo import chart_svg, memo_context, render_pdf
from sifra.applications.models import Application
from sifra.core.http import download_name, require


def _visible_application(request: HttpRequest, pk: int) -> Application:
    application = get_object_or_404(Application.objects.select_related("fund", "lead_unit"), pk=pk)
    require(permissions.can_view_application(request.user, application))
    return application


@login_required
@require_GET
def memo(request: HttpRequest, pk: int) -> HttpResponse:
    application = _visible_application(request, pk)
    context = memo_context(application=application, user=request.user)
    return render(request, "applications/memo.html", context)


def memo_pdf_html(request: HttpRequest, application: Application) -> str:
    """The standalone print HTML WeasyPrint turns into the PDF."""
    context = memo_context(application=application, user=request.user)
    context["chart_svg"] = chart_svg(context["chart_spec"])
    return render_to_string("applications/memo_pdf.html", context, request=request)


@login_required
@require_GET
def memo_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    application = _visible_application(request, pk)
    pdf = render_pdf(memo_pdf_html(request, application))
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"{download_name(_('decision-memo'), application.reference)}.pdf"
    response["Content-Disposition"] = content_disposition_header(False, filename) or ""
    return response
