"""Wording for the plan pages: a characteristic's name inside a sentence, a partner's community by name."""

from django import template

from plans.groups import community_label, in_sentence

register = template.Library()


@register.filter(name="in_sentence")
def in_sentence_filter(label: str) -> str:
    """ "Main language and English" inside a sentence: "main language and English" (not "english")."""
    return in_sentence(str(label))


@register.filter(name="community")
def community_filter(community: str) -> str:
    """ "religion:Muslim" as "Religion: Muslim"."""
    return community_label(str(community))
