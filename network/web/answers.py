"""Small helpers routes share: turning service refusals into form errors."""

from __future__ import annotations

from typing import Any

from flask import render_template
from flask_wtf import FlaskForm

from network.exceptions import ServiceError


def show_form_error(form: FlaskForm, error: ServiceError) -> None:
    """Attach a service's refusal to the field it names, or to the form as a whole.

    Hidden fields (the request key, the version) have nowhere to show an error,
    so theirs goes to the top of the form.
    """
    field = getattr(form, error.field, None) if error.field else None
    visible = field is not None and getattr(field.widget, "input_type", None) != "hidden"
    if visible and hasattr(field, "errors"):
        field.errors = [*list(field.errors or []), str(error.message)]
    else:
        form.form_errors.append(str(error.message))


def render_form(template: str, form: FlaskForm, **context: Any) -> tuple[str, int]:
    """Re-show a refused form with 422 and everything the person typed (passwords aside)."""
    return render_template(template, form=form, **context), 422
