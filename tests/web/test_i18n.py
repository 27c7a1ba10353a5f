"""Every interface string is translated, compiled and served in each language the product offers.

The catalogues are checked as files (complete, no fuzzy entries, placeholders
kept, .mo compiled from the current .po, nothing in the code missing from them)
and as behaviour (the language is picked from the browser, the cookie and the
language switcher; dates follow the locale; a page in Chinese has no English left).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import shutil
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import django
import polib
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import RequestFactory, TestCase, override_settings
from django.urls import reverse
from django.utils import formats, translation

import followthrough
from followthrough.people.models import Organisation, Person, Team
from followthrough.web.errors import server_error
from tests.cast import BaseTestCase

PACKAGE = Path(followthrough.__file__).resolve().parent
LOCALE_DIR = PACKAGE / "locale"
# Every language offered but the source one needs a catalogue, e.g. zh-hans -> zh_Hans.
LOCALES = [
    translation.to_locale(code)
    for code, _name in settings.LANGUAGES
    if code != settings.LANGUAGE_CODE
]
GETTEXT_TOOLS = ("xgettext", "msguniq", "msgmerge")

# In a python-format string: %(name)s and friends, a bare %s or %d, a literal %%.
PERCENT = re.compile(r"%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|%[-#0+]*\d*(?:\.\d+)?[sdifr]|%%")
# In a python-brace-format string: {name}. In any string: {{ name }} a template left as is.
BRACE = re.compile(r"\{\w*\}")
MUSTACHE = re.compile(r"\{\{[^}]*\}\}")


def catalogue(locale: str) -> polib.POFile:
    return polib.pofile(str(LOCALE_DIR / locale / "LC_MESSAGES" / "django.po"))


def placeholders(text: str, flags: list[str] = ("python-format",)) -> Counter:
    """The placeholders in `text`, as the entry's flags say its format is."""
    found = [re.sub(r"\s+", "", match) for match in MUSTACHE.findall(text)]
    text = MUSTACHE.sub("", text)
    if "python-format" in flags:
        found += PERCENT.findall(text)
    if "python-brace-format" in flags:
        found += BRACE.findall(text)
    return Counter(found)


def key(entry: polib.POEntry) -> tuple[str, str, str]:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def django_plural_forms(locale: str) -> str:
    """The plural rule Django's own catalogue uses for this language."""
    own = Path(django.__file__).parent / "conf" / "locale" / locale / "LC_MESSAGES" / "django.po"
    return polib.pofile(str(own)).metadata["Plural-Forms"]


def nplurals(plural_forms: str) -> int:
    return int(re.search(r"nplurals\s*=\s*(\d+)", plural_forms).group(1))


# The catalogues as files.


def test_every_offered_language_has_a_catalogue():
    assert LOCALES, "settings.LANGUAGES offers no language besides English"
    for locale in LOCALES:
        assert (LOCALE_DIR / locale / "LC_MESSAGES" / "django.po").is_file(), locale


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_headers(locale):
    po = catalogue(locale)
    assert not po.metadata_is_fuzzy, f"{locale}: the header is marked fuzzy"
    assert po.metadata["Language"] == locale
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert po.metadata["Plural-Forms"] == django_plural_forms(locale)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_entry_is_translated_and_none_fuzzy(locale):
    po = catalogue(locale)
    assert len(po) > 0
    assert not po.obsolete_entries(), f"{locale}: obsolete entries; run `make messages`"
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert not fuzzy, f"{locale}: fuzzy entries to review: {fuzzy}"
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    assert not untranslated, f"{locale}: untranslated: {untranslated}"
    forms = nplurals(po.metadata["Plural-Forms"])
    for entry in po:
        if entry.msgid_plural:
            assert len(entry.msgstr_plural) == forms, f"{locale}: {entry.msgid!r}"
            assert all(entry.msgstr_plural.values()), f"{locale}: {entry.msgid!r}"


