"""Learners adding to the roadmap: suggesting resources and rating the ones they used."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from roadmap.community import ratings, suggestions
from roadmap.community.forms import RATING_LABELS, RatingForm, SuggestionForm
from roadmap.models import Resource, Topic
from roadmap.web.htmx import Gone, active_topic, current_roadmap, invalid


@login_required
@require_http_methods(["GET", "POST"])
def suggest_resource(request, slug: str):
    topic = get_object_or_404(Topic.objects.active(), roadmap=current_roadmap(), slug=slug)
    form = SuggestionForm(request.POST if request.method == "POST" else None, learner=request.user)
    if request.method == "POST" and form.is_valid():
        suggestion = form.save(commit=False)
        suggestion.suggester = request.user
        suggestion.topic = topic
        try:
            with transaction.atomic():
                suggestion.save()
        except IntegrityError:
            # Someone sent the same link a moment ago (one pending suggestion per URL).
            form.add_error("url", "Someone has already suggested that link; it is waiting for review.")
            return render(
                request,
                "roadmap/suggest_resource.html",
                {
                    "topic": topic,
                    "form": form,
                    "left_today": suggestions.suggestions_left_today(request.user),
                },
                status=400,
            )
        messages.success(
            request,
            "Thanks! A curator will review your suggestion; you'll see the decision in your settings.",
        )
        return redirect(topic.get_absolute_url())
    return render(
        request,
        "roadmap/suggest_resource.html",
        {"topic": topic, "form": form, "left_today": suggestions.suggestions_left_today(request.user)},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def rate_resource(request, slug: str, topic_slug: str):
    # Gone (named in words, in the flash region for htmx) when either left the roadmap since the page was drawn.
    topic = active_topic(current_roadmap(), topic_slug)
    resource = Resource.objects.filter(slug=slug, topic_links__topic=topic).first()
    if resource is None:
        raise Gone(f"That resource is no longer listed for “{topic.title}” — reload the page.")
    form = RatingForm(request.POST)
    if not form.is_valid():
        return invalid(request, form, about=f"your rating of “{resource.title}” on {topic.title}")
    ratings.rate(learner=request.user, resource=resource, rating=form.cleaned_data["rating"])
    if not request.htmx:
        return redirect(topic.get_absolute_url() + f"#resource-{resource.slug}")
    ratings.attach_ratings([resource], request.user)
    return render(
        request,
        "roadmap/includes/resource_rating.html",
        {"r": resource, "topic": topic, "rating_choices": RATING_LABELS},
    )
