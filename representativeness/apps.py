from django.apps import AppConfig


class RepresentativenessConfig(AppConfig):
    name = "representativeness"
