"""/cm/: the workspace's front page, the community health dashboard, and its CSV export."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from community import health
from community.decorators import member_required

from . import charts, export, selectors


@require_safe
@member_required  # a visitor is asked to log in; a member without the role gets 403
def dashboard(request):
    days, problem = selectors.parse_period(request.GET.get("period"))
    board = selectors.dashboard(actor=request.user, days=days)
    first_day = timezone.localtime(board.period.start).date()
    return render(request, "cm/dashboard.html", {
        "board": board, "problem": problem, "periods": health.PERIODS,
        "sections": [charts.draw(section, first_day) for section in board.sections],
        "links": selectors.workspace_links(),
    })


@require_safe
@member_required
def dashboard_csv(request):
    days, _problem = selectors.parse_period(request.GET.get("period"))  # a bad period: the default's figures
    board = selectors.dashboard(actor=request.user, days=days)
    response = HttpResponse(export.as_csv(board), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export.filename(board)}"'
    return response
