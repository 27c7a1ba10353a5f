"""The team's reflective questions: stored in English, translated on display while unchanged."""

from __future__ import annotations

from django.test import SimpleTestCase
from django.utils import translation

from followthrough.coaching.questions import display_question, parse_questions, questions_text


class QuestionTests(SimpleTestCase):
    def test_a_starter_question_is_shown_in_the_readers_language(self):
        with translation.override("nl"):
            self.assertEqual(display_question("What went well?"), "Wat ging er goed?")
            self.assertEqual(
                display_question("Which deal taught you most?"), "Which deal taught you most?"
            )

    def test_a_starter_question_typed_in_dutch_is_stored_in_english(self):
        with translation.override("nl"):
            text = questions_text(["What went well?", "Wat leerde je van de klant?"])
            self.assertEqual(text, "Wat ging er goed?\nWat leerde je van de klant?")
            self.assertEqual(
                parse_questions(text + "\n\n  "),
                ["What went well?", "Wat leerde je van de klant?"],
            )
