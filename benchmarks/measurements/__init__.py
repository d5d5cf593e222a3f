"""Every benchmark measurement, in the order ``run.py`` runs them.

A measurement is a function ``(BenchContext) -> Measurement``; add a module here and
append its function to MEASUREMENTS.
"""

from .base import BenchContext, Column, Measurement
from .http_throughput import http_throughput

MEASUREMENTS = [http_throughput]

__all__ = ["MEASUREMENTS", "BenchContext", "Column", "Measurement"]
