"""AL-LAs Campus project package (installed as ``allas_site``; see README)."""
