"""The platform's roles are Django groups; their names never change (code looks them up)."""

LEARNERS = "Learners"
EXPERTS = "Experts"
MODERATORS = "Moderators"
EDITORS = "Editors"

ALL_ROLES = (LEARNERS, EXPERTS, MODERATORS, EDITORS)


def has_role(user, role):
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    # Group names are read once per request-bound user object.
    names = getattr(user, "_role_names", None)
    if names is None:
        names = set(user.groups.values_list("name", flat=True))
        user._role_names = names
    return role in names
