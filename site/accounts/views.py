import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from allas_site.accounts import services
from allas_site.accounts.forms import DeleteAccountForm, ProfileForm
from allas_site.accounts.models import User


@login_required
def profile(request):
    return render(request, "accounts/profile.html", {"person": request.user, "is_own": True})


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    form = ProfileForm(request.POST or None, request.FILES or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.do_update_profile(request.user, request.user, form)
        messages.success(request, _("Tu perfil se ha guardado."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile_edit.html", {"form": form})


@login_required
def data_export(request):
    data = services.export_user_data(request.user)
    stamp = timezone.now().strftime("%Y%m%d")
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="allas-mis-datos-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        try:
            services.do_delete_account(user, user, form.cleaned_data["password"])
        except services.AccountError as error:
            form.add_error(None, str(error))
        else:
            logout(request)
            messages.success(request, _("Tu cuenta se ha eliminado. Gracias por tu participación."))
            return redirect("/")
    return render(request, "accounts/delete_account.html", {"form": form})


def person(request, pk):
    """A member's public profile: experts are visible to everyone, other members
    only to signed-in people."""
    person = get_object_or_404(User.objects.filter(is_active=True), pk=pk)
    if not (person.is_expert or request.user.is_authenticated):
        # Pages link authors, instructors and @mentions by name: a visitor following
        # one is asked to sign in, as for any other members-only page.
        return redirect_to_login(request.get_full_path())
    return render(
        request,
        "accounts/profile.html",
        {"person": person, "is_own": request.user.pk == person.pk},
    )
