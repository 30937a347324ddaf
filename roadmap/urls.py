from django.urls import path

from roadmap import log_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic_detail"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/goal/", views.set_goal, name="set_goal"),
    path("progress/", views.change_status, name="change_status"),
    path("log/", log_views.log, name="log"),
    path("log/<str:day>/edit/", log_views.log_entry_edit, name="log_entry_edit"),
    path("log/<str:day>/delete/", log_views.log_entry_delete, name="log_entry_delete"),
]
