"""Kibana saved objects; shipped inside newswatch as ``pipeline.kibana_objects``."""
