"""Webinars: registration, waitlist, calendar files, reminders, recordings and live Q&A."""
