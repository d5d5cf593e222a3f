"""Participation: multi-actor consultations and advocacy campaigns (two apps)."""
