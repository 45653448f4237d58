"""What identifies a customer, and the one way the name-leak guard folds text to compare it.

The guard must find a customer however a text spells them: "Ja\u200bke" (a
zero-width space), "Jаke" (a Cyrillic а), "JakeMiller", "Cafe Muller" for
"Café Müller", "IVAN" for "Иван". Both the text and every term pass through
``fold``; the comparison happens on what comes out, and ``Folded.where``
leads each folded character back to the place it came from, so a refusal
can quote the text as the customer sees it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from anyascii import anyascii
from confusable_homoglyphs import confusables
from wordfreq import zipf_frequency

from network.models import CompanyScope, Member, NameScope, Profile

MIN_TERM = 3  # folded letters: shorter terms would be found everywhere
# A word of a company's name that is this common in English or Russian (Zipf scale:
# 3.5 is about once in 300,000 words: "coffee" 4.9, "traders" 4.0, "bakery" 3.7) is
# not checked alone; the company's whole name still is. "Northwind" or "Kawa" are.
COMMON_WORD_ZIPF = 3.5
WORD_LANGUAGES = ("en", "ru")
MAX_OWN_WORDS = 20
MAX_OWN_WORD = 60

# The lists below are kept as text (a list literal would take a line per word).
# Legal forms are not words of a company's name ("Northwind GmbH" is "Northwind").
LEGAL_FORMS = frozenset(
    """gmbh mbh ag kg ug ohg gbr ev llc llp lp ltd limited inc incorporated corp corporation
    company co plc pty pvt sa sas sarl srl spa sl bv nv oy oyj ab asa aps as kft sro zoo
    sp ooo oao zao pao ao ip nko tov pp""".split()  # noqa: SIM905
)
ARTICLES = frozenset({"the", "a", "an", "and", "of", "i"})  # "i" is the folded Russian "и"
# Mail providers anyone can use: their domain says nothing about the customer.
PUBLIC_MAIL = frozenset(
    """gmail.com googlemail.com yahoo.com yahoo.co.uk ymail.com outlook.com hotmail.com live.com
    msn.com icloud.com me.com mac.com aol.com proton.me protonmail.com pm.me gmx.com gmx.de
    gmx.net web.de t-online.de mail.com zoho.com fastmail.com tutanota.com tuta.io hey.com
    yandex.ru yandex.com ya.ru mail.ru bk.ru inbox.ru list.ru internet.ru rambler.ru
    qq.com 163.com 126.com wp.pl o2.pl onet.pl interia.pl op.pl seznam.cz orange.fr free.fr
    laposte.net libero.it example.com example.org example.net""".split()  # noqa: SIM905
)
# Sites where a link's first path segment is the customer's own name on that site.
PROFILE_SITES = frozenset(
    """linkedin.com github.com gitlab.com twitter.com x.com facebook.com instagram.com
    youtube.com t.me vk.com medium.com mastodon.social threads.net bsky.app tiktok.com
    dribbble.com behance.net""".split()  # noqa: SIM905
)
_PROFILE_PREFIXES = frozenset({"in", "company", "pub", "u", "user", "users", "c", "channel", "@"})


@lru_cache(maxsize=8192)
def _prototype(ch: str) -> str:
    """The Latin letter or digit a character is drawn like (Unicode's confusables), or itself."""
    if ch.isascii():
        return ch
    found = confusables.is_confusable(ch, greedy=True, preferred_aliases=[])
    if not found:
        return ch
    homoglyphs = [glyph["c"] for glyph in found[0]["homoglyphs"]]
    for wanted in (str.isalpha, str.isdigit):
        for glyph in homoglyphs:
            if len(glyph) == 1 and glyph.isascii() and wanted(glyph):
                return glyph
    return ch


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    if unicodedata.category(ch) == "Cf":
        return ""  # zero-width and bidi characters: invisible, so they never separate
    out = []
    for piece in unicodedata.normalize("NFKD", ch):
        if unicodedata.combining(piece):
            continue  # accents: "Muller" is "Müller"
        # Look-alikes first (a Cyrillic "р" is drawn as "p"), then what is left is
        # transliterated ("ж" is "zh", "ł" is "l"), then case goes.
        for c in _prototype(piece):
            out.append(anyascii(c) if not c.isascii() else c)
    return "".join(out).casefold()


@dataclass(frozen=True)
class Folded:
    text: str  # folded
    where: tuple[int, ...]  # for each folded character, its index in the original


def fold(text: str) -> Folded:
    """The text as the guard compares it: NFKC-decomposed, invisible characters gone,
    look-alike letters mapped to their Latin skeleton (TR39), the rest transliterated,
    accents stripped and case folded."""
    chars: list[str] = []
    where: list[int] = []
    for index, ch in enumerate(text):
        folded = _fold_char(ch)
        chars.append(folded)
        where.extend([index] * len(folded))
    return Folded("".join(chars), tuple(where))


def folded(text: str) -> str:
    return fold(text).text


def _alnum_only(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", folded(text))


@dataclass(frozen=True)
class Term:
    """One thing that names the customer: what scope it belongs to, and how it is sought."""

    kind: str  # "name", "company" or "own" (the customer's own words)
    text: str  # as the customer would recognise it
    word: str  # folded, sought on word boundaries
    compact: str  # folded with separators removed ("jakemiller"), sought as one run


def _term(kind: str, text: str) -> list[Term]:
    """The term as written, and transliterated when that reads differently ("Ivan")."""
    terms = []
    for spelling in dict.fromkeys([text, anyascii(text)]):
        word = " ".join(_words(spelling))
        if len(_alnum_only(word)) >= MIN_TERM:
            terms.append(Term(kind, text, word, _alnum_only(word)))
    return terms


def common_word(word: str) -> bool:
    """A word too common to identify a company on its own (see COMMON_WORD_ZIPF)."""
    return any(
        zipf_frequency(word, language, wordlist="small") >= COMMON_WORD_ZIPF
        for language in WORD_LANGUAGES
    )


def company_terms(company: str) -> list[str]:
    """The company as a whole, without its ", City", without its legal form, and each
    distinctive word of its name."""
    whole = " ".join(company.split())
    base = whole.split(",")[0].strip()
    words = list(re.findall(r"[^\W_]+", base))
    while words and (folded(words[-1]) in LEGAL_FORMS or len(folded(words[-1])) == 1):
        words.pop()  # "Sp. z o.o.", "s.r.o.", "S.A." at the end
    named = [word for word in words if folded(word) not in LEGAL_FORMS]
    # "The Golden Bakery" is also "Golden Bakery"
    bare = [word for word in named if folded(word) not in ARTICLES]
    terms = [whole, base, " ".join(named), " ".join(bare)]
    for word in named:
        key = folded(word)
        if len(_alnum_only(key)) >= MIN_TERM and not common_word(word):
            terms.append(word)
    return [term for term in dict.fromkeys(terms) if term]


def _host(url: str) -> str | None:
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname
    except ValueError:
        return None
    if not host:
        return None
    return host.removeprefix("www.")


def _main_label(host: str) -> str:
    """ "northwind-coffee" of "shop.northwind-coffee.co.uk"."""
    labels = host.split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in {"co", "com", "org", "net"}:
        labels = labels[:-1]
    return labels[-2] if len(labels) >= 2 else labels[0]


def address_terms(email: str | None, links: list[str]) -> tuple[list[str], list[str]]:
    """What the customer's addresses give away: (company-like hosts, their names on sites)."""
    hosts, handles = [], []
    domain = (email or "").rpartition("@")[2].lower()
    if domain and domain not in PUBLIC_MAIL:
        hosts.append(domain)
    for link in links or []:
        host = _host(link)
        if host is None:
            continue
        if host in PROFILE_SITES:
            segments = [part for part in urlsplit(link).path.split("/") if part]
            while segments and segments[0].lower() in _PROFILE_PREFIXES:
                segments = segments[1:]
            if segments:
                handles.append(segments[0].lstrip("@"))
        elif host not in PUBLIC_MAIL:
            hosts.append(host)
    # "northwind-coffee.example" as a whole, and "northwind-coffee" alone unless it is a
    # common word ("bakery.example" must not refuse every "bakery").
    labels = [_main_label(host) for host in hosts]
    hosts += [label for label in labels if not common_word(label)]
    return list(dict.fromkeys(hosts)), list(dict.fromkeys(handles))


def name_terms(customer: Member, scope: NameScope, site_names: list[str]) -> list[str]:
    if scope == NameScope.full:
        return []
    parts = customer.display_name.split()
    terms = [customer.display_name, customer.handle, *site_names]
    if scope == NameScope.anonymous:
        terms += parts
    else:  # "First L." shows the first name: only the rest of the name gives them away
        terms += parts[1:]
        shown = folded(parts[0]) if parts else ""
        terms = [term for term in terms if folded(term) != shown]
    return list(dict.fromkeys(terms))


@dataclass(frozen=True)
class Identity:
    """What the guard knows of a customer: their member row, profile and own words."""

    customer: Member
    company: str | None
    links: tuple[str, ...] = ()
    own_words: tuple[str, ...] = ()

    def key(self) -> tuple[Any, ...]:
        member = self.customer
        return (member.id, member.display_name, member.handle, member.email, self.company,
                self.links, self.own_words)  # fmt: skip


def of(customer: Member, profile: Profile | None, own: Any = ()) -> Identity:
    """The identity the guard checks: the member, their profile's company and links, and
    the words they said identify them."""
    return Identity(
        customer=customer,
        company=profile.company if profile is not None else None,
        links=tuple(profile.links or ()) if profile is not None else (),
        own_words=tuple(own or ()),
    )


def terms(identity: Identity, name: NameScope, company: CompanyScope) -> list[Term]:
    """Every term that the chosen scopes promise not to show, longest first."""
    hosts, site_names = address_terms(identity.customer.email, list(identity.links))
    found: list[Term] = []
    for text in name_terms(identity.customer, name, site_names):
        found += _term("name", text)
    if company != CompanyScope.name:
        for text in [*company_terms(identity.company or ""), *hosts]:
            found += _term("company", text)
    for text in identity.own_words:
        found += _term("own", text)
    unique = {(term.kind, term.compact, term.word): term for term in found}
    return sorted(unique.values(), key=lambda term: -len(term.compact))


def own_words(value: Any) -> tuple[str, ...]:
    """The customer's "words that identify me": a list, or text with one per line or comma.

    Raises ValueError with the reason (the caller names the field)."""
    if value in (None, ""):
        return ()
    if isinstance(value, str):
        value = re.split(r"[\n,;]", value)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError("type")
    words = [" ".join(item.split()) for item in value]
    words = list(dict.fromkeys(word for word in words if word))
    if len(words) > MAX_OWN_WORDS:
        raise ValueError("count")
    for word in words:
        if len(word) > MAX_OWN_WORD:
            raise ValueError("length")
        if len(_alnum_only(folded(word))) < MIN_TERM:
            raise ValueError("short")
    return tuple(words)
