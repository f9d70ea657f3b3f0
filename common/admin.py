"""Back office for leases and heartbeats (read-only: processes write them), API tokens and user profiles."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from rest_framework.authtoken.admin import TokenAdmin
from rest_framework.authtoken.models import TokenProxy

from common.models import Heartbeat, Lease, TokenProjectLimit, UserProfile


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ("name", "last_seen_at", "detail")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Lease)
class LeaseAdmin(admin.ModelAdmin):
    list_display = ("name", "holder", "acquired_at", "expires_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class TokenProjectLimitInline(admin.TabularInline):
    model = TokenProjectLimit
    extra = 1
    verbose_name = "project this token is limited to"
    verbose_name_plural = "Limited to projects (none: every project)"


# DRF's token admin, with the projects a token is limited to.
admin.site.unregister(TokenProxy)


@admin.register(TokenProxy)
class LimitedTokenAdmin(TokenAdmin):
    inlines = [TokenProjectLimitInline]
    list_display = ("key", "user", "created", "limited_to")

    @admin.display(description="limited to")
    def limited_to(self, token):
        return ", ".join(limit.project for limit in token.project_limits.all()) or "every project"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("project_limits")


class UserProfileInline(admin.StackedInline):
    model = UserProfile
    can_delete = False
    verbose_name_plural = "Profile"


# Django's user admin, with the profile (the department) on the same page.
admin.site.unregister(User)


@admin.register(User)
class ProfiledUserAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, UserProfileInline]
    list_display = (*UserAdmin.list_display, "department")
    list_select_related = ("profile",)

    @admin.display(description="department", ordering="profile__department")
    def department(self, user):
        profile = getattr(user, "profile", None)
        return profile.department if profile else ""
