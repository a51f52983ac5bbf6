"""Renderers: each reads a plain data context and writes one document (docx or xlsx)."""
