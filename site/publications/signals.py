"""Retire the anonymous page cache whenever published content changes."""

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move

from allas_site.core import page_cache


def connect():
    from allas_site.partners.models import Partner
    from allas_site.topics.models import Topic

    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(page_cache.invalidate, dispatch_uid=f"page-cache-{id(signal)}")
    from wagtail.models import Page

    post_delete.connect(page_cache.invalidate, sender=Page, dispatch_uid="page-cache-delete")
    for model in (Topic, Partner):
        post_save.connect(page_cache.invalidate, sender=model,
                          dispatch_uid=f"page-cache-save-{model.__name__}")
        post_delete.connect(page_cache.invalidate, sender=model,
                            dispatch_uid=f"page-cache-del-{model.__name__}")
