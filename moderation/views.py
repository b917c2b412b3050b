from django.shortcuts import render

from community.permissions import check_can_moderate


def queue(request):
    """The review queue (moderation issue). Already closed to everyone but CMs and staff."""
    check_can_moderate(request.user)
    return render(request, "moderation/queue.html", {})
