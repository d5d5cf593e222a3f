from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from allas_site.notifications import services
from allas_site.notifications.models import Notification


@login_required
def inbox(request):
    notifications = Notification.objects.for_user(request.user).order_by("-id")
    page = Paginator(notifications, 30).get_page(request.GET.get("pagina"))
    return render(request, "notifications/inbox.html", {"page_obj": page})


@login_required
@require_POST
def mark_all_read(request):
    services.do_mark_read(request.user)
    messages.success(request, _("Todas las notificaciones están marcadas como leídas."))
    return redirect("notifications:inbox")
