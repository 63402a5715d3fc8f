"""``{% staff_dashboard as items %}``: what waits for staff on the admin home."""

from django import template

from common.admin import dashboard

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_dashboard(context):
    return dashboard(context["request"])
