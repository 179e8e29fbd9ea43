"""The practice room's widgets, one a file."""
