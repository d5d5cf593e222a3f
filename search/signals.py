"""Keep the search index in step with the content, right after each commit.

Every change is turned into "refresh this source" (``schedule``), run once per source
after the transaction commits, so a rolled-back change never reaches the index and a
post is findable as soon as its author sees it. Services that write with ``update()``
(which sends no signal) call ``schedule`` themselves.
"""

import logging
import threading
from contextlib import contextmanager

from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

logger = logging.getLogger(__name__)
_pending = threading.local()


def schedule(obj, related=False):
    """Refresh ``obj``'s search rows after commit (and its dependants' if ``related``)."""
    from search.indexing import source_label

    label = source_label(obj)
    if label is None:
        return
    key = (label, obj.pk)
    keys = getattr(_pending, "keys", None)
    if keys is None:
        keys = _pending.keys = {}
    keys[key] = keys.get(key, False) or related
    if getattr(_pending, "deferred", None) is not None:
        return  # refreshed once when the deferring block ends
    _after_commit(lambda: _run(key))


@contextmanager
def deferred():
    """Refresh what the block changes once, at its end, not at each of its saves.

    Building the demo publishes, aliases and translates each page several times; with
    SEARCH_INDEX_AT_ONCE (tests) every save would be indexed on the spot.
    """
    if getattr(_pending, "deferred", None) is not None:
        yield  # already inside one
        return
    _pending.deferred = []
    try:
        yield
    except BaseException:
        _pending.deferred, _pending.keys = None, {}  # rolled back with the block
        raise
    waiting, _pending.deferred = _pending.deferred, None
    for callback in waiting:
        _after_commit(callback)
    for key in list(getattr(_pending, "keys", {})):
        _after_commit(lambda key=key: _run(key))


def _after_commit(callback):
    later = getattr(_pending, "deferred", None)
    if later is not None:
        later.append(callback)
        return
    # Tests run inside one transaction that never commits: SEARCH_INDEX_AT_ONCE (test
    # settings) indexes straight away; tests of the after-commit timing turn it off.
    if getattr(settings, "SEARCH_INDEX_AT_ONCE", False):
        callback()
    else:
        transaction.on_commit(callback)


def _run(key):
    keys = getattr(_pending, "keys", {})
    if key not in keys:
        return  # already refreshed by an earlier callback of the same transaction
    related = keys.pop(key)
    from search import indexing

    label, pk = key
    obj = _load(label, pk)
    if obj is None:
        indexing.forget(label, pk)
        return
    indexing.refresh(obj)
    if related:
        indexing.refresh_related(obj)


def _load(label, pk):
    from django.apps import apps

    model = apps.get_model(label)
    try:
        obj = model._default_manager.get(pk=pk)
    except model.DoesNotExist:
        return None
    return obj.specific if hasattr(obj, "specific") and hasattr(obj, "path") else obj


def _forget_on_commit(label, pk):
    from search import indexing

    _after_commit(lambda: indexing.forget(label, pk))


# --- receivers ---------------------------------------------------------------------------


def _page_changed(sender, instance, **kwargs):
    schedule(instance.specific, related=True)


def _page_moved(sender, instance, **kwargs):
    # Addresses of the page and everything under it have changed.
    for page in instance.get_descendants(inclusive=True).specific():
        schedule(page)


