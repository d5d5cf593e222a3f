"""Static addresses are worked out once per file and process, as the storages would."""

import json

from django.contrib.staticfiles.storage import StaticFilesStorage

from allas_site.core.static_files import KeptUrlsManifestStorage, KeptUrlsStaticFilesStorage


def test_the_plain_storage_answers_as_djangos_and_asks_once(settings, monkeypatch):
    storage = KeptUrlsStaticFilesStorage()
    assert storage.url("css/site.css") == StaticFilesStorage().url("css/site.css")
    asked = []
    real = StaticFilesStorage.url

    def spy(self, name, *args, **kwargs):
        asked.append(name)
        return real(self, name, *args, **kwargs)

    monkeypatch.setattr(StaticFilesStorage, "url", spy)
    for _ in range(3):
        assert storage.url("js/cafe.js") == "/static/js/cafe.js"
    assert asked == ["js/cafe.js"]


def test_the_manifest_storage_serves_hashed_names_and_plain_ones_under_debug(tmp_path, settings):
    (tmp_path / "staticfiles.json").write_text(json.dumps({
        "paths": {"css/site.css": "css/site.0123abcd.css"}, "version": "1.1", "hash": "x",
    }))
    storage = KeptUrlsManifestStorage(location=tmp_path, base_url="/static/")
    settings.DEBUG = False
    assert storage.url("css/site.css") == "/static/css/site.0123abcd.css"
    settings.DEBUG = True
    assert storage.url("css/site.css") == "/static/css/site.css"