@pytest.mark.parametrize("locale", LOCALES)
def test_placeholders_are_kept(locale):
    wrong = []
    for entry in catalogue(locale):
        flags = entry.flags
        if entry.msgid_plural:
            expected = placeholders(entry.msgid_plural, flags)
            # A singular form may leave the count out ("one person" for "1 person").
            for index, text in entry.msgstr_plural.items():
                got = placeholders(text, flags)
                if got != expected and not (index == 0 and got == placeholders(entry.msgid, flags)):
                    wrong.append((entry.msgid, text))
        elif placeholders(entry.msgstr, flags) != placeholders(entry.msgid, flags):
            wrong.append((entry.msgid, entry.msgstr))
    assert not wrong, f"{locale}: placeholders differ: {wrong}"


def test_placeholder_patterns():
    assert placeholders("Page %(n)s of %(total)s, %s%% {{ counter }}") == Counter(
        ["%(n)s", "%(total)s", "%s", "%%", "{{counter}}"]
    )
    assert placeholders("100% sure, {{ x }}", flags=[]) == Counter(["{{x}}"])
    assert placeholders("{n} of {total}", flags=["python-brace-format"]) == Counter(
        ["{n}", "{total}"]
    )
    # xgettext flags the formats, so the placeholder check has something to go on.
    assert any("python-format" in entry.flags for entry in catalogue(LOCALES[0]))


@pytest.mark.parametrize("locale", LOCALES)
def test_compiled_catalogue_matches_its_source(locale):
    """The .mo Django reads is the .po as it is now: a forgotten compile fails here."""
    po = catalogue(locale)
    mo_path = LOCALE_DIR / locale / "LC_MESSAGES" / "django.mo"
    assert mo_path.is_file(), f"{locale}: no .mo; run `followthrough compiletranslations`"
    mo = polib.mofile(str(mo_path))

    def mapping(entries):
        return {
            key(entry): tuple(sorted(entry.msgstr_plural.items()))
            if entry.msgid_plural
            else entry.msgstr
            for entry in entries
        }

    compiled, source = mapping(mo), mapping(po.translated_entries())
    assert compiled == source, (
        f"{locale}: django.mo is out of date; run `followthrough compiletranslations`. "
        f"Only in .po: {sorted(source.keys() - compiled.keys())}; "
        f"only in .mo: {sorted(compiled.keys() - source.keys())}; "
        f"changed: {sorted(k for k in source.keys() & compiled.keys() if source[k] != compiled[k])}"
    )
    assert mo.metadata.get("Plural-Forms") == po.metadata["Plural-Forms"]


@pytest.mark.skipif(
    not all(shutil.which(tool) for tool in GETTEXT_TOOLS),
    reason="GNU gettext (xgettext, msguniq, msgmerge) is not installed, so the strings "
    "in the code cannot be extracted; install the gettext package to run this check",
)
def test_every_string_in_the_code_is_in_the_catalogues(tmp_path):
    """makemessages, run on a copy of the package, finds nothing the catalogues lack."""
    copy = tmp_path / "followthrough"
    shutil.copytree(
        PACKAGE,
        copy,
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "locale", "static"),
    )
    (copy / "locale").mkdir()
    with override_settings(LOCALE_PATHS=[copy / "locale"]), contextlib.chdir(copy):
        call_command("makemessages", locale=LOCALES, keep_pot=True, verbosity=0)
    extracted = {key(entry) for entry in polib.pofile(str(copy / "locale" / "django.pot"))}
    assert ("", "Log in", "") in extracted, "the extraction found nothing: is it broken?"
    for locale in LOCALES:
        missing = sorted(extracted - {key(entry) for entry in catalogue(locale)})
        assert not missing, (
            f"{locale}: strings in the code but not in the catalogue (run `make messages`, "
            f"translate, then `followthrough compiletranslations`): {missing}"
        )


# The language as served.


