"""Small talk first: greetings, thanks, "awesome", "I'll try it", questions to the bot.

People chat around their requests ("Hi! I'm looking for a comedy", "Thanks, I'll check
it out. Any others?"). ``small_talk(text)`` finds those phrases and returns which kinds
it saw, plus the character spans they cover, so the parser leaves them out of titles and
free text (they never become a keyword search: "Awesome." is not a film title). A
message that is nothing but small talk gets a short natural answer (the dialogue's
``chat.*`` texts) and keeps the current list; "any others?" / "what else?" ask for the
next page.

Pure regular expressions over the lower-cased text; offsets are those of ``text``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum


class Intent(StrEnum):
    GREETING = "greeting"
    THANKS = "thanks"
    DECLINE = "decline"  # "no thanks", "not for me", "nah": the list is not it
    PRAISE = "praise"  # "awesome", "sounds good", "ok"
    TRY = "try"  # "I'll try it", "I will check those out"
    BYE = "bye"
    ABOUT_BOT = "about_bot"  # "how are you?", "are you a bot?"
    MORE = "more"  # "any others?", "what else would you recommend?"
    OPEN = "open"  # "I like all movies", "I'm open to anything": no constraint at all


_THEM = r"(?:it|that|them|those|this|these|that one|this one|those ones|these ones|all of them|both)"
# Table order is match order, the more specific first: "have a good day" is a goodbye
# before "good day" can be a greeting; "what should I watch?" is no "I'll watch it";
# "another good one?" asks for more before "good one" can be praise.
_PHRASES: dict[Intent, str] = {
    # Before thanks and praise: "no thanks" declines, "hmm, not for me" is no praise.
    Intent.DECLINE: r"no+,? (?:thanks?|thank you|ty|thx)(?: though| anyway)?|nah+|nope"
                    r"|not (?:really |quite |exactly )?(?:for me|my (?:thing|type|style|taste|cup of tea"
                    r"|kind of (?:movie|film|thing))|interested|into (?:it|that|those|them|these))"
                    r"|(?:i'll|i will|i think i'll) pass(?: on (?:that|those|it|them))?",
    Intent.BYE: r"bye+|good ?bye|see (?:you|ya)|cya|take care|have a (?:good|nice|great|wonderful) "
                r"(?:day|night|evening|weekend|one)|enjoy your (?:day|night|evening)|good ?night|(?<!or )(?<!and )later|adios"
                r"|(?:it was |it's been |it has been |was )?(?:nice|great|good|fun|a pleasure) "
                r"(?:talking|chatting|speaking) (?:to|with) you",
    Intent.GREETING: r"hi+|hello+|hey+|hiya|howdy|yo|greetings|g'?day|good (?:morning|afternoon|evening|day)"
                     r"|(?:hi|hello|hey) there",
    Intent.THANKS: r"thanks?(?: you)?(?: (?:so|very) much| a lot| a bunch| again| for (?:the|your) "
                   r"(?:help|suggestions?|recommendations?|ideas|time|chat)|(?: so much)? for helping(?: me)?)?|thx|ty|"
                   r"(?:i )?(?:really )?appreciate (?:it|that|the help|your (?:help|time))|much appreciated"
                   r"|you(?:'ve| have) been (?:very |so |really )?helpful|that helps",
    Intent.TRY: rf"(?<!should )(?<!could )(?<!can )(?<!shall )(?<!would )(?<!do )(?<!will )"
                rf"(?:i think )?(?:i(?:'ll| will| shall| might| may| should| would| could)?|ill(?= (?:have to|definitely|check|watch|try|look|add|give))|i'm going to|i am going to"
                rf"|gonna|i need to|i have to|i'll have to|i will have to|will)\s+(?:definitely |probably "
                rf"|surely |have to |need to )?(?:try|check|watch|see|look (?:in)?to|look up|add|give|"
                rf"consider|keep|look (?:out )?for|keep an eye out for)(?:\s+{_THEM})?(?:\s+(?:out|up|too|a try|a shot|a go|in mind|to my (?:watch ?)?"
                rf"list|tonight|soon|later|then))*"
                # "I could watch anything" is openness, not "I'll watch it"
                rf"(?!\s+(?:anything|everything|any|all)\b)"
                rf"|will do|added to my (?:watch ?)?list",
    Intent.ABOUT_BOT: r"how(?: are| r)? (?:you|u|ya)(?: doing)?(?: today| tonight)?|how(?:'s|s| is) it going"
                      r"|how(?:'s|s| is) (?:your|ur) (?:day|night|evening|weekend)(?: going)?"
                      r"|how(?: have|'ve) you been|what's up|whats up|who are you"
                      r"|(?:and|what about|how about) (?:you|yourself)|you too|same to you"
                      r"|what(?:'s| is) your name|are you (?:a )?(?:bot|robot|human|real|an ai)"
                      r"|what can you do|(?:i'm|i am|im) (?:good|fine|great|well|doing well)"
                      # questions back to the bot about its taste ("what kind of movies do you like?")
                      r"|what (?:kinds?|types?|sorts?|genres?) of (?:movies?|films?) do you (?:like|enjoy|watch)"
                      r"|what(?:'s| is| are) your fav(?:ou?rite)?s?(?: movies?| films?| genres?)?"
                      r"(?: thanks| thank you)?(?:,? (?:how about|and) you)?|doing (?:well|good|great)"
                      r"|you're welcome|you are welcome|no problem|nice to meet you|my bad"
                      r"|(?:don't|dont|do not) worry(?: about it)?|(?:we are|we're|i am|i'm) here to help"
                      r"|(?:i'm |i am |im )?(?:so )?sorry(?: about that| for the (?:delay|wait))?",
    Intent.MORE: r"(?:any|some|got|have you got|do you have)\s+(?:other|others|more)(?: suggestions?"
                 r"| recommendations?| ideas| movies| films| options)?|anything else|what else"
                 r"|something else|another (?:good |great )?(?:one|movie|film|suggestion|recommendation)"
                 r"|other (?:suggestions|recommendations|ideas|options)"
                 # "what do you recommend?", "what should I watch?": suggestions in the
                 # current topic (popular picks before any).
                 r"|what (?:movies? |films? )?(?:do|would|can|could|else do) you (?:recommend|suggest|reccomend|recomend|sugest)"
                 # "can you think of more?", "got one more?"
                 r"|(?:can|could) you (?:think of|suggest|recommend|give me) (?:any |some )?(?:more|others|another)"
                 r"|one more(?: recommendations?| suggestions?| movies?| films?| ones?)?(?! time)"
                 r"|what (?:movies? |films? |else )?(?:should|can|could) i (?:watch|see)"
                 r"|(?:any|some|got any) (?:recommendations?|suggestions?|ideas)"
                 # "none of these": the list is not it, show others ("seen none of
                 # these" is a statement about the films)
                 r"|(?<!seen )(?<!watched )none of (?:these|those|them|the above)"
                 # "I've seen it, next": a page after a stance, at the end of a message
                 r"|(?<=[,.;!]\s)next(?: ones?| please)?(?=\W*$)",
    Intent.PRAISE: r"awesome|great|cool|nice|perfect|wonderful|excellent|fantastic|amazing|sweet"
                   r"|👍|👌|🙂|😊|😀|😄|😍|❤️|❤|🔥|🙌|👏"
                   r"|sounds? (?:good|great|fun|interesting|exciting|awesome|perfect|like a plan|cool)"
                   r"|(?:that|this|those|they|it) (?:sounds?|looks?|seems?) (?:good|great|fun|"
                   r"interesting|exciting|awesome|perfect|cool)"
                   # "only the good ones" asks for a floor
                   r"|(?<!only the )(?<!just the )(?<!only )(?<!just )good (?:idea|choice|one|ones|call|pick)"
                   r"|ok+(?:ay)?|sure|yes+|yeah|yep|yup|alright|all right|lol|haha+|wow|interesting"
                   r"|i agree|agreed|exactly|true|me too|of course|definitely|oh|ah|hmm+|no worries"
                   r"|(?:i|we) (?:really |do )?like (?:that|this)(?! \w)",
    Intent.OPEN: r"(?:(?:i )?(?:like|love|enjoy|watch|am into|'m into) (?:pretty much |just about |almost "
                 r"|basically |really )?(?:all|any|every) (?:kinds? of |types? of |sorts? of |genres? of )?"
                 r"(?:movies|films|genres|kinds|types)"
                 r"|(?:i )?(?:like|love|enjoy|watch) (?:pretty much |just about |almost |basically )?"
                 # not "I will watch anything with him in it": a wish about a person
                 r"(?:everything|anything)(?! (?:with|by|from|about|starring|that|where|in which)\b)"
                 r"|(?:i'm|i am|im) (?:open to|up for|down for|fine with|good with|ok with|okay with) "
                 r"(?:pretty much |just about )?(?:anything|everything|whatever|any (?:genre|kind|type)s?)"
                 r"|(?:anything|whatever|any genre|any kind|any type)(?: is| would be| works)?"
                 r" (?:fine|good|ok|okay|great)(?: with me| by me| for me)?"
                 r"|(?:i'm|i am|im) not (?:picky|fussy)|no preferences?|open to (?:anything|suggestions)"
                 r"|surprise me|(?:a |any |some )?random (?:movies?|films?|ones?|picks?)|you (?:choose|pick|decide)"
                 r"|(?:looking for|i want|show me|give me) (?:just )?(?:any|all) (?:kinds? of |types? of )?"
                 r"(?:movies?|films?)(?: at all)?)"
                 # "I like anything but horror" is a negation, not openness.
                 r"(?! but(?![\w'])|,? (?:except|other than|besides|apart from|aside from|save)(?![\w']))",
}
# Not inside a word nor after a contraction's apostrophe ("don't"); a quote before the
# phrase ("'bye") is fine.
_RE = {kind: re.compile(rf"(?<!\w)(?<!\w')(?:{pattern})(?![\w'])") for kind, pattern in _PHRASES.items()}
# Words that carry nothing once the small talk is gone ("thank you so much!", "ok then").
_LEFTOVER = frozenset(
    {"so", "much", "very", "really", "then", "too", "a", "lot", "and", "you", "i", "oh", "well",
     "that", "is", "it", "its", "it's", "all", "for", "the", "help", "again", "guys", "man",
     "mate", "buddy", "friend", "there", "now", "just", "also", "bot", "both",
     "will", "definitely", "ones", "one", "sounds", "looks", "to", "me", "my", "be", "would", "do",
     "recommend", "suggest", "you'd", "could", "can", "are", "what", "your", "like",
     "seems", "need", "think", "have", "got", "any", "others", "other", "enjoy", "them", "those",
     "out", "this", "these", "we", "sure", "yes", "guess", "maybe", "probably", "great", "good"}
)  # fmt: skip
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


@dataclass(frozen=True)
class SmallTalk:
    """The small-talk kinds found (in message order), their spans, and whether anything
    else is left to act on (``only``: the whole message is small talk)."""

    kinds: list[Intent] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)
    only: bool = False
    span_kinds: list[Intent] = field(default_factory=list)  # the kind of each span

    def spans_of(self, kinds: frozenset[Intent]) -> list[tuple[int, int]]:
        """The spans of the given kinds only."""
        return [span for span, kind in zip(self.spans, self.span_kinds, strict=True) if kind in kinds]


def small_talk(text: str) -> SmallTalk:
    """The small talk in ``text`` (see the module docstring)."""
    low = text.lower().replace("\u2019", "'")
    found: list[tuple[int, int, Intent]] = []
    blank = list(low)
    for kind, regex in _RE.items():  # the more specific kinds first (table order)
        for m in regex.finditer("".join(blank)):
            found.append((m.start(), m.end(), kind))
            blank[m.start() : m.end()] = " " * (m.end() - m.start())
    if not found:
        return SmallTalk()
    found.sort()
    rest = [w for w in _WORD.findall("".join(blank)) if w not in _LEFTOVER]
    kinds = list(dict.fromkeys(k for _, _, k in found))
    return SmallTalk(kinds, [(a, b) for a, b, _ in found], only=not rest,
                     span_kinds=[k for _, _, k in found])


# Kinds that say nothing about a film ("nice talking to you", "have a good day"); praise
# ("it was great") and "I'll watch it" do.
NOT_ABOUT_FILMS = frozenset({Intent.GREETING, Intent.THANKS, Intent.BYE, Intent.ABOUT_BOT, Intent.OPEN})
