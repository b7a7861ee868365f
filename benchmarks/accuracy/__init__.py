"""Planted-defect accuracy benchmark."""