class LanguageSelectionTests(TestCase):
    LOG_IN = {"zh-hans": "登录", "nl": "Inloggen"}

    def assert_login_page_in(self, response, code):
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, f'<html lang="{code}">')
        self.assertContains(response, f"<title>{self.LOG_IN[code]} · Followthrough</title>")
        self.assertContains(response, f">{self.LOG_IN[code]}</button>")
        self.assertNotContains(response, "Log in")

    def test_english_by_default(self):
        response = self.client.get(reverse("login"))
        self.assertContains(response, '<html lang="en">')
        self.assertContains(response, ">Log in</button>")

    def test_login_page_follows_the_browsers_language(self):
        for header, code in (
            ("zh-Hans,zh;q=0.9,en;q=0.5", "zh-hans"),
            ("zh-CN,zh;q=0.9", "zh-hans"),
            ("nl", "nl"),
            ("nl-BE,nl;q=0.9,en;q=0.5", "nl"),
        ):
            with self.subTest(header=header):
                response = self.client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE=header)
                self.assert_login_page_in(response, code)

    def test_login_page_follows_the_language_cookie(self):
        for code in self.LOG_IN:
            with self.subTest(code=code):
                self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
                # The cookie wins over the browser's preference.
                response = self.client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en")
                self.assert_login_page_in(response, code)

    def test_set_language_sets_the_cookie_and_goes_back(self):
        login = reverse("login")
        response = self.client.post(reverse("set_language"), {"language": "nl", "next": login})
        self.assertRedirects(response, login, fetch_redirect_response=False)
        cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
        self.assertEqual(cookie.value, "nl")
        self.assertTrue(cookie["httponly"])
        self.assert_login_page_in(self.client.get(login), "nl")

    def test_set_language_ignores_a_language_not_offered(self):
        response = self.client.post(reverse("set_language"), {"language": "xx", "next": "/"})
        self.assertEqual(response.status_code, 302)
        self.assertNotIn(settings.LANGUAGE_COOKIE_NAME, response.cookies)

    def test_the_language_switcher_offers_every_language(self):
        response = self.client.get(reverse("login"))
        for code, _name in settings.LANGUAGES:
            name = translation.get_language_info(code)["name_local"]
            self.assertContains(response, f'<option value="{code}"')
            self.assertContains(response, name)

    def test_password_reset_email_is_in_the_visitors_language(self):
        from django.core import mail

        get_user_model().objects.create_user("ada@acme.test", "ada@acme.test", "x" * 20)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
        self.client.post(reverse("password_reset"), {"email": "ada@acme.test"})
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].subject, "设置新的 Followthrough 密码")
        self.assertIn("您好", mail.outbox[0].body)
        self.assertIn("ada@acme.test", mail.outbox[0].body)

    def test_server_error_page_is_in_the_visitors_language(self):
        with translation.override("zh-hans"):
            response = server_error(RequestFactory().get("/"))
        self.assertEqual(response.status_code, 500)
        self.assertIn('<html lang="zh-hans">', response.content.decode())
        self.assertIn("服务器错误", response.content.decode())


class DateFormatTests(TestCase):
    def test_dates_follow_the_locale(self):
        day = dt.date(2025, 3, 7)
        for code, expected in (
            ("en", "7 Mar 2025"),
            ("nl", "maart"),
            ("zh-hans", "2025年3月7日"),
        ):
            with self.subTest(code=code), translation.override(code):
                self.assertIn(expected, formats.date_format(day, "DATE_FORMAT"))

    def test_plural_forms_follow_the_locale(self):
        text = "%(counter)s person reports to you, directly or through others."
        plural = "%(counter)s people report to you, directly or through others."
        with translation.override("nl"):
            self.assertTrue(translation.ngettext(text, plural, 1).startswith("%(counter)s persoon"))
            self.assertTrue(
                translation.ngettext(text, plural, 2).startswith("%(counter)s personen")
            )
        with translation.override("zh-hans"):
            self.assertEqual(
                translation.ngettext(text, plural, 1), translation.ngettext(text, plural, 5)
            )
            self.assertIn("汇报", translation.ngettext(text, plural, 5))


# A page in Chinese has no English left on it.


class VisibleText(HTMLParser):
    """The text a visitor reads: text nodes and the attributes read out or shown."""

    SHOWN_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.hidden += 1
        self.parts += [value for name, value in attrs if name in self.SHOWN_ATTRIBUTES and value]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")


