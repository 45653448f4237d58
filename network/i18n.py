"""Languages: which one a request speaks, and the strings our JavaScript needs.

English is the default and Russian is complete; a test fails when a string has
no Russian translation.
"""

from __future__ import annotations

from functools import lru_cache

from babel import Locale
from babel.support import NullTranslations
from flask import Flask, current_app, has_request_context, request
from flask_babel import get_locale, get_translations, ngettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from network.extensions import babel

LANGUAGE_NAMES = {"en": "English", "ru": "Русский"}

# Strings shown by static/js: they reach the page as a JSON catalogue in the
# layout, translated for the request's language.
JS_MESSAGES = {
    "dismiss": _l("Dismiss"),
    "case_study_withdrawn": _l("This case study was withdrawn by its customer."),
    "reconnecting": _l("Reconnecting…"),
    "connection_restored": _l("Connection restored"),
    "uploading": _l("Uploading…"),
    "staff": _l("staff"),
    "post_hidden": _l("A moderator hid this post."),
    "is_typing": _l("%(name)s is typing…"),
    "here_now": _l("Here now: %(num)s"),
    "staff_here": _l("Staff here: %(names)s"),
    "edited": _l("edited"),
    "comment_deleted": _l("Comment deleted."),
    "comment_hidden": _l("Comment hidden by a moderator."),
    "uploaded": _l("Image added to the text."),
    "upload_failed": _l("The image could not be uploaded."),
}


LANGUAGE_COOKIE = "lang"


def select_locale() -> str:
    """The member's setting, else the visitor's choice (cookie), else Accept-Language."""
    if not has_request_context():  # CLI commands and background work speak the default
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    signed_in = current_user and current_user.is_authenticated
    return choose_locale(current_user.language if signed_in else None)


def choose_locale(member_language: str | None) -> str:
    """select_locale() given the member's setting (or None for a visitor)."""
    languages = current_app.config["LANGUAGES"]
    if member_language in languages:
        return member_language
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in languages:
        return chosen
    best = request.accept_languages.best_match(languages)
    return best or current_app.config["BABEL_DEFAULT_LOCALE"]


def js_catalogue() -> dict[str, str]:
    """The scripts' strings in the request's language (the layout asks on every page)."""
    return dict(_js_catalogue(str(get_locale())))


@lru_cache(maxsize=16)
def _js_catalogue(language: str) -> dict[str, str]:
    # Depends on nothing but the language: translations load once per process.
    catalogue = {key: str(text) for key, text in JS_MESSAGES.items()}
    # Plural forms for scripts, keyed by Intl.PluralRules categories (Russian has three).
    for category, number in (("one", 1), ("few", 2), ("many", 5), ("other", 0)):
        catalogue[f"comments_{category}"] = ngettext(
            "%(num)d comment", "%(num)d comments", number
        ).replace(str(number), "%(num)d", 1)
    return catalogue


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    # Templates translate through these (Flask-Babel installs slower ones).
    app.jinja_env.install_gettext_callables(
        gettext=lambda text: _translations().ugettext(text),
        ngettext=lambda singular, plural, n: _translations().ungettext(singular, plural, n),
        newstyle=True,
        pgettext=lambda context, text: _translations().upgettext(context, text),
        npgettext=lambda context, singular, plural, n: _translations().unpgettext(
            context, singular, plural, n
        ),
    )


# The catalogue of each locale, loaded once per process: the files do not
# change while it runs.
_catalogues: dict[Locale, NullTranslations] = {}


def _translations() -> NullTranslations:
    """The catalogue of the request's locale (or of a force_locale block).

    Flask-Babel's get_translations looks the request, the app's extension and
    the locale up again for every string, and a page translates a hundred.
    """
    locale = get_locale()
    if locale is None:  # no request
        return get_translations()
    catalogue = _catalogues.get(locale)
    if catalogue is None:
        catalogue = _catalogues[locale] = get_translations()
    return catalogue
