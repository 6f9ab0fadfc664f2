"""The audit log for administrators, newest first."""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from access.policy import Action
from audit.models import AuditAction, AuditEntry
from common.api.pagination import ByTime
from common.api.serializers import ERRORS


class AuditEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEntry
        fields = ["id", "at", "actor_name", "action", "object_type", "object_id", "object_label", "via", "detail"]


class AuditFilter(django_filters.FilterSet):
    actor = django_filters.CharFilter(field_name="actor_name", lookup_expr="iexact", label="Username")
    action = django_filters.ChoiceFilter(choices=AuditAction.choices)
    date_from = django_filters.DateFilter(field_name="at", lookup_expr="date__gte", label="From (YYYY-MM-DD)")
    date_to = django_filters.DateFilter(field_name="at", lookup_expr="date__lte", label="To, inclusive (YYYY-MM-DD)")

    class Meta:
        model = AuditEntry
        fields = ["actor", "action", "date_from", "date_to"]


@extend_schema(responses={200: AuditEntrySerializer(many=True), **ERRORS})
class AuditEntryList(generics.ListAPIView):
    """Who did what to which object, when and from where (web, API or command line)."""

    policy = {"get": Action.AUDIT_VIEW}
    serializer_class = AuditEntrySerializer
    pagination_class = ByTime
    filterset_class = AuditFilter
    queryset = AuditEntry.objects.all()
