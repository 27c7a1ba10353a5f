"""Every page, as every role, in Chinese and in Dutch, shows no English the catalogue translates.

The pages are found by walking the URL configuration (a new page is visited without
being listed here; a new page with arguments must say which ones), opened with the
demo organisation by each role, and read as a visitor reads them: text and the
attributes shown or read out. A piece of text that is exactly an entry of the
catalogue (its English msgid) while the catalogue translates it to something else is
English left on the page: a string shown without gettext, translated too early (at
import time), or stored data that the page should have translated.

That every msgid used in the code is in the catalogues, translated and compiled, is
checked by tests/web/test_i18n.py.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator

from django.conf import settings
from django.test import TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from followthrough.crm.demo.deals import CLOSED_LOST, CLOSED_WON, OPEN_STAGES
from tests.web.test_i18n import PERCENT, VisibleText, catalogue

# Pages that are not HTML for a visitor (files, JSON, redirects, the Django admin).
NOT_PAGES = {
    "logout",
    "health",
    "set_language",
    "team_export",
    "import_rejected_csv",
    "import_preview",  # needs an upload kept in the session first
    "password_reset_confirm",  # needs a valid token; its page is checked in test_i18n
    "invitation",  # needs a valid token, as password_reset_confirm
    "person_invite",  # a POST that sends the invitation again
    "import_template",  # CSV files
    "import_preset_file",  # TOML files
    "calendar_feed",  # an iCalendar file behind a secret token
    "diagnostics_run_status",  # the runs page's part htmx polls (checked on the runs page)
    "wallboard_revoke",  # a POST
    "access_token_revoke",  # a POST
    "wall_live",  # the JSON the wallboard polls (its words are checked on the wallboard)
}
NOT_PAGE_PREFIXES = ("api/", "admin/")
SPACE = re.compile(r"\s+")
ROLES = ("rep", "manager", "leader", "admin")
# English on purpose: the goal CSV's column names, explained on its import page.
COLUMN_NAMES = {"metric", "period", "target"}
# The language switcher names each language in itself: "English" stays English.
LANGUAGE_NAMES = {
    translation.get_language_info(code)["name_local"] for code, _ in settings.LANGUAGES
}


def named_patterns(
    patterns: list | None = None, prefix: str = ""
) -> Iterator[tuple[str, str, URLPattern]]:
    """(name, route, pattern) of every named URL, routes from the root."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from named_patterns(entry.url_patterns, route)
        elif entry.name:
            yield entry.name, route, entry


@functools.cache
def translated_texts(locale: str) -> dict[str, str]:
    """English text -> its translation, for entries the translation changes."""
    texts = {}
    for entry in catalogue(locale).translated_entries():
        if entry.msgid_plural or PERCENT.search(entry.msgid) or "{" in entry.msgid:
            continue  # with placeholders or plural forms, the text never shows verbatim
        english = SPACE.sub(" ", entry.msgid).strip()
        if (
            english
            and english not in LANGUAGE_NAMES
            and SPACE.sub(" ", entry.msgstr).strip() != english
        ):
            texts[english] = entry.msgstr
    return texts


STAGES = (*OPEN_STAGES, CLOSED_WON, CLOSED_LOST)


class ProseText(VisibleText):
    """Visible text but code: column names and keys (<code>metric</code>) stay English."""

    CODE = ("code", "kbd", "samp", "pre")

    def handle_starttag(self, tag, attrs):
        if tag in self.CODE:
            self.hidden += 1
        super().handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in self.CODE:
            self.hidden -= 1
        super().handle_endtag(tag)


def visible_parts(html: str) -> set[str]:
    parser = ProseText()
    parser.feed(html)
    parts = set()
    for part in parser.parts:
        part = SPACE.sub(" ", part).strip()
        parts.add(part)
        # "Subject · period" and "Field: value" hold several texts in one node.
        parts.update(piece.strip() for piece in re.split(r" · |: | – ", part))
    return parts


class EveryPageIsTranslatedTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        from followthrough.coaching.models import LadderStep
        from followthrough.demo.build import MIN_REPS, build_demo, logins
        from followthrough.goals.models import Goal
        from followthrough.ingest.models import ImportRun
        from followthrough.metrics.models import Metric
        from followthrough.people.models import Person

        build_demo(reps=MIN_REPS, months=2)
        cls.people = {login.role: Person.objects.get(email=login.email) for login in logins()}
        rep = cls.people["rep"]
        team = rep.reporting_lines.filter(team__isnull=False).latest("valid_from").team
        metric = Metric.objects.get(organisation=rep.organisation, key="revenue_won")
        goal = Goal.objects.filter(person=rep).first()
        run = ImportRun.objects.first()
        from followthrough.coaching.models import Commitment, Notification, Problem, SelfReport

        commitment = Commitment.objects.filter(owner=rep).first()
        report = SelfReport.objects.filter(rep=rep, submitted_at__isnull=False).first()
        problem = Problem.objects.first()
        notification = Notification.objects.first()
        step = LadderStep.objects.filter(organisation=rep.organisation, outcome="open").first()
        from followthrough.coaching.models import Meeting, MeetingNote

        meeting = Meeting.objects.filter(rep=rep, status="held").first()
        note = MeetingNote.objects.filter(meeting=meeting).first()
        item = meeting.items.first() if meeting else None
        from followthrough.assessments.models import Assessment, FocusArea

        assessment = Assessment.objects.filter(rep=rep, kind="manager", status="submitted").first()
        area = FocusArea.objects.filter(rep=rep).first()
        from followthrough.assessments.models import CoachingPlan, Review

        plan = CoachingPlan.objects.filter(rep=rep).first()
        review = Review.objects.filter(rep__organisation=rep.organisation).first()
        from followthrough.programs.models import Enrolment, MilestoneKind

        enrolment = Enrolment.objects.select_related("program").order_by("start").first()
        program = enrolment.program if enrolment else None
        steps = {m.kind: m for m in program.milestones.order_by("-due_day")} if program else {}
        training = steps.get(MilestoneKind.TRAINING)
        certification = steps.get(MilestoneKind.CERTIFICATION)
        # The arguments of each page that takes some: the demo's rep, team, goal...
        from followthrough.assessments.models import Competency, Rubric, ScorecardTemplate

        rubric = Rubric.objects.filter(organisation=rep.organisation).first()
        section = rubric.sections.first() if rubric else None
        competency = Competency.objects.filter(section__rubric=rubric).first()
        template = ScorecardTemplate.objects.filter(
            organisation=rep.organisation, is_current=True
        ).first()
        from followthrough.motivation.models import Contest, Quest

        contest = Contest.objects.filter(organisation=rep.organisation).first()
        quest = Quest.objects.filter(organisation=rep.organisation).first()
        from followthrough.notify.preferences import unsubscribe_token
        from followthrough.wallboard.models import WallboardLink

        wall = WallboardLink.objects.filter(organisation=rep.organisation).first()
        from followthrough.crm.models import Deal

        won = Deal.objects.filter(owner=rep, outcome="won").order_by("-close_on").first()
        cls.arguments: dict[str, Callable[[], list | None]] = {
            "person": [rep.pk],
            "person_history": [rep.pk],
            "person_edit": [rep.pk],
            "person_scorecard": [rep.pk],
            "person_records": [rep.pk, metric.key],
            "team": [team.pk],
            "team_edit": [team.pk],
            "team_dashboard": [team.pk],
            "team_records": [team.pk, metric.key],
            "organisation_records": [metric.key],
            "goal_edit": [goal.pk],
            "goal_delete": [goal.pk],
            "metric_edit": [metric.key],
            "import_run": [run.pk] if run else None,
            "import_status": [run.pk] if run else None,
            "commitment_edit": [commitment.pk] if commitment else None,
            "commitment_close": [commitment.pk] if commitment else None,
            "self_report": [rep.pk, report.period_start.isoformat()] if report else None,
            "problem_resolve": [problem.pk] if problem else None,
            "notification_read": [notification.pk] if notification else None,
            "team_agreement": [team.pk],
            "ladder_step": [step.pk] if step else None,
            "ladder_review": [step.pk] if step else None,
            "manager_scorecard": [cls.people["manager"].pk],
            "manager_records": [cls.people["manager"].pk, "one_on_ones"],
            "meeting": [meeting.pk],
            "meeting_reflect": [meeting.pk],
            "meeting_note": [meeting.pk],
            "meeting_item": [meeting.pk],
            "meeting_move": [meeting.pk],
            "meeting_end": [meeting.pk],
            "meeting_stepped_in": [meeting.pk],
            "meeting_note_edit": [note.pk],
            "meeting_item_delete": [item.pk] if item else None,
            "cadence_edit": [rep.pk],
            "deal_reviews_due": [team.pk],
            "coaching_settings": [team.pk],
            "rubric": [rubric.pk],
            "rubric_edit": [rubric.pk],
            "rubric_levels": [rubric.pk],
            "rubric_section_new": [rubric.pk],
            "rubric_competency_new": [rubric.pk],
            "rubric_section_edit": [section.pk],
            "rubric_section_move": [section.pk],
            "rubric_section_delete": [section.pk],
            "competency_edit": [competency.pk],
            "competency_archive": [competency.pk],
            "competency_delete": [competency.pk],
            "template": [template.pk],
            "template_edit": [template.pk],
            "assessment": [assessment.pk] if assessment else None,
            "assessment_rate": [assessment.pk] if assessment else None,
            "assessment_correct": [assessment.pk] if assessment else None,
            "focus_new": [assessment.pk] if assessment else None,
            "focus_close": [area.pk] if area else None,
            "assessment_settings": [team.pk],
            "plan": [plan.pk],
            "plan_edit": [plan.pk],
            "plan_reevaluate": [plan.pk],
            "plan_close": [plan.pk],
            "plan_commitment": [plan.pk],
            "review": [review.pk],
            "review_print": [review.pk],
            "review_acknowledge": [review.pk],
            "review_commitment": [review.pk],
            "program_detail": [program.pk] if program else None,
            "program_edit": [program.pk] if program else None,
            "program_enrol": [program.pk] if program else None,
            "milestone_new": [program.pk] if program else None,
            "milestone_edit": [program.pk, training.pk] if training else None,
            "enrolment_detail": [enrolment.pk] if enrolment else None,
            "enrolment_withdraw": [enrolment.pk] if enrolment else None,
            "enrolment_training": [enrolment.pk, training.pk] if training else None,
            "enrolment_certify": [enrolment.pk, certification.pk] if certification else None,
            "diagnostics_rep": [rep.pk],
            "contest": [contest.pk] if contest else None,
            "contest_edit": [contest.pk] if contest else None,
            "contest_open": [contest.pk] if contest else None,
            "contest_close": [contest.pk] if contest else None,
            "quest_decide": [quest.pk] if quest else None,
            "wall": [wall.token] if wall else None,
            "notify_unsubscribe": [unsubscribe_token(rep.pk, "digest")],
            "notify_chat_edit": [team.pk],
            "recognition_person": [rep.pk],
            "recognition_grant": [rep.pk],
            "recognition_story": [won.pk] if won else None,
        }

    def pages(self) -> list[tuple[str, str]]:
        """(name, url) of every page."""
        urls, unknown = [], []
        for name, route, pattern in named_patterns():
            if name in NOT_PAGES or route.startswith(NOT_PAGE_PREFIXES):
                continue
            if not pattern.pattern.converters:
                urls.append((name, reverse(name)))
            elif name not in self.arguments:
                unknown.append(name)
            elif self.arguments[name] is not None:
                urls.append((name, reverse(name, args=self.arguments[name])))
        self.assertEqual(unknown, [], "say which arguments these pages take")
        return urls

    def let_pass(self, name: str) -> set[str]:
        """The English let pass on page `name`: the goal CSV's column names, and the CRM's
        own stage names (data, shown as the CRM spells them; "Negotiation" is also a
        rubric step, which is translated)."""
        data = set(STAGES)
        return data | set(COLUMN_NAMES) if name == "goal_import" else data

    def english_left(self, locale: str, name: str, url: str) -> list[str]:
        response = self.client.get(url)
        # Redirects (to the login page, after a POST-only page) show nothing of their own.
        self.assertIn(response.status_code, (200, 302, 403, 404, 405), url)
        if response.status_code in (302, 405) or not response["Content-Type"].startswith(
            "text/html"
        ):
            return []
        texts = translated_texts(locale)
        shown = visible_parts(response.content.decode()) - self.let_pass(name)
        return sorted(part for part in shown if part in texts)

    def test_the_walk_finds_the_main_pages(self):
        urls = [url for _name, url in self.pages()]
        for name in ("me", "goals", "audit", "people", "imports", "metric_definitions", "login"):
            self.assertIn(reverse(name), urls)
        self.assertIn(reverse("team_dashboard", args=self.arguments["team_dashboard"]), urls)

    def test_no_page_shows_english_that_the_catalogue_translates(self):
        left: dict[str, set[str]] = {}
        pages = self.pages()
        for code, _name in settings.LANGUAGES:
            if code == settings.LANGUAGE_CODE:
                continue
            locale = translation.to_locale(code)
            self.client.logout()
            self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
            for name, url in pages:
                for text in self.english_left(locale, name, url):
                    left.setdefault(f"{code} {text!r}", set()).add(f"anonymous {url}")
            for role in ROLES:
                self.client.force_login(self.people[role].user)
                self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
                for name, url in pages:
                    for text in self.english_left(locale, name, url):
                        left.setdefault(f"{code} {text!r}", set()).add(f"{role} {url}")
        report = [f"{text} on {', '.join(sorted(where))}" for text, where in sorted(left.items())]
        self.assertEqual(report, [], "English left on pages:\n" + "\n".join(report))

    def test_the_check_catches_an_english_label(self):
        texts = translated_texts("nl")
        self.assertIn("Containing", texts)
        html = (
            "<p>Periode</p><label>Containing</label><span title='Goals'>x</span>"
            "<p>Kolom <code>metric</code></p>"
        )
        found = sorted(part for part in visible_parts(html) if part in texts)
        self.assertEqual(found, ["Containing", "Goals"])
