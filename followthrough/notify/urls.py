from django.urls import path

from followthrough.notify import views

urlpatterns = [
    path("accounts/notifications/", views.settings_page, name="notify_settings"),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="notify_unsubscribe"),
    path("notifications/deliveries/", views.deliveries, name="notify_deliveries"),
    path("notifications/chat/", views.chat_list, name="notify_chat"),
    path("notifications/chat/<int:pk>/", views.chat_edit, name="notify_chat_edit"),
]
