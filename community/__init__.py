"""Café con AL-LAs: the real-time expert forum."""