def _page_deleted(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        from search.indexing import PAGE_KINDS

        label = instance._meta.label_lower
        if label in PAGE_KINDS:
            _forget_on_commit(label, instance.pk)


def _restriction_changed(sender, instance, **kwargs):
    page = getattr(instance, "page", None)
    if page is not None:
        _page_moved(sender, page)


def _saved(sender, instance, raw=False, **kwargs):
    if not raw:
        schedule(instance)


def _deleted(sender, instance, **kwargs):
    _forget_on_commit(instance._meta.label_lower, instance.pk)


def _debate_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    # A debate is saved on every reply (its counters); only a new title or category
    # changes what its posts' rows say.
    from search.models import SearchDocument

    row = SearchDocument.objects.filter(source=f"community.debate:{instance.pk}").first()
    category = instance.category
    changed = row is None or (row.heading, row.read_level, row.topic_id) != (
        instance.title[:255], category.read_access, category.topic_id
    )
    schedule(instance, related=changed)


def _category_saved(sender, instance, raw=False, **kwargs):
    if raw or instance.locale.language_code != "es":
        return
    for debate in instance.debates.all():
        schedule(debate, related=True)


def _groups_changed(sender, instance, action, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"}:
        from django.contrib.auth import get_user_model

        if isinstance(instance, get_user_model()):
            schedule(instance)


def _edition_saved(sender, instance, raw=False, **kwargs):
    if raw or not instance.document_id:
        return
    from search.tasks import extract_edition_text

    pk = instance.pk
    _after_commit(lambda: extract_edition_text.enqueue(pk))


def _question_saved(sender, instance, raw=False, **kwargs):
    # An answered question joins its webinar's words, in every language of the event.
    from wagtail.models import Page

    update_fields = kwargs.get("update_fields")
    if raw or (update_fields is not None and "status" not in update_fields):
        return  # votes and highlights do not change what is findable
    for page in Page.objects.filter(translation_key=instance.webinar_key,
                                    alias_of__isnull=True).specific():
        schedule(page)


def connect():
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from wagtail.models import Page, PageViewRestriction
    from wagtail.signals import page_published, page_unpublished, post_page_move

    page_published.connect(_page_changed, dispatch_uid="search-page-published")
    page_unpublished.connect(_page_changed, dispatch_uid="search-page-unpublished")
    post_page_move.connect(_page_moved, dispatch_uid="search-page-moved")
    post_delete.connect(_page_deleted, dispatch_uid="search-page-deleted")
    post_save.connect(_restriction_changed, sender=PageViewRestriction,
                      dispatch_uid="search-restriction-saved")
    post_delete.connect(_restriction_changed, sender=PageViewRestriction,
                        dispatch_uid="search-restriction-deleted")
    del Page  # pages are reached through Wagtail's publishing signals

    user_model = get_user_model()
    for label in ("topics.Topic", "partners.Partner", "community.Post"):
        model = apps.get_model(label)
        post_save.connect(_saved, sender=model, dispatch_uid=f"search-saved-{label}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"search-deleted-{label}")
    post_save.connect(_saved, sender=user_model, dispatch_uid="search-saved-user")
    post_delete.connect(_deleted, sender=user_model, dispatch_uid="search-deleted-user")
    m2m_changed.connect(_groups_changed, sender=user_model.groups.through,
                        dispatch_uid="search-user-groups")
    _connect_promotions()
    debate = apps.get_model("community.Debate")
    post_save.connect(_debate_saved, sender=debate, dispatch_uid="search-debate-saved")
    post_delete.connect(_deleted, sender=debate, dispatch_uid="search-debate-deleted")
    post_save.connect(_category_saved, sender=apps.get_model("community.Category"),
                      dispatch_uid="search-category-saved")
    post_save.connect(_edition_saved, sender=apps.get_model("publications.PublicationEdition"),
                      dispatch_uid="search-edition-saved")
    try:
        question = apps.get_model("webinars.Question")
    except LookupError:
        return
    post_save.connect(_question_saved, sender=question, dispatch_uid="search-question-saved")


def _connect_promotions():
    """The results page keeps which queries have editors' picks (search.query) until
    the site-wide version changes: a pick saved or deleted changes it."""
    from django.apps import apps

    from allas_site.core import page_cache

    try:
        promotion = apps.get_model("wagtailsearchpromotions.SearchPromotion")
    except LookupError:
        return
    post_save.connect(page_cache.invalidate, sender=promotion,
                      dispatch_uid="search-promotion-saved")
    post_delete.connect(page_cache.invalidate, sender=promotion,
                        dispatch_uid="search-promotion-deleted")
