from wagtail import hooks

from allas_site.core.view_restrictions import skip_check_when_none_exist

hooks.register("before_serve_page", skip_check_when_none_exist)
