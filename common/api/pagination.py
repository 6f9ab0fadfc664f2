"""Cursor pagination: stable pages however many responses arrive while a script reads them."""

from rest_framework.pagination import CursorPagination


class NewestFirst(CursorPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
    ordering = "-submitted_at"


class ByCreation(NewestFirst):
    ordering = "-created_at"


class ByTime(NewestFirst):
    ordering = "-at"
