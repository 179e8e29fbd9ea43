"""Content a trainer writes (personas and scenarios in YAML): models, loading, lint."""
