from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo and benchmark data (loadbench) and the benchmark's floor view; no models."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"
