from django.urls import path

from . import views

app_name = "blogs"
urlpatterns = [path("<int:space_id>/follow/", views.follow, name="follow")]
