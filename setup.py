"""Package layout that pyproject.toml alone cannot express.

``site/`` cannot be imported as ``site`` (the standard library's module of that name
is loaded at start-up), so it is installed under the import name ``allas_site``.
"""

from setuptools import find_packages, setup

APPS = ["courses", "community", "webinars", "search", "participation"]
DATA = ["templates/**/*", "static/**/*", "locale/**/*", "**/templates/**/*", "**/static/**/*"]

site_packages = ["allas_site"] + [f"allas_site.{name}" for name in find_packages("site")]
app_packages = find_packages(include=[pattern for app in APPS for pattern in (app, f"{app}.*")])

setup(
    packages=site_packages + app_packages,
    package_dir={"allas_site": "site"},
    package_data={"allas_site": DATA, **{app: DATA for app in APPS}},
)
