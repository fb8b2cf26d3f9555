from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "hearline.channels"
    label = "channels"
