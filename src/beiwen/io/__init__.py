"""Readers and writers of files: encodings, CSV/TSV/XLSX tables, exports."""
