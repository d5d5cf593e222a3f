"""Courses and lessons, enrolment, progress, quizzes and certificates."""
