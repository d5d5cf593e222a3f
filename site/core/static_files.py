"""Static file storages whose addresses are worked out once per file and process.

A page links a dozen stylesheets, scripts and icons through ``{% static %}``, and each
asked the storage again: a URL join, and in production a look-up in the manifest of
hashed names. Neither changes while the process runs (the manifest is read at start, and
``collectstatic`` is followed by a restart), so each answer is kept.
"""

import functools

from django.conf import settings
from django.contrib.staticfiles.storage import StaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage

# Far more than the site's assets: a bound against names that do not exist.
KEPT_NAMES = 512


class KeptUrlsMixin:
    def url(self, name, *args, **kwargs):
        if args or kwargs:  # force=… and other variants: not kept
            return super().url(name, *args, **kwargs)
        # DEBUG is part of the key: the manifest storage serves unhashed names under it.
        return self._kept_url(name, settings.DEBUG)

    @functools.lru_cache(maxsize=KEPT_NAMES)  # noqa: B019 - one storage per process, never freed anyway
    def _kept_url(self, name, debug):
        return super().url(name)


class KeptUrlsStaticFilesStorage(KeptUrlsMixin, StaticFilesStorage):
    pass


class KeptUrlsManifestStorage(KeptUrlsMixin, CompressedManifestStaticFilesStorage):
    pass
