"""The dashboard is the admin's home: its template extends monitoring's (which keeps the operations link)."""

from django.contrib import admin

admin.site.index_template = "dashboard/admin_index.html"
# The app list sits on the home page and in the breadcrumbs; the navigation sidebar beside every list would take
# 300 of a laptop's 1280 px from the columns.
admin.site.enable_nav_sidebar = False
