"""Index templates and JSON Schemas; shipped inside newswatch as ``pipeline.schemas``."""
