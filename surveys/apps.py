from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "surveys"

    def ready(self) -> None:
        from surveys.structure_cache import connect_signals

        connect_signals()
