"""One page tree per language, kept in step (Wagtail's synchronised tree).

Every page exists under every locale's home page: as a real translation once someone
has translated it, as an *alias* of the original until then. An alias serves the
original's content (Wagtail republishes it whenever the original is published), so a
URL that works in Spanish also works under ``/en/``, ``/fr/`` and ``/pt/``, and the
page says in the visitor's language that its content is still in the original one.

Wagtail's ``WAGTAILSIMPLETRANSLATION_SYNC_PAGE_TREE`` creates the aliases for pages
created in the admin; pages created by code (demo content, the Café's relatorías) and
locales added later are covered here, on publication and when a locale is created.
"""

from django.db import transaction
from wagtail.models import Locale, Page


def _originals():
    """Pages that carry content of their own (not aliases), parents before children."""
    return Page.objects.filter(depth__gt=1, alias_of__isnull=True).order_by("path")


def missing_locales(page, locales=None):
    locales = list(Locale.objects.all()) if locales is None else locales
    present = set(
        Page.objects.filter(translation_key=page.translation_key).values_list(
            "locale_id", flat=True
        )
    )
    return [locale for locale in locales if locale.pk not in present]


@transaction.atomic
def sync_page(page, locales=None):
    """Create an alias of ``page`` (and of any untranslated parent) in every locale
    that lacks one. Returns the aliases created."""
    page = page.specific
    if page.alias_of_id or page.depth <= 1:
        return []
    created = []
    for locale in missing_locales(page, locales):
        created.append(page.copy_for_translation(locale, copy_parents=True, alias=True))
    return created


def start_translation(page, locale):
    """The page in ``locale`` ready to receive translated content: its alias turned
    into a page of its own (what "Translate this page" does in the admin), or a new
    copy. ``None`` when a real translation already exists."""
    from wagtail.actions.convert_alias import ConvertAliasPageAction

    existing = page.get_translation_or_none(locale)
    if existing is None:
        return page.copy_for_translation(locale, copy_parents=True)
    if not existing.alias_of_id:
        return None
    ConvertAliasPageAction(existing).execute(skip_permission_checks=True)
    return Page.objects.get(pk=existing.pk).specific


def sync_page_tree(stdout=None):
    """Bring every locale's tree in step with the originals; safe to run again."""
    locales = list(Locale.objects.all())
    created = []
    for page in _originals():
        # A parent synced a moment ago may have created this page's aliases too.
        created += sync_page(page, locales)
    if stdout is not None and created:
        stdout.write(f"  {len(created)} alias pages created for untranslated pages")
    return created


def with_content_language(queryset):
    """Annotate each page of ``queryset`` with the language its content is in."""
    from django.db.models import BooleanField, ExpressionWrapper, F, Q
    from django.db.models.functions import Coalesce

    return queryset.annotate(
        content_language=Coalesce(
            F("alias_of__locale__language_code"), F("locale__language_code")
        ),
        untranslated=ExpressionWrapper(Q(alias_of__isnull=False), output_field=BooleanField()),
    )


def original_page(page):
    """The copy that a page's rows (registrations, responses, signatures...) belong to:
    the page an alias shows, else the first page created with its translation key that
    is not an alias (the page itself when it has no copies)."""
    model = page.specific_class or type(page)
    if page.alias_of_id:
        original = model.objects.filter(pk=page.alias_of_id).first()
        if original is not None:
            return original
    original = (
        model.objects.filter(translation_key=page.translation_key, alias_of__isnull=True)
        .order_by("pk").first()
    )
    return original or page


def content_language(page):
    """The language a page's content is written in: the original's for an alias."""
    if page is None or not getattr(page, "alias_of_id", None):
        return getattr(getattr(page, "locale", None), "language_code", None)
    return (
        Page.objects.filter(pk=page.alias_of_id)
        .values_list("locale__language_code", flat=True)
        .first()
    )


def _on_published(sender, instance, **kwargs):
    # Aliases are republished with their original (``alias=True``): nothing to add.
    if kwargs.get("alias") or instance.alias_of_id:
        return
    sync_page(instance)


def _on_locale_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        transaction.on_commit(sync_page_tree)


def connect():
    from django.db.models.signals import post_save
    from wagtail.signals import page_published

    page_published.connect(_on_published, dispatch_uid="page-tree-sync")
    post_save.connect(_on_locale_saved, sender=Locale, dispatch_uid="page-tree-new-locale")
