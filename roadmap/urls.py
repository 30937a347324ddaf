from django.urls import path

from roadmap import views

urlpatterns = [
    path("", views.home, name="home"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic_detail"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/goal/", views.set_goal, name="set_goal"),
    path("progress/", views.change_status, name="change_status"),
]