class ChinesePagesTests(BaseTestCase):
    """Every Latin word on a page in Chinese must be data, a name or a term the catalogue keeps."""

    def allowed_words(self) -> set[str]:
        words = {"Followthrough"}
        for code, _name in settings.LANGUAGES:
            words |= set(WORD.findall(translation.get_language_info(code)["name_local"]))
        for entry in catalogue("zh_Hans").translated_entries():  # e.g. CRM, KPI, ID, EUR
            for text in [entry.msgstr, *entry.msgstr_plural.values()]:
                words |= set(WORD.findall(PERCENT.sub("", text)))
        for org in Organisation.objects.all():
            words |= set(WORD.findall(f"{org.name} {org.slug} {org.currency} {org.timezone}"))
        for team in Team.objects.all():
            words |= set(WORD.findall(team.name))
        for person in Person.objects.all():
            words |= set(WORD.findall(f"{person.name} {person.email} {person.title}"))
        for username in get_user_model().objects.values_list("username", flat=True):
            words |= set(WORD.findall(username))
        return words

    def english_left(self, response) -> list[str]:
        parser = VisibleText()
        parser.feed(response.content.decode())
        allowed = self.allowed_words()
        return sorted({w for part in parser.parts for w in WORD.findall(part)} - allowed)

    def assert_chinese(self, who, url, method="get", data=None, status=200):
        """`who` is a person, a bare login or None for a visitor."""
        self.client.logout()  # also clears the cookies
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
        if who is not None:
            self.client.force_login(getattr(who, "user", who))
        response = getattr(self.client, method)(url, data or {})
        self.assertEqual(response.status_code, status, url)
        self.assertContains(response, '<html lang="zh-hans">', status_code=status)
        self.assertEqual(self.english_left(response), [], f"English left on {url}")

    def test_anonymous_pages(self):
        for url in (
            reverse("login"),
            reverse("password_reset"),
            reverse("password_reset_done"),
            reverse("password_reset_complete"),
            reverse("password_reset_confirm", args=["xx", "set-password"]),
        ):
            with self.subTest(url=url):
                self.assert_chinese(None, url)

    def test_failed_login(self):
        self.assert_chinese(
            None, reverse("login"), "post", {"username": "nobody@acme.test", "password": "wrong"}
        )

    def test_admin_pages(self):
        for url in (
            reverse("settings"),
            reverse("people"),
            reverse("person_new"),
            reverse("person_edit", args=[self.rep.pk]),
            reverse("person", args=[self.rep.pk]),
            reverse("teams"),
            reverse("team", args=[self.team.pk]),
            reverse("team_new"),
            reverse("team_edit", args=[self.team.pk]),
            reverse("password_change"),
            reverse("password_change_done"),
        ):
            with self.subTest(url=url):
                self.assert_chinese(self.admin, url)

    def test_form_errors(self):
        self.assert_chinese(self.admin, reverse("person_new"), "post", {"can_log_in": "on"})

    def test_pages_of_managers_and_reps(self):
        self.assert_chinese(self.manager, reverse("my_team"))
        self.assert_chinese(self.rep, reverse("me"))
        self.assert_chinese(self.rep, reverse("my_team"))

    def test_error_pages(self):
        self.assert_chinese(self.rep, reverse("person", args=[self.rep2.pk]), status=403)
        self.assert_chinese(self.rep, "/no-such-page/", status=404)
        # A login that is nobody in an organisation.
        user = get_user_model().objects.create_user("nobody@acme.test", password="x" * 20)
        self.assert_chinese(user, reverse("home"), status=403)


# Translations once found wrong (issue 10) stay right: the label of the day a period
# contains, the e-mail field of the login form, the share of deals won.
RIGHT_TRANSLATIONS = {
    "nl": {
        "Containing": "Met datum",
        "Period containing": "Periode met datum",
        "E-mail address": "E-mailadres",
        "Win rate": "Winpercentage",
    },
    "zh-hans": {"E-mail address": "电子邮件地址"},
}


@pytest.mark.parametrize("code", RIGHT_TRANSLATIONS)
def test_translations_once_wrong_stay_right(code):
    with translation.override(code):
        for english, expected in RIGHT_TRANSLATIONS[code].items():
            assert translation.gettext(english) == expected
