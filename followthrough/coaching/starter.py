"""The starter text of an accountability agreement, in each language the product speaks.

Built from the practices the product carries (define accountability up front, follow
through, humane consequences). An agreement is stored in the language of the person
who writes it: the starter text fills the form in the writer's language, and from
then on it is their text, not a translation the product keeps in step.
"""

from __future__ import annotations

from dataclasses import dataclass

from followthrough.coaching.models import Frequency, Interval


@dataclass(frozen=True)
class StarterText:
    expectations: str
    missed_goals: str
    self_report_interval: str = Interval.WEEKLY
    cadence: str = Frequency.WEEKLY


ENGLISH = StarterText(
    expectations="""\
What accountability means in this team:

1. Our goals are known from day one. Everyone sees the same numbers: your scorecard is what your manager sees.
2. Raise a shortfall yourself, before your manager asks. Raising it early ("I'm stuck") is good practice, never a failure.
3. Bring your own plan before asking for help: what happened, what you will change, and which number should move.
4. Every commitment has a due date. A commitment without a date is not accountable.
5. Write your self-report by its deadline: your results against your goals, each commitment's status, and what you changed after coaching.
6. We hold a 1:1 on the agreed cadence. You answer first (what went well, what would have gone better, what you will change next time), then your manager gives feedback.
7. Your manager is accountable too: 1:1s held as agreed, deal reviews done when promised, commitments kept.""",
    missed_goals="""\
When goals are missed, we follow a humane, written ladder. Each step has a start date, a review date, a written plan and the criteria to leave it, and you see your own:

1. Coach and develop: we agree a plan together and work on it in our 1:1s.
2. A shorter reporting interval with a written plan, so that progress is seen and helped sooner.
3. A role outside sales, where your strengths fit better.
4. Parting ways. This last step should be rare.

Moving up a step needs the review of the step before. Meeting the criteria ends the ladder.""",
)

CHINESE = StarterText(
    expectations="""\
在本团队中，担责意味着：

1. 目标从第一天起就清楚明确。每个人看到的是同样的数字：你的记分卡就是你经理看到的内容。
2. 出现差距时，在经理询问之前主动提出。及早提出（“我卡住了”）是好的做法，绝不是失败。
3. 在寻求帮助之前，先带上你自己的计划：发生了什么、你将改变什么、哪个指标应当变化。
4. 每项承诺都有截止日期。没有日期的承诺无法担责。
5. 按截止日期提交自我报告：对照目标的结果、每项承诺的状态，以及辅导之后你做出的改变。
6. 我们按约定的频率进行一对一面谈。你先回答（哪些做得好、哪些本可以更好、下次你将改变什么），然后经理给出反馈。
7. 经理同样要担责：按约定进行一对一面谈，按承诺完成交易复盘，兑现自己的承诺。""",
    missed_goals="""\
未达成目标时，我们遵循一套人性化的书面阶梯。每一步都有开始日期、复盘日期、书面计划以及离开阶梯的标准，你可以看到属于你自己的内容：

1. 辅导与发展：我们共同商定计划，并在一对一面谈中推进。
2. 缩短报告周期并制定书面计划，以便更早看到进展、更早提供帮助。
3. 转到销售以外、更能发挥你长处的岗位。
4. 分道扬镳。最后这一步应当很少发生。

进入下一步之前，必须先完成上一步的复盘。达到标准即离开阶梯。""",
)

DUTCH = StarterText(
    expectations="""\
Wat aanspreekbaarheid in dit team betekent:

1. Onze doelen zijn vanaf de eerste dag bekend. Iedereen ziet dezelfde cijfers: jouw scorecard is wat je manager ziet.
2. Meld een achterstand zelf, voordat je manager ernaar vraagt. Het vroeg melden ("ik zit vast") is goede praktijk, nooit een falen.
3. Kom met je eigen plan voordat je om hulp vraagt: wat er gebeurde, wat je gaat veranderen en welk cijfer zou moeten bewegen.
4. Elke toezegging heeft een einddatum. Een toezegging zonder datum is niet aanspreekbaar.
5. Schrijf je zelfrapportage vóór de deadline: je resultaten tegenover je doelen, de stand van elke toezegging en wat je na coaching hebt veranderd.
6. We houden een 1-op-1 in het afgesproken ritme. Jij antwoordt eerst (wat ging goed, wat had beter gekund, wat verander je de volgende keer), daarna geeft je manager feedback.
7. Ook je manager is aanspreekbaar: 1-op-1's gehouden zoals afgesproken, dealreviews gedaan wanneer beloofd, toezeggingen nagekomen.""",
    missed_goals="""\
Als doelen niet gehaald worden, volgen we een menselijke, vastgelegde ladder. Elke stap heeft een startdatum, een reviewdatum, een geschreven plan en de criteria om de ladder te verlaten, en je ziet die van jezelf:

1. Coachen en ontwikkelen: we spreken samen een plan af en werken eraan in onze 1-op-1's.
2. Een korter rapportage-interval met een geschreven plan, zodat voortgang eerder gezien en geholpen wordt.
3. Een rol buiten sales, waar je sterke punten beter passen.
4. Afscheid nemen. Deze laatste stap hoort zeldzaam te zijn.

Een stap hoger vraagt eerst de review van de vorige stap. Wie aan de criteria voldoet, verlaat de ladder.""",
)

STARTERS = {"en": ENGLISH, "zh-hans": CHINESE, "nl": DUTCH}


def starter_text(language: str | None) -> StarterText:
    """The starter text in `language` (a Django language code); English when there is none."""
    code = (language or "en").lower()
    return STARTERS.get(code) or STARTERS.get(code.split("-")[0]) or ENGLISH
