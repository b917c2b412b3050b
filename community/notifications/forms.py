"""The notification preferences form: a channel per kind, and quiet hours for community managers."""

from __future__ import annotations

import functools
from zoneinfo import available_timezones

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

TIME_FORMATS = ["%H:%M", "%H:%M:%S"]  # what <input type="time"> sends; never an offset


@functools.cache
def time_zone_names() -> tuple[str, ...]:
    return tuple(sorted(available_timezones()))


@functools.cache
def _time_zones_by_lower_name() -> dict[str, str]:
    return {name.lower(): name for name in time_zone_names()}


def _hh_mm(value) -> str:
    return value.strftime("%H:%M") if value is not None else ""


def channel_field_name(kind) -> str:
    return f"channel-{kind.name}"


class PreferencesForm(forms.Form):
    """Only the kinds given exist in the form: a member's POST naming a staff alert, or quiet hours,
    is not read at all."""

    def __init__(self, data=None, *, kinds, current: dict[str, str], alert_settings=None,
                 with_quiet_hours: bool = False):
        super().__init__(data)
        self.kinds = list(kinds)
        for kind in self.kinds:
            # Not required: a kind registered after the page was opened (a deploy) keeps its channel
            # instead of refusing the whole form.
            self.fields[channel_field_name(kind)] = forms.ChoiceField(
                label=kind.label, choices=kind.channels_choices, required=False,
                initial=current.get(kind.name, kind.default_channel),
                error_messages={"required": _("Choose how to hear about this."),
                                "invalid_choice": _("Choose one of the offered channels.")},
            )
        if with_quiet_hours:
            time_errors = {"invalid": _("Enter a time like 22:00.")}
            self.fields["quiet_start"] = forms.TimeField(
                label=_("From"), required=False, input_formats=TIME_FORMATS, error_messages=time_errors,
                initial=_hh_mm(alert_settings.quiet_start if alert_settings else None))
            self.fields["quiet_end"] = forms.TimeField(
                label=_("to"), required=False, input_formats=TIME_FORMATS, error_messages=time_errors,
                initial=_hh_mm(alert_settings.quiet_end if alert_settings else None))
            self.fields["time_zone"] = forms.CharField(
                label=_("Time zone"), required=False, max_length=64,
                initial=alert_settings.time_zone if alert_settings else "UTC",
                error_messages={"max_length": _("Unknown time zone: choose one from the list, like Europe/Paris.")})

    @property
    def with_quiet_hours(self) -> bool:
        return "quiet_start" in self.fields

    def quiet_fields(self):
        return [self[name] for name in ("quiet_start", "quiet_end", "time_zone")] if self.with_quiet_hours else []

    def member_rows(self):
        return list(self._rows(staff=False))

    def staff_rows(self):
        return list(self._rows(staff=True))

    def _rows(self, *, staff: bool):
        """(kind, bound field, selected channel) per kind. After a refused POST, a valid choice is
        kept; a channel that was not offered falls back to the member's current one."""
        for kind in self.kinds:
            if kind.staff_alert != staff:
                continue
            field = self[channel_field_name(kind)]
            selected = field.initial
            if self.is_bound:
                posted = field.data
                if posted in kind.channels:
                    selected = posted
            yield kind, field, selected

    def clean_time_zone(self):
        name = (self.cleaned_data.get("time_zone") or "").strip() or "UTC"
        canonical = _time_zones_by_lower_name().get(name.lower())
        if canonical is None:
            raise ValidationError(_("Unknown time zone: choose one from the list, like Europe/Paris."),
                                  code="unknown_time_zone")
        return canonical

    def clean(self):
        cleaned = super().clean()
        if self.with_quiet_hours and not self.has_error("quiet_start") and not self.has_error("quiet_end"):
            start, end = cleaned.get("quiet_start"), cleaned.get("quiet_end")
            if (start is None) != (end is None):
                missing = "quiet_end" if end is None else "quiet_start"
                self.add_error(missing, _("Give both times, or leave both empty."))
            elif start is not None and start == end:
                self.add_error("quiet_end", _("Quiet hours must end at another time than they start."))
        return cleaned

    def channels(self) -> dict[str, str]:
        """The channels chosen; a kind left out of the POST keeps its current channel."""
        chosen = {kind.name: self.cleaned_data.get(channel_field_name(kind)) for kind in self.kinds}
        return {name: channel for name, channel in chosen.items() if channel}

    def quiet_hours(self) -> tuple | None:
        if not self.with_quiet_hours:
            return None
        data = self.cleaned_data
        return data["quiet_start"], data["quiet_end"], data["time_zone"]
