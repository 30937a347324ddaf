from django.urls import path

from roadmap.checking import views as checking
from roadmap.community import views as community
from roadmap.curriculum import views as curriculum
from roadmap.journal import views as journal
from roadmap.map import views as roadmap_map
from roadmap.portability import views as portability
from roadmap.progress import views as progress
from roadmap.sharing import views as sharing

urlpatterns = [
    # The curriculum
    path("", curriculum.home, name="home"),
    path("topics/<slug:slug>/", curriculum.topic_detail, name="topic_detail"),
    # Progress
    path("dashboard/", progress.dashboard, name="dashboard"),
    path("dashboard/goal/", progress.set_goal, name="set_goal"),
    path("dashboard/pace/", progress.set_pace, name="set_pace"),
    path("progress/", progress.change_status, name="change_status"),
    path("review/", progress.review_topic, name="review_topic"),
    path("practice/", progress.practice_done, name="practice_done"),
    path("topics/<slug:slug>/status/", progress.topic_status, name="topic_status"),
    path("topics/<slug:slug>/review/", progress.topic_review, name="topic_review"),
    # Checking
    path("topics/<slug:slug>/check/", checking.topic_check_view, name="topic_check"),
    path("placement/", checking.placement_intro, name="placement"),
    path("placement/question/", checking.placement_question, name="placement_question"),
    path("placement/stop/", checking.placement_stop, name="placement_stop"),
    path("placement/result/", checking.placement_result, name="placement_result"),
    path("topics/<slug:slug>/recall/", checking.topic_recall, name="topic_recall"),
    # The community
    path("topics/<slug:slug>/suggest/", community.suggest_resource, name="suggest_resource"),
    path(
        "topics/<slug:topic_slug>/resources/<slug:slug>/rate/",
        community.rate_resource,
        name="rate_resource",
    ),
    # The map
    path("map/", roadmap_map.roadmap_map, name="roadmap_map"),
    path("map/topic/<slug:slug>/", roadmap_map.map_topic, name="map_topic"),
    path("map/topic/<slug:slug>/status/", roadmap_map.map_status, name="map_status"),
    # The journal
    path("log/", journal.log, name="log"),
    path("log/<str:day>/edit/", journal.log_entry_edit, name="log_entry_edit"),
    path("log/<str:day>/delete/", journal.log_entry_delete, name="log_entry_delete"),
    # Sharing
    path("u/<str:username>/", sharing.public_profile, name="public_profile"),
    path("u/<str:username>/badge.svg", sharing.badge, name="badge"),
    path("u/<str:username>/card.png", sharing.card, name="card"),
    path("u/<str:username>/log/<str:day>/", sharing.public_log_entry, name="public_log_entry"),
    path("u/<str:username>/log/<str:day>/card.png", sharing.log_entry_card, name="log_entry_card"),
    path("s/<str:token>/", sharing.unlisted_profile, name="unlisted_profile"),
    path("s/<str:token>/badge.svg", sharing.unlisted_badge, name="unlisted_badge"),
    path("s/<str:token>/card.png", sharing.unlisted_card, name="unlisted_card"),
    path("s/<str:token>/log/<str:day>/", sharing.unlisted_log_entry, name="unlisted_log_entry"),
    path(
        "s/<str:token>/log/<str:day>/card.png",
        sharing.unlisted_log_entry_card,
        name="unlisted_log_entry_card",
    ),
    # Your data (on the settings page)
    path("settings/export.json", portability.export_json, name="export_json"),
    path("settings/export-progress.csv", portability.export_progress_csv, name="export_progress_csv"),
    path("settings/export-log.csv", portability.export_log_csv, name="export_log_csv"),
    path("settings/import/", portability.import_json, name="import_json"),
]
