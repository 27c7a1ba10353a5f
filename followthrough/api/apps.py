from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "followthrough.api"
    verbose_name = "API"
