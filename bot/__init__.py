"""Produktionslotsen: a Swedish advisory assistant for getting a physical product manufactured."""
