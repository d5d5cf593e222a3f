"""Every benchmark measurement, in the order ``run.py`` runs them.

A measurement is a function ``(BenchContext) -> Measurement``; add a module here and
append its function to MEASUREMENTS.
"""

from .base import BenchContext, Column, Measurement
from .cafe import cafe_realtime
from .courses import course_pages
from .http_throughput import http_throughput
from .page_ratios import page_ratios
from .publications import publication_pages
from .search import search_latency
from .webinar_qa import webinar_qa

MEASUREMENTS = [http_throughput, course_pages, publication_pages, page_ratios, cafe_realtime,
                webinar_qa, search_latency]

__all__ = ["MEASUREMENTS", "BenchContext", "Column", "Measurement"]
