from django.apps import AppConfig


class SocialValueConfig(AppConfig):
    name = "social_value"
    verbose_name = "Social value"
