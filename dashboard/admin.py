"""The dashboard is the admin's home: its template extends monitoring's (which keeps the operations link)."""

from django.contrib import admin

admin.site.index_template = "dashboard/admin_index.html"
