"""Account settings views (Django)."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST


@csrf_exempt  # expect: PY-S707
def change_email(request: HttpRequest) -> JsonResponse:
    """Update the signed-in user's e-mail address."""
    request.user.email = request.POST["email"]
    request.user.save()
    return JsonResponse({"ok": True})


@require_POST
def change_language(request: HttpRequest) -> JsonResponse:
    """Update the UI language; CSRF-protected like every other view."""
    request.user.profile.language = request.POST["language"]
    request.user.profile.save()
    return JsonResponse({"ok": True})
