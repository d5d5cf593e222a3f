"""Who may do what in the Café: one place, used by querysets, services, views and sockets.

Each ``why_not_*`` returns ``None`` when the action is allowed, or the reason (a
translated sentence) it is not; ``can_*`` are the boolean forms.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from allas_site.accounts import roles

EVERYONE, MEMBERS, EXPERTS = "everyone", "members", "experts"


def is_member(user):
    """A confirmed account: every confirmed e-mail makes a Learner; staff roles count too."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or any(roles.has_role(user, role) for role in roles.ALL_ROLES)


def is_expert(user):
    return user.is_authenticated and user.is_active and (
        roles.has_role(user, roles.EXPERTS) or roles.has_role(user, roles.MODERATORS)
    )


def is_moderator(user):
    return user.is_authenticated and user.is_active and roles.has_role(user, roles.MODERATORS)


def read_levels(user):
    if is_expert(user):
        return [EVERYONE, MEMBERS, EXPERTS]
    if is_member(user):
        return [EVERYONE, MEMBERS]
    return [EVERYONE]


def is_suspended(user, now=None):
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_cafe_suspended", None)
    if cached is None:
        from community.models import Suspension

        cached = Suspension.objects.filter(user=user, until__gt=now or timezone.now()).exists()
        user._cafe_suspended = cached
    return cached


def can_read_category(user, category):
    # Public categories need no role lookup (a query per user when notifying followers).
    return category.read_access == EVERYONE or category.read_access in read_levels(user)


def can_read_debate(user, debate):
    return can_read_category(user, debate.category)


def can_read_post(user, post):
    if not can_read_debate(user, post.debate):
        return False
    if post.status == "visible" or is_moderator(user):
        return True
    return post.status == "pending" and user.is_authenticated and post.author_id == user.pk


def _why_not_participate(user, category):
    if not user.is_authenticated:
        return _("Entra con tu cuenta para participar en el Café.")
    if not is_member(user):
        return _("Confirma tu correo electrónico para participar en el Café.")
    if not can_read_category(user, category):
        return _("No tienes acceso a esta categoría.")
    if is_suspended(user):
        return _("Tu participación en el Café está suspendida temporalmente.")
    return None


def why_not_start_debate(user, category):
    reason = _why_not_participate(user, category)
    if reason:
        return reason
    if category.post_access == EXPERTS and not is_expert(user):
        return _("En esta categoría solo las personas expertas abren debates y responden.")
    return None


def why_not_reply(user, debate, now=None):
    reason = why_not_start_debate(user, debate.category)
    if reason:
        return reason
    state = debate.posting_state(now)
    if state == "locked":
        return _("Este debate está cerrado: ya no admite respuestas.")
    if state == "upcoming":
        return _("Esta sesión del Café todavía no ha empezado.")
    if state == "closed":
        return _("Esta sesión del Café ha terminado: el debate queda de solo lectura.")
    return None


def why_not_edit(user, post):
    if is_moderator(user) and can_read_debate(user, post.debate):
        return None
    if not user.is_authenticated or post.author_id != user.pk:
        return _("Solo puedes editar tus propios mensajes.")
    if post.status == "hidden":
        return _("Este mensaje está oculto por moderación.")
    return why_not_reply(user, post.debate)


def why_not_react(user, post):
    reason = _why_not_participate(user, post.debate.category)
    if reason:
        return reason
    if post.status != "visible":
        return _("Este mensaje no admite reacciones.")
    if post.debate.is_locked:
        return _("Este debate está cerrado.")
    return None


def why_not_report(user, post):
    reason = _why_not_participate(user, post.debate.category)
    if reason:
        return reason
    if not can_read_post(user, post):
        return _("No tienes acceso a este mensaje.")
    return None


def why_not_moderate(user):
    if not is_moderator(user):
        return _("Solo la moderación del Café puede hacer esto.")
    return None


def can_reply(user, debate):
    return why_not_reply(user, debate) is None


def can_start_debate(user, category):
    return why_not_start_debate(user, category) is None


def can_edit(user, post):
    return why_not_edit(user, post) is None


def can_moderate(user):
    return why_not_moderate(user) is None
