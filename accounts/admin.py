from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.models import Profile

User = get_user_model()


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "display_name", "visibility", "goal"]
    list_filter = ["visibility"]
    list_select_related = ["user", "goal"]
    search_fields = ["user__username", "user__email", "display_name"]
    raw_id_fields = ["user", "goal"]
    exclude = ["share_token"]

    def save_model(self, request, obj, form, change):
        if change:
            obj.save_changes()  # what the learner's pages show changed
        else:
            super().save_model(request, obj, form, change)


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The username shows in every page's header and in shared pages' addresses.
        Profile.objects.learner_changed(obj.pk)
