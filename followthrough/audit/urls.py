from django.urls import path

from followthrough.audit import views

urlpatterns = [path("", views.audit_list, name="audit")]
