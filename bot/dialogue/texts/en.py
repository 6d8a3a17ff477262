"""The English message catalogue: every user-facing string of the bot, by key.

Values are ``str.format`` templates (named fields only, no positional ``{}``). Another
language is one more module beside this one with a dict of the same keys (any subset:
a missing key falls back to this catalogue), registered in ``bot.dialogue.texts``.
Keys ``genre.<MovieLens genre>`` / ``sort.<sort>`` give a display name (English shows
the MovieLens name itself, so it needs none); ``query.*`` are the words of a query
summary (``recommender.refine.SUMMARY_WORDS``).
"""

from __future__ import annotations

from recommender.nlp.languages import NAMES as LANGUAGE_NAMES
from recommender.nlp.lexicon import CATALOG_GENRES
from recommender.refine import SUMMARY_WORDS

EN: dict[str, str] = {
    # -- failures and guards (bot.dialogue.core) --
    "redis_down": "Sorry, I can't reach my memory right now — please try again in a moment.",
    "internal_error": "Sorry, something went wrong on my side. Please try again, or send /reset.",
    "rate_limited": (
        "You're sending messages faster than I can keep up. Please wait a minute and try again."
    ),
    "invalid_button": (
        "That button is no longer valid. Send me a new request and I'll show fresh options."
    ),
    "not_shown": "I can only take feedback on movies I've shown you.",
    "forgotten_meanwhile": (
        "You asked me to forget you while I was handling this, so I didn't keep anything of it. "
        "Say hi any time to start over."
    ),
    "busy": "Too many changes at once — please try that again.",
    "unknown_command": "I don't know the command /{command}.\n\n{welcome}",
    # -- help --
    "welcome": (
        "Hi! I recommend movies. Tell me what you're in the mood for, for example:\n"
        "• “a funny sci-fi movie from the 90s”\n"
        "• “something like Alien, but no horror”\n"
        "• “highly rated westerns”\n\n"
        "Then refine: “also comedy” adds a genre, “comedy” switches to it, “no romance” "
        "excludes one, “newer”/“older” move the years by a decade, “more” shows the next "
        "page, “like #2” finds movies similar to the second one, “reset” starts over.\n"
        "Rate what I show with 👍/👎 — the next answer takes it into account.\n"
        "Commands: /more /reset /history /settings /about /forget /help"
    ),
    "footer": (
        "Rate with 👍/👎 so I learn your taste. Refine with e.g. “no horror”, “also comedy”, "
        "“newer”, “like #2”, or say “more”."
    ),
    # -- command descriptions (Telegram's command menu) --
    "command.start": "welcome, what to type, quick-start buttons",
    "command.help": "how to ask for movies",
    "command.more": "more results for the last request",
    "command.reset": "start a new search",
    "command.history": "what you have rated",
    "command.forget": "delete everything the bot knows about you (asks to confirm)",
    # -- /settings, sharing, inline mode, /about (bot.dialogue.prefs, share, inline) --
    "command.settings": "list length, posters, language",
    "command.about": "where the movie data and posters come from",
    "about": (
        "Where my knowledge comes from:\n"
        "• Ratings, titles, genres and tags: MovieLens, by GroupLens Research (grouplens.org).\n"
        "• Plots, directors and cast, keywords and posters: TMDB (themoviedb.org). This product "
        "uses the TMDB API but is not endorsed or certified by TMDB. Some details come from OMDb.\n"
        "Your ratings stay with me until you send /forget."
    ),
    "settings.menu": (
        "Your settings — tap a button to change it:\n"
        "• movies per list (the first two rows)\n• posters on or off\n• language"
    ),
    "settings.posters_on": "🖼 Posters on",
    "settings.posters_off": "Posters off",
    "settings.saved_items": "Saved: {n} movies per list.",
    "settings.saved_posters_on": "Saved: posters on.",
    "settings.saved_posters_off": "Saved: posters off.",
    "settings.saved_lang": "Saved: English.",
    "share.button": "📤 Share this list",
    "share.text": "Movie picks for you",
    "share.opened": "A list shared with you — {summary}:",
    "share.opened_plain": "A list shared with you:",
    "share.bad_link": (
        "That link doesn't open a list I know — it may have been cut short, or the movies "
        "in it are no longer in my catalog. Tell me what you'd like to watch instead.\n\n{welcome}"
    ),
    "inline.too_long": "Too long for a quick search — open the chat with me",
    "inline.unreadable": "I couldn't read that — open the chat with me",
    "inline.nothing": "Nothing new matched — try other words, or open the chat",
    "inline.open": "🎬 More in @{bot}",
    # -- list replies (bot.dialogue.turns) --
    "reset_done": "Fresh start — I've cleared this conversation. What would you like to watch?",
    "nothing_new": (
        "I couldn't find anything new for {summary}. "
        "Try removing a constraint, or /reset to start over."
    ),
    "nothing_new.that": "that",
    "header.more": "More for {summary} (page {page}):",
    "header.more_picks": "More picks (page {page}):",
    "header.refined": "Updated: {summary}:",
    "header.refined_plain": "Here are some more:",
    "header.found": "Here's what I found for {summary}:",
    "header.top_picks": "Top picks for you:",
    "header.popular": "Popular, well-rated picks to start with:",
    "relaxed": "No exact matches, so I relaxed: {constraints}.",
    "filled": "Only {n} films fit all of that; after them I relaxed: {constraints}.",
    "filled.one": "Only one film fits all of that; after it I relaxed: {constraints}.",
    "relaxed.separator": "; ",
    "relaxed.people": "No {constraints} film {people}; here are films {people}.",
    "relaxed.people_separator": " and ",
    "untitled_item": "item {item_id}",
    # -- query summaries (recommender.refine.describe, whose English words these are) --
    **{f"query.{key}": words for key, words in SUMMARY_WORDS.items()},
    # -- display names: English shows the catalog's own (listed so that every language's
    # catalogue has the keys of this one, ``texts/zh.py`` translates them) --
    **{f"genre.{name}": name for name in CATALOG_GENRES},
    **{f"language.{code}": name for code, name in LANGUAGE_NAMES.items()},
    "describe.directed_by": "Directed by {people}",
    "describe.with": "starring {people}",
    "sort.newest": "newest",
    "sort.oldest": "oldest",
    # -- buttons --
    "button.more": "More",
    "button.start_over": "Start over",
    "button.forget_yes": "Yes, forget me",
    "button.forget_cancel": "Cancel",
    # -- feedback and ratings (bot.dialogue.feedback) --
    "feedback.duplicate": "Already noted for {label}.",
    "feedback.disliked": "👎 Noted — I won't suggest {label} again.",
    "feedback.liked": "👍 Noted — I'll look for more like {label}.",
    "feedback.rated": "Noted: {label} {stars}★.",
    "history.empty": "You haven't rated anything yet — use 👍/👎 under my suggestions.",
    "history.title": "Your ratings ({count}):",
    "history.line": "{mark} {stars}★ {label}",
    "history.more": "…and {count} more.",
    "forget.ask": (
        "This deletes everything I know about you: your ratings, feedback log and "
        "this conversation. It cannot be undone. Are you sure?"
    ),
    "forget.expired": (
        "That confirmation has expired. Send /forget again if you want me to forget you."
    ),
    "forget.done": (
        "Done — I've deleted your ratings, feedback and conversation. Say hi any time to start over."
    ),
    "forget.done_notice": "Forgotten.",
    "forget.kept": "OK, I kept everything.",
    # -- what a message says about movies, and small talk (bot.dialogue.mentions) --
    "said.liked": "👍 Noted that you liked {titles} — I'll use it for your picks.",
    "said.disliked": "👎 Noted that you didn't like {titles} — I won't suggest it.",
    "said.seen": "Noted that you've seen {titles} — I'll leave it out.",
    "said.liked.many": "👍 Noted that you liked {titles} — I'll use them for your picks.",
    "said.disliked.many": "👎 Noted that you didn't like {titles} — I won't suggest them.",
    "said.seen.many": "Noted that you've seen {titles} — I'll leave them out.",
    "said.rejected": "Leaving out {titles}, as you asked.",
    "said.and_more": "{titles} and {n} more",
    "said.unseen": "It's worth a try! Rate it with 👍/👎 once you've seen it.",
    "said.noted": "Got it. Say “more” for other picks, or tell me what you'd like to watch.",
    "said.unknown_film": "I don't know the film '{title}' yet.",
    "chat.bye": "Enjoy your movie — come back any time for more ideas!",
    "chat.decline": "No problem. Say “more” for other picks, or tell me what you'd rather watch: a genre, a movie you liked, an actor…",
    "chat.thanks": "You're welcome! Say “more” for other picks, or tell me what else you're in the mood for.",
    "chat.try": "Enjoy! Rate it with 👍/👎 afterwards and I'll learn your taste.",
    "chat.about_bot": (
        "Doing great, thanks! I'm a movie recommendation bot, and my favourite film is the one "
        "you'll like. Tell me a genre, a film you liked or an actor, and I'll suggest what to watch."
    ),
    "chat.greeting": "Hi! What are you in the mood for? A genre, a movie you liked, an actor…",
    "chat.praise": "Glad to help! Say “more” for other picks, or refine, e.g. “no horror”, “newer”.",
    "chat.nothing": "Tell me what you'd like to watch: a genre, a movie you liked, an actor…",
    # -- unusable input (bot.dialogue.sanitize) --
    "input.empty": (
        "Tell me what you'd like to watch — for example “a funny sci-fi movie from the 90s” "
        "or “something like Alien”. Send /help for more."
    ),
    "input.binary": (
        "That looks like binary data rather than text. Please send me a plain text message."
    ),
    "input.not_text": "I can only read text messages. Tell me what you'd like to watch.",
    "input.truncated": "Your message was very long, so I only read its first {limit} characters.",
    # -- Telegram front end (bot.telegram.handlers) --
    "telegram.non_text": (
        "I can only read text. Tell me what you feel like watching, for example "
        "“a highly rated sci-fi film from the 90s” or “something like Toy Story”."
    ),
    "telegram.error": "Sorry, something went wrong on my side. Please try again in a moment.",
    "quick_start.0": "a highly rated sci-fi film from the 90s",
    "quick_start.1": "a funny animated movie for the family",
    "quick_start.2": "a thriller like Se7en",
    # -- console chat (bot.subcommands.chat) --
    "console.help": (
        "Console keys: +2 likes item 2, -1 dislikes item 1, *3 4 rates item 3 with 4 stars, "
        "/1 presses the first button under an answer, /quit leaves."
    ),
    "console.no_such_button": "There is no such item or button in the last answer.",
}
