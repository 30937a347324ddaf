from django.urls import path

from roadmap import community_views, log_views, map_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic_detail"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/goal/", views.set_goal, name="set_goal"),
    path("progress/", views.change_status, name="change_status"),
    path("review/", views.review_topic, name="review_topic"),
    path("topics/<slug:slug>/suggest/", community_views.suggest_resource, name="suggest_resource"),
    path(
        "topics/<slug:topic_slug>/resources/<slug:slug>/rate/",
        community_views.rate_resource,
        name="rate_resource",
    ),
    path("map/", map_views.roadmap_map, name="roadmap_map"),
    path("map/topic/<slug:slug>/", map_views.map_topic, name="map_topic"),
    path("log/", log_views.log, name="log"),
    path("log/<str:day>/edit/", log_views.log_entry_edit, name="log_entry_edit"),
    path("log/<str:day>/delete/", log_views.log_entry_delete, name="log_entry_delete"),
]
